package qlearn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/qlearn/internal/tabular"
)

// modelEnv is a model of package model as an mfrl.Env: what Train gives
// the learner. Its transitions are the Euler step of dX = a dt + sigma dW,
// its actions the range of Config.actionRange within the model's control
// set, its reward of step n the negative running cost charged for the step
// (see Config.Reward and Reward), its terminal reward -g. Marginal set, the
// reward adds the LQ costs' marginal social reward (Config.MFCReward =
// "model-marginal", an ablation).
type modelEnv struct {
	m          mfemodel.Model
	p          mfe.Params
	steps      int
	dt, sqdt   float64
	amin, amax float64
	step       bool // Config.Reward == "step"
	lq         bool // the running cost is the LQ model's (lqCosts)
	marginal   bool
	// nodes of the "step" reward of a model without the LQ costs
	// (stepNodes): the step's times s_k, the noise's sd at s_k times a
	// standard normal's quadrature nodes, and the weights.
	quadS, quadW []float64
	quadZ, quadV []float64
}

// lqCosts reports whether m's running and terminal costs are the LQ
// model's (LQ, and Capped, which changes only the control set), for which
// the step's expected cost has a closed form. A user's type that embeds LQ
// is not one of them: it may change the costs.
func lqCosts(m mfemodel.Model) bool {
	switch m.(type) {
	case mfemodel.LQ, mfemodel.Capped:
		return true
	}
	return false
}

func newEnv(m mfemodel.Model, c Config, r mfe.Regime) (*modelEnv, error) {
	p := m.Params()
	amin, amax, err := c.actions(m)
	if err != nil {
		return nil, err
	}
	lq := lqCosts(m)
	if !lq && (c.MFCReward == "model-marginal" && r == mfe.MFC || c.Edges == "model-hold") {
		return nil, fmt.Errorf("qlearn: mfc_reward = %q and edges = %q are the LQ costs' (ablations), not the %s model's", c.MFCReward, c.Edges, m.Spec())
	}
	dt := p.T / float64(c.Steps)
	e := &modelEnv{
		m: m, p: p, steps: c.Steps, dt: dt, sqdt: p.Sigma * math.Sqrt(dt), amin: amin, amax: amax,
		step: c.Reward == "step", lq: lq, marginal: r == mfe.MFC && c.MFCReward == "model-marginal",
	}
	if e.step && !lq {
		e.quadS, e.quadW, e.quadZ, e.quadV = stepNodes(dt, p.Sigma)
	}
	return e, nil
}

// Quadrature of the "step" reward of a model without the LQ costs:
// Gauss–Legendre in the time within the step, Gauss–Hermite in the noise.
// Exact for a running cost polynomial of degree up to 5 in the state along
// the step (a cost of degree d in x is of degree d in s after the
// expectation in the noise, and of degree d in the noise): the LQ costs
// to rounding (TestStepQuadrature), a quartic inventory penalty exactly.
const (
	stepLegendre = 3
	stepHermite  = 3
)

// stepNodes returns the nodes of the step's expected cost
// ∫_0^dt E f(X_s) ds, X_s = x + a s + sigma W_s: times s_k and weights
// W_k (Gauss–Legendre on [0, dt], summing to dt), and for each time the
// offsets sigma sqrt(s_k) z_i and probabilities v_i of a standard
// normal's Gauss–Hermite nodes, row k of quadZ and quadV holding time k's.
func stepNodes(dt, sigma float64) (s, w, z, v []float64) {
	s, w = make([]float64, stepLegendre), make([]float64, stepLegendre)
	quad.Legendre{}.FixedLocations(s, w, 0, dt)
	h, hw := make([]float64, stepHermite), make([]float64, stepHermite)
	// weight exp(-x^2): E f(Z) = Σ hw_i f(sqrt 2 h_i) / sqrt(pi)
	quad.Hermite{}.FixedLocations(h, hw, math.Inf(-1), math.Inf(1))
	for _, sk := range s {
		for i := range h {
			z = append(z, sigma*math.Sqrt(2*sk)*h[i])
			v = append(v, hw[i]/math.SqrtPi)
		}
	}
	return s, w, z, v
}

func (e *modelEnv) Steps() int                { return e.steps }
func (e *modelEnv) Horizon() float64          { return e.p.T }
func (e *modelEnv) Actions() (lo, hi float64) { return e.amin, e.amax }

func (e *modelEnv) Initial(rng *rand.Rand) float64 {
	return e.p.X0Mean + e.p.X0Std*rng.NormFloat64()
}

func (e *modelEnv) Step(n int, x, a float64, rng *rand.Rand) float64 {
	return x + a*e.dt + e.sqdt*rng.NormFloat64()
}

