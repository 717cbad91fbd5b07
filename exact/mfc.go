package exact

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mfe"
)

// MFC is the exact mean-field control optimum of SPEC §3:
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

// NewMFC returns the MFC solution for p, or an error when p is invalid or the
// problem has no solution on [0, T].
func NewMFC(p mfe.Params) (*MFC, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	m := &MFC{P: p, eta: newRiccati(p.T, p.Ca, p.CX, p.Cg), zeta: newRiccati(p.T, p.Ca, p.CX, p.Cg-p.Gamma)}
	if m.zeta.blowUp() {
		return nil, fmt.Errorf("exact: the MFC problem has no solution: etabar blows up before t = 0 "+
			"(gamma = %v > cg + sqrt(cx ca) = %v and T = %v is too long); shorten T or lower gamma",
			p.Gamma, p.Cg+math.Sqrt(p.CX*p.Ca), p.T)
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

// EtaBar returns etabar(t).
func (m *MFC) EtaBar(t float64) float64 { return m.P.Gamma + m.zeta.at(t) }

// XBar returns the optimal mean inventory xbar(t) = mu0 psi(t)/psi(0).
func (m *MFC) XBar(t float64) float64 { return m.P.X0Mean * math.Exp(m.zeta.logPsi(t)-m.lp0) }

// Alpha returns the optimal feedback alpha^(t, x).
func (m *MFC) Alpha(t, x float64) float64 {
	eta := m.Eta(t)
	return -(eta*x + (m.EtaBar(t)-eta-m.P.Gamma)*m.XBar(t)) / m.P.Ca
}

// Control returns alpha^ as an mfe.Control.
func (m *MFC) Control() mfe.Control { return m.affine().Control() }

func (m *MFC) affine() Affine {
	ca := m.P.Ca
	return Affine{P: m.P, K: func(t float64) float64 { return m.Eta(t) / ca },
		L: func(t float64) float64 { return (m.EtaBar(t) - m.Eta(t) - m.P.Gamma) * m.XBar(t) / ca }}
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

// Cost returns the optimal social cost J_MFC(alpha^), from the affine-control
// moment equations.
func (m *MFC) Cost() float64 {
	return m.affine().SocialCost()
}
