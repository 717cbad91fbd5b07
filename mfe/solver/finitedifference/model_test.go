package finitedifference

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// generic is a model that gives neither a closed-form minimiser nor mean
// partials: the solver minimises its Hamiltonian numerically
// (model.Minimise) and differentiates its cost in the mean terms by
// differences. Embedding the interface keeps Model's methods only.
type generic struct {
	model.Model
	lo, hi float64
}

func (g generic) Controls() (float64, float64) { return g.lo, g.hi }
func (g generic) Minimiser(t, x, q, xbar, abar float64) float64 {
	return model.Minimise(func(a float64) float64 { return a*q + g.Running(t, x, a, xbar, abar) }, g.lo, g.hi)
}

// maxDiff returns the largest difference of two controls over x in
// [-1, 2] and 21 times.
func maxDiff(a, b mfe.Control, T float64) float64 {
	xs := mfe.Linspace(-1, 2, 31)
	ga, gb := make([]float64, len(xs)), make([]float64, len(xs))
	worst := 0.0
	for _, t := range mfe.Linspace(0, T, 21) {
		a.Eval(t, xs, ga)
		b.Eval(t, xs, gb)
		for i := range xs {
			worst = math.Max(worst, math.Abs(ga[i]-gb[i]))
		}
	}
	return worst
}

