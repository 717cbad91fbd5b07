package exact

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// MFG is the exact mean-field game equilibrium (Memoir.pdf, subsection "The
// MFG through its PDE system"): the value
// v(t,x) = A(t)/2 x^2 + B(t) x + C(t), the feedback
// alpha*(t,x) = -(A(t) x + B(t))/ca and the Gaussian laws of X_t and alpha*_t.
type MFG struct {
	P mfe.Params

	a     riccati
	rm    float64 // r- = (-gamma - sqrt(gamma^2 + 4 cX ca)) / (2 ca)
	rp    float64 // r+ = 2 cX / (gamma + sqrt(gamma^2 + 4 cX ca)) >= 0
	delta float64 // r+ - r-
	p     float64 // cg + ca r-
	q     float64 // cg + ca r+ >= 0
	lnDen float64 // log n(T), n as in (*MFG).logN
	rate  float64 // fastest exponential rate, for quadrature
	// far: -p exp(-delta T) > q, p's term dominates n(T), and E and E'
	// are written with the weights w and 1 - w (see (*MFG).E), lw = log w
	// and l1w = log(1 - w).
	far     bool
	lw, l1w float64
}

// NewMFG returns the MFG solution for p, or p's validation error.
func NewMFG(p mfe.Params) (*MFG, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	m := &MFG{P: p, a: newRiccati(p.T, p.Ca, p.CX, p.Cg)}
	disc := math.Sqrt(p.Gamma*p.Gamma + 4*p.CX*p.Ca)
	m.rm = (-p.Gamma - disc) / (2 * p.Ca)
	if disc > 0 {
		// r+ without the cancellation of (-gamma + disc)/(2 ca).
		m.rp = 2 * p.CX / (p.Gamma + disc)
	}
	m.delta = disc / p.Ca
	m.p = p.Cg + p.Ca*m.rm
	m.q = p.Cg + p.Ca*m.rp
	m.lnDen = m.logN(p.T)
	if dT := m.delta * p.T; dT > 1 && m.p < 0 {
		// log q and log(-p exp(-delta T)), the two terms of delta n(T)
		lq, lp := math.Log(m.q), math.Log(-m.p)-dT
		if lp > lq {
			m.far, m.lw, m.l1w = true, -softplus(lq-lp), -softplus(lp-lq)
		}
	}
	m.rate = 2*m.a.k + m.delta + math.Abs(m.rm) + p.Cg/p.Ca + 1/p.T
	if math.IsNaN(m.lnDen) || math.IsInf(m.lnDen, 0) {
		return nil, fmt.Errorf("exact: MFG mean inventory is singular for %+v", p)
	}
	return m, nil
}

// MustMFG is NewMFG for parameters known to be valid; it panics otherwise.
func MustMFG(p mfe.Params) *MFG {
	m, err := NewMFG(p)
	if err != nil {
		panic(err)
	}
	return m
}

// logN returns log n(tau), n(tau) = ca + p (1 - exp(-delta tau))/delta (ca + p tau
// when delta = 0), the mean inventory being E(t) = mu0 exp(r- t) n(T-t)/n(T).
// n > 0, but ca + p h cancels catastrophically once delta tau is large and
// p < 0 (strong impact, small penalties: n(T) = ca exp(-delta T) when
// cX = cg = 0), so there it uses n = (q - p exp(-delta tau))/delta, a sum of
// non-negative terms (q >= 0), in log space so that neither term underflows.
func (m *MFG) logN(tau float64) float64 {
	dt := m.delta * tau
	if dt <= 1 {
		h := tau
		if dt >= 1e-12 {
			h = -math.Expm1(-dt) / m.delta
		}
		return math.Log(m.P.Ca + m.p*h)
	}
	if m.p > 0 {
		// q > p > 0: no cancellation.
		return math.Log(m.q) + math.Log1p(-m.p/m.q*math.Exp(-dt)) - math.Log(m.delta)
	}
	return logAddExp(math.Log(m.q), math.Log(-m.p)-dt) - math.Log(m.delta)
}

