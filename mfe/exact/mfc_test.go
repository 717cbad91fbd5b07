package exact

import (
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// directEtaBar is etabar, the solution of
// ca etabar' = (etabar - gamma)^2 - ca cX, etabar(T) = cg, in the direct
// closed form through the roots c1, c2 = -gamma/ca ∓ sqrt(cX/ca) (it
// overflows for large (c2 - c1)(T - t)), for comparison with the package's
// stable form.
func directEtaBar(p mfe.Params, t float64) float64 {
	k := math.Sqrt(p.CX / p.Ca)
	c1, c2, w := -p.Gamma/p.Ca-k, -p.Gamma/p.Ca+k, p.Cg/p.Ca
	e := math.Exp((c2 - c1) * (p.T - t))
	return -p.Ca * ((c2+w)*c1*e - c2*(c1+w)) / ((c2+w)*e - (c1 + w))
}

func TestMFCAgainstODE(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m, err := NewMFC(p)
			if err != nil {
				t.Fatal(err)
			}
			const n = 20000
			// etabar backwards from T: ca etabar' = (etabar - gamma)^2 - ca cX.
			ric := func(_ float64, y []float64) []float64 {
				z := y[0] - p.Gamma
				return []float64{(z*z - p.Ca*p.CX) / p.Ca}
			}
			// xbar forwards: xbar' = (gamma - etabar) xbar / ca, with etabar from its own ODE
			// integrated backwards to 0 first.
			eb0 := rk4(ric, []float64{p.Cg}, p.T, 0, n)[0]
			fwd := func(_ float64, y []float64) []float64 {
				z := y[0] - p.Gamma
				return []float64{(z*z - p.Ca*p.CX) / p.Ca, (p.Gamma - y[0]) * y[1] / p.Ca}
			}
			for _, s := range []float64{0, 0.25 * p.T, 0.5 * p.T, p.T} {
				eb := rk4(ric, []float64{p.Cg}, p.T, s, n)[0]
				if e := relErr(m.EtaBar(s), eb); e > 1e-8 {
					t.Errorf("etabar(%v) = %v, ODE %v", s, m.EtaBar(s), eb)
				}
				if p.CX > 0 {
					if e := relErr(directEtaBar(p, s), m.EtaBar(s)); e > 1e-9 {
						t.Errorf("etabar(%v) = %v, direct closed form %v", s, m.EtaBar(s), directEtaBar(p, s))
					}
				}
				y := rk4(fwd, []float64{eb0, p.X0Mean}, 0, s, n)
				if e := relErr(m.XBar(s), y[1]); e > 1e-8 {
					t.Errorf("xbar(%v) = %v, ODE %v", s, m.XBar(s), y[1])
				}
				// The population's mean action is xbar'.
				if e := relErr(m.MeanAlpha(s), m.Alpha(s, m.XBar(s))); e > 1e-12 {
					t.Errorf("alpha^(t, xbar) = %v, xbar' = %v", m.Alpha(s, m.XBar(s)), m.MeanAlpha(s))
				}
			}
		})
	}
}

// TestReferenceValues pins the exact controls at (0, 0.5) under the reference
// parameters to four decimals: the MFG's sells and the MFC's buys (Memoir.pdf,
// "Why the planner accumulates inventory when gamma > cg").
func TestReferenceValues(t *testing.T) {
	p := mfe.Reference()
	if got := MustMFG(p).Alpha(0, 0.5); math.Abs(got-(-1.1545)) > 5e-5 {
		t.Errorf("MFG alpha*(0, 0.5) = %v, want about -1.1545", got)
	}
	if got := MustMFC(p).Alpha(0, 0.5); math.Abs(got-1.0862) > 5e-5 {
		t.Errorf("MFC alpha^(0, 0.5) = %v, want about 1.0862", got)
	}
}

// TestMFCIsOptimal checks that the MFC control's social cost is below that of
// nearby affine controls and of the MFG equilibrium.
func TestMFCIsOptimal(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := MustMFC(p)
			best := m.Cost()
			if g := MustMFG(p); p.Gamma > 0 {
				if mfg := AffineMFG(g).SocialCost(); !(mfg > best) {
					t.Errorf("MFG social cost %v is not above the MFC optimum %v", mfg, best)
				}
			}
			for _, eps := range []float64{-0.05, 0.05} {
				for _, dir := range []func(float64) float64{
					func(float64) float64 { return 1 },
					func(t float64) float64 { return t / p.T },
				} {
					c := Affine{P: p,
						K: func(t float64) float64 { return m.Eta(t)/p.Ca + eps*dir(t) },
						L: func(t float64) float64 {
							return (m.EtaBar(t)-m.Eta(t)-p.Gamma)*m.XBar(t)/p.Ca + eps*dir(t)
						}}
					if j := c.SocialCost(); !(j > best) {
						t.Errorf("perturbed control (eps %v) has social cost %v <= optimum %v", eps, j, best)
					}
				}
			}
		})
	}
}

func TestMFCNoSolution(t *testing.T) {
	p := mfe.Reference()
	p.T = 2 // etabar blows up at T - t ≈ 1.55 under the reference parameters
	if _, err := NewMFC(p); err == nil {
		t.Fatal("NewMFC accepted a horizon past the Riccati blow-up")
	}
	p.T = 1.5
	if _, err := NewMFC(p); err != nil {
		t.Fatalf("NewMFC(T = 1.5): %v", err)
	}
}