// Reward is minus the running cost charged for step n. "step": the
// expected cost over the step from its start state with the action held,
// ∫ E f(t_n + s, X_s, a, xbar + abar s, abar) ds over [0, dt] with
// X_s = x + a s + sigma W_s (the population's mean state drifting with its
// mean action), the cost of the continuous problem for controls constant
// on each step: in closed form for the LQ costs, by quadrature
// (stepNodes) for other models; "left": the left-point rule
// f(t_n, x, a, xbar, abar) dt (the LQ costs' inline, the memoir
// profile's). With marginal (LQ costs), plus the model's
// marginal social reward a·E[∂r/∂abar], gamma dt (xbar + abar dt/2) a
// ("left": gamma dt xbar a).
func (e *modelEnv) Reward(n int, x, a float64, s mfrl.Stats) float64 {
	p, dt := &e.p, e.dt
	var f float64
	switch {
	case e.step && e.lq:
		f = p.CX/2*(x*x+x*a*dt+a*a*dt*dt/3+p.Sigma*p.Sigma*dt/2) + p.Ca/2*a*a - p.Gamma*s.MeanA*(x+a*dt/2)
		if e.marginal {
			f -= p.Gamma * (s.MeanX + s.MeanA*dt/2) * a
		}
	case e.step:
		t := float64(n) * dt
		for k, sk := range e.quadS {
			xs, xbar := x+a*sk, s.MeanX+s.MeanA*sk
			var ef float64
			for i := k * stepHermite; i < (k+1)*stepHermite; i++ {
				ef += e.quadV[i] * e.m.Running(t+sk, xs+e.quadZ[i], a, xbar, s.MeanA)
			}
			f += e.quadW[k] * ef
		}
		return -f
	case e.lq:
		f = p.CX/2*x*x + p.Ca/2*a*a - p.Gamma*x*s.MeanA
		if e.marginal {
			f -= p.Gamma * s.MeanX * a
		}
	default:
		f = e.m.Running(float64(n)*dt, x, a, s.MeanX, s.MeanA)
	}
	return -f * dt
}

// Terminal is -g(x); the LQ costs' inline, as Reward's (the memoir
// profile's loop ran about 6% slower through the model's method).
func (e *modelEnv) Terminal(x float64) float64 {
	if e.lq {
		return -e.p.Cg / 2 * x * x
	}
	return -e.m.Terminal(x)
}

// holdBeyond is Config.Edges = "model-hold" (an ablation, LQ costs): a
// next state y beyond the grid's edge x_e at time index n is charged the
// cost of holding the excess to T without trading,
// (cX (T - t_n) + cg)/2 (y^2 - x_e^2).
func holdBeyond(p mfe.Params, dt float64) func(n int, edge, y float64) float64 {
	return func(n int, edge, y float64) float64 {
		return (p.CX*max(0, p.T-float64(n)*dt) + p.Cg) / 2 * (y*y - edge*edge)
	}
}

// newLearner wires the model m into the environment the learner sees
// (modelEnv) and returns the learner of the run (package tabular), which
// gets nothing else of the model but what the model-aware settings of cfg
// hand it.
func newLearner(m mfemodel.Model, r mfe.Regime, c Config, seed uint64) (*tabular.Learner, error) {
	env, err := newEnv(m, c, r)
	if err != nil {
		return nil, err
	}
	return tabular.New(env, c.learner(m, r), seed)
}

// learner returns the learner's configuration of cfg for a run of model m:
// the regime's learning rates, the model-aware settings turned into what
// the learner is told (a state range, a charge beyond the grid), and
// whether the pilot's state range reaches where holding an end of the
// action range leads (tabular.Config.Reach): when the model's control set
// cuts the action range (a cap, which the control reaches), not for the
// parameters' range, a generous bound of a feedback that stays well
// inside it.
func (c Config) learner(m mfemodel.Model, r mfe.Regime) tabular.Config {
	p := m.Params()
	expQ, expMu := c.rates(r)
	t := tabular.Config{
		DX: c.DX, DA: c.DA, XMin: c.XMin, XMax: c.XMax, RangeK: c.RangeK, Pilot: c.Pilot,
		Levels: c.Levels, RefineJ: c.RefineJ, Epsilon: c.Epsilon, ExpQ: expQ, ExpMu: expMu,
		Nearest: c.Projection == "nearest", SubGrid: c.SubGrid,
		Marginal: r == mfe.MFC && c.MFCReward == "marginal",
		Edges:    c.Edges, MinVisits: c.MinVisits,
	}
	lo, hi := c.actionRange(p)
	amin, amax := m.Controls()
	t.Reach = amin > lo || amax < hi
	if t.XMin == 0 && t.XMax == 0 && c.XRange == "model" {
		t.XMin, t.XMax = c.modelStateRange(p)
	}
	if c.Edges == "model-hold" {
		t.Edges, t.Beyond = tabular.EdgesClip, holdBeyond(p, p.T/float64(c.Steps))
	}
	return t
}
