package exact

import (
	"errors"
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// fuzzSeeds are parameter sets at the edges of the model: a long stiff
// horizon (T·sqrt(cX/ca) = 1e4), a tiny trading cost, no noise at all, a
// strong impact with cX = cg = 0 (gamma = 40 and 1e20), gamma on both sides
// of the MFC blow-up threshold (T = 1.5 and 1.56 around the reference's
// blow-up at 1.55; gamma just above cg + sqrt(cX ca)), the edges of
// Params.Validate's range, and invalid ones.
var fuzzSeeds = []mfe.Params{
	{T: 100, Sigma: 1, Gamma: 1, Ca: 1e-2, CX: 100, Cg: 1, X0Mean: 1, X0Std: 0.5},
	{T: 1, Sigma: 0.5, Gamma: 1.75, Ca: 1e-12, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0.3},
	{T: 1, Sigma: 0, Gamma: 1.75, Ca: 1, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0},
	{T: 1, Sigma: 0.5, Gamma: 40, Ca: 1, CX: 0, Cg: 0, X0Mean: 0.5, X0Std: 0.3},
	{T: 1, Sigma: 0.5, Gamma: 1e20, Ca: 1, CX: 0, Cg: 0, X0Mean: 0.5, X0Std: 0.3},
	{T: 1, Sigma: 0.5, Gamma: 30, Ca: 1, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0.3},
	{T: 1.5, Sigma: 0.5, Gamma: 1.75, Ca: 1, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0.3},
	{T: 1.56, Sigma: 0.5, Gamma: 1.75, Ca: 1, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0.3},
	{T: 1, Sigma: 0.5, Gamma: 0.3 + math.Sqrt2 + 1e-9, Ca: 1, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0.3},
	{T: 1e20, Sigma: 1e20, Gamma: 1e20, Ca: 1e-20, CX: 1e20, Cg: 1e20, X0Mean: -1e20, X0Std: 1e20},
	{T: 5e-324, Sigma: 0, Gamma: 0, Ca: 1e20, CX: 0, Cg: 0, X0Mean: 0, X0Std: 0},
	{T: 0, Sigma: 0.5, Gamma: 1.75, Ca: 1, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0.3},
	{T: 1, Sigma: 0.5, Gamma: 1.75, Ca: math.NaN(), CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0.3},
	{T: 1, Sigma: 0.5, Gamma: 1.75, Ca: 1e-300, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0.3},
	{T: 1, Sigma: 0.5, Gamma: 1.75, Ca: 1, CX: 2, Cg: 0.3, X0Mean: math.Inf(1), X0Std: -1},
}

// FuzzExact checks the exact solutions for any parameters: invalid ones give
// Params.Validate's *mfe.ParamError from every constructor; valid ones give
// the MFG, the best response to its flow, and the MFC or ErrNoSolution (only
// above the blow-up threshold), with finite values everywhere checked, at
// a fuzzed time in [0, T] and state |x| < mfe.MaxParam. Identities that hold to
// rounding are checked always, and those that need accurate quadrature when
// the fastest rate times T is moderate.
func FuzzExact(f *testing.F) {
	for _, p := range paramSets {
		f.Add(p.T, p.Sigma, p.Gamma, p.Ca, p.CX, p.Cg, p.X0Mean, p.X0Std, 0.5, 1.0)
	}
	for _, p := range fuzzSeeds {
		f.Add(p.T, p.Sigma, p.Gamma, p.Ca, p.CX, p.Cg, p.X0Mean, p.X0Std, 0.9, -1.0)
	}
	f.Fuzz(func(t *testing.T, T, sigma, gamma, ca, cx, cg, mu0, s0, u, x float64) {
		p := mfe.Params{T: T, Sigma: sigma, Gamma: gamma, Ca: ca, CX: cx, Cg: cg, X0Mean: mu0, X0Std: s0}
		checkExact(t, p, u, x)
	})
}

func checkExact(t *testing.T, p mfe.Params, u, x float64) {
	if err := p.Validate(); err != nil {
		var pe *mfe.ParamError
		if _, e := NewMFG(p); !errors.As(e, &pe) {
			t.Errorf("NewMFG(%+v) = %v, want a *mfe.ParamError", p, e)
		}
		if _, e := NewMFC(p); !errors.As(e, &pe) {
			t.Errorf("NewMFC(%+v) = %v, want a *mfe.ParamError", p, e)
		}
		if _, e := NewBestResponse(p, func(float64) float64 { return 0 }); !errors.As(e, &pe) {
			t.Errorf("NewBestResponse(%+v) = %v, want a *mfe.ParamError", p, e)
		}
		return
	}
	// A time in [0, T] and a state within the parameters' range.
	u = math.Abs(u)
	if math.IsNaN(u) || math.IsInf(u, 0) {
		u = 0.5
	}
	u -= math.Floor(u)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = 1
	}
	x = math.Mod(x, mfe.MaxParam)
	times := []float64{0, u * p.T, p.T}
	finite := func(what string, s, v float64) {
		t.Helper()
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%+v: %s(t = %v) = %v", p, what, s, v)
		}
	}
	near := func(what string, s, got, want, tol float64) {
		t.Helper()
		if !(math.Abs(got-want) <= tol) {
			t.Fatalf("%+v: %s(t = %v) = %v, want %v ± %v", p, what, s, got, want, tol)
		}
	}

	m, err := NewMFG(p)
	if err != nil {
		t.Fatalf("NewMFG(%+v): %v", p, err)
	}
	// Quadrature and the moment equations are accurate while their step
	// counts are not capped.
	accurate := m.rate*p.T < 1000
	sq := math.Sqrt(p.CX * p.Ca)
	lo, hi := math.Min(p.Cg, sq), math.Max(p.Cg, sq)
	near("A", p.T, m.A(p.T), p.Cg, 0)
	near("E", 0, m.E(0), p.X0Mean, 0)
	for _, s := range times {
		a, e, de := m.A(s), m.E(s), m.DE(s)
		finite("A", s, a)
		finite("E", s, e)
		finite("E'", s, de)
		finite("B", s, m.B(s))
		finite("C", s, m.C(s))
		finite("alpha", s, m.Alpha(s, x))
		finite("value", s, m.Value(s, x))
		// A moves monotonically from cg to sqrt(cX ca); E/mu0 from 1
		// towards 0, without crossing it (maximum principle for
		// ca E'' = cX E - gamma E' with cg E(T) + ca E'(T) = 0).
		if !(a >= lo*(1-1e-12) && a <= hi*(1+1e-12)) {
			t.Fatalf("%+v: A(%v) = %v outside [%v, %v]", p, s, a, lo, hi)
		}
		if r := e / p.X0Mean; p.X0Mean != 0 && !(r >= -1e-12 && r <= 1+1e-12) {
			t.Fatalf("%+v: E(%v)/mu0 = %v outside [0, 1]", p, s, r)
		}
		lx, la := m.LawX(s), m.LawAlpha(s)
		finite("mean X", s, lx.Mean)
		finite("var X", s, lx.Var)
		finite("mean alpha", s, la.Mean)
		finite("var alpha", s, la.Var)
		// Phi <= 1 since A >= 0: Var X_t <= s0^2 + sigma^2 t.
		if vmax := p.X0Std*p.X0Std + p.Sigma*p.Sigma*s; !(lx.Var >= 0 && lx.Var <= vmax*(1+1e-9)) {
			t.Fatalf("%+v: Var X_%v = %v outside [0, %v]", p, s, lx.Var, vmax)
		}
		if accurate {
			near("muX - E", s, lx.Mean, e, 1e-8*math.Abs(p.X0Mean)*(1+m.rate*p.T))
		}
	}
	// Terminal condition of the mean: cg E(T) + ca E'(T) = 0 to rounding.
	eT := math.Abs(m.E(p.T))
	// (eT + 1e-300: where E(T) underflows, E' may still be subnormal.)
	near("cg E + ca E'", p.T, p.Cg*m.E(p.T)+p.Ca*m.DE(p.T), 0, 1e-12*(p.Cg+p.Ca*math.Abs(m.rm)+math.Abs(m.p))*(eT+1e-300))
	cost := m.Cost()
	finite("MFG cost", 0, cost)

	br, err := NewBestResponse(p, m.DE)
	if err != nil {
		t.Fatalf("NewBestResponse(%+v): %v", p, err)
	}
	for _, s := range times {
		finite("best-response B", s, br.B(s))
		if accurate {
			// B = -(A E + ca E') cancels when gamma is small.
			scale := math.Abs(m.A(s)*m.E(s)) + p.Ca*math.Abs(m.DE(s)) + p.Gamma*p.T*math.Abs(m.rm*p.X0Mean)
			near("best-response B", s, br.B(s), m.B(s), 1e-8*scale)
		}
	}
	brCost := br.Cost()
	finite("best-response cost", 0, brCost)
	if accurate {
		bScale := math.Abs(m.B(0)) + p.Gamma*p.T*math.Abs(m.rm*p.X0Mean)
		scale := math.Abs(cost) + math.Abs(m.C(0)) + m.A(0)*(p.X0Mean*p.X0Mean+p.X0Std*p.X0Std) + bScale*math.Abs(p.X0Mean)
		near("best-response cost", 0, brCost, cost, 1e-8*scale)
	}

	c, err := NewMFC(p)
	if errors.Is(err, ErrNoSolution) {
		// Only possible when zeta(T) = cg - gamma lies below the stable
		// branch -sqrt(cX ca).
		if !(p.Gamma > p.Cg+sq) {
			t.Fatalf("NewMFC(%+v) reports a blow-up below the threshold: %v", p, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("NewMFC(%+v): %v", p, err)
	}
	near("etabar", p.T, c.EtaBar(p.T), p.Cg, 1e-15*(p.Cg+p.Gamma))
	near("xbar", 0, c.XBar(0), p.X0Mean, 0)
	for _, s := range times {
		near("eta - A", s, c.Eta(s), m.A(s), 0)
		finite("etabar", s, c.EtaBar(s))
		finite("xbar", s, c.XBar(s))
		finite("MFC alpha", s, c.Alpha(s, x))
		finite("MFC mean alpha", s, c.MeanAlpha(s))
		lx := c.LawX(s)
		finite("MFC mean X", s, lx.Mean)
		finite("MFC var X", s, lx.Var)
		if vmax := p.X0Std*p.X0Std + p.Sigma*p.Sigma*s; !(lx.Var >= 0 && lx.Var <= vmax*(1+1e-9)) {
			t.Fatalf("%+v: MFC Var X_%v = %v outside [0, %v]", p, s, lx.Var, vmax)
		}
	}
	mfcCost := c.Cost()
	finite("MFC cost", 0, mfcCost)
	scale := math.Abs(c.EtaBar(0))*p.X0Mean*p.X0Mean + c.Eta(0)*p.X0Std*p.X0Std + p.Sigma*p.Sigma*p.Ca*c.eta.logPsi(0)
	if accurate && wellConditioned(p, mfcCost, 1e-10*scale) {
		social := c.affine().SocialCost()
		near("MFC cost", 0, mfcCost, social, 1e-8*scale)
	}
}

// wellConditioned reports whether the MFC cost moves by less than tol when
// gamma moves by a relative 1e-12. Near the blow-up threshold
// gamma = cg + sqrt(cX ca) with k T large, etabar sits on the Riccati's
// backward-unstable branch and rounding in cg - gamma grows like
// exp(2 k T): every method, closed form or RK4, then answers for a slightly
// different problem, and the two need not agree.
func wellConditioned(p mfe.Params, cost, tol float64) bool {
	for _, f := range []float64{1 - 1e-12, 1 + 1e-12} {
		q := p
		q.Gamma *= f
		c, err := NewMFC(q)
		if err != nil || !(math.Abs(c.Cost()-cost) <= tol) {
			return false
		}
	}
	return true
}

// The tests below pin the bugs that fuzzing found.

// TestMFGStrongImpact: with gamma large and cX = cg = 0 the mean inventory's
// normaliser ca + p h(T) = ca exp(-gamma T/ca) used to cancel to zero, so
// NewMFG reported a singular problem (and garbage just before). The exact
// answer there is E = mu0, E' = 0: nobody trades without a penalty. At
// gamma = 1e20 the exponents of E, of size gamma T/ca, cancelled to their
// rounding errors (E = NaN at t = 0.1, and mfe analytic failed to encode
// it). With a penalty the mean must still meet its equations.
func TestMFGStrongImpact(t *testing.T) {
	for _, gamma := range []float64{40, 1e6, 1e20} {
		p := mfe.Params{T: 1, Sigma: 0.5, Gamma: gamma, Ca: 1, CX: 0, Cg: 0, X0Mean: 0.5, X0Std: 0.3}
		m, err := NewMFG(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range mfe.Linspace(0, p.T, 11) {
			if math.Abs(m.E(s)-p.X0Mean) > 1e-14 || math.Abs(m.DE(s)) > 1e-12 || math.Abs(m.B(s)) > 1e-12 {
				t.Errorf("gamma %v, t=%v: E = %v, E' = %v, B = %v; want mu0, 0, 0", gamma, s, m.E(s), m.DE(s), m.B(s))
			}
		}
	}
	for _, gamma := range []float64{30, 200} {
		p := mfe.Params{T: 1, Sigma: 0.5, Gamma: gamma, Ca: 1, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0.3}
		m := MustMFG(p)
		if r := p.Cg*m.E(p.T) + p.Ca*m.DE(p.T); math.Abs(r) > 1e-12 {
			t.Errorf("gamma %v: cg E(T) + ca E'(T) = %v", gamma, r)
		}
		// ca E'' = cX E - gamma E' (E' varies at rate gamma/ca: central
		// differences with h = 1e-6 are good to about 1e-8).
		for _, s := range []float64{0.01, 0.3, 0.7} {
			const h = 1e-6
			d2 := (m.DE(s+h) - m.DE(s-h)) / (2 * h)
			r := p.Ca*d2 - (p.CX*m.E(s) - p.Gamma*m.DE(s))
			if math.Abs(r) > 1e-6*(p.CX*math.Abs(m.E(s))+p.Gamma*math.Abs(m.DE(s))) {
				t.Errorf("gamma %v, t=%v: mean equation residual %v", gamma, s, r)
			}
			if e := relErr(m.LawX(s).Mean, m.E(s)); e > 1e-9 {
				t.Errorf("gamma %v: muX(%v) = %v, E = %v", gamma, s, m.LawX(s).Mean, m.E(s))
			}
		}
	}
}

// TestMFCCostClosedForm: MFC.Cost integrated the moment equations with
// 200·rate·T RK4 steps (4 s at T·sqrt(cX/ca) = 1e4, a panic from make for
// larger rates); the closed form must agree with that integration.
func TestMFCCostClosedForm(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := MustMFC(p)
			if got, want := m.Cost(), m.affine().SocialCost(); relErr(got, want) > 1e-10 {
				t.Errorf("closed-form cost %v, moment equations %v", got, want)
			}
		})
	}
	p := fuzzSeeds[0] // T sqrt(cX/ca) = 1e4
	if c := MustMFC(p).Cost(); math.IsNaN(c) || math.IsInf(c, 0) {
		t.Errorf("stiff MFC cost = %v", c)
	}
}

