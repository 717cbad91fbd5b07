package qlearn

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/qlearn/internal/tabular"
)

// Bytes per Q-table entry and per state-time row at a run's peak, measured
// with some margin on runs of 3e5 to 1e7 entries: the table and its visit
// counts, their copies in a snapshot and at a level change, and the garbage
// collector's headroom; with checkpoints also their JSON encoding. Plus
// what does not grow with the grid (the learning-rate tables, the
// evaluation's particles) and the final metrics' series (eval.Memory).
const (
	entryBytes, rowBytes     = 64, 128
	entryBytesCk, rowBytesCk = 240, 480
	fixedBytes               = 64 << 20
)

// Memory implements mfe.MemoryEstimator: the Q table of Steps × NX rows of
// the widest level's actions, NX and the first level's actions computed
// as the learner computes them (the pilot included, see Config.XRange) in
// floating point, so that a grid too large for an int is estimated too,
// and the parameter or setting that makes it large.
func (c Config) Memory(run mfe.Run) mfe.MemoryEstimate {
	p := run.Params
	// The run's model and its environment; one Train refuses is estimated
	// as the LQ model (Train then reports what is wrong).
	m, err := mfemodel.New(run.Model, p)
	if err != nil {
		m = mfemodel.LQ{P: p}
	}
	env, err := newEnv(m, c, run.Regime)
	if err != nil {
		m = mfemodel.LQ{P: p}
		env, _ = newEnv(m, c, run.Regime)
	}
	lo, hi := tabular.StateRange(env, c.learner(m, run.Regime), run.Seed)
	nx := math.Max(2, math.Ceil((hi-lo)/c.DX-1e-9)+1)
	na := float64(2*c.RefineJ + 1)
	if !c.SubGrid {
		amin, amax := env.Actions()
		na0 := math.Ceil((amax-amin)/(c.DA*math.Ldexp(1, c.Levels-1))-1e-9) + 1
		if c.Levels == 1 {
			na = na0
		} else {
			na = math.Max(na, na0)
		}
	}
	rows := float64(c.Steps) * nx
	eb, rb := float64(entryBytes), float64(rowBytes)
	if run.Checkpoint != "" {
		eb, rb = entryBytesCk, rowBytesCk
	}
	bytes := fixedBytes + eval.Memory(p, eval.Default) + rows*(na*eb+rb)
	if math.IsNaN(bytes) || !(nx <= tabular.MaxStates) || !(rows*na <= 1<<50) || !(na <= math.MaxInt32) {
		bytes = math.Inf(1) // beyond the table's indices
	}
	return mfe.MemoryEstimate{
		Bytes: bytes,
		What:  fmt.Sprintf("the Q table (%d steps × %.3g states × %.3g actions)", c.Steps, nx, na),
		Cause: c.cause(p, lo, hi, nx, na),
	}
}

// cause names what makes the grid large: the action grid, a set state
// range, or what widens the state range: the initial mean, the noise, or
// the pilot's random actions, whose range is derived from the parameters
// unless set (XRange = "pilot"), or the parameters (XRange = "model").
func (c Config) cause(p mfe.Params, lo, hi, nx, na float64) string {
	if !c.SubGrid && na > nx {
		return fmt.Sprintf("the first level's action grid spans [a_min, a_max] in steps of da·2^(levels-1) = %g "+
			"(derived from the parameters, gamma/ca = %.3g, when a_min = a_max = 0): set a_min/a_max or a coarser da",
			c.DA*math.Ldexp(1, c.Levels-1), p.Gamma/p.Ca)
	}
	if c.XMin != 0 || c.XMax != 0 {
		return fmt.Sprintf("the state grid spans [x_min, x_max] = [%g, %g] in steps of dx = %g: narrow it or set a coarser dx",
			c.XMin, c.XMax, c.DX)
	}
	where := fmt.Sprintf("the state grid (steps of dx = %g) spans [%.3g, %.3g]", c.DX, lo, hi)
	if c.XRange == "model" {
		return where + ", derived from " + c.modelCause(p) + ", or set x_min/x_max or a coarser dx"
	}
	where += fmt.Sprintf(", the states (mean ± %g sd) that a pilot of %d episodes of random actions reaches", c.RangeK, c.Pilot)
	S := c.spread(p)
	amin, amax := c.actionRange(p)
	actions := (amax - amin) / 2 * p.T / math.Sqrt(3*float64(c.Steps)) // sd of the pilot's drift at T
	switch {
	case math.Abs(p.X0Mean) >= c.RangeK*math.Max(S, actions):
		return fmt.Sprintf("%s, about x0-mean = %g: lower |x0-mean|, or set x_min/x_max or a coarser dx", where, p.X0Mean)
	case actions < S:
		return fmt.Sprintf("%s, spread by the noise, sd = sqrt(x0-std^2 + sigma^2 T) = %.3g "+
			"(sigma = %g, T = %g, x0-std = %g): lower sigma, T or x0-std, or set x_min/x_max or a coarser dx",
			where, S, p.Sigma, p.T, p.X0Std)
	case c.AMin != 0 || c.AMax != 0:
		return fmt.Sprintf("%s, spread by the actions in [a_min, a_max] = [%g, %g]: narrow them, or set x_min/x_max or a coarser dx",
			where, c.AMin, c.AMax)
	}
	return fmt.Sprintf("%s, spread by the actions in [%.3g, %.3g], a range derived from %s, or set a_min/a_max, x_min/x_max or a coarser dx",
		where, amin, amax, c.modelCause(p))
}

// modelCause names what makes modelStateRange wide and how to narrow it.
func (c Config) modelCause(p mfe.Params) string {
	mlo, mhi := envelope(p)
	S := c.spread(p)
	if mhi-mlo >= 2*c.RangeK*S {
		if g := p.Gamma * p.T / p.Ca; g > 1 {
			return fmt.Sprintf("the bound x0-mean·exp(gamma T/ca) = %.3g on the mean inventory "+
				"(x0-mean = %g, gamma T/ca = %.3g): lower gamma T/ca or |x0-mean|", p.X0Mean*math.Exp(g), p.X0Mean, g)
		}
		return fmt.Sprintf("the mean inventory's range 0 to x0-mean = %g: lower |x0-mean|", p.X0Mean)
	}
	return fmt.Sprintf("±%g sd, sd = sqrt(x0-std^2 + sigma^2 T) = %.3g (sigma = %g, T = %g, x0-std = %g): lower sigma, T or x0-std",
		c.RangeK, S, p.Sigma, p.T, p.X0Std)
}
