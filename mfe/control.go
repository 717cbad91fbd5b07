package mfe

import "fmt"

// Regime is the problem being solved: the mean-field game or mean-field control.
type Regime string

const (
	MFG Regime = "mfg" // Nash equilibrium of a large population
	MFC Regime = "mfc" // social planner
)

// ParseRegime returns the regime named s ("mfg" or "mfc").
func ParseRegime(s string) (Regime, error) {
	switch Regime(s) {
	case MFG, MFC:
		return Regime(s), nil
	}
	return "", fmt.Errorf("unknown regime %q: want %q or %q", s, MFG, MFC)
}

// Control is a feedback control alpha(t, x), evaluated on a batch of states:
// Eval sets out[i] = alpha(t, x[i]). Implementations backed by a compiled
// network evaluate the whole batch in one call.
type Control interface {
	Eval(t float64, x, out []float64)
}

// ControlFunc adapts a pointwise function to a Control.
type ControlFunc func(t, x float64) float64

// Eval implements Control.
func (f ControlFunc) Eval(t float64, x, out []float64) {
	for i, xi := range x {
		out[i] = f(t, xi)
	}
}

// ValueFunc is a value function v(t, x) on a batch of states, like Control.
type ValueFunc = Control

// AffineControl is the feedback alpha(t, x) = -(K(t) x + L(t)); Eval computes
// K(t) and L(t) once per batch.
type AffineControl struct {
	K, L func(t float64) float64
}

// Eval implements Control.
func (c AffineControl) Eval(t float64, x, out []float64) {
	k, l := c.K(t), c.L(t)
	for i, xi := range x {
		out[i] = -(k*xi + l)
	}
}
