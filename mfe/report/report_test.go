package report

import (
	"math"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
)

// offControl is the exact control of the regime plus eps·x: a learned
// control whose error at x is eps·x.
func offControl(t *testing.T, p mfe.Params, r mfe.Regime, eps float64) mfe.Control {
	t.Helper()
	ex, err := eval.ExactControl(p, r)
	if err != nil {
		t.Fatal(err)
	}
	return mfe.ControlFunc(func(t, x float64) float64 {
		a := []float64{0}
		ex.Eval(t, []float64{x}, a)
		return a[0] + eps*x
	})
}

// TestControlFigure checks the per-run control figure in both regimes:
// each time's panel spans mean ± 3 sd of the exact law of X_t at that
// time, so the axes cover every one of them (the MFC's population at T,
// about N(2.57, 0.38²), lies beyond the old fixed range x ≤ 2); the error
// panel exists and its y axis spans the error eps·x over those ranges
// (within 10 %, with zero), about 1e-4 where the control spans units.
func TestControlFigure(t *testing.T) {
	p := mfe.Reference()
	const eps = 1e-4
	times := Times(p.T, 0, 0.5, 1)
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		res := &mfe.Result{Method: "direct-mfc", Regime: r, Params: p, Control: offControl(t, p, r, eps)}
		g, err := ControlFigure(res, times)
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Plots) != 1 || len(g.Plots[0]) != 2 {
			t.Fatalf("%s: %d × %d panels, want the control and its error", r, len(g.Plots), len(g.Plots[0]))
		}
		law, err := eval.LawX(p, r)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		panels, err := ControlPanels(p, r, res.Control, times)
		if err != nil {
			t.Fatal(err)
		}
		for i, tt := range times {
			l := law(tt)
			a, b := l.Mean-3*l.Std(), l.Mean+3*l.Std()
			x := panels[i].X
			if math.Abs(x[0]-a) > 1e-12 || math.Abs(x[len(x)-1]-b) > 1e-12 {
				t.Errorf("%s, t = %g: x from %.4g to %.4g, want mean ± 3 sd, %.4g to %.4g", r, tt, x[0], x[len(x)-1], a, b)
			}
			lo, hi = math.Min(lo, a), math.Max(hi, b)
		}
		ctl, errp := g.Plots[0][0], g.Plots[0][1]
		for _, pl := range []struct {
			name     string
			min, max float64
		}{{"control", ctl.X.Min, ctl.X.Max}, {"error", errp.X.Min, errp.X.Max}} {
			if pl.min > lo+1e-12 || pl.max < hi-1e-12 {
				t.Errorf("%s %s panel: x axis [%.4g, %.4g] does not cover the populations' [%.4g, %.4g]", r, pl.name, pl.min, pl.max, lo, hi)
			}
		}
		elo, ehi := math.Min(0, eps*lo), math.Max(0, eps*hi)
		tol := 1e-6 * (ehi - elo)                                                                  // learned − exact rounds at the control's scale
		if errp.Y.Min > elo+tol || errp.Y.Max < ehi-tol || errp.Y.Max-errp.Y.Min > 1.2*(ehi-elo) { // 5 % free at each end
			t.Errorf("%s error panel: y axis [%.3g, %.3g], want the error's range [%.3g, %.3g]", r, errp.Y.Min, errp.Y.Max, elo, ehi)
		}
		if errp.Y.Label.Text != "learned − exact" {
			t.Errorf("%s error panel: y label %q", r, errp.Y.Label.Text)
		}
		if err := figure.CheckText(g); err != nil {
			t.Error(err)
		}
	}
	if _, err := ControlFigure(&mfe.Result{Method: "m", Regime: mfe.MFG, Params: p}, times); err == nil {
		t.Error("a run without a control: no error")
	}
}

