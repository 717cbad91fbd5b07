package qlearn

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// Method is the name of the method in results and on the command line.
const Method = "q-learning"

// Config sizes and tunes one Q-learning run. The settings marked
// "model-aware" are ablations that hand the learner some knowledge of the
// model; the profiles' defaults hand it none.
type Config struct {
	Steps    int     `json:"steps"`    // time steps N_T (dt = T/N_T), at most MaxSteps
	Episodes int     `json:"episodes"` // training episodes, all levels together
	DX       float64 `json:"dx"`       // state grid spacing
	// DA is the action spacing of the last level (of the only level when
	// Levels = 1).
	DA float64 `json:"da"`
	// XMin, XMax: the state grid's range; both zero: XRange says. AMin,
	// AMax: the environment's range of actions; both zero: derived from
	// the parameters (see actionRange). With SubGrid the windows start
	// centred in it and their centres stay in it; otherwise it is the
	// first level's uniform grid.
	XMin float64 `json:"x_min"`
	XMax float64 `json:"x_max"`
	AMin float64 `json:"a_min"`
	AMax float64 `json:"a_max"`
	// XRange: where the state grid's range comes from when XMin = XMax =
	// 0. "pilot": from the simulator, the union over the grid times of
	// mean ± RangeK sd of the states reached by Pilot episodes of
	// uniformly random actions in the action range (package tabular);
	// "model" (model-aware): from the parameters, the bound on the mean
	// inventory's envelope 0, mu0, mu0 exp(gamma T/ca), ± RangeK
	// sqrt(s0^2 + sigma^2 T).
	XRange string  `json:"x_range"`
	RangeK float64 `json:"range_k"`
	Pilot  int     `json:"pilot"` // episodes of the pilot, Pilot × Steps at most MaxPilotSteps
	// Edges: the value of a next state beyond the state grid.
	// "extrapolate": the edge's value plus the change, from the edge to the
	// state, of a concave parabola fitted to the learned values of that
	// time (weighted by visits), counted only when it is a loss; "clip":
	// the edge's value (the literal algorithm); "model-hold"
	// (model-aware): the edge's value less the cost of holding the excess
	// to T, (cX (T - t) + cg)/2 (y^2 - edge^2).
	Edges string `json:"edges"`

	// Levels is the number of action levels: the spacing is DA 2^(Levels-1)
	// at level 0 and halves at each later level. With SubGrid every row of
	// every level holds a window of 2 RefineJ + 1 actions that moves with
	// the row's greedy action, and each level re-centres the windows on the
	// previous level's greedy actions. Without SubGrid level 0 is a uniform
	// grid on [AMin, AMax] and each later level a window of RefineJ actions
	// either side of the previous level's greedy action.
	Levels  int `json:"levels"`
	RefineJ int `json:"refine_j"`

	// Epsilon: the exploration probability. Without SubGrid the explored
	// action is uniform on the row's grid; with SubGrid it is an entry of
	// the row's window drawn with probabilities 1 + c u (u its offset from
	// the centre) tilted so that their mean is the greedy action, so that
	// exploration does not move the population's mean action.
	Epsilon float64 `json:"epsilon"`
	// ExpQ: Q learning rate (1 + visits(n,x,a))^-ExpQ; ExpMu: population
	// rate (1 + k)^-ExpMu at episode k. Zero: the regime's default (MFG: Q
	// faster than the population, 0.7 and 0.85; MFC: the population
	// faster, 0.4 and 0.3). For the MFC the Q exponent trades speed for
	// noise: a fast Q (0.4) follows the moving population and is accurate
	// within a short run, but keeps tracking the population's noise in a
	// long one; a slow Q (0.7) approaches the planner's control from below
	// and averages that noise out, over more episodes; in between (0.55)
	// the learner overshoots (the planner's problem at the reference
	// parameters is close to blowing up, so transients grow through the
	// horizon): with the model's holding charge beyond the grid (Edges =
	// "model-hold") it creeps back slowly (default profile, seed 1,
	// control_rel 0.15); without it the population runs away, buying, to
	// the grid's upper edge (control_rel 5 to 10, grid from the pilot or
	// the parameters, edges clipped or extrapolated). Hence 0.4 for short
	// runs (the quick profile) and 0.7 for long ones (the default profile).
	// The memoir's Q-learning section gives the measurements.
	ExpQ  float64 `json:"exp_q"`
	ExpMu float64 `json:"exp_mu"`

	// Projection of the next state onto the state grid: "random" (randomized
	// rounding between the two neighbours with probabilities that preserve
	// the mean; the TD target takes the expectation over that rounding) or
	// "nearest" (the reference code's rounding).
	Projection string `json:"projection"`
	// SubGrid: the greedy action of a row is the maximiser of the
	// least-squares parabola through its window's Q values (exact for the
	// quadratic-in-a Q of the LQ costs, to within the state interpolation;
	// for a reward not quadratic in the action, that parabola plus the
	// reward's own non-quadratic part, see package tabular),
	// played by randomized rounding between its two grid neighbours so that
	// the mean action is that maximiser, and max_a Q_{n+1} in the TD target
	// is the parabola's maximum; the learned control is that greedy action.
	// False: the grid argmax and max (the reference algorithm).
	SubGrid bool `json:"subgrid"`
	// TimeInterp: "linear" (the control of time index n sits at time
	// t_n + TimeNode·dt, linear in t between those nodes, constant beyond
	// the first and last) or "step" (index floor(t/dt), the last index at t = T).
	TimeInterp string  `json:"time_interp"`
	TimeNode   float64 `json:"time_node"`
	// MFCReward: the reward the agent is charged in the MFC regime:
	// "marginal" (its marginal social reward, estimated from the black-box
	// reward: r + E[∂r/∂xbar] x + E[∂r/∂abar] a, the expectations running
	// means over the population's samples of central differences of r in
	// the population's statistics; it makes the learner's fixed point the
	// planner's optimum), "model-marginal" (model-aware: the same with the
	// model's formula, r + gamma dt (xbar + abar dt/2) a) or "private" (r
	// alone, as in the MFG: the fixed point is then the MFG equilibrium
	// whatever the learning rates).
	MFCReward string `json:"mfc_reward"`
	// Reward: the cost charged for a step: "step" (the expected running
	// cost over the step, from its start state with the action held:
	// ∫ E f ds over [t_n, t_n+dt], the cost of the continuous problem for
	// controls constant on each step) or "left" (the left-point rule
	// f(x_n, a, abar_n) dt of the reference code). The left-point rule
	// charges -gamma x_n abar_n dt, whose sum over a path misses the
	// telescoping ∫ x dx = x^2/2 by gamma/2 Σ abar_n^2 dt^2: it raises the
	// planner's trading cost by gamma dt, which at the reference parameters
	// (gamma just above cg + sqrt(cX ca), where the MFC Riccati is close to
	// blowing up) moves the MFC control by about 6 dt relative.
	Reward string `json:"reward"`

	Batch       int `json:"batch"`       // episodes between cancellation checks and progress reports
	Checkpoints int `json:"checkpoints"` // history records (control_mse by simulation)
	EvalN       int `json:"eval_n"`      // particles of the checkpoint simulation
	MinVisits   int `json:"min_visits"`  // visits below which a row's control is filled from its neighbours
}

