package tabular

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/importcheck"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl"
)

const mfrlPath = "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl"

// TestModelFree: the learner's package and package mfrl import the
// standard library and, for the learner, mfrl only, so no parameter of the
// model and nothing of its exact solution can reach the learner but
// through an mfrl.Env (or what its Config is told).
func TestModelFree(t *testing.T) {
	for _, dir := range []string{".", filepath.Join("..", "..", "..", "internal", "mfrl")} {
		imports, err := importcheck.NonStandard(dir)
		if err != nil {
			t.Fatal(err)
		}
		for f, paths := range imports {
			for _, path := range paths {
				if path != mfrlPath || dir != "." {
					t.Errorf("%s imports %s: a learner sees the model only through an mfrl.Env", f, path)
				}
			}
		}
	}
}

// linEnv is a test environment: X_0 ~ N(m0, s0^2), X_{n+1} = X_n + a dt +
// sigma sqrt(dt) xi, reward -(x^2 + a^2)/2 dt + kx MeanX x dt + ka MeanA a dt,
// terminal -x^2/2.
type linEnv struct {
	steps             int
	dt, m0, s0, sigma float64
	lo, hi, kx, ka    float64
	breakAt           int // Step returns +Inf from this step on (0: never)
}

func (e *linEnv) Steps() int                     { return e.steps }
func (e *linEnv) Horizon() float64               { return e.dt * float64(e.steps) }
func (e *linEnv) Actions() (lo, hi float64)      { return e.lo, e.hi }
func (e *linEnv) Initial(rng *rand.Rand) float64 { return e.m0 + e.s0*rng.NormFloat64() }
func (e *linEnv) Step(n int, x, a float64, rng *rand.Rand) float64 {
	if e.breakAt > 0 && n >= e.breakAt {
		return math.Inf(1)
	}
	return x + a*e.dt + e.sigma*math.Sqrt(e.dt)*rng.NormFloat64()
}
func (e *linEnv) Reward(n int, x, a float64, s mfrl.Stats) float64 {
	return (-(x*x+a*a)/2 + e.kx*s.MeanX*x + e.ka*s.MeanA*a) * e.dt
}
func (e *linEnv) Terminal(x float64) float64 { return -x * x / 2 }

func testEnv() *linEnv {
	return &linEnv{steps: 8, dt: 0.125, m0: 0.5, s0: 0.3, sigma: 0.5, lo: -4, hi: 4, kx: 0.7, ka: -1.3}
}

func testConfig() Config {
	return Config{DX: 0.25, DA: 1, RangeK: 3.5, Pilot: 1000, Levels: 2, RefineJ: 3, Epsilon: 0.1,
		ExpQ: 0.7, ExpMu: 0.85, SubGrid: true, Edges: EdgesExtrapolate, MinVisits: 50}
}

