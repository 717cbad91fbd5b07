package model

import "math"

// Partials returns ∂f/∂xbar and ∂f/∂abar of m's running cost at a point:
// the model's own (MeanPartials) or central differences (NumericPartials).
func Partials(m Model) func(t, x, a, xbar, abar float64) (dxbar, dabar float64) {
	if mp, ok := m.(MeanPartials); ok {
		return mp.MeanPartials
	}
	return func(t, x, a, xbar, abar float64) (float64, float64) { return NumericPartials(m, t, x, a, xbar, abar) }
}

// NumericPartials returns ∂f/∂xbar and ∂f/∂abar of m's running cost by
// central differences of step 1e-5 max(1, |xbar|) (resp. |abar|): exact
// for a cost quadratic in the mean terms but for rounding, about 1e-11
// relative.
func NumericPartials(m Model, t, x, a, xbar, abar float64) (dxbar, dabar float64) {
	hx := 1e-5 * math.Max(1, math.Abs(xbar))
	ha := 1e-5 * math.Max(1, math.Abs(abar))
	dxbar = (m.Running(t, x, a, xbar+hx, abar) - m.Running(t, x, a, xbar-hx, abar)) / (2 * hx)
	dabar = (m.Running(t, x, a, xbar, abar+ha) - m.Running(t, x, a, xbar, abar-ha)) / (2 * ha)
	return dxbar, dabar
}

// Minimise returns a minimiser of h over [lo, hi] (either end may be
// infinite) for a convex h, to within about 1e-8 of the bracket's size
// (where a smooth h is flat to rounding): golden-section search on a
// bracket, grown from the finite end or from 0 by doubling steps until h
// turns up when the set is unbounded. It is the minimiser a model without
// a closed form can give (Model.Minimiser), at some 60 evaluations of h:
//
//	func (m myModel) Minimiser(t, x, q, xbar, abar float64) float64 {
//		return model.Minimise(func(a float64) float64 { return a*q + m.Running(t, x, a, xbar, abar) }, m.amin, m.amax)
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