// ProfileConfig returns the configuration of a profile: "quick" (tests, CI:
// a few seconds), "default" (a notebook: about 20 s per run on one core),
// "memoir" (the literal algorithm on the memoir's grid, 5,000,000 episodes,
// the exploration done right: no refinement, nearest rounding, the plain
// greedy action, the left-point reward, edges clipped, the private MFC
// reward; its rates 0.55 and 0.85 are the MFG's order, set exp_q = 0.85 and
// exp_mu = 0.55 for the literal MFC). Every profile is model-free: the
// state grid from the pilot or set, the edges from the learned values or
// clipped, the MFC's marginal reward estimated or not charged.
//
// The default is the quick grid (16 steps, dx = 0.25, last action spacing
// 1) with the slower Q rate 0.7 for the MFC too (see ExpQ) and
// 20,000,000 episodes. Finer grids are not the default: a finer action
// spacing brings the window's entries so close that the parabola's vertex
// drowns in the TD noise, and a finer time or state grid makes the MFC
// learner overshoot the planner's control during the first level (or, with
// the slow Q rate, approach it too slowly); the memoir's Q-learning section
// gives the measurements.
func ProfileConfig(p mfe.Profile) (Config, error) {
	base := Config{
		Levels: 3, RefineJ: 3, Epsilon: 0.1, XRange: "pilot", RangeK: 3.5, Pilot: 1000, Edges: "extrapolate",
		Projection: "random", SubGrid: true, TimeInterp: "linear", TimeNode: 0.5,
		MFCReward: "marginal", Reward: "step", Batch: 20000, Checkpoints: 50, EvalN: 2000, MinVisits: 200,
	}
	switch p {
	case mfe.Quick:
		c := base
		c.Steps, c.Episodes, c.DX, c.DA = 16, 3_000_000, 0.25, 1
		return c, nil
	case mfe.Default:
		c := base
		c.Steps, c.Episodes, c.DX, c.DA = 16, 20_000_000, 0.25, 1
		c.ExpQ = 0.7 // the MFG's default; for the MFC see ExpQ
		return c, nil
	case mfe.Memoir:
		return Config{
			Steps: 16, Episodes: 5_000_000, DX: 0.25, DA: 0.25,
			XMin: -1.5, XMax: 1.75, AMin: -2.5, AMax: 1, XRange: "pilot", RangeK: 3.5, Pilot: 1000, Edges: "clip",
			Levels: 1, RefineJ: 3, Epsilon: 0.1, ExpQ: 0.55, ExpMu: 0.85,
			Projection: "nearest", SubGrid: false, TimeInterp: "step",
			MFCReward: "private", Reward: "left", Batch: 50000, Checkpoints: 50, EvalN: 2000, MinVisits: 1,
		}, nil
	}
	return Config{}, fmt.Errorf("qlearn: unknown profile %q: want quick, default or memoir", p)
}

