package fbsde

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/finitedifference"
)

// TestSplineFeedback measures the feedback's fit alone on a model whose
// co-state is not affine: the capped model (A = 0.5) at sweep set 0 (T =
// 2), whose cap binds for most of the population. The co-state Y_t =
// ∂_x V(t, X_t) of its finite-difference solution along paths of its
// finite-difference control is given to newRegression as the trained
// system's Y would be, and the feedback built from it is measured against
// that control like a trained run's. A cubic in x gave 1.3e-2 here (above
// FBSDE's 1e-2 target on such a model, before any training error), the
// spline 1.4e-3; the bound, a third of the target, leaves the rest to
// training.
func TestSplineFeedback(t *testing.T) {
	if testing.Short() {
		t.Skip("solves the capped model by finite differences (about 10 s)")
	}
	p := mfe.Params{T: 2, Sigma: 0.332, Gamma: 0.000795, Ca: 1.98, CX: 2, Cg: 1.36, X0Mean: -0.684, X0Std: 0.314}
	m := mfemodel.Capped{LQ: mfemodel.LQ{P: p}, A: 0.5}
	ref, err := finitedifference.Reference(t.Context(), m, mfe.MFG)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := finitedifference.ProfileConfig(finitedifference.ReferenceProfile)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := finitedifference.Solve(t.Context(), m, mfe.MFG, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, v := sol.Control(), sol.ValueFunc()
	const n, steps, h = 20000, 50, 1e-3
	dt := p.T / steps
	rng := rand.New(rand.NewPCG(1, 2))
	xs, ys := make([]float32, (steps+1)*n), make([]float32, (steps+1)*n)
	x, a := make([]float64, n), make([]float64, n)
	xp, xm, vp, vm := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for k := range x {
		x[k] = p.X0Mean + p.X0Std*rng.NormFloat64()
	}
	mf := meanField{xbar: make([]float64, steps+1), abar: make([]float64, steps+1), shift: make([]float64, steps+1)}
	for i := 0; i <= steps; i++ {
		ti := float64(i) * dt
		for k := range x {
			xp[k], xm[k] = x[k]+h, x[k]-h
		}
		v.Eval(ti, xp, vp)
		v.Eval(ti, xm, vm)
		c.Eval(ti, x, a)
		for k := range x {
			xs[i*n+k], ys[i*n+k] = float32(x[k]), float32((vp[k]-vm[k])/(2*h))
			mf.xbar[i] += x[k] / n
			mf.abar[i] += a[k] / n
		}
		for k := range x {
			x[k] += a[k]*dt + p.Sigma*math.Sqrt(dt)*rng.NormFloat64()
		}
	}
	r, err := newRegression(m, steps, n, xs, ys, mf)
	if err != nil {
		t.Fatal(err)
	}
	met, err := eval.ControlAgainst(t.Context(), p, r, ref, eval.Default)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the feedback fitted to the finite-difference co-state: control_rel %.3e against its control", met.ControlRel)
	if bound := 1e-2 / 3; !(met.ControlRel < bound) {
		t.Errorf("the feedback fitted to the finite-difference co-state: control_rel %.3e against its control, want below %.2g", met.ControlRel, bound)
	}
}
