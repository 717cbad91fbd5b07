package report

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nplayer"
)

func TestLoadRuns(t *testing.T) {
	dir := t.TempDir()
	save := func(name, method string, r mfe.Regime, rel float64) {
		res := &mfe.Result{Method: method, Regime: r, Params: mfe.Reference(), Profile: "quick", WallTime: 10 * rel,
			Metrics: mfe.Metrics{ControlRel: rel, Exploitability: mfe.Float(rel / 10)}}
		if err := mfe.WriteJSON(filepath.Join(dir, name, "result.json"), res); err != nil {
			t.Fatal(err)
		}
	}
	save("fbsde-mfc-quick", "fbsde", mfe.MFC, 0.02)
	save("fbsde-mfg-quick", "fbsde", mfe.MFG, 0.01)
	save("direct-mfc-mfc-quick", "direct-mfc", mfe.MFC, 0.03)
	save("dgm-mfg-default", "dgm", mfe.MFG, 0.04) // another profile
	runs, missing, err := LoadRuns(dir, "quick")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		got = append(got, r.Method+" "+string(r.Regime))
	}
	if want := []string{"direct-mfc mfc", "fbsde mfg", "fbsde mfc"}; !reflect.DeepEqual(got, want) {
		t.Errorf("runs %v, want %v", got, want)
	}
	if want := []string{"dgm", "q-learning", "actor-critic"}; !reflect.DeepEqual(missing, want) {
		t.Errorf("missing %v, want %v", missing, want)
	}
	h, rows := ComparisonRows(runs...)
	if len(rows) != 3 || len(rows[0]) != len(h) || rows[1][4] != "1.00e-02" || rows[1][5] != "1.00e-03" {
		t.Errorf("rows %v", rows)
	}
	if _, err := AccuracyFigure(runs...); err != nil {
		t.Error(err)
	}
}

// TestLoadRunsNone: no results directory is no run, not an error.
func TestLoadRunsNone(t *testing.T) {
	runs, missing, err := LoadRuns(filepath.Join(t.TempDir(), "absent"), "quick")
	if err != nil || len(runs) != 0 || !reflect.DeepEqual(missing, mfe.MethodNames()) {
		t.Errorf("runs %v, missing %v, err %v", runs, missing, err)
	}
	grids, err := LoadControlGrids(filepath.Join(t.TempDir(), "absent"), "quick")
	if err != nil || len(grids) != 0 {
		t.Errorf("grids %v, err %v", grids, err)
	}
}

// TestNPlayerGaps saves three control.json files: the exact MFG control
// as if a method had learned it, an MFC control and one at other
// parameters. The first must give, seed for seed, the gaps of the exact
// MFG control tabulated on the same grid; the other two are skipped with a
// note. The exact control's Nash gap is ExactNash's, its realised-flow gap
// bounds it from above (within the Monte Carlo error) and falls like 1/N.
func TestNPlayerGaps(t *testing.T) {
	dir := t.TempDir()
	p := mfe.Reference()
	save := func(name, method string, r mfe.Regime, q mfe.Params) {
		ex, err := eval.ExactControl(q, r)
		if err != nil {
			t.Fatal(err)
		}
		res := &mfe.Result{Method: method, Regime: r, Params: q, Control: ex}
		g, err := GridControl(res)
		if err != nil {
			t.Fatal(err)
		}
		if err := mfe.WriteJSON(filepath.Join(dir, name, "control.json"), g); err != nil {
			t.Fatal(err)
		}
	}
	other := p
	other.Gamma = 1
	save("direct-mfc-mfc-quick", "direct-mfc", mfe.MFC, p)
	save("dgm-mfg-quick", "dgm", mfe.MFG, other)
	save("fbsde-mfg-quick", "fbsde", mfe.MFG, p)
	save("fbsde-mfg-default", "fbsde", mfe.MFG, other) // another profile
	grids, err := LoadControlGrids(dir, "quick")
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, g := range grids {
		order = append(order, g.Method+" "+string(g.Regime))
	}
	if want := []string{"direct-mfc mfc", "fbsde mfg", "dgm mfg"}; !reflect.DeepEqual(order, want) {
		t.Fatalf("grids %v, want %v", order, want)
	}
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
	if _, err := NPlayerFigure(curves); err != nil {
		t.Error(err)
	}
}
