package qlearn

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// Method is the name of the method in results and on the command line.
const Method = "q-learning"

// Config sizes and tunes one Q-learning run. Zero range fields (XMin = XMax
// = 0, AMin = AMax = 0) are derived from the model parameters (see Grid).
type Config struct {
	Steps    int     `json:"steps"`    // time steps N_T (dt = T/N_T)
	Episodes int     `json:"episodes"` // training episodes, all levels together
	DX       float64 `json:"dx"`       // state grid spacing
	// DA is the action spacing of the last level (of the only level when
	// Levels = 1).
	DA float64 `json:"da"`
	// XMin, XMax: the state grid's range; both zero: derived from the
	// parameters (Grid). AMin, AMax: the range of actions; both zero:
	// derived from the parameters. With SubGrid the windows start centred
	// in it and their centres stay in it; otherwise it is the first level's
	// uniform grid.
	XMin float64 `json:"x_min"`
	XMax float64 `json:"x_max"`
	AMin float64 `json:"a_min"`
	AMax float64 `json:"a_max"`
	// RangeK is k in the derived state range (mean envelope ± k sd bound).
	RangeK float64 `json:"range_k"`

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
	// horizon) and creeps back slowly. Hence 0.4 for short runs (the quick
	// profile) and 0.7 for long ones (the default profile). The memoir's
	// Q-learning section gives the measurements.
	ExpQ  float64 `json:"exp_q"`
	ExpMu float64 `json:"exp_mu"`

	// Projection of the next state onto the state grid: "random" (randomized
	// rounding between the two neighbours with probabilities that preserve
	// the mean; the TD target takes the expectation over that rounding) or
	// "nearest" (the reference code's rounding).
	Projection string `json:"projection"`
	// SubGrid: the greedy action of a row is the maximiser of the
	// least-squares parabola through its window's Q values (exact for the
	// quadratic-in-a Q of this model, to within the state interpolation),
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
	// "marginal" (its marginal social cost f + a·E[∂f/∂abar], which makes the
	// learner's fixed point the planner's optimum) or "private" (f alone, as
	// in the MFG: the fixed point is then the MFG equilibrium whatever the
	// learning rates).
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
// "memoir" (the memoir's grid and 5,000,000 episodes, the exploration done
// right; no refinement, nearest rounding, the plain greedy action).
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
		Levels: 3, RefineJ: 3, Epsilon: 0.1, RangeK: 3.5,
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
			XMin: -1.5, XMax: 1.75, AMin: -2.5, AMax: 1, RangeK: 3.5,
			Levels: 1, RefineJ: 3, Epsilon: 0.1, ExpQ: 0.55, ExpMu: 0.85,
			Projection: "nearest", SubGrid: false, TimeInterp: "step",
			MFCReward: "private", Reward: "left", Batch: 50000, Checkpoints: 50, EvalN: 2000, MinVisits: 1,
		}, nil
	}
	return Config{}, fmt.Errorf("qlearn: unknown profile %q: want quick, default or memoir", p)
}

// Validate reports the first unusable field.
func (c Config) Validate() error {
	bad := func(name string, v any, rule string) error {
		return fmt.Errorf("qlearn: invalid config %s = %v: %s", name, v, rule)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case c.Steps < 1:
		return bad("steps", c.Steps, "must be >= 1")
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
	case !finite(c.RangeK) || c.RangeK <= 0:
		return bad("range_k", c.RangeK, "must be > 0")
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
	case c.MFCReward != "marginal" && c.MFCReward != "private":
		return bad("mfc_reward", c.MFCReward, `want "marginal" or "private"`)
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

// Grid is the discretisation a run uses: times, the state grid and the first
// level's action grid. Derived ranges use the parameters only, never the
// exact solution, and are the same for both regimes:
//
//	S = sqrt(s0^2 + sigma^2 T)          (sd bound of X_t under a mean-reverting feedback)
//	G = exp(gamma T / ca)               (bound on the growth of the mean inventory, reached by the planner)
//	states  [min(0, mu0, mu0 G) - k S,  max(0, mu0, mu0 G) + k S]
//	actions ±Xabs (1/T + (gamma + max(cg, sqrt(cX ca))) / ca),   Xabs = max |x| on the state grid
//
// the action bound being the speed that liquidates Xabs within T plus the
// largest feedback gain times Xabs.
type Grid struct {
	Steps int     `json:"steps"`
	DT    float64 `json:"dt"`
	XMin  float64 `json:"x_min"`
	DX    float64 `json:"dx"`
	NX    int     `json:"nx"`
	AMin  float64 `json:"a_min"` // level 0
	AMax  float64 `json:"a_max"`
}

// MakeGrid returns the grid of cfg for p. Its sizes can exceed any memory
// (the state range grows like exp(gamma T/ca)): Train checks them first
// (Config.Memory).
func MakeGrid(p mfe.Params, c Config) Grid {
	g := Grid{Steps: c.Steps, DT: p.T / float64(c.Steps), DX: c.DX}
	lo, hi := c.stateRange(p)
	g.NX = int(math.Ceil((hi-lo)/c.DX-1e-9)) + 1
	g.XMin = lo
	g.AMin, g.AMax = c.AMin, c.AMax
	if g.AMin == 0 && g.AMax == 0 {
		xabs := math.Max(math.Abs(lo), math.Abs(g.XMin+float64(g.NX-1)*c.DX))
		b := xabs * (1/p.T + (p.Gamma+math.Max(p.Cg, math.Sqrt(p.CX*p.Ca)))/p.Ca)
		g.AMin, g.AMax = -b, b
	}
	return g
}

// stateRange returns the state grid's range: [XMin, XMax], or the one
// derived from the parameters (see Grid).
func (c Config) stateRange(p mfe.Params) (lo, hi float64) {
	if c.XMin != 0 || c.XMax != 0 {
		return c.XMin, c.XMax
	}
	S := c.spread(p)
	mlo, mhi := envelope(p)
	return mlo - c.RangeK*S, mhi + c.RangeK*S
}

// spread is S of Grid, or DX when S = 0.
func (c Config) spread(p mfe.Params) float64 {
	if S := math.Sqrt(p.X0Std*p.X0Std + p.Sigma*p.Sigma*p.T); S != 0 {
		return S
	}
	return c.DX
}

// envelope returns the range of the mean inventory's bound of Grid:
// 0, mu0 and mu0 G, G = exp(gamma T/ca) (mu0 G is 0 when mu0 is, however
// large G).
func envelope(p mfe.Params) (lo, hi float64) {
	mG := 0.0
	if p.X0Mean != 0 {
		mG = p.X0Mean * math.Exp(p.Gamma*p.T/p.Ca)
	}
	return math.Min(0, math.Min(p.X0Mean, mG)), math.Max(0, math.Max(p.X0Mean, mG))
}

// X returns the state of grid index i.
func (g Grid) X(i int) float64 { return g.XMin + float64(i)*g.DX }
