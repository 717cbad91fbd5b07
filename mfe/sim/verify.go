package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// jackknifeBatches is the number of batches of particles the standard error
// of Exploitability and SocialGap is computed over (fewer if there are fewer
// particles).
const jackknifeBatches = 100

// MaxGapSteps caps GapSteps.
const MaxGapSteps = 10000

// GapSteps returns the time steps for Exploitability and SocialGap at p: at
// least min, and at least 10 T rate, rate = (max A + gamma + |zeta|)/ca the
// fastest rate of the best response and of the exact controls (|zeta| only
// where the MFC has a solution), so that Heun's step resolves them; at most
// MaxGapSteps.
func GapSteps(p mfe.Params, min int) (int, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return 0, err
	}
	rate := math.Max(m.A(0), m.A(p.T)) + p.Gamma
	if mfc, err := exact.NewMFC(p); err == nil {
		rate += math.Max(math.Abs(mfc.Zeta(0)), math.Abs(mfc.Zeta(p.T)))
	}
	n := math.Ceil(10 * p.T * rate / p.Ca)
	if !(n < MaxGapSteps) {
		n = MaxGapSteps
	}
	return max(min, int(n)), nil
}

// gapStats is what the verification estimators read from the particles:
// for each batch k of particles (contiguous, n[k] of them) and grid time i,
// the batch means of X and of the action under the control (x, a), of the
// reference control's state and action on the same noise (xr, ar), and of
// u = action + slope_i X (u), with the centred sum of squares of u (q).
type gapStats struct {
	n                  []float64
	x, a, xr, ar, u, q [][]float64
}

// moments are gapStats pooled over batches: means over the particles, and
// ss the centred sum of squares of u, over n particles.
type moments struct {
	n                   float64
	x, a, xr, ar, u, ss []float64
}

// gapStats simulates the particles under c and, on the same initial states
// and Brownian increments, under ref, with Heun's predictor–corrector step
// (weak order 2: X_{i+1} = X_i + (a(t_i, X_i) + a(t_{i+1}, P))/2 dt + dW,
// P = X_i + a(t_i, X_i) dt + dW). Each increment dW is the sum of refine
// draws, in the order a simulation of refine times the steps draws its
// own: the two then follow the same Brownian paths. It checks ctx at every
// time step, as Run does.
func (s Sim) gapStats(ctx context.Context, c, ref mfe.Control, slope []float64, refine int) (*gapStats, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if s.N < 2 {
		return nil, fmt.Errorf("sim: %d particles, want >= 2 for a standard error", s.N)
	}
	P := s.P
	dt := P.T / float64(s.Steps)
	sq := P.Sigma * math.Sqrt(dt/float64(refine))
	ts := mfe.TimeGrid(P.T, s.Steps)
	rng := rand.New(rand.NewPCG(s.Seed, 0x6d66652d73696d))
	K := min(jackknifeBatches, s.N)
	st := &gapStats{n: make([]float64, K)}
	for _, f := range []*[][]float64{&st.x, &st.a, &st.xr, &st.ar, &st.u, &st.q} {
		*f = make([][]float64, K)
		for k := range *f {
			(*f)[k] = make([]float64, s.Steps+1)
		}
	}
	start := func(k int) int { return k * s.N / K }
	for k := range st.n {
		st.n[k] = float64(start(k+1) - start(k))
	}
	buf := make([][]float64, 8)
	for j := range buf {
		buf[j] = make([]float64, s.N)
	}
	x, a, xr, ar, pred, predR, ap, dw := buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6], buf[7]
	for n := range x {
		x[n] = P.X0Mean + P.X0Std*rng.NormFloat64()
	}
	copy(xr, x)
	for i := 0; i <= s.Steps; i++ {
		if err := stopped(ctx, i, s.Steps); err != nil {
			return nil, err
		}
		c.Eval(ts[i], x, a)
		ref.Eval(ts[i], xr, ar)
		for k := range st.n {
			lo, hi := start(k), start(k+1)
			nk := st.n[k]
			var sx, sa, sxr, sar, su float64
			for n := lo; n < hi; n++ {
				sx += x[n]
				sa += a[n]
				sxr += xr[n]
				sar += ar[n]
				su += a[n] + slope[i]*x[n]
			}
			mu := su / nk
			var q float64
			for n := lo; n < hi; n++ {
				d := a[n] + slope[i]*x[n] - mu
				q += d * d
			}
			st.x[k][i], st.a[k][i], st.xr[k][i], st.ar[k][i], st.u[k][i], st.q[k][i] = sx/nk, sa/nk, sxr/nk, sar/nk, mu, q
			for _, v := range [...]float64{sx, sa, sxr, sar, q} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("%w (at t = %v)", ErrDiverged, ts[i])
				}
			}
		}
		if i == s.Steps {
			break
		}
		clear(dw)
		for range refine {
			for n := range dw {
				dw[n] += sq * rng.NormFloat64()
			}
		}
		for n := range x {
			pred[n] = x[n] + a[n]*dt + dw[n]
			predR[n] = xr[n] + ar[n]*dt + dw[n]
		}
		c.Eval(ts[i+1], pred, ap)
		for n := range x {
			x[n] += (a[n]+ap[n])/2*dt + dw[n]
		}
		ref.Eval(ts[i+1], predR, ap)
		for n := range xr {
			xr[n] += (ar[n]+ap[n])/2*dt + dw[n]
		}
	}
	return st, nil
}

