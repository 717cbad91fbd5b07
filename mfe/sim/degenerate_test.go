package sim

import (
	"errors"
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// TestControlErrorZeroExact: where the exact control is 0 on every path
// (no noise, every trader starting at 0), control_rel, which was NaN (0/0)
// or +Inf, is the RMS error itself.
func TestControlErrorZeroExact(t *testing.T) {
	p := mfe.Params{T: 1, Gamma: 1.75, Ca: 1, CX: 2, Cg: 0.3}
	s := Sim{P: p, N: 100, Steps: 10, Seed: 1}
	zero := mfe.ControlFunc(func(t, x float64) float64 { return 0 })
	e, err := s.ControlError(t.Context(), zero, zero)
	if err != nil || e.MSE != 0 || e.Rel != 0 {
		t.Errorf("learned = exact = 0: %+v, %v; want control_mse = control_rel = 0", e, err)
	}
	half := mfe.ControlFunc(func(t, x float64) float64 { return 0.5 })
	// The learned control moves the particles, the exact one is 0 there too.
	e, err = s.ControlError(t.Context(), half, zero)
	if err != nil || math.Abs(e.MSE-0.25) > 1e-15 || math.Abs(e.Rel-0.5) > 1e-15 {
		t.Errorf("learned 0.5, exact 0: %+v, %v; want control_mse 0.25, control_rel 0.5", e, err)
	}
}

// TestErrDiverged: a simulation that leaves float64's range returns
// ErrDiverged.
func TestErrDiverged(t *testing.T) {
	s := Sim{P: mfe.Reference(), N: 10, Steps: 10, Seed: 1}
	huge := mfe.ControlFunc(func(t, x float64) float64 { return 1e300 * (1 + x*x) })
	if _, err := s.Run(t.Context(), huge, Options{}); !errors.Is(err, ErrDiverged) {
		t.Errorf("Run under a control that overflows: %v, want ErrDiverged", err)
	}
}
