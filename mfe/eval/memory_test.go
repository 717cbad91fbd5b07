package eval

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// TestMemory: the final metrics' memory grows with the gap's time steps,
// bounded by sim.MaxGapSteps: a few MB at the reference parameters, about
// 100 MB (twice the 48 MB of 100 batches' series) at stiff ones.
func TestMemory(t *testing.T) {
	ref := Memory(mfe.Reference(), Default)
	stiff := Memory(mfe.Params{T: 9, Sigma: 1, Gamma: 7424, Ca: 0.14, CX: 105, Cg: 8.7, X0Mean: 0.1, X0Std: 0.3}, Default)
	if !(ref < 20e6 && stiff > 96e6 && stiff < 120e6) {
		t.Errorf("eval.Memory: %.3g bytes at the reference parameters, %.3g at stiff ones", ref, stiff)
	}
}
