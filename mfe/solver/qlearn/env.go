package qlearn

import (
	"math"
	"math/rand/v2"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/qlearn/internal/tabular"
)

// lqEnv is the model of package mfe as an mfrl.Env: what Train gives the
// learner. Its transitions are the Euler step of dX = a dt + sigma dW, its
// reward of step n the negative running cost charged for the step (see
// Config.Reward), its terminal reward -g. Marginal set, the reward adds the
// model's marginal social reward (Config.MFCReward = "model-marginal", an
// ablation).
type lqEnv struct {
	p          mfe.Params
	steps      int
	dt, sqdt   float64
	amin, amax float64
	step       bool // Config.Reward == "step"
	marginal   bool
}

func newEnv(p mfe.Params, c Config, r mfe.Regime) *lqEnv {
	amin, amax := c.actionRange(p)
	dt := p.T / float64(c.Steps)
	return &lqEnv{
		p: p, steps: c.Steps, dt: dt, sqdt: p.Sigma * math.Sqrt(dt), amin: amin, amax: amax,
		step: c.Reward == "step", marginal: r == mfe.MFC && c.MFCReward == "model-marginal",
	}
}

func (e *lqEnv) Steps() int                { return e.steps }
func (e *lqEnv) Horizon() float64          { return e.p.T }
func (e *lqEnv) Actions() (lo, hi float64) { return e.amin, e.amax }

func (e *lqEnv) Initial(rng *rand.Rand) float64 {
	return e.p.X0Mean + e.p.X0Std*rng.NormFloat64()
}

func (e *lqEnv) Step(n int, x, a float64, rng *rand.Rand) float64 {
	return x + a*e.dt + e.sqdt*rng.NormFloat64()
}

// Reward is minus the running cost charged for step n. "step": the
// expected cost over the step from its start state with the action held,
// ∫ E f(X_s, a, abar) ds over [t_n, t_n+dt] with X_s = x + a s + sigma W_s,
// the cost of the continuous problem for controls constant on each step;
// "left": the left-point rule f(x, a, abar) dt. With marginal, plus the
// model's marginal social reward a·E[∂r/∂abar], gamma dt (xbar + abar dt/2) a
// ("left": gamma dt xbar a).
func (e *lqEnv) Reward(n int, x, a float64, s mfrl.Stats) float64 {
	p, dt := &e.p, e.dt
	var f float64
	if e.step {
		f = p.CX/2*(x*x+x*a*dt+a*a*dt*dt/3+p.Sigma*p.Sigma*dt/2) + p.Ca/2*a*a - p.Gamma*s.MeanA*(x+a*dt/2)
		if e.marginal {
			f -= p.Gamma * (s.MeanX + s.MeanA*dt/2) * a
		}
	} else {
		f = p.CX/2*x*x + p.Ca/2*a*a - p.Gamma*x*s.MeanA
		if e.marginal {
			f -= p.Gamma * s.MeanX * a
		}
	}
	return -f * dt
}

func (e *lqEnv) Terminal(x float64) float64 { return -e.p.Cg / 2 * x * x }

// holdBeyond is Config.Edges = "model-hold" (an ablation): a next state y
// beyond the grid's edge x_e at time index n is charged the cost of
// holding the excess to T without trading, (cX (T - t_n) + cg)/2 (y^2 - x_e^2).
func holdBeyond(p mfe.Params, dt float64) func(n int, edge, y float64) float64 {
	return func(n int, edge, y float64) float64 {
		return (p.CX*max(0, p.T-float64(n)*dt) + p.Cg) / 2 * (y*y - edge*edge)
	}
}

// newLearner wires the model into the environment the learner sees
// (lqEnv) and returns the learner of the run (package tabular), which
// gets nothing else of the model but what the model-aware settings of cfg
// hand it.
func newLearner(p mfe.Params, r mfe.Regime, c Config, seed uint64) (*tabular.Learner, error) {
	return tabular.New(newEnv(p, c, r), c.learner(p, r), seed)
}

// learner returns the learner's configuration of cfg for the run: the
// regime's learning rates, and the model-aware settings turned into what
// the learner is told (a state range, a charge beyond the grid).
func (c Config) learner(p mfe.Params, r mfe.Regime) tabular.Config {
	expQ, expMu := c.rates(r)
	t := tabular.Config{
		DX: c.DX, DA: c.DA, XMin: c.XMin, XMax: c.XMax, RangeK: c.RangeK, Pilot: c.Pilot,
		Levels: c.Levels, RefineJ: c.RefineJ, Epsilon: c.Epsilon, ExpQ: expQ, ExpMu: expMu,
		Nearest: c.Projection == "nearest", SubGrid: c.SubGrid,
		Marginal: r == mfe.MFC && c.MFCReward == "marginal",
		Edges:    c.Edges, MinVisits: c.MinVisits,
	}
	if t.XMin == 0 && t.XMax == 0 && c.XRange == "model" {
		t.XMin, t.XMax = c.modelStateRange(p)
	}
	if c.Edges == "model-hold" {
		t.Edges, t.Beyond = tabular.EdgesClip, holdBeyond(p, p.T/float64(c.Steps))
	}
	return t
}