// TestBestResponseStiff: BestResponse.C nested one quadrature inside another
// (87 s at T·sqrt(cX/ca) = 1000, quadratic in the rate); the backward sweep
// must give the equilibrium cost against the equilibrium flow.
func TestBestResponseStiff(t *testing.T) {
	p := mfe.Params{T: 10, Sigma: 1, Gamma: 1, Ca: 1e-2, CX: 100, Cg: 1, X0Mean: 1, X0Std: 0.5}
	m := MustMFG(p)
	br, err := NewBestResponse(p, m.DE)
	if err != nil {
		t.Fatal(err)
	}
	if e := relErr(br.Cost(), m.Cost()); e > 1e-10 {
		t.Errorf("best-response cost %v, equilibrium cost %v", br.Cost(), m.Cost())
	}
}

// TestLogCoshSmall: log cosh y was y + log(1 + e^-2y) - log 2, which loses
// all digits of y^2/2 for small y; with ca = 1e20, C = sigma^2/2 ca log psi
// then came out wrong by 15 % (found by FuzzExact, corpus 66961e3f0ca2b402).
func TestLogCoshSmall(t *testing.T) {
	for _, y := range []float64{1e-8, 1e-3, 0.5, 0.999, 1, 3, 30, 800} {
		want := math.Log(math.Cosh(y))
		if y <= 1e-3 {
			want = y*y/2 - y*y*y*y/12 + y*y*y*y*y*y/45
		}
		if y > 700 {
			want = y - math.Ln2
		}
		if e := math.Abs(logCosh(y)-want) / want; e > 1e-14 {
			t.Errorf("logCosh(%v) = %v, want %v", y, logCosh(y), want)
		}
	}
	p := mfe.Params{T: 17, Sigma: 73, Gamma: 0, Ca: 1e20, CX: 90, Cg: 95, X0Mean: 39, X0Std: 0}
	m := MustMFG(p)
	if got, want := m.Cost(), AffineMFG(m).SocialCost(); relErr(got, want) > 1e-9 {
		t.Errorf("MFG cost %v, moment equations %v", got, want)
	}
}

