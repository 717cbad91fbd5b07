package fbsde

import (
	"fmt"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
)

// Memory implements mfe.MemoryEstimator: the training graph keeps the Z
// network's hidden activations at every particle and step for the backward
// pass, about 8.5 bytes per particle·step·hidden unit at the peak with the
// Go backend, and the feedback regression about 170 bytes per path·step
// (3.8 GB measured for the memoir profile), plus the final metrics'
// (eval.Memory) and 96 MiB that do not grow with the configuration. A model
// other than LQ adds 200 bytes per particle·step, the nodes of its
// automatic derivatives (180 MiB, 190 bytes, measured at the memoir size
// on the LQ model built through them).
func (c Config) Memory(run mfe.Run) mfe.MemoryEstimate {
	units := 0
	for _, h := range c.ZHidden {
		units += h
	}
	n, steps := float64(c.N), float64(c.RunSteps(run))
	perStep := 8.5 * float64(units)
	if !run.Model.IsLQ() {
		perStep += 200
	}
	return mfe.MemoryEstimate{
		Bytes: 96<<20 + eval.Memory(run.Params, eval.Default) + perStep*n*steps + 170*float64(c.NRegress)*steps,
		What: fmt.Sprintf("the training graph (%d particles × %d steps × %d hidden units of Z) and the regression (%d paths)",
			c.N, c.RunSteps(run), units, c.NRegress),
		Cause: "it grows with the settings n, steps, z_hidden and n_regress: lower them",
	}
}
