package eval

import (
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
)

// Memory returns the bytes Control takes at its peak at p with cfg, twice
// what it holds at once (the garbage collector's headroom): the gap's
// estimate on sim.GapSteps(p, cfg.Steps) steps (sim.Sim.GapMemory; at most
// sim.MaxGapSteps, which is 48 MB with 100 batches) and the control error's
// buffers of N particles and series over the times. For a method's
// estimate (mfe.MemoryEstimator); the control's own cost is the method's.
func Memory(p mfe.Params, cfg Config) float64 {
	steps, err := sim.GapSteps(p, cfg.Steps)
	if err != nil {
		steps = sim.MaxGapSteps
	}
	gap := sim.Sim{P: p, N: cfg.NCost, Steps: steps}.GapMemory()
	ce := 8 * (4*float64(cfg.N) + 2*float64(cfg.Steps+1))
	return 2 * (gap + ce)
}
