package nplayer

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// Nash is the exact N-player Nash gap of an affine control,
// Limit + Slope/(N-1) (see the package documentation).
type Nash struct {
	Limit float64 `json:"limit"` // N → ∞: the mean-field exploitability
	Slope float64 `json:"slope"` // (1/(2 ca)) ∫ c^2 V dt
}

// At returns the gap among n >= 2 traders.
func (g Nash) At(n int) float64 { return g.Limit + g.Slope/float64(n-1) }

// ExactNash returns the Nash gap of the affine control -(K x + L) used by
// every trader: the gain of one trader's best adapted deviation,
//
//	ca/2 ∫ E[(alpha(t, X) + (A X + b + c Y)/ca)^2] dt,
//
// X one trader's state and Y the others' mean (independent, both with mean
// m(t), variances V(t) and V(t)/(N-1)). The ODEs are integrated by RK4 on a
// grid fine for the fastest rate (2000 to 1e6 steps), the gap by Simpson's
// rule on it.
func ExactNash(p mfe.Params, c mfe.AffineControl) (Nash, error) {
	s, err := solveNash(p, c)
	if err != nil {
		return Nash{}, err
	}
	ca := p.Ca
	n := len(s.t) - 1
	h := p.T / float64(n)
	var limit, slope float64
	for i, t := range s.t {
		wt := h / 3 * 2
		switch {
		case i == 0 || i == n:
			wt = h / 3
		case i%2 == 1:
			wt = h / 3 * 4
		}
		P := s.a[i]/ca - c.K(t)
		Q := s.b[i]/ca - c.L(t)
		R := s.c[i] / ca
		d := P*s.m[i] + Q + R*s.m[i]
		limit += wt * (P*P*s.v[i] + d*d)
		slope += wt * R * R * s.v[i]
	}
	g := Nash{Limit: ca / 2 * limit, Slope: ca / 2 * slope}
	if math.IsNaN(g.Limit) || math.IsInf(g.Limit, 0) || math.IsNaN(g.Slope) || math.IsInf(g.Slope, 0) {
		return g, fmt.Errorf("nplayer: the Nash gap is not finite (%v, %v): the control diverges", g.Limit, g.Slope)
	}
	return g, nil
}

// nashSolution holds, on a fine grid t, the Riccati coefficient A, the
// deviator's coefficients b and c (dV/dx = A x + b + c y) and the mean m
// and variance V of one trader's state under the control.
type nashSolution struct {
	t, a, b, c, m, v []float64
}

func solveNash(p mfe.Params, c mfe.AffineControl) (*nashSolution, error) {
	mfg, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	ca := p.Ca
	rate := 1 / p.T
	for _, t := range mfe.Linspace(0, p.T, 101) {
		rate = math.Max(rate, math.Abs(mfg.A(t)/ca)+2*math.Abs(c.K(t))+p.Gamma/ca)
	}
	n := int(math.Min(1e6, math.Max(2000, 200*rate*p.T)))
	n += n % 2 // even, for Simpson
	h := p.T / float64(n)
	s := &nashSolution{t: mfe.TimeGrid(p.T, n)}
	for _, f := range []*[]float64{&s.a, &s.b, &s.c, &s.m, &s.v} {
		*f = make([]float64, n+1)
	}
	for i, t := range s.t {
		s.a[i] = mfg.A(t)
	}
	// Backwards: y = (b, c) with b' = (A/ca) b + (c - gamma) L,
	// c' = (A/ca + K) c - gamma K.
	dBC := func(t float64, y [2]float64) [2]float64 {
		a, k, l := mfg.A(t)/ca, c.K(t), c.L(t)
		return [2]float64{a*y[0] + (y[1]-p.Gamma)*l, (a+k)*y[1] - p.Gamma*k}
	}
	y := [2]float64{}
	for i := n; i > 0; i-- {
		y = rk4(dBC, s.t[i], -h, y)
		s.b[i-1], s.c[i-1] = y[0], y[1]
	}
	// Forwards: (m, V) with m' = -(K m + L), V' = -2 K V + sigma^2.
	dMV := func(t float64, y [2]float64) [2]float64 {
		k, l := c.K(t), c.L(t)
		return [2]float64{-(k*y[0] + l), -2*k*y[1] + p.Sigma*p.Sigma}
	}
	y = [2]float64{p.X0Mean, p.X0Std * p.X0Std}
	s.m[0], s.v[0] = y[0], y[1]
	for i := 0; i < n; i++ {
		y = rk4(dMV, s.t[i], h, y)
		s.m[i+1], s.v[i+1] = y[0], y[1]
	}
	return s, nil
}

func rk4(f func(t float64, y [2]float64) [2]float64, t, h float64, y [2]float64) [2]float64 {
	add := func(y, k [2]float64, c float64) [2]float64 { return [2]float64{y[0] + c*k[0], y[1] + c*k[1]} }
	k1 := f(t, y)
	k2 := f(t+h/2, add(y, k1, h/2))
	k3 := f(t+h/2, add(y, k2, h/2))
	k4 := f(t+h, add(y, k3, h))
	return [2]float64{y[0] + h/6*(k1[0]+2*k2[0]+2*k3[0]+k4[0]), y[1] + h/6*(k1[1]+2*k2[1]+2*k3[1]+k4[1])}
}
