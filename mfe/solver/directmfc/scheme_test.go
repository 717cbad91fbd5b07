package directmfc

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sweep"
)

// heunCost is the social cost of socialCost's Heun rollout on the LQ model
// with infinitely many particles, for the affine feedback
// a_i(x) = k[i] x + l[i] at the rollout's times t_i = i dt, i = 0..n: the
// law of X stays Gaussian, X_{i+1} = A X_i + B + C dW with
// A = 1 + dt/2 (k_i + k_{i+1} + k_{i+1} k_i dt),
// B = dt/2 (l_i + l_{i+1} + k_{i+1} l_i dt), C = 1 + k_{i+1} dt/2, and the
// cost is socialCost's trapezoid rule on the exact expectations.
func heunCost(p mfe.Params, n int, k, l []float64) float64 {
	dt := p.T / float64(n)
	m, v := p.X0Mean, p.X0Std*p.X0Std
	running := func(i int, m, v float64) float64 {
		abar := k[i]*m + l[i]
		a2 := k[i]*k[i]*(v+m*m) + 2*k[i]*l[i]*m + l[i]*l[i]
		return p.CX/2*(v+m*m) + p.Ca/2*a2 - p.Gamma*m*abar
	}
	cost := 0.0
	for i := 0; i < n; i++ {
		w := dt
		if i == 0 {
			w = dt / 2
		}
		cost += w * running(i, m, v)
		A := 1 + dt/2*(k[i]+k[i+1]+k[i+1]*k[i]*dt)
		B := dt / 2 * (l[i] + l[i+1] + k[i+1]*l[i]*dt)
		C := 1 + k[i+1]*dt/2
		m, v = A*m+B, A*A*v+C*C*p.Sigma*p.Sigma*dt
	}
	cost += dt / 2 * running(n, m, v)
	return cost + p.Cg/2*(v+m*m)
}

// exactCoefs returns the exact MFC control's coefficients at the n-step
// rollout's times, as heunCost takes them: a(t_i, x) = k[i] x + l[i].
func exactCoefs(p mfe.Params, ex *exact.MFC, n int) (k, l []float64) {
	k, l = make([]float64, n+1), make([]float64, n+1)
	for i := range k {
		ti := p.T * float64(i) / float64(n)
		l[i] = ex.Alpha(ti, 0)
		k[i] = ex.Alpha(ti, 1) - l[i]
	}
	return k, l
}

// schemeFloor returns the affine feedback that minimises heunCost over n
// steps (Newton's method from the exact MFC control, on finite-difference
// derivatives; the cost is a polynomial of low degree in the coefficients)
// as a control, linear in t between the rollout's times.
func schemeFloor(t *testing.T, p mfe.Params, ex *exact.MFC, n int) mfe.Control {
	dt := p.T / float64(n)
	k0, l0 := exactCoefs(p, ex, n)
	th := append(k0, l0...) // k then l
	f := func(x []float64) float64 { return heunCost(p, n, x[:n+1], x[n+1:]) }
	g := make([]float64, len(th))
	h := mat.NewSymDense(len(th), nil)
	var step mat.VecDense
	for it := 0; it < 8; it++ {
		fd.Gradient(g, f, th, &fd.Settings{Formula: fd.Central})
		fd.Hessian(h, f, th, &fd.Settings{Formula: fd.Central, Step: 1e-4})
		if err := step.SolveVec(h, mat.NewVecDense(len(g), g)); err != nil {
			t.Fatal(err)
		}
		for i := range th {
			th[i] -= step.AtVec(i)
		}
	}
	fd.Gradient(g, f, th, &fd.Settings{Formula: fd.Central})
	if gmax := mat.Norm(mat.NewVecDense(len(g), g), math.Inf(1)); gmax > 1e-8 {
		t.Fatalf("Newton stopped at gradient %.1e", gmax)
	}
	at := func(v []float64) func(float64) float64 {
		return func(s float64) float64 {
			i := min(int(s/dt), n-1)
			w := s/dt - float64(i)
			return v[i]*(1-w) + v[i+1]*w
		}
	}
	k, l := at(th[:n+1]), at(th[n+1:])
	// mfe.AffineControl is -(K x + L).
	return mfe.AffineControl{K: func(s float64) float64 { return -k(s) }, L: func(s float64) float64 { return -l(s) }}
}

// TestSchemeFloorOverBox: the best affine feedback of the Heun rollout's
// discrete problem, free at each of its times, is within O(dt^2) of the
// exact MFC control inside (0, T) but O(dt) from it at t = 0 and t = T,
// where the scheme gives the control half a step's weight: doubling the
// steps halves the error at the two ends and quarters it inside. A network
// smooth in t does not follow the discrete optimum all the way to the ends
// (the trained runs' pooled errors are below this one at most sets of the
// box), but it is pulled towards it there, which is why direct MFC's error
// gathers at the ends of the horizon. With -v it prints the discrete
// optimum's error over the robustness box (the sets of `mfe sweep`'s draw
// where the MFC exists) at the default profile's steps and twice them.
func TestSchemeFloorOverBox(t *testing.T) {
	prof, err := ProfileConfig(mfe.Default)
	if err != nil {
		t.Fatal(err)
	}
	sets, err := sweep.DefaultBox().Draw(8, 1)
	if err != nil {
		t.Fatal(err)
	}
	sets = append([]mfe.Params{mfe.Reference()}, sets...)
	for i, p := range sets {
		ex, err := exact.NewMFC(p)
		if errors.Is(err, exact.ErrNoSolution) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		name := "reference"
		if i > 0 {
			name = fmt.Sprintf("set %d", i-1)
		}
		// The recursion is checked against the closed form: at the exact
		// control its cost converges to the exact social cost at second
		// order.
		var costErr [2]float64
		for d, n := range []int{prof.RolloutSteps(p.T), 2 * prof.RolloutSteps(p.T)} {
			k, l := exactCoefs(p, ex, n)
			costErr[d] = math.Abs(heunCost(p, n, k, l) - ex.Cost())
		}
		if r := costErr[0] / costErr[1]; r < 3 || costErr[0] > 1e-2*math.Abs(ex.Cost()) {
			t.Errorf("%s: the Heun cost of the exact control is %.2e and %.2e from the exact social cost %.6f at the default steps and twice them, want second order", name, costErr[0], costErr[1], ex.Cost())
		}
		ts, _ := mfe.StandardGrid(p.T)
		var byT [2][]float64
		for d, n := range []int{prof.RolloutSteps(p.T), 2 * prof.RolloutSteps(p.T)} {
			var all float64
			byT[d], all, err = eval.ControlRelByTime(p, mfe.MFC, schemeFloor(t, p, ex, n), ts)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s (T = %g), %d steps: floor control_rel %.4f; at t = 0 %.4f, at T %.4f, largest inside %.5f",
				name, p.T, n, all, byT[d][0], byT[d][len(ts)-1], slices.Max(byT[d][1:len(ts)-1]))
		}
		last := len(ts) - 1
		for _, j := range []int{0, last} {
			if r := byT[0][j] / byT[1][j]; r < 1.6 || r > 2.5 {
				t.Errorf("%s: the error at t = %g falls by %.2f when the steps double, want about 2 (first order)", name, ts[j], r)
			}
		}
		if r := slices.Max(byT[0][1:last]) / slices.Max(byT[1][1:last]); r < 3 {
			t.Errorf("%s: the largest error inside (0, T) falls by %.2f when the steps double, want about 4 (second order)", name, r)
		}
	}
}
