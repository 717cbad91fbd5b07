// Package modeltest holds the checks that the solvers' tests share on
// models other than the LQ one.
package modeltest

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// WithinControls fails t at each point of a grid of (t, x) — eleven times
// on [0, T], x on [-6, 6] in steps of 0.25, wider than any population of
// the tests' parameters — where the control c leaves the control set
// [lo, hi] (either end may be infinite) or is NaN, the point named after
// what (a regime, say).
func WithinControls(t testing.TB, what string, c mfe.Control, T, lo, hi float64) {
	t.Helper()
	xs := mfe.Linspace(-6, 6, 49)
	a := make([]float64, len(xs))
	for _, tt := range mfe.Linspace(0, T, 11) {
		c.Eval(tt, xs, a)
		for i, v := range a {
			if !(v >= lo && v <= hi) {
				t.Errorf("%s: alpha(%g, %g) = %g outside the control set [%g, %g]", what, tt, xs[i], v, lo, hi)
			}
		}
	}
}
