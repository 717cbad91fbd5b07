package actorcritic

import (
	"math"

	. "github.com/gomlx/gomlx/core/graph"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl/mfgraph"
)

// modelEnv is a model of package model as an mfgraph.Env: what Train gives
// the learner (package learner). X_0 ~ N(x0-mean, x0-std²); the transition
// is the Euler step x + a dt + sigma sqrt(dt) xi, its noise sigma sqrt(dt)
// xi; the reward of a step is minus the running cost f(t, x, a, xbar, abar)
// dt (left-point rule, the model's RunningGraph), xbar and abar the
// population's mean state and mean action; the terminal reward is -g(x)
// (TerminalGraph); the action range is the model's control set (Controls:
// the whole line for the LQ model, [-A, A] for the capped one).
type modelEnv struct {
	m     model.Model
	steps int
	dt    float64
}

func newEnv(m model.Model, steps int) *modelEnv {
	return &modelEnv{m: m, steps: steps, dt: m.Params().T / float64(steps)}
}

func (e *modelEnv) Steps() int                { return e.steps }
func (e *modelEnv) Horizon() float64          { return e.m.Params().T }
func (e *modelEnv) Actions() (lo, hi float64) { return e.m.Controls() }

func (e *modelEnv) Initial(r mfgraph.Rand, m int) *Node {
	p := e.m.Params()
	return AddScalar(MulScalar(r.Normal(1, m), p.X0Std), p.X0Mean)
}

func (e *modelEnv) Noise(r mfgraph.Rand, rows, cols int) *Node {
	return MulScalar(r.Normal(rows, cols), e.m.Params().Sigma*math.Sqrt(e.dt))
}

func (e *modelEnv) Step(t, x, a, noise *Node) *Node {
	return Add(x, Add(MulScalar(a, e.dt), noise))
}

// Reward is -f dt, with t [R, 1] and the statistics s [R, 2] broadcast to
// x's shape [R, C], as RunningGraph takes them.
func (e *modelEnv) Reward(t, x, a, s *Node) *Node {
	dims := x.Shape().Dimensions
	at := func(v *Node) *Node { return BroadcastToDims(v, dims...) }
	xbar := at(Slice(s, AxisRange(), AxisElem(0)))
	abar := at(Slice(s, AxisRange(), AxisElem(1)))
	return Neg(MulScalar(e.m.RunningGraph(at(t), x, a, xbar, abar), e.dt))
}

func (e *modelEnv) Terminal(x *Node) *Node { return Neg(e.m.TerminalGraph(x)) }