// TestEtaBarSmall: etabar = gamma + zeta cancelled where etabar << gamma
// (cX = cg = 0, huge ca: etabar(0) = -gamma^2 T/ca / (1 - gamma T/ca) ≈ -6e-17
// came out 0; found by FuzzExact, corpus cd0e9d57c46807d4).
func TestEtaBarSmall(t *testing.T) {
	p := mfe.Params{T: 97, Sigma: 0, Gamma: 8, Ca: 1e20, CX: 0, Cg: 0, X0Mean: -89, X0Std: 29}
	rho := p.T / p.Ca
	want := -p.Gamma * p.Gamma * rho / (1 - p.Gamma*rho)
	if got := MustMFC(p).EtaBar(0); math.Abs(got-want) > 1e-14*math.Abs(want) {
		t.Errorf("etabar(0) = %v, want %v", got, want)
	}
}

func TestMFCNoSolutionIsErrNoSolution(t *testing.T) {
	p := mfe.Reference()
	p.T = 2
	if _, err := NewMFC(p); !errors.Is(err, ErrNoSolution) {
		t.Fatalf("NewMFC(T = 2) = %v, want ErrNoSolution", err)
	}
}

// TestPaths: the path evaluation agrees with LawX, LawAlpha and Value.
func TestPaths(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := MustMFG(p)
			ts, xs := mfe.TimeGrid(p.T, 7), []float64{-1, 0, 0.5, 2}
			lx, la, v, err := m.Paths(ts, xs)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range ts {
				if w := m.LawX(s); relErr(lx[i].Mean, w.Mean) > 1e-12 || relErr(lx[i].Var, w.Var) > 1e-12 {
					t.Errorf("law of X_%v: path %v, LawX %v", s, lx[i], w)
				}
				if w := m.LawAlpha(s); relErr(la[i].Mean, w.Mean) > 1e-12 || relErr(la[i].Var, w.Var) > 1e-12 {
					t.Errorf("law of alpha_%v: path %v, LawAlpha %v", s, la[i], w)
				}
				for j, x := range xs {
					if w := m.Value(s, x); relErr(v[i][j], w) > 1e-12 {
						t.Errorf("v(%v, %v): path %v, Value %v", s, x, v[i][j], w)
					}
				}
			}
			if _, _, _, err := m.Paths([]float64{0.5 * p.T, 0}, xs); err == nil {
				t.Error("Paths accepted decreasing times")
			}
		})
	}
}
