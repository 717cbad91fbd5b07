package report

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nplayer"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// TestComparisonRows: one row per run, in the order given, with the
// game's exploitability or the planner's gap, ± its standard error where
// the run has one.
func TestComparisonRows(t *testing.T) {
	run := func(method string, r mfe.Regime, rel float64) *mfe.Result {
		res := &mfe.Result{Method: method, Regime: r, Params: mfe.Reference(), Profile: mfe.Quick, WallTime: 10 * rel,
			Metrics: mfe.Metrics{ControlRel: rel}}
		if r == mfe.MFG {
			res.Metrics.Exploitability = mfe.Float(rel / 10)
		} else {
			res.Metrics.SocialGap = mfe.Float(rel / 100)
		}
		return res
	}
	runs := []*mfe.Result{run("a", mfe.MFC, 0.03), run("b", mfe.MFG, 0.01), run("b", mfe.MFC, 0.02)}
	runs[0].Metrics.SocialGapSE = mfe.Float(2.5e-5)
	h, rows := ComparisonRows(runs...)
	if len(rows) != 3 || len(rows[0]) != len(h) || rows[1][0] != "b" || rows[1][4] != "1.00e-02" || rows[1][5] != "1.00e-03" || rows[2][5] != "2.00e-04" ||
		rows[0][5] != "3.00e-04 ± 2.5e-05" {
		t.Errorf("rows %v", rows)
	}
	if _, rows := MetricsRows(runs...); rows[0][6] != "3.00e-04 ± 2.5e-05" || rows[1][6] != "1.00e-03" {
		t.Errorf("metrics rows %v", rows)
	}
	if f, err := AccuracyFigure(runs...); err != nil {
		t.Error(err)
	} else if err := figure.CheckText(f); err != nil {
		t.Error(err)
	}
}

// TestNPlayerGaps tabulates three controls as control.json holds them: the
// exact MFG control as if a method had learned it, an MFC control and one
// at other parameters. The first must give, seed for seed, the gaps of the exact
// MFG control tabulated on the same grid; the other two are skipped with a
// note. The exact control's Nash gap is ExactNash's, its realised-flow gap
// bounds it from above (within the Monte Carlo error) and falls like 1/N.
func TestNPlayerGaps(t *testing.T) {
	p := mfe.Reference()
	grid := func(method string, r mfe.Regime, q mfe.Params) *rundir.ControlGrid {
		ex, err := eval.ExactControl(q, r)
		if err != nil {
			t.Fatal(err)
		}
		g, err := rundir.GridControl(&mfe.Result{Method: method, Regime: r, Params: q, Control: ex})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	other := p
	other.Gamma = 1
	grids := []*rundir.ControlGrid{grid("direct-mfc", mfe.MFC, p), grid("fbsde", mfe.MFG, p), grid("dgm", mfe.MFG, other)}
	ns := []int{10, 100, 1000}
	curves, notes, err := NPlayerGaps(context.Background(), p, grids, ns, nplayer.Config{Seeds: 8, Steps: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "direct-mfc") || !strings.Contains(notes[1], "dgm") {
		t.Errorf("notes %q, want the MFC and the other-parameter grids skipped", notes)
	}
	var labels []string
	for _, c := range curves {
		labels = append(labels, c.Label)
	}
	if want := []string{LabelExactMFG, LabelExactMFGTabulated, "fbsde (grid)"}; !reflect.DeepEqual(labels, want) {
		t.Fatalf("curves %v, want %v", labels, want)
	}
	if !reflect.DeepEqual(curves[1].Gaps, curves[2].Gaps) {
		t.Errorf("the exact control saved as control.json: gaps %+v, tabulated exact %+v", curves[2].Gaps, curves[1].Gaps)
	}
	nash, err := nplayer.ExactNash(p, exact.MustMFG(p).Control().(mfe.AffineControl))
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range curves[0].Gaps {
		if g.N != ns[i] || g.Nash == nil || *g.Nash != nash.At(g.N) {
			t.Errorf("exact MFG, N = %d: Nash gap %v, want %v", g.N, g.Nash, nash.At(ns[i]))
			continue
		}
		if !(g.Mean+3*g.SE >= *g.Nash) {
			t.Errorf("N = %d: realised-flow gap %.3g ± %.1g below the Nash gap %.3g", g.N, g.Mean, g.SE, *g.Nash)
		}
	}
	if s := NPlayerSlope(curves[0]); !(s > -1.3 && s < -0.8) {
		t.Errorf("exact MFG: log-log slope of the gap %.3f, want about -1", s)
	}
	h, rows := NPlayerRows(curves)
	if len(rows) != 3*len(ns) || len(rows[0]) != len(h) || rows[0][6] != "0" {
		t.Errorf("rows %v", rows)
	}
	f, err := NPlayerFigure(curves)
	if err != nil {
		t.Fatal(err)
	}
	// The bars of ± 1 s.e. widen the y axis beyond the gaps; the 1/N line
	// from the exact control's gap at N = 10 ends at a hundredth of it.
	lo, hi := curves[0].Gaps[0].Mean/100, 0.0
	for _, c := range curves {
		for _, g := range c.Gaps {
			if g.Mean-g.SE > 0 {
				lo = math.Min(lo, g.Mean-g.SE)
			}
			hi = math.Max(hi, g.Mean+g.SE)
		}
	}
	if f.Y.Min > lo*(1+1e-9) || f.Y.Max < hi*(1-1e-9) {
		t.Errorf("y axis [%.3g, %.3g] does not hold the error bars and the 1/N line, [%.3g, %.3g]", f.Y.Min, f.Y.Max, lo, hi)
	}
	if svg, err := figure.SVG(f, 0, 0); err != nil || !strings.Contains(string(svg), ">1/N<") {
		t.Errorf("no 1/N reference in the legend (%v)", err)
	}
	if err := figure.CheckText(f); err != nil {
		t.Error(err)
	}
}
