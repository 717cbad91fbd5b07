package dgm

import (
	"errors"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/modeltest"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain/resumetest"
)

// TestQuickCapped trains the quick profile on the capped model (A = 1 at the
// reference parameters, where the cap binds: the equilibrium's control
// reaches it on part of the population near t = 0) through the model's
// residuals (the minimiser's clip in the HJB and Fokker–Planck equations)
// and checks it against the finite-difference solution of that model, which
// it names, and that the control stays within the cap.
//
// The quick profile reaches control_rel 0.0023 and 0.0026 at seeds 1 and 2
// (measured): the bound, 0.01, is 3.8 times the worse. It fails the LQ
// equilibrium's control clipped to the cap, 0.016 from the reference (the
// cap changes the equilibrium beyond the clip), and by far that control
// unclipped (0.22) and zero (1), all measured; and the residuals with the
// Fokker–Planck gradient let into v (0.028 at seed 1, see residuals).
func TestQuickCapped(t *testing.T) {
	res := trainQuickCapped(t, 1)
	m := res.Metrics
	if !(m.ControlRel <= 0.01) {
		t.Errorf("control_rel = %v against the finite-difference control, want <= 0.01", m.ControlRel)
	}
}

func trainQuickCapped(t *testing.T, seed uint64) *mfe.Result {
	t.Helper()
	cfg, err := ProfileConfig(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	capped := mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 1}
	res, err := Train(t.Context(), mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: seed, Model: capped}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics
	t.Logf("seed %d: control_rel %.3g against %s, %.3f s/iteration, %.1f s", seed, m.ControlRel, m.Reference, res.EpochTime, res.WallTime)
	if res.Model != capped || m.Reference != "finite-difference (default profile)" || m.ValueRel != nil || m.DensityL1 != nil {
		t.Errorf("model %v, metrics %+v", res.Model, m)
	}
	modeltest.WithinControls(t, "capped", res.Control, 1, -1, 1)
	return res
}

// TestResumeCapped is TestResume on the capped model, whose checkpoint also
// keeps the tracked mean action (the minimiser's input).
func TestResumeCapped(t *testing.T) {
	cfg, _ := ProfileConfig(mfe.Quick)
	cfg.Iterations, cfg.EvalEvery = 30, 10
	q := mfe.Reference()
	q.Gamma = 1
	run := mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 3, CheckpointEvery: 7, Model: mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 1}}
	resumetest.Check(t, Train, cfg, run, q, 12)
}

// noGraphMinimiser is a model without a graph form of its minimiser: the
// LQ model seen through the Model interface alone.
type noGraphMinimiser struct{ mfemodel.Model }

// TestModelWithoutGraphMinimiser: a model without MinimiserGraph is refused
// when the solver is built, with an error naming what it lacks; the exact
// law's sampling is refused for a model other than LQ.
func TestModelWithoutGraphMinimiser(t *testing.T) {
	cfg, _ := ProfileConfig(mfe.Quick)
	env, err := nettrain.NewEnv(mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	env.Model = noGraphMinimiser{env.Model}
	if _, err := newSolver(env, cfg); !errors.Is(err, mfemodel.ErrNoGraphMinimiser) || !strings.Contains(err.Error(), "model.GraphMinimiser") {
		t.Errorf("model without MinimiserGraph: error %v, want one naming model.GraphMinimiser", err)
	}
	env.Model = mfemodel.Capped{LQ: mfemodel.LQ{P: mfe.Reference()}, A: 1}
	cfg.Sampling = SampleExact
	if _, err := newSolver(env, cfg); err == nil || !strings.Contains(err.Error(), SampleExact) {
		t.Errorf("capped model sampled from the exact law: error %v, want one naming %q", err, SampleExact)
	}
}