// logAddExp returns log(exp(a) + exp(b)), either may be -Inf.
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(a, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// signedExp returns c exp(l), 0 when c = 0 whatever l.
func signedExp(c, l float64) float64 {
	if c == 0 {
		return 0
	}
	return c * math.Exp(l)
}

// A returns the Riccati coefficient A(t) (ca A' = A^2 - ca cX, A(T) = cg).
func (m *MFG) A(t float64) float64 { return m.a.at(t) }

// softplus returns log(1 + exp(x)).
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// E returns the mean inventory E(t) = E[X_t] at equilibrium.
//
// Where p's term dominates n(T) (p < 0, -p exp(-delta T) > q: strong impact
// and penalties near zero), the exponent of mu0 exp(r- t) n(T-t)/n(T) is a
// sum of terms of size delta T that cancel, leaving their rounding errors
// (of order ulp(delta T), 1e4 at gamma = 1e20); E is then written without
// them, with r- + delta = r+, as the combination
//
//	E(t) = mu0 ((1 - w) exp(r- t) + w exp(r+ t)),  w = -p exp(-delta T)/(delta n(T)) >= 1/2,
//
// in the form mu0 (1 + (1-w) expm1(r- t) + w expm1(r+ t)), exact at t = 0.
func (m *MFG) E(t float64) float64 {
	if m.far {
		if m.P.X0Mean == 0 {
			return 0
		}
		return m.P.X0Mean * (1 + math.Exp(m.l1w)*math.Expm1(m.rm*t) + math.Exp(m.lw)*math.Expm1(m.rp*t))
	}
	return signedExp(m.P.X0Mean, m.rm*t+m.logN(m.P.T-t)-m.lnDen)
}

// DE returns E'(t), the equilibrium mean trading rate abar_t:
// mu0 exp(r- t) (r- n(tau) - p exp(-delta tau))/n(T), tau = T - t, written
// without cancellation (ca r- - p = -cg, 1 - exp(-delta tau) = delta h) as
// mu0 exp(r- t) (p r+ h(tau) - cg)/n(T), and for large delta tau as
// mu0 exp(r- t) (r- q - r+ p exp(-delta tau))/(delta n(T)).
//
// Where p's term dominates n(T) it is the derivative of E's combination,
// mu0 ((1 - w) r- exp(r- t) + w r+ exp(r+ t)).
func (m *MFG) DE(t float64) float64 {
	tau := m.P.T - t
	mu0 := m.P.X0Mean
	if m.far {
		return signedExp(mu0*m.rm, m.l1w+m.rm*t) + signedExp(mu0*m.rp, m.lw+m.rp*t)
	}
	l := m.rm*t - m.lnDen
	if dt := m.delta * tau; dt <= 1 {
		h := tau
		if dt >= 1e-12 {
			h = -math.Expm1(-dt) / m.delta
		}
		return signedExp(mu0*(m.p*m.rp*h-m.P.Cg), l)
	}
	ld := l - math.Log(m.delta)
	return signedExp(mu0*m.rm*m.q, ld) - signedExp(mu0*m.rp*m.p, ld-m.delta*tau)
}

// B returns B(t) = -(A(t) E(t) + ca E'(t)).
func (m *MFG) B(t float64) float64 { return -(m.A(t)*m.E(t) + m.P.Ca*m.DE(t)) }

// C returns C(t) = ∫_t^T (sigma^2/2 A - B^2/(2 ca)) ds.
func (m *MFG) C(t float64) float64 {
	P := m.P
	// ∫_t^T A = ca log psi(t) in closed form.
	intA := P.Ca * m.a.logPsi(t)
	intB2 := integrate(func(s float64) float64 { b := m.B(s); return b * b }, t, P.T, m.rate)
	return P.Sigma*P.Sigma/2*intA - intB2/(2*P.Ca)
}

// Value returns v(t, x).
func (m *MFG) Value(t, x float64) float64 { return m.A(t)/2*x*x + m.B(t)*x + m.C(t) }

// Alpha returns the equilibrium feedback alpha*(t, x) = -(A x + B)/ca.
func (m *MFG) Alpha(t, x float64) float64 { return -(m.A(t)*x + m.B(t)) / m.P.Ca }

// Control returns alpha* as an mfe.Control.
func (m *MFG) Control() mfe.Control {
	ca := m.P.Ca
	return mfe.AffineControl{K: func(t float64) float64 { return m.A(t) / ca }, L: func(t float64) float64 { return m.B(t) / ca }}
}

// ValueFunc returns v as an mfe.ValueFunc that computes A, B and C (a
// quadrature) once per batch.
func (m *MFG) ValueFunc() mfe.ValueFunc { return valueFunc{m} }

type valueFunc struct{ m *MFG }

func (v valueFunc) Eval(t float64, x, out []float64) {
	a, b, c := v.m.A(t), v.m.B(t), v.m.C(t)
	for i, xi := range x {
		out[i] = a/2*xi*xi + b*xi + c
	}
}

// Law is the Gaussian law N(Mean, Var) of a scalar.
type Law struct{ Mean, Var float64 }

// Std returns the standard deviation.
func (l Law) Std() float64 { return math.Sqrt(l.Var) }

// Density returns the Gaussian density at x (a point mass has none: +Inf at the mean, 0 elsewhere).
func (l Law) Density(x float64) float64 {
	if l.Var == 0 {
		if x == l.Mean {
			return math.Inf(1)
		}
		return 0
	}
	d := x - l.Mean
	return math.Exp(-d*d/(2*l.Var)) / math.Sqrt(2*math.Pi*l.Var)
}

// LawX returns the law of X_t under alpha*, from the linear SDE's solution
// with Phi(t,s) = psi(t)/psi(s):
//
//	muX(t) = Phi(t,0) mu0 - (1/ca) ∫_0^t Phi(t,s) B(s) ds
//	SX(t)  = Phi(t,0)^2 s0^2 + sigma^2 ∫_0^t Phi(t,s)^2 ds
//
// by quadrature. It is independent of E(t), which it must equal.
func (m *MFG) LawX(t float64) Law {
	return lawX(m.P, m.a, m.rate, t, func(s float64) float64 { return m.B(s) / m.P.Ca })
}

// lawX is the law of X_t under the feedback -(a(t) x)/ca - bOverCa(t).
func lawX(P mfe.Params, a riccati, rate, t float64, bOverCa func(float64) float64) Law {
	lt := a.logPsi(t)
	phi := func(s float64) float64 { return math.Exp(lt - a.logPsi(s)) }
	phi0 := phi(0)
	mean := phi0*P.X0Mean - integrate(func(s float64) float64 { return phi(s) * bOverCa(s) }, 0, t, rate)
	v := phi0 * phi0 * P.X0Std * P.X0Std
	if P.Sigma != 0 {
		v += P.Sigma * P.Sigma * integrate(func(s float64) float64 { f := phi(s); return f * f }, 0, t, rate)
	}
	return Law{mean, v}
}

// LawAlpha returns the law of alpha*_t: mean -(A muX + B)/ca, variance (A/ca)^2 SX.
func (m *MFG) LawAlpha(t float64) Law {
	lx := m.LawX(t)
	a := m.A(t) / m.P.Ca
	return Law{-(m.A(t)*lx.Mean + m.B(t)) / m.P.Ca, a * a * lx.Var}
}

// LawAlphas returns LawAlpha at each of the times ts, increasing in [0, T]:
// time by time where LawAlpha's quadratures resolve the solution's rates,
// and by one sweep (Paths) where they would reach their cap (rate·T beyond
// about 8,000), so that the cost stays that of about two capped quadratures
// however many times are asked for.
func (m *MFG) LawAlphas(ts []float64) ([]Law, error) {
	if m.rate*m.P.T/2+1 > maxPanels {
		_, la, _, err := m.Paths(ts, nil)
		return la, err
	}
	out := make([]Law, len(ts))
	for i, t := range ts {
		if !(t >= 0 && t <= m.P.T) || (i > 0 && t < ts[i-1]) {
			return nil, fmt.Errorf("exact: LawAlphas needs increasing times in [0, T], got %v at %d", t, i)
		}
		out[i] = m.LawAlpha(t)
	}
	return out, nil
}

// Cost returns the equilibrium cost of the representative player,
// E[v(0, X_0)] = A(0)/2 (mu0^2 + s0^2) + B(0) mu0 + C(0).
func (m *MFG) Cost() float64 {
	P := m.P
	return m.A(0)/2*(P.X0Mean*P.X0Mean+P.X0Std*P.X0Std) + m.B(0)*P.X0Mean + m.C(0)
}

// Paths evaluates the solution at the times ts, increasing in [0, T], for
// tables and figures: the laws of X_t and alpha*_t and the value on the grid
// ts × xs (value[i][j] = v(ts[i], xs[j])). The quadratures run from one time
// to the next, so the cost grows like T·rate + len(ts); calling LawX,
// LawAlpha and Value at each time costs len(ts) times a whole quadrature
// (minutes for 1e5 times at large rates). The results agree with those
// methods to rounding.
func (m *MFG) Paths(ts, xs []float64) (lawX, lawAlpha []Law, value [][]float64, err error) {
	for i, t := range ts {
		if !(t >= 0 && t <= m.P.T) || (i > 0 && t < ts[i-1]) {
			return nil, nil, nil, fmt.Errorf("exact: Paths needs increasing times in [0, T], got %v at %d", t, i)
		}
	}
	P := m.P
	n := len(ts)
	lawX, lawAlpha, value = make([]Law, n), make([]Law, n), make([][]float64, n)
	// Each interval gets its share of one capped quadrature's panels.
	share := func(a, b float64) int { return int(math.Ceil(maxPanels * (b - a) / P.T)) }
	// Forward: the law of X, Phi(t_i, t_{i-1}) times the previous one plus
	// the integrals over [t_{i-1}, t_i].
	prev, mean, v := 0.0, P.X0Mean, P.X0Std*P.X0Std
	for i, t := range ts {
		lt := m.a.logPsi(t)
		phi := func(s float64) float64 { return math.Exp(lt - m.a.logPsi(s)) }
		ph := phi(prev)
		cap := share(prev, t)
		mean = ph*mean - integrateN(func(s float64) float64 { return phi(s) * m.B(s) / P.Ca }, prev, t, m.rate, cap)
		v *= ph * ph
		if P.Sigma != 0 {
			v += P.Sigma * P.Sigma * integrateN(func(s float64) float64 { f := phi(s); return f * f }, prev, t, m.rate, cap)
		}
		lawX[i] = Law{mean, v}
		a, b := m.A(t), m.B(t)
		k := a / P.Ca
		lawAlpha[i] = Law{-(a*mean + b) / P.Ca, k * k * v}
		prev = t
	}
	// Backward: ∫_t^T B^2 accumulated from T.
	next, intB2 := P.T, 0.0
	for i := n - 1; i >= 0; i-- {
		t := ts[i]
		intB2 += integrateN(func(s float64) float64 { b := m.B(s); return b * b }, t, next, m.rate, share(t, next))
		c := P.Sigma*P.Sigma/2*P.Ca*m.a.logPsi(t) - intB2/(2*P.Ca)
		a, b := m.A(t), m.B(t)
		value[i] = make([]float64, len(xs))
		for j, x := range xs {
			value[i][j] = a/2*x*x + b*x + c
		}
		next = t
	}
	return lawX, lawAlpha, value, nil
}
