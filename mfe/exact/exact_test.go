package exact

import (
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// paramSets are the parameter sets every cross-check runs on: the reference,
// a deterministic one (sigma = 0, s0 = 0), one without running penalty or
// impact (cX = 0, gamma = 0: the degenerate delta = 0 case), one with a long
// horizon and a strong inventory penalty, and one with cg = 0.
var paramSets = map[string]mfe.Params{
	"reference":     mfe.Reference(),
	"deterministic": {T: 1, Sigma: 0, Gamma: 1.75, Ca: 1, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0},
	"no-penalty":    {T: 2, Sigma: 0.3, Gamma: 0, Ca: 0.5, CX: 0, Cg: 1, X0Mean: -1, X0Std: 0.2},
	"long-stiff":    {T: 3, Sigma: 1, Gamma: 0.5, Ca: 0.5, CX: 2, Cg: 2, X0Mean: 2, X0Std: 0.5},
	"no-terminal":   {T: 0.5, Sigma: 0.2, Gamma: 3, Ca: 2, CX: 0.5, Cg: 0, X0Mean: 1, X0Std: 0.1},
}

func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Max(1, math.Abs(want))
}

// deriv returns f'(t) by a fourth-order central difference, one-sided near
// the ends of [lo, hi], with a step of 1e-3 of the interval up to 1e-3.
func deriv(f func(float64) float64, t, lo, hi float64) float64 {
	h := math.Min(1e-3, 1e-3*(hi-lo))
	if t-2*h < lo {
		return (-25*f(t) + 48*f(t+h) - 36*f(t+2*h) + 16*f(t+3*h) - 3*f(t+4*h)) / (12 * h)
	}
	if t+2*h > hi {
		return (25*f(t) - 48*f(t-h) + 36*f(t-2*h) - 16*f(t-3*h) + 3*f(t-4*h)) / (12 * h)
	}
	return (f(t-2*h) - 8*f(t-h) + 8*f(t+h) - f(t+2*h)) / (12 * h)
}

func TestMFGEquations(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := MustMFG(p)
			if e := relErr(m.A(p.T), p.Cg); e > 1e-14 {
				t.Errorf("A(T) = %v, want cg = %v", m.A(p.T), p.Cg)
			}
			if e := relErr(m.E(0), p.X0Mean); e > 1e-13 {
				t.Errorf("E(0) = %v, want %v", m.E(0), p.X0Mean)
			}
			if r := p.Cg*m.E(p.T) + p.Ca*m.DE(p.T); math.Abs(r) > 1e-12 {
				t.Errorf("cg E(T) + ca E'(T) = %v, want 0", r)
			}
			for _, s := range mfe.Linspace(0, p.T, 11) {
				// Riccati: ca A' = A^2 - ca cX.
				if r := p.Ca*deriv(m.A, s, 0, p.T) - (m.A(s)*m.A(s) - p.Ca*p.CX); math.Abs(r) > 1e-7*(1+m.A(s)*m.A(s)) {
					t.Errorf("Riccati residual at t=%v: %v", s, r)
				}
				// E' matches a finite difference of E, and ca E'' = cX E - gamma E'.
				if e := relErr(deriv(m.E, s, 0, p.T), m.DE(s)); e > 1e-8 {
					t.Errorf("E'(%v) = %v, finite difference %v", s, m.DE(s), deriv(m.E, s, 0, p.T))
				}
				if r := p.Ca*deriv(m.DE, s, 0, p.T) - (p.CX*m.E(s) - p.Gamma*m.DE(s)); math.Abs(r) > 1e-7 {
					t.Errorf("mean equation residual at t=%v: %v", s, r)
				}
				// The law of X_t from the SDE solution has mean E(t).
				if e := relErr(m.LawX(s).Mean, m.E(s)); e > 1e-10 {
					t.Errorf("muX(%v) = %v, E = %v", s, m.LawX(s).Mean, m.E(s))
				}
			}
		})
	}
}

// TestHJBResidual checks that v solves
// ∂t v - gamma x abar + cX/2 x^2 + sigma^2/2 ∂xx v - (∂x v)^2/(2 ca) = 0 with abar = E'.
func TestHJBResidual(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := MustMFG(p)
			for _, s := range mfe.Linspace(0, p.T, 9) {
				for _, x := range mfe.Linspace(-2, 2, 9) {
					vt := deriv(func(u float64) float64 { return m.Value(u, x) }, s, 0, p.T)
					const h = 1e-3
					vx := (m.Value(s, x+h) - m.Value(s, x-h)) / (2 * h)
					vxx := (m.Value(s, x+h) - 2*m.Value(s, x) + m.Value(s, x-h)) / (h * h)
					r := vt - p.Gamma*x*m.DE(s) + p.CX/2*x*x + p.Sigma*p.Sigma/2*vxx - vx*vx/(2*p.Ca)
					scale := 1 + math.Abs(vt) + vx*vx/(2*p.Ca)
					if math.Abs(r) > 1e-6*scale {
						t.Errorf("HJB residual at (t=%v, x=%v) = %v", s, x, r)
					}
				}
			}
		})
	}
}