// TestGenericModel: a model with only its costs and its control set (the
// minimiser by 1-D minimisation, the mean partials by differences) is
// solved as its closed forms are: the LQ model's MFC (where the partials
// count) and the capped model's MFG (where the minimum is on the
// boundary), on a coarse grid.
func TestGenericModel(t *testing.T) {
	p := mfe.Reference()
	inf := math.Inf(1)
	c := config(t, mfe.Quick)
	c.TimeSteps, c.SpaceSteps = 25, 50
	for _, tc := range []struct {
		name   string
		closed model.Model
		lo, hi float64
		r      mfe.Regime
	}{{"lq", model.LQ{P: p}, -inf, inf, mfe.MFC}, {"capped", model.Capped{LQ: model.LQ{P: p}, A: 1}, -1, 1, mfe.MFG}} {
		a, err := Solve(t.Context(), tc.closed, tc.r, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Solve(t.Context(), generic{tc.closed, tc.lo, tc.hi}, tc.r, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(a.Control(), b.Control(), p.T); d > 1e-5 {
			t.Errorf("%s %s: the generic model's feedback differs by up to %g", tc.name, tc.r, d)
		}
	}
}

// TestCappedLimit: as the cap A grows the capped model's solution tends to
// the LQ model's, and once the cap binds nowhere on the grid (A = 1e6, and
// A = +Inf, where the capped model is the LQ model) it is the same
// solution bit for bit, MFG and MFC at the reference parameters.
func TestCappedLimit(t *testing.T) {
	p := mfe.Reference()
	c := config(t, mfe.Quick)
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		lq, err := Solve(t.Context(), model.LQ{P: p}, r, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		prev := math.Inf(1)
		for _, A := range []float64{1, 2, 4, 1e6, math.Inf(1)} {
			capped, err := Solve(t.Context(), model.Capped{LQ: model.LQ{P: p}, A: A}, r, c, nil)
			if err != nil {
				t.Fatal(err)
			}
			d := maxDiff(lq.Control(), capped.Control(), p.T)
			t.Logf("%s: A = %g: the feedbacks differ by up to %.3g", r, A, d)
			if !(d < prev) && d != 0 {
				t.Errorf("%s: A = %g: difference %g, not below %g at the smaller cap", r, A, d, prev)
			}
			prev = d
		}
		if prev != 0 {
			t.Errorf("%s: A = 1e6 and +Inf bind nowhere, yet the solution differs from the LQ one by %g", r, prev)
		}
	}
}

// TestCappedBinds: at the reference parameters the cap A = 1 binds in both
// regimes. MFG: the LQ control at (0, 0.5) is -1.15, the capped one -1.
// MFC: the LQ planner's control at (0, 0.5) is +1.09, but the capped
// planner starts slower (about +0.17 there) and trades at the cap at the
// end, where the whole population does (abar(T) = 1); its control costs
// the planner less than the LQ planner's control clipped to the cap (0.29
// against 0.41) and than the capped MFG's. The feedbacks stay in [-1, 1],
// are far from the LQ ones on the law (above 1e-2), and refining the grids
// (default against memoir) moves them by less than 1e-3 on the law.
func TestCappedBinds(t *testing.T) {
	if testing.Short() {
		t.Skip("solves at the default and memoir profiles")
	}
	p := mfe.Reference()
	m := model.Capped{LQ: model.LQ{P: p}, A: 1}
	sols := map[mfe.Regime]*Solution{}
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		sol, err := Solve(t.Context(), m, r, config(t, mfe.Default), nil)
		if err != nil {
			t.Fatal(err)
		}
		sols[r] = sol
		fine, err := Solve(t.Context(), m, r, config(t, mfe.Memoir), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range sol.Alpha {
			for _, v := range row {
				if math.Abs(v) > 1 {
					t.Fatalf("%s: a feedback %g beyond the cap", r, v)
				}
			}
		}
		lq, err := eval.ExactControl(p, r)
		if err != nil {
			t.Fatal(err)
		}
		far := relDiff(t, p, r, sol.Control(), lq)
		change := relDiff(t, p, r, sol.Control(), fine.Control())
		t.Logf("%s: capped against the LQ control: %.3g; default against memoir: %.3g", r, far, change)
		if !(far > 1e-2) || !(change < 1e-3) {
			t.Errorf("%s: capped against the LQ control %g (want > 1e-2), default against memoir %g (want < 1e-3)", r, far, change)
		}
	}
	a := make([]float64, 1)
	sols[mfe.MFG].Control().Eval(0, []float64{0.5}, a)
	if a[0] != -1 {
		t.Errorf("mfg: alpha(0, 0.5) = %g, want the cap -1", a[0])
	}
	mfc := sols[mfe.MFC]
	if end := mfc.Flow.ABar[mfc.Grid.NT]; math.Abs(end-1) > 1e-6 {
		t.Errorf("mfc: abar(T) = %.9g, want the cap 1", end)
	}
	lq, err := eval.ExactControl(p, mfe.MFC)
	if err != nil {
		t.Fatal(err)
	}
	clipped := mfe.ControlFunc(func(t, x float64) float64 {
		out := make([]float64, 1)
		lq.Eval(t, []float64{x}, out)
		return math.Max(-1, math.Min(1, out[0]))
	})
	planner := socialCost(p, mfc.Control())
	for name, c := range map[string]mfe.Control{"the clipped LQ planner's": clipped, "the capped MFG's": sols[mfe.MFG].Control()} {
		if other := socialCost(p, c); !(planner < other-0.01) {
			t.Errorf("mfc: the capped planner's cost %.4g, %s %.4g", planner, name, other)
		}
	}
}

// socialCost is the planner's cost E[∫ f(X, alpha, abar) dt + g(X_T)] of
// the LQ model under control c, by 4,000 Euler particles on 200 steps
// (abar their mean action at each step); its noise, about 1e-3, is far
// below the differences compared.
func socialCost(p mfe.Params, c mfe.Control) float64 {
	const n, steps = 4000, 200
	rng := rand.New(rand.NewPCG(1, 2))
	x, a := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = p.X0Mean + p.X0Std*rng.NormFloat64()
	}
	dt := p.T / steps
	j := 0.0
	for k := range steps {
		c.Eval(float64(k)*dt, x, a)
		ab := 0.0
		for _, v := range a {
			ab += v / n
		}
		for i := range x {
			j += (p.CX/2*x[i]*x[i] + p.Ca/2*a[i]*a[i] - p.Gamma*x[i]*ab) * dt
			x[i] += a[i]*dt + p.Sigma*math.Sqrt(dt)*rng.NormFloat64()
		}
	}
	for _, v := range x {
		j += p.Cg / 2 * v * v
	}
	return j / n
}

// relDiff is the relative L2 difference between controls a and b, over 51
// times, weighted by the LQ model's law of X_t (eval.RMSByTime).
func relDiff(t *testing.T, p mfe.Params, r mfe.Regime, a, b mfe.Control) float64 {
	t.Helper()
	times := mfe.TimeGrid(p.T, 50)
	d := mfe.ControlFunc(func(t, x float64) float64 {
		u, v := make([]float64, 1), make([]float64, 1)
		a.Eval(t, []float64{x}, u)
		b.Eval(t, []float64{x}, v)
		return u[0] - v[0]
	})
	num, err := eval.RMSByTime(p, r, d, times)
	if err != nil {
		t.Fatal(err)
	}
	den, err := eval.RMSByTime(p, r, b, times)
	if err != nil {
		t.Fatal(err)
	}
	var n, m float64
	for i := range num {
		n += num[i] * num[i]
		m += den[i] * den[i]
	}
	return math.Sqrt(n / m)
}

// TestTrainCapped: a run of the capped model (A = 1) records its model and
// is measured against the memoir-profile solution of the same model, which
// the quick profile is within 1e-2 of (at about 2e-3, MFG and MFC); its
// history has the control error per iteration but no error by time (the
// exact law weighs it). Its checkpoint (MFC) is refused by a run of the LQ
// model and by one of another cap, and an LQ run's checkpoint by a capped
// run.
func TestTrainCapped(t *testing.T) {
	if testing.Short() {
		t.Skip("solves at the memoir profile")
	}
	cfg := config(t, mfe.Quick)
	capped := mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 1}
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		dir := t.TempDir()
		run := mfe.Run{Params: mfe.Reference(), Regime: r, Profile: mfe.Quick, Seed: 1, Model: capped, Checkpoint: dir}
		res, err := Train(t.Context(), run, cfg)
		if err != nil {
			t.Fatal(err)
		}
		m := res.Metrics
		t.Logf("%s: control_rel %.3g against %s", r, m.ControlRel, m.Reference)
		if res.Model != capped || m.Reference != "finite-difference (memoir profile)" || !(m.ControlRel > 0 && m.ControlRel < 1e-2) ||
			m.SocialGap != nil || m.Exploitability != nil || m.ValueRel != nil || m.DensityL1 != nil {
			t.Errorf("%s: model %v, metrics %+v", r, res.Model, m)
		}
		if h := res.History; len(h.Extra[mfe.KeyControlRel]) != h.Len() || h.Extra[mfe.KeyControlRelByTime] != nil {
			t.Errorf("%s: history %+v", r, h)
		}
		if r == mfe.MFG {
			continue // the checkpoints' keys do not depend on the regime's model
		}
		var me *mfe.MismatchError
		for _, other := range []mfe.ModelSpec{{}, {Name: mfe.ModelCapped, AMax: 2}} {
			o := run
			o.Model = other
			if _, err := Train(t.Context(), o, cfg); !errors.As(err, &me) {
				t.Errorf("%s: the %v model's run on a capped checkpoint: %v, want a *mfe.MismatchError", r, other, err)
			}
		}
		lq := run
		lq.Model, lq.Checkpoint = mfe.ModelSpec{}, t.TempDir()
		if _, err := Train(t.Context(), lq, cfg); err != nil {
			t.Fatal(err)
		}
		lq.Model = capped
		if _, err := Train(t.Context(), lq, cfg); !errors.As(err, &me) {
			t.Errorf("%s: a capped run on an LQ checkpoint: %v, want a *mfe.MismatchError", r, err)
		}
	}
}

