package finitedifference

import (
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// Model is what the solver needs of a mean-field execution model: the
// dynamics dX = a dt + sigma dW on [0, T] from X_0 ~ N(x0-mean, x0-std^2)
// (Params gives T, sigma and the initial law; the cost parameters in it are
// the model's own business), the running cost f(t, x, a, xbar, abar) with
// xbar = E[X_t] and abar = E[alpha_t], the terminal cost g(x), the control
// set [amin, amax] and the Hamiltonian's minimiser.
type Model interface {
	// Params gives T, sigma, x0-mean and x0-std.
	Params() mfe.Params
	// Running is the running cost f(t, x, a, xbar, abar).
	Running(t, x, a, xbar, abar float64) float64
	// Terminal is the terminal cost g(x).
	Terminal(x float64) float64
	// Controls is the control set [amin, amax]; either end may be infinite.
	Controls() (amin, amax float64)
	// Minimiser returns a minimiser over the control set of
	// a q + f(t, x, a, xbar, abar): the feedback at co-state q.
	Minimiser(t, x, q, xbar, abar float64) float64
	// Rate is the fastest rate (1/time) of the model's solutions, 0 if
	// none: the time step resolves it.
	Rate() float64
}

// MeanPartials is implemented by a model that gives the partial derivatives
// of its running cost in the mean terms, ∂f/∂xbar and ∂f/∂abar, in closed
// form. For a model without it the solver takes central differences
// (numericPartials). A model that embeds LQ (or Capped) to reuse its
// methods inherits LQ's MeanPartials, which are those of LQ's running
// cost: a model that changes Running must not embed them, or must give its
// own MeanPartials, or the MFC it solves is charged the wrong marginal cost.
type MeanPartials interface {
	MeanPartials(t, x, a, xbar, abar float64) (dxbar, dabar float64)
}

// LQ is the price-impact model of package mfe:
// f = cX/2 x^2 + ca/2 a^2 - gamma x abar, g = cg/2 x^2, unbounded control,
// whose minimiser is -q/ca.
type LQ struct{ P mfe.Params }

// Params implements Model.
func (m LQ) Params() mfe.Params { return m.P }

// Running implements Model.
func (m LQ) Running(_, x, a, _, abar float64) float64 {
	return m.P.CX/2*x*x + m.P.Ca/2*a*a - m.P.Gamma*x*abar
}

// Terminal implements Model.
func (m LQ) Terminal(x float64) float64 { return m.P.Cg / 2 * x * x }

// Controls implements Model: the whole line.
func (LQ) Controls() (amin, amax float64) { return math.Inf(-1), math.Inf(1) }

// Minimiser implements Model.
func (m LQ) Minimiser(_, _, q, _, _ float64) float64 { return -q / m.P.Ca }

// Rate implements Model: the largest of sqrt(cX/ca) (the Riccati
// equation's relaxation), cg/ca (the feedback's gain at T) and gamma/ca
// (the price impact's).
func (m LQ) Rate() float64 {
	p := m.P
	return math.Max(math.Sqrt(p.CX/p.Ca), math.Max(p.Cg/p.Ca, p.Gamma/p.Ca))
}

// MeanPartials implements MeanPartials: ∂f/∂xbar = 0, ∂f/∂abar = -gamma x.
func (m LQ) MeanPartials(_, x, _, _, _ float64) (dxbar, dabar float64) {
	return 0, -m.P.Gamma * x
}

// partials returns ∂f/∂xbar and ∂f/∂abar of m at a point: the model's own
// (MeanPartials) or central differences.
func partials(m Model) func(t, x, a, xbar, abar float64) (float64, float64) {
	if mp, ok := m.(MeanPartials); ok {
		return mp.MeanPartials
	}
	return func(t, x, a, xbar, abar float64) (float64, float64) { return numericPartials(m, t, x, a, xbar, abar) }
}

// numericPartials returns ∂f/∂xbar and ∂f/∂abar by central differences of
// step 1e-5 max(1, |xbar|) (resp. |abar|): exact for a cost quadratic in the
// mean terms but for rounding, about 1e-11 relative.
func numericPartials(m Model, t, x, a, xbar, abar float64) (dxbar, dabar float64) {
	hx := 1e-5 * math.Max(1, math.Abs(xbar))
	ha := 1e-5 * math.Max(1, math.Abs(abar))
	dxbar = (m.Running(t, x, a, xbar+hx, abar) - m.Running(t, x, a, xbar-hx, abar)) / (2 * hx)
	dabar = (m.Running(t, x, a, xbar, abar+ha) - m.Running(t, x, a, xbar, abar-ha)) / (2 * ha)
	return dxbar, dabar
}

// Capped is the LQ model with the trading rate capped, |a| <= A (a
// participation limit): the control set is [-A, A] and the minimiser
// clip(-q/ca, -A, A). As A grows it is the LQ model.
type Capped struct {
	LQ
	A float64
}

// Controls implements Model.
func (m Capped) Controls() (amin, amax float64) { return -m.A, m.A }

// Minimiser implements Model.
func (m Capped) Minimiser(_, _, q, _, _ float64) float64 {
	return math.Max(-m.A, math.Min(m.A, -q/m.P.Ca))
}

// Minimise returns a minimiser of h over [lo, hi] (either end may be
// infinite) for a convex h, to within about 1e-8 of the bracket's size
// (where a smooth h is flat to rounding): golden-section search on a
// bracket, grown from the finite end or from 0 by doubling steps until h
// turns up when the set is unbounded. It is the minimiser a model without
// a closed form can give (Model.Minimiser), at some 60 evaluations of h:
//
//	func (m myModel) Minimiser(t, x, q, xbar, abar float64) float64 {
//		return finitedifference.Minimise(func(a float64) float64 { return a*q + m.Running(t, x, a, xbar, abar) }, m.amin, m.amax)
//	}
func Minimise(h func(a float64) float64, lo, hi float64) float64 {
	if lo == hi {
		return lo
	}
	if math.IsInf(lo, -1) || math.IsInf(hi, 1) {
		c := 0.0
		switch {
		case !math.IsInf(lo, -1):
			c = lo
		case !math.IsInf(hi, 1):
			c = hi
		}
		hc := h(c)
		bracketed := false
		for step := 1.0; !math.IsInf(step, 0); step *= 2 {
			l, r := math.Max(lo, c-step), math.Min(hi, c+step)
			hl, hr := h(l), h(r)
			if (l == c || hl >= hc) && (r == c || hr >= hc) {
				lo, hi, bracketed = l, r, true
				break
			}
			if hl < hr {
				c, hc = l, hl
			} else {
				c, hc = r, hr
			}
		}
		if !bracketed {
			return c
		}
	}
	const g = 0.3819660112501051 // (3 - sqrt 5)/2
	a, b := lo, hi
	x1, x2 := a+g*(b-a), b-g*(b-a)
	h1, h2 := h(x1), h(x2)
	for tol := 1e-12 * (hi - lo); b-a > tol; {
		if h1 <= h2 {
			b, x2, h2 = x2, x1, h1
			x1 = a + g*(b-a)
			h1 = h(x1)
		} else {
			a, x1, h1 = x1, x2, h2
			x2 = b - g*(b-a)
			h2 = h(x2)
		}
	}
	return (a + b) / 2
}