// TestGridFromPilot: with the range not set, the state grid covers the
// pilot's mean ± RangeK sd at every time, and no more than a spacing
// beyond; a pilot that leaves float64's range is refused.
func TestGridFromPilot(t *testing.T) {
	e, cfg := testEnv(), testConfig()
	l, err := New(e, cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	g := l.Grid()
	mom, _ := pilot(e, cfg, 3)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, m := range mom {
		lo, hi = math.Min(lo, m.Mean-3.5*m.SD), math.Max(hi, m.Mean+3.5*m.SD)
	}
	top := g.X(g.NX - 1)
	if g.XMin != lo || top < hi || top > hi+g.DX || g.AMin != e.lo || g.AMax != e.hi || g.Steps != e.steps || g.DT != e.dt {
		t.Errorf("grid %+v (top %g), want [%g, %g] and the environment's times and actions", g, top, lo, hi)
	}
	e.breakAt = 3
	if _, err := New(e, cfg, 3); err == nil {
		t.Errorf("a pilot reaching +Inf: no error")
	}
}

// TestMarginalEstimate: the estimated derivatives of the reward in the
// population's statistics are, at every time, the running means over the
// visited (x, a) of d r/d MeanX = kx x dt and d r/d MeanA = ka a dt: the
// same running means as the population's moments, so kx dt xbar_n and
// ka dt abar_n, to within the finite differences' rounding.
func TestMarginalEstimate(t *testing.T) {
	e, cfg := testEnv(), testConfig()
	cfg.Marginal = true
	l, err := New(e, cfg, 4)
	if err != nil {
		t.Fatal(err)
	}
	l.Run(2000)
	for n := 0; n < e.steps; n++ {
		wx, wa := e.kx*e.dt*l.xbar[n], e.ka*e.dt*l.abar[n]
		if math.Abs(l.gradX[n]-wx) > 1e-8 || math.Abs(l.gradA[n]-wa) > 1e-8 {
			t.Errorf("t_%d: gradients %.10f %.10f, want %.10f %.10f", n, l.gradX[n], l.gradA[n], wx, wa)
		}
	}
}

// TestFitEdges: the edges' parabola is the weighted least-squares fit of
// the learned values: a concave parabola is recovered exactly, a convex
// one becomes its least-squares line; beyond the grid a state is worth the
// edge's value plus the fit's loss, never more than the edge.
func TestFitEdges(t *testing.T) {
	e, cfg := testEnv(), testConfig()
	l, err := New(e, cfg, 5)
	if err != nil {
		t.Fatal(err)
	}
	g, NX := l.Grid(), l.Grid().NX
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range l.visits {
		l.visits[i] = uint32(rng.IntN(1000))
	}
	for n := 0; n < e.steps; n++ {
		for i := 0; i < NX; i++ {
			x := g.X(i)
			l.bestV[n*NX+i] = 0.3 - 0.4*x - (0.2+0.1*float64(n))*x*x
			if n == 1 {
				l.bestV[n*NX+i] = 1 + 2*x + x*x // convex
			}
		}
	}
	l.fitEdges()
	for n := 0; n < e.steps; n++ {
		p := l.edge[n]
		for _, x := range []float64{-7, 0, 2.5, 9} {
			want := 0.3 - 0.4*x - (0.2+0.1*float64(n))*x*x
			if n == 1 {
				continue
			}
			if got := p.at(x); math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
				t.Errorf("t_%d: fit at %g = %.12g, want %.12g", n, x, got, want)
			}
		}
	}
	if p := l.edge[1]; p.c2 != 0 || !(p.c1 > 0) {
		t.Errorf("convex values: fit %+v, want a line (c2 = 0) rising", p)
	}
	top := g.X(NX - 1)
	v := l.bestV[2*NX+NX-1]
	want := v + l.edge[2].at(top+1) - l.edge[2].at(top)
	if got := l.outside(2, NX-1, top+1); math.Abs(got-want) > 1e-12*math.Abs(want) || !(got < v) {
		t.Errorf("beyond the upper edge: %g, want %g (< the edge's %g)", got, want, v)
	}
	// at t_1 the line rises beyond the upper edge: no gain there
	if got := l.outside(1, NX-1, top+1); got != l.bestV[NX+NX-1] {
		t.Errorf("beyond the upper edge of a rising line: %g, want the edge's %g", got, l.bestV[NX+NX-1])
	}
}

// kinkEnv is testEnv with trading costs that differ by side: selling
// (a < 0) costs csell/2 a^2 dt where buying costs a^2/2 dt, a kink at
// a = 0.
type kinkEnv struct {
	*linEnv
	csell float64
}

func (e kinkEnv) Reward(n int, x, a float64, s mfrl.Stats) float64 {
	r := e.linEnv.Reward(n, x, a, s)
	if a < 0 {
		r -= (e.csell - 1) / 2 * a * a * e.dt
	}
	return r
}

