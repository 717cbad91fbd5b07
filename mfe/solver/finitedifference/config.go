package finitedifference

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// Method is the name of the method in results and on the command line.
const Method = "finite-difference"

// Config sizes the grids and the fixed point of a solve.
type Config struct {
	// Iterations bounds the fixed-point iterations on the mean flow (of
	// each coarse solve too).
	Iterations int `json:"iterations"`
	// Tol: the fixed point stops when the flow's relative change (sup
	// norm) is at most Tol.
	Tol float64 `json:"tol"`
	// Anderson is the depth of the Anderson acceleration of the fixed
	// point (0: the damped iteration); Damping its mixing weight beta in
	// (0, 1].
	Anderson int     `json:"anderson"`
	Damping  float64 `json:"damping"`
	// TimeSteps is the number of time steps per unit of max(1, T rate),
	// rate the model's fastest (LQ: the largest of sqrt(cX/ca), cg/ca and
	// gamma/ca), up to MaxTimeSteps: beyond it (long horizons, stiff
	// costs) the step no longer resolves the rate and the error grows
	// like (T rate / MaxTimeSteps)^2.
	TimeSteps    int `json:"time_steps"`
	MaxTimeSteps int `json:"max_time_steps"`
	// SpaceSteps is the number of cells of the x grid across the domain.
	SpaceSteps int `json:"space_steps"`
	// RangeK: the domain covers the law's mean ± RangeK sd at every time.
	RangeK float64 `json:"range_k"`
	// EvalN is the number of particles of the control error recorded in
	// the history after each iteration (on 50 time steps).
	EvalN int `json:"eval_n"`
}

// ProfileConfig returns the configuration of a profile: the grids refine
// from "quick" (tests; well under a second) through "default" (the
// reference solver: control_rel about 1e-6 at the reference parameters in
// a few seconds) to "memoir" (twice as fine in t and x).
func ProfileConfig(p mfe.Profile) (Config, error) {
	base := Config{Iterations: 100, Tol: 1e-10, Anderson: 5, Damping: 1, RangeK: 6, EvalN: 2000}
	switch p {
	case mfe.Quick:
		base.TimeSteps, base.MaxTimeSteps, base.SpaceSteps = 50, 2000, 100
	case mfe.Default:
		base.TimeSteps, base.MaxTimeSteps, base.SpaceSteps = 400, 20000, 400
	case mfe.Memoir:
		base.TimeSteps, base.MaxTimeSteps, base.SpaceSteps = 800, 40000, 800
	default:
		return Config{}, fmt.Errorf("finitedifference: unknown profile %q: want quick, default or memoir", p)
	}
	return base, nil
}

// Validate reports the first unusable field.
func (c Config) Validate() error {
	bad := func(name string, v any, rule string) error {
		return fmt.Errorf("finitedifference: invalid config %s = %v: %s", name, v, rule)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case c.Iterations < 1:
		return bad("iterations", c.Iterations, "must be >= 1")
	case !finite(c.Tol) || c.Tol < 0:
		return bad("tol", c.Tol, "must be >= 0")
	case c.Anderson < 0 || c.Anderson > 50:
		return bad("anderson", c.Anderson, "must be in 0..50")
	case !finite(c.Damping) || c.Damping <= 0 || c.Damping > 1:
		return bad("damping", c.Damping, "must be in (0, 1]")
	case c.TimeSteps < 1:
		return bad("time_steps", c.TimeSteps, "must be >= 1")
	case c.MaxTimeSteps < c.TimeSteps:
		return bad("max_time_steps", c.MaxTimeSteps, fmt.Sprintf("must be >= time_steps = %d", c.TimeSteps))
	case c.SpaceSteps < 4:
		return bad("space_steps", c.SpaceSteps, "must be >= 4")
	case !finite(c.RangeK) || c.RangeK <= 0:
		return bad("range_k", c.RangeK, "must be > 0")
	case c.EvalN < 0:
		return bad("eval_n", c.EvalN, "must be >= 0")
	}
	return nil
}

// fixedBytes is what a run holds apart from its grids and the final
// evaluation: the coarse solves, the history's simulation, the runtime.
const fixedBytes = 32 << 20

// Memory implements mfe.MemoryEstimator: the value, the feedback and the
// law on the (time, x) grid, the fixed point's flows and Anderson history,
// and the final metrics (eval.Memory).
func (c Config) Memory(run mfe.Run) mfe.MemoryEstimate {
	m, err := model.New(run.Model, run.Params)
	if err != nil {
		m = model.LQ{P: run.Params} // runkey.Of refuses the run before it trains
	}
	return c.memory(m)
}

func (c Config) memory(m model.Model) mfe.MemoryEstimate {
	p := m.Params()
	nt := float64(timeSteps(m, c.TimeSteps, c.MaxTimeSteps))
	nx := float64(c.SpaceSteps + 1)
	grid := 3 * 8 * (nt + 1) * nx
	flows := 8 * 4 * (nt + 1) * float64(3+2*c.Anderson)
	bytes := fixedBytes + grid + flows + eval.Memory(p, eval.Default)
	if math.IsNaN(bytes) {
		bytes = math.Inf(1)
	}
	return mfe.MemoryEstimate{
		Bytes: bytes,
		What:  fmt.Sprintf("the (t, x) grids (%.0f times × %.0f nodes, three arrays)", nt+1, nx),
		Cause: fmt.Sprintf("time_steps = %d per unit of T rate = %.3g (at most max_time_steps = %d) and space_steps = %d: set fewer",
			c.TimeSteps, p.T*m.Rate(), c.MaxTimeSteps, c.SpaceSteps),
	}
}
