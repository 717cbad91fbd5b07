package qlearn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/modeltest"
)

// userLQ is the LQ model as a user's own type: the environment does not
// recognise its costs as LQ's and takes the step's expected cost by
// quadrature.
type userLQ struct{ mfemodel.LQ }

// TestStepQuadrature: the "step" reward of a model the environment takes
// by quadrature (Gauss–Legendre × Gauss–Hermite) is the closed form of the
// LQ costs, to rounding, at random points, and the "left" reward is the
// left-point rule of the model's running cost; the capped model's reward
// is LQ's.
func TestStepQuadrature(t *testing.T) {
	p := mfe.Reference()
	cfg, err := ProfileConfig(mfe.Default)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, reward := range []string{"step", "left"} {
		cfg.Reward = reward
		lq, err := newEnv(mfemodel.LQ{P: p}, cfg, mfe.MFG)
		if err != nil {
			t.Fatal(err)
		}
		user, err := newEnv(userLQ{mfemodel.LQ{P: p}}, cfg, mfe.MFG)
		if err != nil {
			t.Fatal(err)
		}
		capped, err := newEnv(mfemodel.Capped{LQ: mfemodel.LQ{P: p}, A: 1}, cfg, mfe.MFG)
		if err != nil {
			t.Fatal(err)
		}
		if user.lq || !lq.lq || !capped.lq {
			t.Fatalf("LQ costs recognised: LQ %v, capped %v, user's type %v; want true, true, false", lq.lq, capped.lq, user.lq)
		}
		for k := 0; k < 100; k++ {
			n, x, a := rng.IntN(cfg.Steps), 4*rng.NormFloat64(), 3*rng.NormFloat64()
			s := mfrl.Stats{MeanX: rng.NormFloat64(), MeanA: rng.NormFloat64()}
			want := lq.Reward(n, x, a, s)
			if got := user.Reward(n, x, a, s); math.Abs(got-want) > 1e-13*(1+math.Abs(want)) {
				t.Fatalf("%s reward at n=%d x=%.3g a=%.3g %+v: quadrature %.17g, closed form %.17g", reward, n, x, a, s, got, want)
			}
			if got := capped.Reward(n, x, a, s); got != want {
				t.Fatalf("%s reward: capped %v, LQ %v", reward, got, want)
			}
		}
	}
}

// TestCappedActions: the capped model's environment offers the actions
// [-A, A] (the parameters' range is wider), the LQ model's the parameters'
// range; an explicit range outside the cap is refused, and so are the
// LQ-cost ablations for a model whose costs are not LQ's.
func TestCappedActions(t *testing.T) {
	p := mfe.Reference()
	cfg, _ := ProfileConfig(mfe.Default)
	capped := mfemodel.Capped{LQ: mfemodel.LQ{P: p}, A: 0.7}
	e, err := newEnv(capped, cfg, mfe.MFC)
	if err != nil {
		t.Fatal(err)
	}
	if lo, hi := e.Actions(); lo != -0.7 || hi != 0.7 {
		t.Errorf("capped actions [%g, %g], want [-0.7, 0.7]", lo, hi)
	}
	e, _ = newEnv(mfemodel.LQ{P: p}, cfg, mfe.MFC)
	if lo, hi := e.Actions(); lo != -hi || !(hi > 10) {
		t.Errorf("LQ actions [%g, %g], want the parameters' wide range", lo, hi)
	}
	c := cfg
	c.AMin, c.AMax = 1, 2
	if _, err := newEnv(capped, c, mfe.MFG); err == nil {
		t.Error("an action range outside the cap accepted")
	}
	c = cfg
	c.MFCReward = "model-marginal"
	if _, err := newEnv(userLQ{mfemodel.LQ{P: p}}, c, mfe.MFC); err == nil {
		t.Error("the LQ marginal reward accepted for a user's model")
	}
}

// TestQuickCapped trains the quick profile on the capped model (A = 1 at
// the reference parameters, where the cap binds in both regimes) and
// checks it against the finite-difference solution of that model, which
// the metrics name and the result keeps: every action the learner plays
// and the learned control at every t, x stay within the cap, and the
// control lands near the reference: seeds 1 and 2, MFG 0.048 and 0.055,
// MFC 0.13 and 0.18 (the quick profile's fast MFC rate tracks the
// population's noise; the default profile reaches 0.04 and 0.07, seed 1).
// The LQ planner's control clipped to the cap is 0.92 from the MFC's
// reference (package directmfc's TestQuickCapped), a control near 0 about
// 1.
func TestQuickCapped(t *testing.T) {
	if testing.Short() {
		t.Skip("two quick trainings")
	}
	cfg, err := ProfileConfig(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Checkpoints = 2
	capped := mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 1}
	bounds := map[mfe.Regime]float64{mfe.MFG: 0.08, mfe.MFC: 0.3}
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		res, err := Train(t.Context(), mfe.Run{Params: mfe.Reference(), Regime: r, Seed: 1, Model: capped}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		m := res.Metrics
		t.Logf("%s: control_rel %.4f against %s, wall %.1fs", r, m.ControlRel, m.Reference, res.WallTime)
		if res.Model != capped || m.Reference != "finite-difference (default profile)" || res.Reference == nil || m.Exploitability != nil || m.SocialGap != nil {
			t.Errorf("%s: model %v, metrics %+v", r, res.Model, m)
		}
		tb := res.Control.(*Tables)
		if tb.Model != capped || tb.Grid.AMin != -1 || tb.Grid.AMax != 1 {
			t.Errorf("%s: tables of model %v, actions [%g, %g]", r, tb.Model, tb.Grid.AMin, tb.Grid.AMax)
		}
		// every action the learner plays lies in its row's window
		for row, c := range tb.Center {
			if w := float64(tb.NA/2) * tb.DA; c-w < -1-1e-12 || c+w > 1+1e-12 {
				t.Fatalf("%s: row %d's actions [%g, %g] beyond the cap", r, row, c-w, c+w)
			}
		}
		if !(m.ControlRel <= bounds[r]) {
			t.Errorf("%s: control_rel = %v against the finite-difference control, want <= %v", r, m.ControlRel, bounds[r])
		}
		if len(res.History.Extra[mfe.KeyControlRel]) != cfg.Checkpoints {
			t.Errorf("%s: history %v", r, res.History.Extra)
		}
		modeltest.WithinControls(t, string(r), res.Control, 1, -1, 1)
	}
}