// TestKinkedReward: a reward kinked in the action is found not quadratic
// (the linear-quadratic one is), and a row whose Q is that reward plus a
// smooth continuation gets Q's maximiser as its greedy action and Q's
// maximum as its value, where the window's least-squares parabola alone
// puts the greedy action 0.09 and 0.26 spacings off, toward the cheaper
// side: exactly when the maximiser is a fine step or more from the kink
// (Q a parabola around it), within a fine step and its value within the
// jump of Q's curvature at the kink times a fine step squared over 8 when
// it is next to it.
func TestKinkedReward(t *testing.T) {
	cfg := testConfig()
	lq, err := New(testEnv(), cfg, 6)
	if err != nil {
		t.Fatal(err)
	}
	if lq.resid != nil {
		t.Fatal("a reward quadratic in the action found kinked")
	}
	e := kinkEnv{testEnv(), 2}
	l, err := New(e, cfg, 6)
	if err != nil {
		t.Fatal(err)
	}
	if l.resid == nil {
		t.Fatal("a kinked reward found quadratic in the action")
	}
	n, i := 3, l.g.NX/2
	row := n*l.g.NX + i
	x := l.g.X(i)
	s := mfrl.Stats{MeanX: l.xbar[n], MeanA: l.abar[n]}
	l.center[row] = 0
	l.fitReward(row)
	h := l.da / subSteps // a fine step
	const k = 0.4
	for _, c := range []struct{ m, tolA, tolV, off float64 }{
		{-4, 1e-6 * l.da, 1e-12, 0.08},                   // the maximiser near -1.1, two fine steps from the kink
		{-0.5, h, (e.csell - 1) * e.dt * h * h / 8, 0.2}, // near -0.15, within a fine step
	} {
		// Q(a) = r(a) + C(a), C(a) = -k (a - m)^2 dt, its maximiser on
		// the selling side by golden section
		Q := func(a float64) float64 { return e.Reward(n, x, a, s) - k*(a-c.m)*(a-c.m)*e.dt }
		lo, hi := -3.0, 0.0
		for it := 0; it < 200; it++ {
			a1, a2 := hi-0.618*(hi-lo), lo+0.618*(hi-lo)
			if Q(a1) < Q(a2) {
				lo = a1
			} else {
				hi = a2
			}
		}
		want := (lo + hi) / 2
		for j := 0; j < l.na; j++ {
			l.q[row*l.na+j] = Q(l.action(row, j))
		}
		l.fitRow(row)
		got := l.center[row] + l.gU[row]*l.da
		if math.Abs(got-want) > c.tolA || math.Abs(l.bestV[row]-Q(want)) > c.tolV {
			t.Errorf("m = %g: greedy action %.8f value %.12f, want %.8f, %.12f", c.m, got, l.bestV[row], want, Q(want))
		}
		u, _ := l.win.vertex(l.s0[row], l.s1[row], l.s2[row])
		if off := (u*l.da - want) / l.da; !(off > c.off) {
			t.Errorf("m = %g: the parabola's vertex is %.3f spacings from the maximiser, want > %g (toward buying)", c.m, off, c.off)
		}
	}
}

// quarticEnv is testEnv with an inventory penalty kappa x^4 dt.
type quarticEnv struct {
	*linEnv
	kappa float64
}

func (e quarticEnv) Reward(n int, x, a float64, s mfrl.Stats) float64 {
	return e.linEnv.Reward(n, x, a, s) - e.kappa*x*x*x*x*e.dt
}

// TestCubicTarget: a reward not quadratic in the state (a quartic
// penalty) makes the TD target interpolate the next values by the cubic
// through four neighbours, exact for values cubic in x where the linear
// interpolation is off by their curvature times dx^2 w(1-w)/2; the
// rewards quadratic in the state (the linear-quadratic one, the kinked
// one) keep the linear interpolation.
func TestCubicTarget(t *testing.T) {
	cfg := testConfig()
	for _, c := range []struct {
		env   mfrl.Env
		cubic bool
	}{{testEnv(), false}, {kinkEnv{testEnv(), 2}, false}, {quarticEnv{testEnv(), 1}, true}} {
		l, err := New(c.env, cfg, 7)
		if err != nil {
			t.Fatal(err)
		}
		if l.cubic != c.cubic {
			t.Fatalf("%T: cubic target %v, want %v", c.env, l.cubic, c.cubic)
		}
		if !c.cubic {
			continue
		}
		g := l.Grid()
		V := func(x float64) float64 { return 0.2 - 0.3*x - 0.7*x*x + 0.05*x*x*x }
		n := 2
		for i := 0; i < g.NX; i++ {
			l.bestV[(n+1)*g.NX+i] = V(g.X(i))
		}
		top := g.X(g.NX - 1)
		for _, y := range []float64{g.X(1) + 0.3*g.DX, (g.XMin + top) / 2, g.X(g.NX-2) - 0.9*g.DX} {
			target, _ := l.tdTarget(n, y, 0.5, g.XMin, top, 1/g.DX, true)
			if want := 0.5 + V(y); math.Abs(target-want) > 1e-12*(1+math.Abs(want)) {
				t.Errorf("target at %g: %.15g, want %.15g", y, target, want)
			}
		}
	}
}
