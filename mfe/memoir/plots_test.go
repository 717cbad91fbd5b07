package memoir

import (
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// gridRun is a run of regime r whose learned control is the exact one,
// with its control.json as rundir writes it.
func gridRun(t *testing.T, p mfe.Params, r mfe.Regime) *runDir {
	t.Helper()
	c, err := eval.ExactControl(p, r)
	if err != nil {
		t.Fatal(err)
	}
	res := mfe.Result{Method: "direct-mfc", Regime: r, Params: p, Control: c}
	cg, err := rundir.GridControl(&res)
	if err != nil {
		t.Fatal(err)
	}
	res.Control = nil // as loaded from result.json
	return &runDir{Dir: "runs/direct-mfc-" + string(r), Res: res, Grid: cg}
}

// TestControlComparison checks the memoir's control panels at the
// reference parameters: at t = 0, T/2 and T, on the points of control.json
// within mean ± 3 sd of the exact law of X_t, reaching within one grid
// step of both ends of that range (the MFC's population at T, about
// N(2.57, 0.38²), lies beyond the standard grid's x ≤ 2), with the values
// of control.json; a control.json on the standard grid alone is refused
// for the MFC and the figure's texts pass figure.CheckText.
func TestControlComparison(t *testing.T) {
	p := mfe.Reference()
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		run := gridRun(t, p, r)
		row, err := controlComparison(p, run)
		if err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		law, err := eval.LawX(p, r)
		if err != nil {
			t.Fatal(err)
		}
		step := run.Grid.X[1] - run.Grid.X[0]
		for k, want := range []float64{0, p.T / 2, p.T} {
			c := row.Panels[k]
			l := law(want)
			lo, hi := l.Mean-3*l.Std(), l.Mean+3*l.Std()
			if c.X[0] < lo || c.X[0] > lo+step || c.X[len(c.X)-1] > hi || c.X[len(c.X)-1] < hi-step {
				t.Errorf("%s %s: x from %g to %g, want the grid's points in [%.3g, %.3g]", r, c.Label, c.X[0], c.X[len(c.X)-1], lo, hi)
			}
			i := 0
			for run.Grid.T[i] != want {
				i++
			}
			for j, x := range c.X {
				jj := 0
				for run.Grid.X[jj] != x {
					jj++
				}
				if c.Learned[j] != run.Grid.Alpha[i][jj] || c.Exact[j] != run.Grid.Exact[i][jj] {
					t.Errorf("%s %s, x = %g: learned %g, exact %g; control.json has %g, %g", r, c.Label, x,
						c.Learned[j], c.Exact[j], run.Grid.Alpha[i][jj], run.Grid.Exact[i][jj])
				}
			}
		}
		f, err := controlFigure(p, run)
		if err != nil {
			t.Fatal(err)
		}
		if err := figure.CheckText(f); err != nil {
			t.Errorf("%s: %v", r, err)
		}
	}

	// A control.json of the MFC on the standard grid, as saved before its x
	// followed the population, misses it at T.
	run := gridRun(t, p, mfe.MFC)
	_, std := mfe.StandardGrid(p.T)
	run.Grid.X = std
	for i := range run.Grid.T {
		run.Grid.Alpha[i] = run.Grid.Alpha[i][:len(std)]
		run.Grid.Exact[i] = run.Grid.Exact[i][:len(std)]
	}
	if _, err := controlComparison(p, run); err == nil || !strings.Contains(err.Error(), "mfe figures import") {
		t.Errorf("a control.json on the standard grid: %v, want it refused", err)
	}
}