// MaxSteps bounds Config.Steps, and MaxPilotSteps the pilot's steps
// Pilot × Steps (the pilot runs before the memory check, see Memory).
const (
	MaxSteps      = 100_000
	MaxPilotSteps = 100_000_000
)

// Validate reports the first unusable field.
func (c Config) Validate() error {
	bad := func(name string, v any, rule string) error {
		return fmt.Errorf("qlearn: invalid config %s = %v: %s", name, v, rule)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case c.Steps < 1 || c.Steps > MaxSteps:
		return bad("steps", c.Steps, fmt.Sprintf("must be in 1..%d", MaxSteps))
	case c.Episodes < 1:
		return bad("episodes", c.Episodes, "must be >= 1")
	case !finite(c.DX) || c.DX <= 0:
		return bad("dx", c.DX, "must be > 0")
	case !finite(c.DA) || c.DA <= 0:
		return bad("da", c.DA, "must be > 0")
	case !finite(c.XMin) || !finite(c.XMax) || c.XMax < c.XMin || (c.XMax == c.XMin && c.XMin != 0):
		return bad("x_min/x_max", [2]float64{c.XMin, c.XMax}, "want x_min < x_max (both 0: derived)")
	case !finite(c.AMin) || !finite(c.AMax) || c.AMax < c.AMin || (c.AMax == c.AMin && c.AMin != 0):
		return bad("a_min/a_max", [2]float64{c.AMin, c.AMax}, "want a_min < a_max (both 0: derived)")
	case c.XRange != "pilot" && c.XRange != "model":
		return bad("x_range", c.XRange, `want "pilot" or "model"`)
	case !finite(c.RangeK) || c.RangeK <= 0:
		return bad("range_k", c.RangeK, "must be > 0")
	case c.Pilot < 1 || c.Pilot > MaxPilotSteps/c.Steps:
		return bad("pilot", c.Pilot, fmt.Sprintf("must be in 1..%d (pilot × steps at most %g)", MaxPilotSteps/c.Steps, float64(MaxPilotSteps)))
	case c.Edges != "extrapolate" && c.Edges != "clip" && c.Edges != "model-hold":
		return bad("edges", c.Edges, `want "extrapolate", "clip" or "model-hold"`)
	case c.Levels < 1 || c.Levels > 20:
		return bad("levels", c.Levels, "must be in 1..20")
	case c.Levels > 1 && c.RefineJ < 1:
		return bad("refine_j", c.RefineJ, "must be >= 1 when levels > 1")
	case c.SubGrid && c.RefineJ < 2:
		return bad("refine_j", c.RefineJ, "must be >= 2 with subgrid (a window of at least 5 actions)")
	case !finite(c.Epsilon) || c.Epsilon < 0 || c.Epsilon > 1:
		return bad("epsilon", c.Epsilon, "must be in [0, 1]")
	case !finite(c.ExpQ) || c.ExpQ < 0 || c.ExpQ > 1:
		return bad("exp_q", c.ExpQ, "must be in (0, 1] (0: regime default)")
	case !finite(c.ExpMu) || c.ExpMu < 0 || c.ExpMu > 1:
		return bad("exp_mu", c.ExpMu, "must be in (0, 1] (0: regime default)")
	case c.Projection != "random" && c.Projection != "nearest":
		return bad("projection", c.Projection, `want "random" or "nearest"`)
	case c.TimeInterp != "linear" && c.TimeInterp != "step":
		return bad("time_interp", c.TimeInterp, `want "linear" or "step"`)
	case !finite(c.TimeNode) || c.TimeNode < 0 || c.TimeNode > 1:
		return bad("time_node", c.TimeNode, "must be in [0, 1]")
	case c.MFCReward != "marginal" && c.MFCReward != "model-marginal" && c.MFCReward != "private":
		return bad("mfc_reward", c.MFCReward, `want "marginal", "model-marginal" or "private"`)
	case c.Reward != "step" && c.Reward != "left":
		return bad("reward", c.Reward, `want "step" or "left"`)
	case c.Batch < 1:
		return bad("batch", c.Batch, "must be >= 1")
	case c.Checkpoints < 0:
		return bad("checkpoints", c.Checkpoints, "must be >= 0")
	case c.Checkpoints > 0 && c.EvalN < 1:
		return bad("eval_n", c.EvalN, "must be >= 1 when checkpoints > 0")
	case c.MinVisits < 0:
		return bad("min_visits", c.MinVisits, "must be >= 0")
	}
	return nil
}

