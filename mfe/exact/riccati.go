package exact

import "math"

// riccati is the solution of ca y' = y^2 - ca cX, y(T) = yT, written as
//
//	y(t) = (yT + cX ca rho) / (1 + yT rho),  rho(tau) = tanh(k tau)/(k ca),
//
// with tau = T - t and k = sqrt(cX/ca). It is also y = -ca psi'/psi with
// psi(t) = cosh(k tau) (1 + yT rho(tau)), which gives the integral of y/ca in
// closed form: ∫_s^t y(u)/ca du = log psi(s) - log psi(t).
type riccati struct {
	T, ca, cX, yT, k float64
}

func newRiccati(T, ca, cX, yT float64) riccati {
	return riccati{T: T, ca: ca, cX: cX, yT: yT, k: math.Sqrt(cX / ca)}
}

// rho returns tanh(k tau)/(k ca), continuous at k tau = 0.
func (r riccati) rho(tau float64) float64 {
	kt := r.k * tau
	if kt < 1e-8 {
		return tau / r.ca
	}
	return math.Tanh(kt) / (r.k * r.ca)
}

// at returns y(t).
func (r riccati) at(t float64) float64 {
	rho := r.rho(r.T - t)
	return (r.yT + r.cX*r.ca*rho) / (1 + r.yT*rho)
}

// logPsi returns log psi(t), psi(T) = 1. It is finite while 1 + yT rho > 0.
func (r riccati) logPsi(t float64) float64 {
	tau := r.T - t
	return logCosh(r.k*tau) + math.Log1p(r.yT*r.rho(tau))
}

// blowUp reports whether y leaves every bound on [0, T]: only possible when
// yT < 0, where 1 + yT rho(tau) reaches zero.
func (r riccati) blowUp() bool { return 1+r.yT*r.rho(r.T) <= 0 }

// logCosh returns log(cosh(y)) without overflow, and to full relative
// precision for small y (log cosh y ≈ y^2/2), where y - log 2 + log(1 + e^-2y)
// cancels: log cosh y = log1p(2 sinh^2(y/2)).
func logCosh(y float64) float64 {
	y = math.Abs(y)
	if y < 1 {
		sh := math.Sinh(y / 2)
		return math.Log1p(2 * sh * sh)
	}
	return y + math.Log1p(math.Exp(-2*y)) - math.Ln2
}
