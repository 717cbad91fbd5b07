package exact

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// GridResponse is the best response ([BestResponse]) to mean-action flows
// known at the points t_i = i T/steps of an even grid and linear between
// them, the flows a particle simulation gives. On each cell the
// best-response equation ca B' = A B + gamma ca abar is linear in B and
// abar, and B(t) = -gamma ∫_t^T abar(s) psi(s)/psi(t) ds gives
//
//	B(t_i) = E_i B(t_{i+1}) + U_i abar_i + W_i abar_{i+1},   B(T) = 0,
//
// with E_i = psi(t_{i+1})/psi(t_i) in closed form and U_i, W_i the integrals
// of -gamma psi(s)/psi(t_i) against the two hat functions of the cell, by
// Gauss–Legendre quadrature: exact for such flows to rounding.
type GridResponse struct {
	P       mfe.Params
	Steps   int
	A       []float64 // A(t_i), the Riccati coefficient of every best response
	e, u, w []float64
}

// cellPanels caps the quadrature panels of one grid cell.
const cellPanels = 16

// NewGridResponse returns the best-response maps of the grid of steps cells
// on [0, T].
func NewGridResponse(p mfe.Params, steps int) (*GridResponse, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if steps < 1 {
		return nil, fmt.Errorf("exact: %d grid steps, want >= 1", steps)
	}
	r := newRiccati(p.T, p.Ca, p.CX, p.Cg)
	g := &GridResponse{P: p, Steps: steps, A: make([]float64, steps+1),
		e: make([]float64, steps), u: make([]float64, steps), w: make([]float64, steps)}
	h := p.T / float64(steps)
	ts := mfe.TimeGrid(p.T, steps)
	amax := 0.0
	for i, t := range ts {
		g.A[i] = r.at(t)
		amax = math.Max(amax, g.A[i]/p.Ca)
	}
	// A cell spans h*amax <= 0.1 at the steps package sim chooses: one
	// panel; capping them at cellPanels keeps stiffer grids fast (and B
	// bounded: the integrands lie in [0, 1]), if less accurate.
	rate := amax + 1/h
	for i := 0; i < steps; i++ {
		t0, t1 := ts[i], ts[i+1]
		l0 := r.logPsi(t0)
		g.e[i] = math.Exp(r.logPsi(t1) - l0)
		if p.Gamma == 0 {
			continue
		}
		g.u[i] = -p.Gamma * integrateN(func(s float64) float64 { return (t1 - s) / h * math.Exp(r.logPsi(s)-l0) }, t0, t1, rate, cellPanels)
		g.w[i] = -p.Gamma * integrateN(func(s float64) float64 { return (s - t0) / h * math.Exp(r.logPsi(s)-l0) }, t0, t1, rate, cellPanels)
	}
	return g, nil
}

// B writes into b (length Steps+1) the best response's B(t_i) to the flow
// abar (length Steps+1, linear between grid times).
func (g *GridResponse) B(abar, b []float64) {
	b[g.Steps] = 0
	for i := g.Steps - 1; i >= 0; i-- {
		b[i] = g.e[i]*b[i+1] + g.u[i]*abar[i] + g.w[i]*abar[i+1]
	}
}

// Zeta returns zeta(t) = etabar(t) - gamma, the coefficient of the value
// (zeta/2) xbar^2 of the planner's problem in the mean inventory (Memoir.pdf,
// subsection "The MFC solution").
func (m *MFC) Zeta(t float64) float64 { return m.zeta.at(t) }
