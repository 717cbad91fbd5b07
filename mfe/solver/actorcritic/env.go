package actorcritic

import (
	"math"

	. "github.com/gomlx/gomlx/core/graph"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl/mfgraph"
)

// lqEnv is the model of package mfe as an mfgraph.Env: what Train gives
// the learner (package learner). X_0 ~ N(x0-mean, x0-std²); the transition
// is the Euler step x + a dt + sigma sqrt(dt) xi, its noise sigma sqrt(dt)
// xi; the reward of a step is minus the running cost f(x, a, abar) dt =
// (cX/2 x² + ca/2 a² - gamma x abar) dt (left-point rule), abar the
// population's mean action; the terminal reward is -cg x²/2.
type lqEnv struct {
	p     mfe.Params
	steps int
	dt    float64
}

func newEnv(p mfe.Params, steps int) *lqEnv {
	return &lqEnv{p: p, steps: steps, dt: p.T / float64(steps)}
}

func (e *lqEnv) Steps() int       { return e.steps }
func (e *lqEnv) Horizon() float64 { return e.p.T }

func (e *lqEnv) Initial(r mfgraph.Rand, m int) *Node {
	return AddScalar(MulScalar(r.Normal(1, m), e.p.X0Std), e.p.X0Mean)
}

func (e *lqEnv) Noise(r mfgraph.Rand, rows, cols int) *Node {
	return MulScalar(r.Normal(rows, cols), e.p.Sigma*math.Sqrt(e.dt))
}

func (e *lqEnv) Step(t, x, a, noise *Node) *Node {
	return Add(x, Add(MulScalar(a, e.dt), noise))
}

func (e *lqEnv) Reward(t, x, a, s *Node) *Node {
	p := &e.p
	abar := Slice(s, AxisRange(), AxisElem(1))
	f := Sub(Add(MulScalar(Square(x), p.CX/2), MulScalar(Square(a), p.Ca/2)), MulScalar(Mul(x, abar), p.Gamma))
	return Neg(MulScalar(f, e.dt))
}

func (e *lqEnv) Terminal(x *Node) *Node { return Neg(MulScalar(Square(x), e.p.Cg/2)) }
