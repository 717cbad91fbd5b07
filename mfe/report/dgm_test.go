package report

import (
	"math"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/dgm"
)

// exactDGMResult is a result whose control, value and loss history are
// known: the exact MFG solution and decaying residuals, the boundary terms
// identically zero as with built-in boundary conditions.
func exactDGMResult(t *testing.T) *mfe.Result {
	t.Helper()
	p := mfe.Reference()
	m := exact.MustMFG(p)
	res := &mfe.Result{Method: "dgm", Regime: mfe.MFG, Params: p, Control: m.Control(), Value: m.ValueFunc(),
		Metrics: mfe.Metrics{ValueRel: mfe.Float(0.01), DensityL1: map[string]float64{"0.1": 0.001, "1": 0.002, "0.4": 0.003}}}
	h := &res.History
	h.Extra = map[mfe.HistoryKey][]float64{}
	for i := 1; i <= 50; i++ {
		h.Epoch = append(h.Epoch, i)
		h.Loss = append(h.Loss, 2/float64(i))
		h.Extra[dgm.KeyHJB] = append(h.Extra[dgm.KeyHJB], 1/float64(i))
		h.Extra[dgm.KeyKFP] = append(h.Extra[dgm.KeyKFP], 1/float64(i*i))
		h.Extra[dgm.KeyTerminal] = append(h.Extra[dgm.KeyTerminal], 0)
		h.Extra[dgm.KeyInitial] = append(h.Extra[dgm.KeyInitial], 0)
	}
	return res
}

func TestDGMFigures(t *testing.T) {
	res := exactDGMResult(t)
	p := res.Params
	lf, err := LossComponentsFigure(res)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lf.Title.Text, "terminal, initial: 0") {
		t.Errorf("title %q does not name the zero components", lf.Title.Text)
	}
	if _, err := LossComponentsFigure(res, dgm.KeyHJB, "nonsense"); err == nil {
		t.Error("a missing component: no error")
	}
	if _, err := LossComponentsFigure(res, dgm.KeyTerminal); err == nil {
		t.Error("only zero components: no error")
	}
	cv, err := ControlValueFigure(res, Times(p.T, 0, 0.5, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(cv.Plots) != 2 || len(cv.Plots[0]) != 2 {
		t.Errorf("control/value grid %d × %d, want 2 × 2", len(cv.Plots), len(cv.Plots[0]))
	}
	m := exact.MustMFG(p)
	dens := func(t float64, xs []float64) []float64 {
		out := make([]float64, len(xs))
		for i, x := range xs {
			out[i] = m.LawX(t).Density(x)
		}
		return out
	}
	dg, err := DensityCurvesFigure(p, dens, Times(p.T, 0.1, 0.4, 0.7, 1), res.Metrics.DensityL1)
	if err != nil {
		t.Fatal(err)
	}
	if svg, err := figure.SVG(dg, 0, 0); err != nil || !strings.Contains(string(svg), ">t = 0.4, L1 0.003<") {
		t.Errorf("no legend entry \"t = 0.4, L1 0.003\" in the density figure (%v)", err)
	}
	for _, f := range []figure.Figure{lf, cv, dg} {
		if b, err := figure.PNG(f, 0, 0); err != nil || len(b) == 0 {
			t.Errorf("PNG: %v", err)
		}
		if err := figure.CheckText(f); err != nil {
			t.Error(err)
		}
	}
	h, rows := DensityRows(res)
	if want := []string{"run", "value_rel", "density_l1 t=0.1T", "density_l1 t=0.4T", "density_l1 t=1T"}; strings.Join(h, "|") != strings.Join(want, "|") {
		t.Errorf("header %v, want %v", h, want)
	}
	if len(rows) != 1 || rows[0][1] != "1.00e-02" || rows[0][4] != "2.00e-03" {
		t.Errorf("rows %v", rows)
	}
}

// TestPopulationX: mean ± k sd of the law of X_t of each regime: N(0.5,
// 0.3²) at t = 0, the MFC's law at T from package exact (about N(2.57,
// 0.38²) at the reference parameters).
func TestPopulationX(t *testing.T) {
	p := mfe.Reference()
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		x, err := PopulationX(p, r, 0, 3, 7)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(x[0]-(0.5-0.9)) > 1e-12 || math.Abs(x[6]-(0.5+0.9)) > 1e-12 || math.Abs(x[3]-0.5) > 1e-12 {
			t.Errorf("%s: x on mean ± 3 sd of N(0.5, 0.3^2): %v", r, x)
		}
	}
	law := exact.MustMFC(p).LawX(p.T)
	x, err := PopulationX(p, mfe.MFC, p.T, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(x[0]-(law.Mean-3*law.Std())) > 1e-12 || math.Abs(x[4]-(law.Mean+3*law.Std())) > 1e-12 {
		t.Errorf("MFC at T: x %v, want mean ± 3 sd of N(%.4g, %.4g²)", x, law.Mean, law.Std())
	}
	if math.Abs(law.Mean-2.57) > 0.01 || math.Abs(law.Std()-0.38) > 0.01 {
		t.Errorf("MFC law at T: N(%.4g, %.4g²), want about N(2.57, 0.38²)", law.Mean, law.Std())
	}
}