// pool returns the moments over every batch but skip (-1: every batch).
func (st *gapStats) pool(skip int) *moments {
	steps := len(st.x[0])
	mo := &moments{}
	for _, f := range []*[]float64{&mo.x, &mo.a, &mo.xr, &mo.ar, &mo.u, &mo.ss} {
		*f = make([]float64, steps)
	}
	for k, nk := range st.n {
		if k == skip {
			continue
		}
		mo.n += nk
		for i := 0; i < steps; i++ {
			mo.x[i] += nk * st.x[k][i]
			mo.a[i] += nk * st.a[k][i]
			mo.xr[i] += nk * st.xr[k][i]
			mo.ar[i] += nk * st.ar[k][i]
			mo.u[i] += nk * st.u[k][i]
		}
	}
	for i := 0; i < steps; i++ {
		mo.x[i] /= mo.n
		mo.a[i] /= mo.n
		mo.xr[i] /= mo.n
		mo.ar[i] /= mo.n
		mo.u[i] /= mo.n
	}
	for k, nk := range st.n {
		if k == skip {
			continue
		}
		for i := 0; i < steps; i++ {
			d := st.u[k][i] - mo.u[i]
			mo.ss[i] += st.q[k][i] + nk*d*d
		}
	}
	return mo
}

// estimate returns (ca/2) ∫ mean((u + b)^2) dt, by the trapezoid rule on
// the grid, for the b that offset returns from the pooled moments: the
// value on every particle and its jackknife standard error over the
// batches, sqrt((K-1)/K Σ_k (v_-k - mean v_-k)^2), v_-k the value without
// batch k; and the jackknife's estimate of the value's bias,
// (K-1)(mean v_-k - v), which is that of the flow's noise (O(1/N)).
func (st *gapStats) estimate(p mfe.Params, offset func(*moments) []float64) (Estimate, float64) {
	value := func(skip int) float64 {
		mo := st.pool(skip)
		b := offset(mo)
		steps := len(b) - 1
		dt := p.T / float64(steps)
		sum := 0.0
		for i := range b {
			d := mo.u[i] + b[i]
			v := (mo.ss[i]/mo.n + d*d) * dt
			if i == 0 || i == steps {
				v /= 2
			}
			sum += v
		}
		return p.Ca / 2 * sum
	}
	e := Estimate{Value: value(-1)}
	K := len(st.n)
	loo := make([]float64, K)
	mean := 0.0
	for k := range loo {
		loo[k] = value(k)
		mean += loo[k] / float64(K)
	}
	for _, v := range loo {
		e.SE += (v - mean) * (v - mean)
	}
	e.SE = math.Sqrt(e.SE * float64(K-1) / float64(K))
	return e, float64(K-1) * (mean - e.Value)
}

// finite returns ErrDiverged where the estimate is not finite (a control
// whose squared distance overflows).
func (e Estimate) finite() error {
	for _, v := range [...]float64{e.Value, e.SE} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ErrDiverged
		}
	}
	return nil
}
