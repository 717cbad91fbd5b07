package exact

import (
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// TestGridResponse: the grid maps give the best response's B at the grid
// times, as BestResponse does by quadrature, for a flow linear in t (which
// the grid holds exactly); for the equilibrium's flow E' they give its B up
// to the O(h^2) error of interpolating E' linearly.
func TestGridResponse(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := MustMFG(p)
			var prev float64
			for _, steps := range []int{40, 80} {
				g, err := NewGridResponse(p, steps)
				if err != nil {
					t.Fatal(err)
				}
				ts := mfe.TimeGrid(p.T, steps)
				line := func(s float64) float64 { return 0.5 - 0.7*s/p.T }
				f, eq, b := make([]float64, steps+1), make([]float64, steps+1), make([]float64, steps+1)
				for i, s := range ts {
					f[i], eq[i] = line(s), m.DE(s)
				}
				g.B(f, b)
				br, err := NewBestResponse(p, line)
				if err != nil {
					t.Fatal(err)
				}
				for i, s := range ts {
					if e := relErr(b[i], br.B(s)); e > 1e-9 {
						t.Errorf("B(%v) = %v on the grid, %v by quadrature", s, b[i], br.B(s))
					}
					if g.A[i] != br.A(s) {
						t.Errorf("A(%v) = %v, want %v", s, g.A[i], br.A(s))
					}
				}
				g.B(eq, b)
				worst := 0.0
				for i, s := range ts {
					worst = math.Max(worst, relErr(b[i], m.B(s)))
				}
				t.Logf("%d steps: B of the equilibrium flow within %.2g", steps, worst)
				if steps == 80 && !(worst < prev/3 || worst < 1e-12) {
					t.Errorf("equilibrium flow: error %v at 80 steps, %v at 40: not second order", worst, prev)
				}
				prev = worst
			}
		})
	}
	if _, err := NewGridResponse(mfe.Reference(), 0); err == nil {
		t.Error("accepted 0 steps")
	}
}

// TestVerificationIdentities checks the identities package sim estimates
// the exploitability and the social-cost gap by, on affine controls
// alpha = -(K x + L), where they reduce to moments m = E X_t, V = Var X_t:
//
//	J(alpha; abar) - J(BR; abar) = (ca/2) ∫ E[(alpha - alpha_BR)^2] dt,
//	J_MFC(alpha) - J_MFC(alpha^) = (ca/2) ∫ E[(alpha + (eta X + (zeta - eta) m)/ca)^2] dt,
//
// abar the control's own mean action, against the differences of costs
// that Affine computes.
func TestVerificationIdentities(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			mfg := AffineMFG(MustMFG(p))
			c := mfg
			c.K = func(t float64) float64 { return mfg.K(t)*(1+0.1*math.Cos(2*t)) + 0.05 }
			c.L = func(t float64) float64 { return mfg.L(t) + 0.1*math.Sin(3*t) }
			br, err := NewBestResponse(p, c.MeanAction())
			if err != nil {
				t.Fatal(err)
			}
			ca := p.Ca
			got := affineGap(c, func(t, m float64) (float64, float64) { return br.A(t) / ca, br.B(t) / ca })
			want, err := c.Exploitability()
			if err != nil {
				t.Fatal(err)
			}
			if e := math.Abs(got-want) / want; !(e < 1e-6) {
				t.Errorf("exploitability %v by the identity, %v by the costs", got, want)
			}
			mfc, err := NewMFC(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, ctl := range []Affine{c, mfg} {
				got := affineGap(ctl, func(t, m float64) (float64, float64) {
					return mfc.Eta(t) / ca, (mfc.Zeta(t) - mfc.Eta(t)) * m / ca
				})
				want := ctl.SocialCost() - mfc.Cost()
				if !(math.Abs(got-want) <= 1e-6*want+1e-12*math.Abs(mfc.Cost())) { // gamma = 0: the MFG control is the MFC's
					t.Errorf("social-cost gap %v by the identity, %v by the costs", got, want)
				}
			}
		})
	}
}

// affineGap returns (ca/2) ∫ E[(alpha + P X + Q)^2] dt under the affine
// control alpha = -(K x + L), (P, Q) = pq(t, E X_t), by RK4 on the moments.
func affineGap(c Affine, pq func(t, m float64) (float64, float64)) float64 {
	p := c.P
	f := func(t float64, y [3]float64) [3]float64 {
		k, l := c.K(t), c.L(t)
		m, v := y[0], y[1]
		a, b := pq(t, m)
		// alpha + a X + b = (a - k) X + (b - l)
		s, r := a-k, b-l
		return [3]float64{-(k*m + l), -2*k*v + p.Sigma*p.Sigma, p.Ca / 2 * (s*s*(v+m*m) + 2*s*r*m + r*r)}
	}
	const n = 4000
	h := p.T / n
	y := [3]float64{p.X0Mean, p.X0Std * p.X0Std, 0}
	for i := 0; i < n; i++ {
		t := float64(i) * h
		k1 := f(t, y)
		k2 := f(t+h/2, add(y, k1, h/2))
		k3 := f(t+h/2, add(y, k2, h/2))
		k4 := f(t+h, add(y, k3, h))
		for j := range y {
			y[j] += h / 6 * (k1[j] + 2*k2[j] + 2*k3[j] + k4[j])
		}
	}
	return y[2]
}
