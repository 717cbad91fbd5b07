package exact

import (
	"errors"
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// MFC is the exact mean-field control optimum (Memoir.pdf, subsection "The
// MFC solution"):
//
//	alpha^(t,x) = -(eta(t) x + (etabar(t) - eta(t) - gamma) xbar(t)) / ca
//
// with eta = A (the MFG Riccati), ca etabar' = (etabar - gamma)^2 - ca cX,
// etabar(T) = cg, and xbar' = (gamma - etabar) xbar / ca, xbar(0) = mu0.
//
// zeta = etabar - gamma solves the same Riccati as A with terminal value
// cg - gamma. When gamma > cg + sqrt(cX ca) that value lies below the stable
// branch and zeta reaches -Inf backwards in finite time; if that happens
// within [0, T] the planner's cost is unbounded below and NewMFC reports it.
type MFC struct {
	P    mfe.Params
	eta  riccati
	zeta riccati
	lp0  float64 // log psi_zeta(0)
}

// ErrNoSolution is wrapped by NewMFC's error when the MFC problem has no
// solution on [0, T] (etabar blows up; the planner's cost is unbounded below).
var ErrNoSolution = errors.New("exact: the MFC problem has no solution")

// NewMFC returns the MFC solution for p, or an error when p is invalid (a
// *mfe.ParamError) or the problem has no solution on [0, T] (ErrNoSolution).
func NewMFC(p mfe.Params) (*MFC, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	m := &MFC{P: p, eta: newRiccati(p.T, p.Ca, p.CX, p.Cg), zeta: newRiccati(p.T, p.Ca, p.CX, p.Cg-p.Gamma)}
	if m.zeta.blowUp() {
		return nil, fmt.Errorf("%w: etabar blows up before t = 0 "+
			"(gamma = %v > cg + sqrt(cx ca) = %v and T = %v is too long); shorten T or lower gamma",
			ErrNoSolution, p.Gamma, p.Cg+math.Sqrt(p.CX*p.Ca), p.T)
	}
	m.lp0 = m.zeta.logPsi(0)
	return m, nil
}

// MustMFC is NewMFC for parameters known to be valid; it panics otherwise.
func MustMFC(p mfe.Params) *MFC {
	m, err := NewMFC(p)
	if err != nil {
		panic(err)
	}
	return m
}

// Eta returns eta(t) = A(t).
func (m *MFC) Eta(t float64) float64 { return m.eta.at(t) }

// EtaBar returns etabar(t) = gamma + zeta(t), written as
// (cg + (gamma (cg - gamma) + cX ca) rho)/(1 + (cg - gamma) rho) so that it
// keeps its relative precision where etabar << gamma (the sum cancelled).
func (m *MFC) EtaBar(t float64) float64 {
	P := m.P
	rho := m.zeta.rho(P.T - t)
	return (P.Cg + (P.Gamma*(P.Cg-P.Gamma)+P.CX*P.Ca)*rho) / (1 + (P.Cg-P.Gamma)*rho)
}

// XBar returns the optimal mean inventory xbar(t) = mu0 psi(t)/psi(0).
func (m *MFC) XBar(t float64) float64 { return m.P.X0Mean * math.Exp(m.zeta.logPsi(t)-m.lp0) }

// Alpha returns the optimal feedback alpha^(t, x).
func (m *MFC) Alpha(t, x float64) float64 {
	eta := m.Eta(t)
	return -(eta*x + (m.zeta.at(t)-eta)*m.XBar(t)) / m.P.Ca
}

// Control returns alpha^ as an mfe.Control.
func (m *MFC) Control() mfe.Control { return m.affine().Control() }

func (m *MFC) affine() Affine {
	ca := m.P.Ca
	return Affine{P: m.P, K: func(t float64) float64 { return m.Eta(t) / ca },
		L: func(t float64) float64 { return (m.zeta.at(t) - m.Eta(t)) * m.XBar(t) / ca }}
}

// MeanAlpha returns the optimal mean trading rate xbar'(t).
func (m *MFC) MeanAlpha(t float64) float64 { return -m.zeta.at(t) * m.XBar(t) / m.P.Ca }

// LawX returns the law of X_t under alpha^: mean xbar(t); the variance obeys
// the same equation as in the MFG, since the feedback slope is eta = A.
func (m *MFC) LawX(t float64) Law {
	P := m.P
	rate := 2*m.eta.k + math.Abs(m.zeta.at(0))/P.Ca + P.Cg/P.Ca + 1/P.T
	v := lawX(P, m.eta, rate, t, func(float64) float64 { return 0 })
	return Law{m.XBar(t), v.Var}
}

// Cost returns the optimal social cost J_MFC(alpha^). Splitting X_t into its
// mean xbar and the centred part, the cost is that of two LQ problems, the
// mean's with value etabar/2 xbar^2 and the centred part's with value
// eta/2 y^2 plus the noise's ∫ sigma^2/2 eta:
//
//	J_MFC = etabar(0) mu0^2/2 + eta(0) s0^2/2 + sigma^2/2 ∫_0^T eta dt,
//
// in closed form (∫ eta = ca log psi).
func (m *MFC) Cost() float64 {
	P := m.P
	return m.EtaBar(0)*P.X0Mean*P.X0Mean/2 + m.Eta(0)*P.X0Std*P.X0Std/2 +
		P.Sigma*P.Sigma/2*P.Ca*m.eta.logPsi(0)
}
