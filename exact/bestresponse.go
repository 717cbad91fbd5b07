package exact

import (
	"math"

	"github.com/mf-optimal-execution/mfe"
)

// BestResponse is the optimal control of one player against a given mean
// action flow abar(t) (SPEC §2): alpha(t,x) = -(A x + B_abar)/ca with the MFG's
// A and ca B' = A B + gamma ca abar, B(T) = 0, whose solution is
//
//	B(t) = -(gamma/psi(t)) ∫_t^T abar(s) psi(s) ds,
//
// with psi the Riccati's integrating factor (A/ca = -psi'/psi).
type BestResponse struct {
	P    mfe.Params
	Abar func(t float64) float64
	a    riccati
	rate float64
}

// NewBestResponse returns the best response to the mean action flow abar.
func NewBestResponse(p mfe.Params, abar func(t float64) float64) (*BestResponse, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	a := newRiccati(p.T, p.Ca, p.CX, p.Cg)
	return &BestResponse{P: p, Abar: abar, a: a, rate: 2*a.k + p.Cg/p.Ca + 1/p.T}, nil
}

// A returns the quadratic coefficient of the value function.
func (b *BestResponse) A(t float64) float64 { return b.a.at(t) }

// B returns the linear coefficient of the value function.
func (b *BestResponse) B(t float64) float64 {
	if b.P.Gamma == 0 {
		return 0
	}
	lt := b.a.logPsi(t)
	in := integrate(func(s float64) float64 { return b.Abar(s) * math.Exp(b.a.logPsi(s)-lt) }, t, b.P.T, b.rate)
	return -b.P.Gamma * in
}

// C returns C(t) = ∫_t^T (sigma^2/2 A - B^2/(2 ca)) ds.
func (b *BestResponse) C(t float64) float64 {
	P := b.P
	intB2 := integrate(func(s float64) float64 { v := b.B(s); return v * v }, t, P.T, b.rate)
	return P.Sigma*P.Sigma/2*P.Ca*b.a.logPsi(t) - intB2/(2*P.Ca)
}

// Alpha returns the best-response feedback.
func (b *BestResponse) Alpha(t, x float64) float64 { return -(b.A(t)*x + b.B(t)) / b.P.Ca }

// Cost returns the best response's cost from X_0, E[v_abar(0, X_0)].
func (b *BestResponse) Cost() float64 {
	P := b.P
	return b.A(0)/2*(P.X0Mean*P.X0Mean+P.X0Std*P.X0Std) + b.B(0)*P.X0Mean + b.C(0)
}
