package dgm

import (
	"fmt"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
)

// Memory implements mfe.MemoryEstimator: the loss's second derivatives keep
// the DGM layers' activations and their derivatives at every point of the
// batch, about 850 bytes per point·unit·layer at the peak with the Go
// backend (1.1 GB measured for the memoir profile); the final metrics
// (eval.Memory) read the control through up to maxTables tables of
// FinalTable points (twice that, for the garbage collector's headroom);
// 96 MiB do not grow with the configuration.
func (c Config) Memory(run mfe.Run) mfe.MemoryEstimate {
	pts := float64(c.NT) * float64(c.NX)
	return mfe.MemoryEstimate{
		Bytes: 96<<20 + eval.Memory(run.Params, eval.Default) + 2*8*maxTables*FinalTable +
			850*pts*float64(c.Width)*float64(c.Layers),
		What:  fmt.Sprintf("the training graph (%d × %d points, %d layers of width %d)", c.NT, c.NX, c.Layers, c.Width),
		Cause: "it grows with the settings nt, nx, width and layers: lower them",
	}
}
