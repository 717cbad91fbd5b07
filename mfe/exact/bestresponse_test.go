package exact

import (
	"math"
	"testing"
)

// TestBestResponseToEquilibrium: against the equilibrium flow abar = E', the
// best response is alpha* itself and its cost is the equilibrium cost.
func TestBestResponseToEquilibrium(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := MustMFG(p)
			br, err := NewBestResponse(p, m.DE)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []float64{0, 0.4 * p.T, p.T} {
				if e := relErr(br.B(s), m.B(s)); e > 1e-10 {
					t.Errorf("B_abar(%v) = %v, B = %v", s, br.B(s), m.B(s))
				}
			}
			if e := relErr(br.Cost(), m.Cost()); e > 1e-10 {
				t.Errorf("best-response cost %v, equilibrium cost %v", br.Cost(), m.Cost())
			}
			// The same cost from the moment equations of the affine control.
			if e := relErr(AffineMFG(m).CostAgainst(m.DE), m.Cost()); e > 1e-9 {
				t.Errorf("affine cost %v, equilibrium cost %v", AffineMFG(m).CostAgainst(m.DE), m.Cost())
			}
		})
	}
}

func TestExploitability(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := MustMFG(p)
			eq := AffineMFG(m)
			e0, err := eq.Exploitability()
			if err != nil {
				t.Fatal(err)
			}
			scale := math.Abs(m.Cost()) + 1
			if math.Abs(e0) > 1e-9*scale {
				t.Errorf("exploitability of the exact control = %v, want 0", e0)
			}
			for _, eps := range []float64{0.01, 0.1} {
				c := eq
				c.L = func(t float64) float64 { return eq.L(t) + eps }
				e, err := c.Exploitability()
				if err != nil {
					t.Fatal(err)
				}
				// Exploitability is quadratic in the perturbation: positive, and
				// growing about 100-fold from eps = 0.01 to 0.1.
				if !(e > 1e-3*eps*eps) {
					t.Errorf("exploitability with offset %v = %v, want > 0", eps, e)
				}
			}
		})
	}
}
