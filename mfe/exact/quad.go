package exact

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/integrate/quad"
)

// integrate returns ∫_a^b f by composite 20-point Gauss–Legendre quadrature
// with enough panels that rate·(panel width) stays below about 2, rate being
// the fastest exponential rate in f, and at most maxPanels panels.
func integrate(f func(float64) float64, a, b, rate float64) float64 {
	return integrateN(f, a, b, rate, maxPanels)
}

// maxPanels bounds the panels of one quadrature (80,000 evaluations).
const maxPanels = 4000

// integrateN is integrate with at most max panels (at least 1).
func integrateN(f func(float64) float64, a, b, rate float64, max int) float64 {
	if b == a {
		return 0
	}
	panels := max
	if want := math.Ceil(math.Abs(b-a)*rate/2) + 1; want < float64(max) { // false for NaN
		panels = int(want)
	}
	panels = maxInt(panels, 1)
	h := (b - a) / float64(panels)
	sum := 0.0
	for i := 0; i < panels; i++ {
		mid := a + (float64(i)+0.5)*h
		for k, x := range gl20x {
			sum += h / 2 * gl20w[k] * f(mid+h/2*x)
		}
	}
	return sum
}

// Gauss–Legendre nodes (increasing) and weights on [-1, 1], 20 and 8 points.
var (
	gl20x, gl20w = legendre(20)
	gl8x, gl8w   = legendre(8)
)

func legendre(n int) (x, w []float64) {
	x, w = make([]float64, n), make([]float64, n)
	quad.Legendre{}.FixedLocations(x, w, -1, 1)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	xs, ws := make([]float64, n), make([]float64, n)
	for i, j := range idx {
		xs[i], ws[i] = x[j], w[j]
	}
	return xs, ws
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
