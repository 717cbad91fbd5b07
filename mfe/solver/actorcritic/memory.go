package actorcritic

import (
	"fmt"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
)

// Memory implements mfe.MemoryEstimator: the Langevin sampler's graph keeps
// the score network's activations at every sample and step, about 40 bytes
// per sample·step·hidden unit at the peak with the Go backend (0.9 GB
// measured for the memoir profile), the episode about 3 bytes per
// agent·step·hidden unit, plus the final metrics' (eval.Memory) and 96 MiB
// that do not grow with the configuration.
func (c Config) Memory(run mfe.Run) mfe.MemoryEstimate {
	units := 0
	for _, h := range c.Hidden {
		units += h
	}
	u := float64(units)
	return mfe.MemoryEstimate{
		Bytes: 96<<20 + eval.Memory(run.Params, eval.Default) + 40*float64(c.LangevinSamples)*float64(c.LangevinSteps)*u + 3*float64(c.Agents)*float64(c.Steps)*u,
		What: fmt.Sprintf("the training graphs (%d agents × %d steps, %d Langevin samples × %d steps, %d hidden units)",
			c.Agents, c.Steps, c.LangevinSamples, c.LangevinSteps, units),
		Cause: "it grows with the settings agents, steps, langevin_samples, langevin_steps and hidden: lower them",
	}
}
