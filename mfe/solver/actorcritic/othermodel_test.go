package actorcritic

import (
	"context"
	"math"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl/mfgraph"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// quadEnv is another model written for the test, not package mfe's: X_0 ~
// N(m0, s0²), next state x + a dt + vol sqrt(dt) xi, reward (k x abar -
// (q x² + r a²)/2) dt and terminal reward -h x²/2.
type quadEnv struct {
	steps                      int
	T, m0, s0, vol, q, r, k, h float64
}

func (e quadEnv) dt() float64             { return e.T / float64(e.steps) }
func (e quadEnv) Steps() int              { return e.steps }
func (e quadEnv) Horizon() float64        { return e.T }
func (quadEnv) Actions() (lo, hi float64) { return math.Inf(-1), math.Inf(1) }
func (e quadEnv) Initial(rnd mfgraph.Rand, m int) *Node {
	return AddScalar(MulScalar(rnd.Normal(1, m), e.s0), e.m0)
}
func (e quadEnv) Noise(rnd mfgraph.Rand, rows, cols int) *Node {
	return MulScalar(rnd.Normal(rows, cols), e.vol*math.Sqrt(e.dt()))
}
func (e quadEnv) Step(t, x, a, noise *Node) *Node { return Add(Add(x, noise), MulScalar(a, e.dt())) }
func (e quadEnv) Reward(t, x, a, s *Node) *Node {
	abar := Slice(s, AxisRange(), AxisElem(1))
	gain := MulScalar(Mul(x, abar), e.k)
	cost := MulScalar(Add(MulScalar(Square(x), e.q), MulScalar(Square(a), e.r)), 0.5)
	return MulScalar(Sub(gain, cost), e.dt())
}
func (e quadEnv) Terminal(x *Node) *Node { return MulScalar(Square(x), -e.h/2) }

// otherModel has other cost coefficients, impact, noise and initial law
// than the reference parameters (package qlearn's other model).
var otherModel = mfe.Params{T: 1, Sigma: 0.7, Gamma: 0.8, Ca: 1.5, CX: 1, Cg: 1, X0Mean: -0.4, X0Std: 0.2}

// TestOtherModel: the learner, which sees the model only through an
// mfgraph.Env (package learner's TestModelFree), learns the exact MFG
// solution of another model given as the test's own environment (quadEnv,
// not the method's modelEnv): quick profile, control_rel and value_rel
// against that model's exact solution (computed outside the learner), seed
// 7: control_rel 0.028, value_rel 0.0076 (the structured ablation: 0.030,
// 0.0061); the bounds are three times those and more. The reference model's exact
// control is off by 0.50 there.
func TestOtherModel(t *testing.T) {
	if testing.Short() {
		t.Skip("a quick training")
	}
	cfg, err := ProfileConfig(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	p := otherModel
	ref, err := eval.ExactControl(mfe.Reference(), mfe.MFG)
	if err != nil {
		t.Fatal(err)
	}
	if _, off, err := eval.ControlRelByTime(p, mfe.MFG, ref, mfe.TimeGrid(p.T, cfg.Steps)); err != nil || !(off > 0.45) {
		t.Fatalf("the reference model's control is off by %.3f (%v), want > 0.45", off, err)
	}
	env := quadEnv{steps: cfg.Steps, T: p.T, m0: p.X0Mean, s0: p.X0Std, vol: p.Sigma, q: p.CX, r: p.Ca, k: p.Gamma, h: p.Cg}
	other := trainer
	other.Build = func(e nettrain.Env, cfg Config) (*nettrain.Job, error) { return build(e, cfg, env) }
	res, err := nettrain.Train(context.Background(), other, mfe.Run{Params: p, Regime: mfe.MFG, Seed: 7}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics
	t.Logf("other model: control_rel %.3g, value_rel %.3g", m.ControlRel, *m.ValueRel)
	if m.ControlRel > otherControlRel {
		t.Errorf("control_rel = %.3g, want <= %v", m.ControlRel, otherControlRel)
	}
	if *m.ValueRel > otherValueRel {
		t.Errorf("value_rel = %.3g, want <= %v", *m.ValueRel, otherValueRel)
	}
}

// The bounds of TestOtherModel.
const (
	otherControlRel = 0.1
	otherValueRel   = 0.05
)
