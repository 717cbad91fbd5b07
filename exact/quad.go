package exact

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// integrate returns ∫_a^b f by composite 20-point Gauss–Legendre quadrature
// with enough panels that rate·(panel width) stays below about 2, rate being
// the fastest exponential rate in f.
func integrate(f func(float64) float64, a, b, rate float64) float64 {
	if b == a {
		return 0
	}
	panels := int(math.Ceil(math.Abs(b-a)*rate/2)) + 1
	if panels > 4000 {
		panels = 4000
	}
	h := (b - a) / float64(panels)
	sum := 0.0
	for i := 0; i < panels; i++ {
		lo := a + float64(i)*h
		sum += quad.Fixed(f, lo, lo+h, 20, quad.Legendre{}, 0)
	}
	return sum
}