// TestReferenceCache: a reference asked for twice is solved once (the same
// grid rows come back); another cap, regime or profile, or another model
// type with the same spec, is solved anew; the cache keeps at most
// maxReferences solutions, the most recent.
func TestReferenceCache(t *testing.T) {
	rows := func(ref eval.Reference) *float64 { return &ref.Control.(gridFunc).rows[0][0] }
	get := func(m model.Model, r mfe.Regime, p mfe.Profile) eval.Reference {
		ref, err := referenceAt(t.Context(), m, r, p)
		if err != nil {
			t.Fatal(err)
		}
		return ref
	}
	capped := model.Capped{LQ: model.LQ{P: mfe.Reference()}, A: 1}
	first := get(capped, mfe.MFG, mfe.Quick)
	if again := get(capped, mfe.MFG, mfe.Quick); rows(again) != rows(first) {
		t.Error("the same reference was solved again")
	}
	other := capped
	other.A = 2
	for name, ref := range map[string]eval.Reference{
		"another cap":     get(other, mfe.MFG, mfe.Quick),
		"another regime":  get(capped, mfe.MFC, mfe.Quick),
		"another profile": get(capped, mfe.MFG, mfe.Default),
		"another Go type": get(sameSpec{capped}, mfe.MFG, mfe.Quick),
	} {
		if rows(ref) == rows(first) {
			t.Errorf("%s: the cached reference came back", name)
		}
	}
	if n := len(references.entries); n > maxReferences {
		t.Errorf("the cache holds %d references, want at most %d", n, maxReferences)
	}
}

// sameSpec is capped under another Go type with the same Spec.
type sameSpec struct{ model.Capped }
