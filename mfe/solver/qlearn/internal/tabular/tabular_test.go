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
