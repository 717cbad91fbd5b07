package qlearn

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
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
// the widest level's actions, NX and the first level's actions derived from
// the parameters as MakeGrid derives them (in floating point, so that a
// grid too large for an int is estimated too), and the parameter or setting
// that makes it large.
func (c Config) Memory(run mfe.Run) mfe.MemoryEstimate {
	p := run.Params
	lo, hi := c.stateRange(p)
	nx := math.Ceil((hi-lo)/c.DX-1e-9) + 1
	na := float64(2*c.RefineJ + 1)
	if !c.SubGrid {
		amin, amax := c.AMin, c.AMax
		if amin == 0 && amax == 0 {
			xabs := math.Max(math.Abs(lo), math.Abs(lo+(nx-1)*c.DX))
			b := xabs * (1/p.T + (p.Gamma+math.Max(p.Cg, math.Sqrt(p.CX*p.Ca)))/p.Ca)
			amin, amax = -b, b
		}
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
	if math.IsNaN(bytes) || !(rows*na <= 1<<50) || !(na <= math.MaxInt32) {
		bytes = math.Inf(1) // beyond the table's indices
	}
	return mfe.MemoryEstimate{
		Bytes: bytes,
		What:  fmt.Sprintf("the Q table (%d steps × %.3g states × %.3g actions)", c.Steps, nx, na),
		Cause: c.cause(p, nx, na),
	}
}

// cause names what makes the grid large: the state range (set, or its
// mean envelope or its spread as derived from the parameters), or the
// action range.
func (c Config) cause(p mfe.Params, nx, na float64) string {
	if !c.SubGrid && na > nx {
		return fmt.Sprintf("the first level's action grid spans [a_min, a_max] in steps of da·2^(levels-1) = %g "+
			"(derived from the state range and gamma/ca = %.3g when a_min = a_max = 0): set a_min/a_max or a coarser da",
			c.DA*math.Ldexp(1, c.Levels-1), p.Gamma/p.Ca)
	}
	if c.XMin != 0 || c.XMax != 0 {
		return fmt.Sprintf("the state grid spans [x_min, x_max] = [%g, %g] in steps of dx = %g: narrow it or set a coarser dx",
			c.XMin, c.XMax, c.DX)
	}
	mlo, mhi := envelope(p)
	S := c.spread(p)
	if mhi-mlo >= 2*c.RangeK*S {
		if g := p.Gamma * p.T / p.Ca; g > 1 {
			return fmt.Sprintf("the state grid (steps of dx = %g) spans the bound x0-mean·exp(gamma T/ca) = %.3g on the mean inventory "+
				"(x0-mean = %g, gamma T/ca = %.3g): lower gamma T/ca or |x0-mean|, or set x_min/x_max", c.DX, p.X0Mean*math.Exp(g), p.X0Mean, g)
		}
		return fmt.Sprintf("the state grid (steps of dx = %g) spans 0 to x0-mean = %g: lower |x0-mean|, or set x_min/x_max or a coarser dx",
			c.DX, p.X0Mean)
	}
	return fmt.Sprintf("the state grid (steps of dx = %g) spans ±%g sd, sd = sqrt(x0-std^2 + sigma^2 T) = %.3g "+
		"(sigma = %g, T = %g, x0-std = %g): lower sigma, T or x0-std, or set x_min/x_max or a coarser dx",
		c.DX, c.RangeK, S, p.Sigma, p.T, p.X0Std)
}