// rates returns the learning-rate exponents for the regime.
func (c Config) rates(r mfe.Regime) (expQ, expMu float64) {
	expQ, expMu = c.ExpQ, c.ExpMu
	if r == mfe.MFC {
		if expQ == 0 {
			expQ = 0.4
		}
		if expMu == 0 {
			expMu = 0.3
		}
	} else {
		if expQ == 0 {
			expQ = 0.7
		}
		if expMu == 0 {
			expMu = 0.85
		}
	}
	return
}

// modelStateRange returns the state range derived from the parameters
// (model-aware; the action range and XRange = "model" use it):
//
//	S = sqrt(s0^2 + sigma^2 T)   (sd bound of X_t under a mean-reverting feedback; DX when 0)
//	G = exp(gamma T / ca)        (bound on the growth of the mean inventory, reached by the planner)
//	[min(0, mu0, mu0 G) - k S,  max(0, mu0, mu0 G) + k S]
func (c Config) modelStateRange(p mfe.Params) (lo, hi float64) {
	S := c.spread(p)
	mlo, mhi := envelope(p)
	return mlo - c.RangeK*S, mhi + c.RangeK*S
}

// spread is S of modelStateRange, or DX when S = 0.
func (c Config) spread(p mfe.Params) float64 {
	if S := math.Sqrt(p.X0Std*p.X0Std + p.Sigma*p.Sigma*p.T); S != 0 {
		return S
	}
	return c.DX
}

// envelope returns the range of the mean inventory's bound of
// modelStateRange: 0, mu0 and mu0 G, G = exp(gamma T/ca) (mu0 G is 0 when
// mu0 is, however large G).
func envelope(p mfe.Params) (lo, hi float64) {
	mG := 0.0
	if p.X0Mean != 0 {
		mG = p.X0Mean * math.Exp(p.Gamma*p.T/p.Ca)
	}
	return math.Min(0, math.Min(p.X0Mean, mG)), math.Max(0, math.Max(p.X0Mean, mG))
}

// actions returns the environment's range of actions for model m: the
// action range (actionRange, from the parameters) within m's control set,
// or an error when they do not overlap. A capped model's range is its cap
// wherever the parameters' range is wider.
func (c Config) actions(m mfemodel.Model) (lo, hi float64, err error) {
	lo, hi = c.actionRange(m.Params())
	amin, amax := m.Controls()
	lo, hi = math.Max(lo, amin), math.Min(hi, amax)
	if !(lo < hi) {
		return 0, 0, fmt.Errorf("qlearn: the action range %v of the configuration does not overlap the %s model's control set [%g, %g]",
			[2]float64{c.AMin, c.AMax}, m.Spec(), amin, amax)
	}
	return lo, hi, nil
}

// actionRange returns the environment's range of actions: [AMin, AMax], or,
// both zero, ±Xabs (1/T + (gamma + max(cg, sqrt(cX ca)))/ca) with Xabs the
// largest |x| of modelStateRange: the speed that liquidates Xabs within T
// plus the largest feedback gain times Xabs. It is part of the problem the
// learner is given (the admissible actions), like the time grid.
func (c Config) actionRange(p mfe.Params) (lo, hi float64) {
	if c.AMin != 0 || c.AMax != 0 {
		return c.AMin, c.AMax
	}
	xlo, xhi := c.modelStateRange(p)
	b := math.Max(math.Abs(xlo), math.Abs(xhi)) * (1/p.T + (p.Gamma+math.Max(p.Cg, math.Sqrt(p.CX*p.Ca)))/p.Ca)
	return -b, b
}