// TestTrainingFigure: the control error is control_rel where the history
// has it, else √(control_mse / D) ending at the final control_rel, else
// control_mse; the labels are words.
func TestTrainingFigure(t *testing.T) {
	p := mfe.Reference()
	res := &mfe.Result{Method: "fbsde", Regime: mfe.MFG, Params: p,
		Metrics: mfe.Metrics{ControlMSE: 4e-6, ControlRel: 2e-3}}
	h := &res.History
	for e := 1; e <= 300; e++ {
		h.Epoch = append(h.Epoch, e)
		h.Loss = append(h.Loss, -1/float64(e))
		if e%50 == 0 {
			h.EvalEpoch = append(h.EvalEpoch, e)
			h.ControlMSE = append(h.ControlMSE, 4e-6*300/float64(e))
			h.ControlMSEStd = append(h.ControlMSEStd, 1e-6)
		}
	}
	s, label, ok := controlErrorSeries(res)
	if !ok || label != "relative control error" || math.Abs(s.Mean[len(s.Mean)-1]-2e-3) > 1e-15 ||
		math.Abs(s.Mean[0]-2e-3*math.Sqrt(6)) > 1e-15 {
		t.Errorf("from control_mse: %q %v, want √(control_mse/D) ending at 2e-3", label, s.Mean)
	}
	g, err := TrainingFigure(res)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Plots[0]) != 2 || g.Plots[0][0].X.Label.Text != "training epoch" || g.Plots[0][1].Title.Text != "Training loss (means over 3)" {
		t.Errorf("panels: %d, x label %q, loss title %q", len(g.Plots[0]), g.Plots[0][0].X.Label.Text, g.Plots[0][1].Title.Text)
	}
	if err := figure.CheckText(g); err != nil {
		t.Error(err)
	}

	res.Metrics = mfe.Metrics{}
	if s, label, _ := controlErrorSeries(res); label != "mean squared control error" || s.Std == nil {
		t.Errorf("without final metrics: %q, band %v", label, s.Std)
	}
	h.Extra = map[mfe.HistoryKey][]float64{mfe.KeyControlRel: {0.5, 0.4, 0.3, 0.2, 0.1, 0.05}}
	if s, label, _ := controlErrorSeries(res); label != "relative control error" || s.Mean[5] != 0.05 {
		t.Errorf("with control_rel: %q %v", label, s.Mean)
	}
	res.Method = "actor-critic"
	g, err = TrainingFigure(res)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Plots[0][0].X.Label.Text; got != "training episode" {
		t.Errorf("actor–critic's x label %q", got)
	}
	if _, err := TrainingFigure(&mfe.Result{Method: "m"}); err == nil {
		t.Error("an empty history: no error")
	}
}

// TestExactFigures: the exact solution's figures draw every control and
// value over its population's range and use only glyphs the font has.
func TestExactFigures(t *testing.T) {
	p := mfe.Reference()
	times := Times(p.T, 0, 0.5, 1)
	ec, err := ExactControls(p, times)
	if err != nil {
		t.Fatal(err)
	}
	mfc, err := eval.LawX(p, mfe.MFC)
	if err != nil {
		t.Fatal(err)
	}
	if l := mfc(p.T); ec.X.Max < l.Mean+3*l.Std() {
		t.Errorf("exact controls: x axis ends at %.3g, the MFC's population at T at %.3g", ec.X.Max, l.Mean+3*l.Std())
	}
	figs := map[string]func() (figure.Figure, error){
		"controls":   func() (figure.Figure, error) { return ec, nil },
		"mean paths": func() (figure.Figure, error) { return ExactMeanPaths(p) },
		"value":      func() (figure.Figure, error) { return ExactValue(p, times) },
		"gamma":      func() (figure.Figure, error) { return GammaSweep(p, 0, []float64{0, p.Cg, 1, p.Gamma}) },
		"density":    func() (figure.Figure, error) { return DensityFigure(p, mfe.MFG, nil, Times(p.T, 0.1, 0.4, 0.7, 1), 1) },
	}
	for name, mk := range figs {
		f, err := mk()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := figure.CheckText(f); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if g, ok := f.(*figure.Grid); ok && len(g.Plots[0]) > 2 {
			t.Errorf("%s: %d panels in a row", name, len(g.Plots[0]))
		}
	}
	if got := TimeLabel(0.5); !strings.HasPrefix(got, "t = ") {
		t.Errorf("TimeLabel %q", got)
	}
}
