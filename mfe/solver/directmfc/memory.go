package directmfc

import (
	"fmt"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
)

// Memory implements mfe.MemoryEstimator: the training graph keeps every
// hidden activation of the control network at every particle and step for
// the backward pass (twice per step with Heun), about 10.5 bytes per
// particle·step·hidden unit at the peak with the Go backend (3.4 GB measured
// for the memoir profile); the final evaluation runs the network on
// eval.Default's 100,000 particles at once, about 14 bytes per
// particle·hidden unit, and its simulations hold eval.Memory; 64 MiB do not
// grow with the configuration.
func (c Config) Memory(run mfe.Run) mfe.MemoryEstimate {
	units := 0
	for _, h := range c.Hidden {
		units += h
	}
	steps := c.RolloutSteps(run.Params.T)
	evals := 1.0
	if c.Scheme == "heun" {
		evals = 2
	}
	return mfe.MemoryEstimate{
		Bytes: 64<<20 + eval.Memory(run.Params, eval.Default) + 14*float64(eval.Default.NCost)*float64(units) + 10.5*float64(c.N)*float64(steps)*float64(units)*evals,
		What:  fmt.Sprintf("the training graph (%d particles × %d steps × %d hidden units, %s)", c.N, steps, units, c.Scheme),
		Cause: "it grows with the settings n, steps and hidden: lower them",
	}
}
