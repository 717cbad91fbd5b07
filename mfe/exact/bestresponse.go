package exact

import (
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// BestResponse is the optimal control of one player against a given mean
// action flow abar(t) (Memoir.pdf, subsection "Best response, exploitability
// and the price of anarchy"): alpha(t,x) = -(A x + B_abar)/ca with the MFG's
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
	// The quadrature resolves the model's rates, gamma/ca included: flows
	// from the model (the equilibrium's E' ~ exp(r- t), |r-| >= gamma/ca)
	// vary that fast, and with a rate of 2k + cg/ca alone the layer at t = 0
	// went unresolved (C wrong in the fourth digit at gamma = 240).
	rate := 2*a.k + p.Cg/p.Ca + 2*p.Gamma/p.Ca + 1/p.T
	return &BestResponse{P: p, Abar: abar, a: a, rate: rate}, nil
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
	return P.Sigma*P.Sigma/2*P.Ca*b.a.logPsi(t) - b.intB2(t)/(2*P.Ca)
}

// intB2 returns ∫_t^T B^2 by the composite Gauss–Legendre rule of integrate.
// B at the rule's nodes s_1 < ... < s_M comes from one backward sweep,
//
//	W(s_j) = ∫_{s_j}^{s_{j+1}} abar e^{lp(u) - lp(s_j)} du + e^{lp(s_{j+1}) - lp(s_j)} W(s_{j+1}),
//
// B = -gamma W, lp = log psi, with an 8-point rule between neighbouring
// nodes: linear in the number of nodes, where calling B at each node (a
// quadrature each) would be quadratic and take minutes at large rates.
func (b *BestResponse) intB2(t float64) float64 {
	T := b.P.T
	if b.P.Gamma == 0 || t >= T {
		return 0
	}
	panels := min(int(math.Ceil((T-t)*b.rate/2))+1, 4000)
	h := (T - t) / float64(panels)
	nodes := make([]float64, 0, panels*len(gl20x))
	weights := make([]float64, 0, panels*len(gl20x))
	for i := 0; i < panels; i++ {
		mid := t + (float64(i)+0.5)*h
		for k, xi := range gl20x {
			nodes = append(nodes, mid+h/2*xi)
			weights = append(weights, h/2*gl20w[k])
		}
	}
	sum, W := 0.0, 0.0
	next, lpNext := T, 0.0 // lp(T) = 0
	for j := len(nodes) - 1; j >= 0; j-- {
		s := nodes[j]
		lps := b.a.logPsi(s)
		piece := 0.0
		if d := next - s; d > 0 {
			for k, xi := range gl8x {
				u := s + d/2*(1+xi)
				piece += d / 2 * gl8w[k] * b.Abar(u) * math.Exp(b.a.logPsi(u)-lps)
			}
		}
		W = piece + math.Exp(lpNext-lps)*W
		bs := -b.P.Gamma * W
		sum += weights[j] * bs * bs
		next, lpNext = s, lps
	}
	return sum
}

// Alpha returns the best-response feedback.
func (b *BestResponse) Alpha(t, x float64) float64 { return -(b.A(t)*x + b.B(t)) / b.P.Ca }

// Cost returns the best response's cost from X_0, E[v_abar(0, X_0)].
func (b *BestResponse) Cost() float64 {
	P := b.P
	return b.A(0)/2*(P.X0Mean*P.X0Mean+P.X0Std*P.X0Std) + b.B(0)*P.X0Mean + b.C(0)
}