// TestFBSDEForm checks that Y_t = ∂x v(t, X_t) = A X + B with Z = sigma A solves
// the FBSDE dY = -(cX X - gamma E[alpha]) dt + Z dW, alpha = -Y/ca: its drift
// A' X + A alpha + B' must equal -(cX X - gamma E'), for every x, i.e.
// A' - A^2/ca = -cX and B' - A B/ca = gamma E'.
func TestFBSDEForm(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := MustMFG(p)
			for _, s := range mfe.Linspace(0, p.T, 11) {
				for _, x := range []float64{-1, 0, 0.5, 2} {
					y := m.A(s)*x + m.B(s)
					alpha := -y / p.Ca
					if e := relErr(alpha, m.Alpha(s, x)); e > 1e-14 {
						t.Fatalf("alpha from Y differs from the PDE feedback")
					}
					drift := deriv(m.A, s, 0, p.T)*x + m.A(s)*alpha + deriv(m.B, s, 0, p.T)
					want := -(p.CX*x - p.Gamma*m.DE(s))
					if math.Abs(drift-want) > 1e-7*(1+math.Abs(want)) {
						t.Errorf("Y drift at (t=%v, x=%v) = %v, want %v", s, x, drift, want)
					}
				}
				// Terminal condition Y_T = cg X_T: A(T) = cg, B(T) = 0.
				if b := m.B(p.T); math.Abs(b) > 1e-12 {
					t.Errorf("B(T) = %v, want 0", b)
				}
			}
		})
	}
}

// rk4 integrates y' = f(t, y) from t0 to t1 in n steps.
func rk4(f func(t float64, y []float64) []float64, y0 []float64, t0, t1 float64, n int) []float64 {
	y := append([]float64(nil), y0...)
	h := (t1 - t0) / float64(n)
	tmp := make([]float64, len(y))
	step := func(base []float64, k []float64, c float64) []float64 {
		for i := range tmp {
			tmp[i] = base[i] + c*k[i]
		}
		return tmp
	}
	for i := 0; i < n; i++ {
		t := t0 + float64(i)*h
		k1 := f(t, y)
		k2 := f(t+h/2, step(y, k1, h/2))
		k3 := f(t+h/2, step(y, k2, h/2))
		k4 := f(t+h, step(y, k3, h))
		for j := range y {
			y[j] += h / 6 * (k1[j] + 2*k2[j] + 2*k3[j] + k4[j])
		}
	}
	return y
}

// TestMFGAgainstODE compares A, E, B, C with an independent numerical solve of
// the ODE system: Riccati backwards, the mean's two-point problem by linear
// shooting, and C backwards, all with RK4.
func TestMFGAgainstODE(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := MustMFG(p)
			const n = 20000
			// Mean: ca E'' = cX E - gamma E', state (E, E'); E linear in E'(0).
			meanODE := func(_ float64, y []float64) []float64 {
				return []float64{y[1], (p.CX*y[0] - p.Gamma*y[1]) / p.Ca}
			}
			bc := func(y []float64) float64 { return p.Cg*y[0] + p.Ca*y[1] }
			y0 := rk4(meanODE, []float64{p.X0Mean, 0}, 0, p.T, n)
			y1 := rk4(meanODE, []float64{p.X0Mean, 1}, 0, p.T, n)
			slope := -bc(y0) / (bc(y1) - bc(y0)) // E'(0)
			for _, s := range []float64{0.3 * p.T, 0.7 * p.T, p.T} {
				ys := rk4(meanODE, []float64{p.X0Mean, slope}, 0, s, n)
				if e := relErr(m.E(s), ys[0]); e > 1e-8 {
					t.Errorf("E(%v) = %v, ODE %v", s, m.E(s), ys[0])
				}
			}
			// A and C backwards from T (B from the closed form of E'):
			// ca A' = A^2 - ca cX; C' = -(sigma^2/2 A - B^2/(2 ca)).
			abc := func(u float64, y []float64) []float64 {
				b := -(y[0]*m.E(u) + p.Ca*m.DE(u))
				return []float64{(y[0]*y[0] - p.Ca*p.CX) / p.Ca, -(p.Sigma*p.Sigma/2*y[0] - b*b/(2*p.Ca))}
			}
			for _, s := range []float64{0, 0.5 * p.T} {
				y := rk4(abc, []float64{p.Cg, 0}, p.T, s, n)
				if e := relErr(m.A(s), y[0]); e > 1e-8 {
					t.Errorf("A(%v) = %v, ODE %v", s, m.A(s), y[0])
				}
				if e := relErr(m.C(s), y[1]); e > 1e-8 {
					t.Errorf("C(%v) = %v, ODE %v", s, m.C(s), y[1])
				}
			}
		})
	}
}
