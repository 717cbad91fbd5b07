package exact

import (
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// Affine is the feedback control alpha(t, x) = -(K(t) x + L(t)). Under it
// the law of X_t stays Gaussian and every cost is an integral of its moments
// m(t) = E[X_t] and V(t) = Var X_t:
//
//	m' = -(K m + L),   V' = -2 K V + sigma^2,
//
// integrated here with classical Runge–Kutta on a fine grid.
type Affine struct {
	P    mfe.Params
	K, L func(t float64) float64
	// Steps is the number of RK4 steps on [0, T]; 0 chooses one from the
	// parameters' fastest rate (at least 2000, at most MaxAffineSteps: past
	// rate·T = 5000 the accuracy degrades, past about 5e6 RK4 is unstable).
	Steps int
}

// MaxAffineSteps caps the automatic number of RK4 steps of an Affine.
const MaxAffineSteps = 1e6

// AffineMFG returns the exact MFG equilibrium control as an Affine.
func AffineMFG(m *MFG) Affine {
	ca := m.P.Ca
	return Affine{P: m.P, K: func(t float64) float64 { return m.A(t) / ca }, L: func(t float64) float64 { return m.B(t) / ca }}
}

// Control returns the affine feedback as an mfe.Control.
func (c Affine) Control() mfe.Control { return mfe.AffineControl{K: c.K, L: c.L} }

// run integrates the moments (m, V) and the cost J accumulated against the
// mean action flow abar (nil: the control's own flow); it returns J with the
// terminal cost and the control's mean action on the RK4 grid.
func (c Affine) run(abar func(t float64) float64) (cost float64, ts, meanAlpha []float64) {
	P := c.P
	n := c.Steps
	if n <= 0 {
		rate := math.Sqrt(P.CX/P.Ca) + P.Gamma/P.Ca + P.Cg/P.Ca
		n = int(math.Min(MaxAffineSteps, math.Max(2000, 200*rate*P.T)))
	}
	h := P.T / float64(n)
	// y = (m, V, J)
	f := func(t float64, y [3]float64) [3]float64 {
		k, l := c.K(t), c.L(t)
		m, v := y[0], y[1]
		a := -(k*m + l) // mean action
		ab := a
		if abar != nil {
			ab = abar(t)
		}
		second := v + m*m // E[X^2]
		// E[alpha^2] = k^2 E[X^2] + 2 k l m + l^2
		ea2 := k*k*second + 2*k*l*m + l*l
		run := P.CX/2*second + P.Ca/2*ea2 - P.Gamma*m*ab
		return [3]float64{a, -2*k*v + P.Sigma*P.Sigma, run}
	}
	y := [3]float64{P.X0Mean, P.X0Std * P.X0Std, 0}
	ts = make([]float64, n+1)
	meanAlpha = make([]float64, n+1)
	for i := 0; i <= n; i++ {
		t := float64(i) * h
		ts[i] = t
		meanAlpha[i] = -(c.K(t)*y[0] + c.L(t))
		if i == n {
			break
		}
		k1 := f(t, y)
		k2 := f(t+h/2, add(y, k1, h/2))
		k3 := f(t+h/2, add(y, k2, h/2))
		k4 := f(t+h, add(y, k3, h))
		for j := range y {
			y[j] += h / 6 * (k1[j] + 2*k2[j] + 2*k3[j] + k4[j])
		}
	}
	cost = y[2] + P.Cg/2*(y[1]+y[0]*y[0])
	return cost, ts, meanAlpha
}

func add(y, k [3]float64, h float64) [3]float64 {
	return [3]float64{y[0] + h*k[0], y[1] + h*k[1], y[2] + h*k[2]}
}

// CostAgainst returns J(alpha; abar): the control's expected cost when the
// population's mean action flow is abar.
func (c Affine) CostAgainst(abar func(t float64) float64) float64 {
	j, _, _ := c.run(abar)
	return j
}

// SocialCost returns J_MFC(alpha) = J(alpha; L(alpha)): the cost when the
// whole population uses the control.
func (c Affine) SocialCost() float64 {
	j, _, _ := c.run(nil)
	return j
}

// MeanAction returns the mean action flow t ↦ E[alpha(t, X_t)] that the
// control induces when the whole population uses it, as a function
// interpolating the fine RK4 grid linearly.
func (c Affine) MeanAction() func(t float64) float64 {
	_, ts, a := c.run(nil)
	return interp(ts, a)
}

// Exploitability returns the MFG exploitability J(alpha; nu) - min_beta J(beta; nu),
// nu the flow the control induces: zero exactly at the equilibrium.
func (c Affine) Exploitability() (float64, error) {
	abar := c.MeanAction()
	br, err := NewBestResponse(c.P, abar)
	if err != nil {
		return 0, err
	}
	// The best response's cost through the same moment integration as the
	// control's: its error is then second order in the quadrature error of
	// B_abar, where the closed form br.Cost() would be first order.
	ca := c.P.Ca
	best := Affine{P: c.P, Steps: c.Steps,
		K: func(t float64) float64 { return br.A(t) / ca },
		L: func(t float64) float64 { return br.B(t) / ca }}
	return c.CostAgainst(abar) - best.CostAgainst(abar), nil
}

// interp returns the piecewise-linear interpolant of (xs, ys), xs increasing
// and evenly spaced, constant beyond the ends.
func interp(xs, ys []float64) func(float64) float64 {
	n := len(xs)
	h := (xs[n-1] - xs[0]) / float64(n-1)
	return func(x float64) float64 {
		u := (x - xs[0]) / h
		if u <= 0 {
			return ys[0]
		}
		if u >= float64(n-1) {
			return ys[n-1]
		}
		i := int(u)
		w := u - float64(i)
		return ys[i]*(1-w) + ys[i+1]*w
	}
}
