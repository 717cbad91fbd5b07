package eval

import (
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// TestValueRelDegenerate: value_rel stays finite where its weights or its
// reference vanish. It failed ("the exact value has no weight on the grid")
// when the law of X_t lies far from the standard grid (x0-mean = 1e9: the
// points then weigh the same) and where the exact value is 0 at every
// point (every parameter 0 but T and ca: the RMS error itself).
func TestValueRelDegenerate(t *testing.T) {
	far := mfe.Reference()
	far.X0Mean = 1e9
	m := exact.MustMFG(far)
	exactV := m.ValueFunc()
	if v, err := ValueRel(far, exactV); err != nil || v != 0 {
		t.Errorf("x0-mean 1e9, the exact value: value_rel %v, %v; want 0", v, err)
	}
	shifted := mfe.ControlFunc(func(t, x float64) float64 { return 1.01 * m.Value(t, x) })
	if v, err := ValueRel(far, shifted); err != nil || math.Abs(v-0.01) > 1e-12 {
		t.Errorf("x0-mean 1e9, 1.01 times the exact value: value_rel %v, %v; want 0.01", v, err)
	}
	zero := mfe.Params{T: 1, Ca: 1}
	one := mfe.ControlFunc(func(t, x float64) float64 { return 1 })
	if v, err := ValueRel(zero, one); err != nil || math.Abs(v-1) > 1e-15 {
		t.Errorf("exact value 0, learned 1: value_rel %v, %v; want 1", v, err)
	}
	// The reference parameters weigh by the law, as always.
	ref := mfe.Reference()
	mr := exact.MustMFG(ref)
	scaled := mfe.ControlFunc(func(t, x float64) float64 { return 1.02 * mr.Value(t, x) })
	if v, err := ValueRel(ref, scaled); err != nil || math.Abs(v-0.02) > 1e-12 {
		t.Errorf("reference, 1.02 times the exact value: value_rel %v, %v; want 0.02", v, err)
	}
}

// TestByTimeAndDensityDegenerate: where nobody trades and X_t is certain
// (every parameter 0 but T and ca), the errors by time, +Inf or NaN there,
// are the RMS errors, and density_l1, NaN, is 2 (a density against a point
// mass).
func TestByTimeAndDensityDegenerate(t *testing.T) {
	p := mfe.Params{T: 1, Ca: 1}
	half := mfe.ControlFunc(func(t, x float64) float64 { return 0.5 })
	byT, overall, err := ControlRelByTime(p, mfe.MFG, half, []float64{0, 0.5, 1})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range append(byT, overall) {
		if math.Abs(v-0.5) > 1e-15 {
			t.Errorf("error %d: %v, want the RMS error 0.5", i, v)
		}
	}
	xs := mfe.Linspace(-1, 1, 101)
	dens := make([]float64, len(xs))
	for i := range dens {
		dens[i] = 0.5
	}
	if d, err := DensityL1(p, mfe.MFG, 0.5, xs, dens); err != nil || d != 2 {
		t.Errorf("density_l1 against a point mass: %v, %v; want 2", d, err)
	}
}
