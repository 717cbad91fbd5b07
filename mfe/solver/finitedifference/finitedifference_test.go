package finitedifference

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// paramSets are the reference parameters and two others from the corners
// of the robustness box: a long horizon without noise from a certain
// inventory (sigma = x0-std = 0, gamma > cg) and a strong inventory
// penalty with gamma < cg from a negative mean.
func paramSets() map[string]mfe.Params {
	ref := mfe.Reference()
	long := ref
	long.T, long.Sigma, long.X0Std, long.Gamma = 2, 0, 0, 1
	stiff := ref
	stiff.Gamma, stiff.Cg, stiff.CX, stiff.X0Mean = 0.2, 0.6, 20, -1
	return map[string]mfe.Params{"reference": ref, "T=2,sigma=0,x0-std=0,gamma=1": long, "gamma<cg,cx=20,x0-mean=-1": stiff}
}

// lawRel is the control's relative L2 error against the exact one,
// pooled over 101 times and weighted by the exact law of X_t
// (eval.ControlRelByTime): deterministic, and within a few per cent of
// control_rel.
func lawRel(t *testing.T, sol *Solution) float64 {
	t.Helper()
	p := sol.Model.Params()
	_, rel, err := eval.ControlRelByTime(p, sol.Regime, sol.Control(), mfe.TimeGrid(p.T, 100))
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

func config(t *testing.T, p mfe.Profile) Config {
	t.Helper()
	c, err := ProfileConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestExact: the solution against the exact one, MFG and MFC, at three
// parameter sets: the default profile within 1e-4 (it reaches 1e-5 or
// better), the quick one within 2e-3 (it reaches 8e-4 at worst, the
// reference MFC); a solver that gets a term or a sign wrong is off by
// O(1).
func TestExact(t *testing.T) {
	profiles := []struct {
		p   mfe.Profile
		tol float64
	}{{mfe.Quick, 2e-3}, {mfe.Default, 1e-4}}
	for name, p := range paramSets() {
		for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
			for _, pr := range profiles {
				if testing.Short() && pr.p != mfe.Quick {
					continue
				}
				sol, err := Solve(t.Context(), model.LQ{P: p}, r, config(t, pr.p), nil)
				if err != nil {
					t.Fatalf("%s %s %s: %v", name, r, pr.p, err)
				}
				rel := lawRel(t, sol)
				if !sol.Converged || !(rel <= pr.tol) {
					t.Errorf("%s %s %s: control error %.3g (want <= %g), converged %v after %d iterations",
						name, r, pr.p, rel, pr.tol, sol.Converged, sol.Iterations)
				}
			}
		}
	}
}

// TestTrainReference: Train at the reference parameters with the default
// profile, the registered method's result: control_rel (eval.Control)
// within 1e-4, MFG and MFC, in under 10 s each on one core of this machine
// with the final evaluation; the gaps are those of controls this close
// (below 1e-8), the value within 1e-3, the law within 1e-2 in L1.
func TestTrainReference(t *testing.T) {
	if testing.Short() {
		t.Skip("the default profile's final evaluation takes seconds")
	}
	p := mfe.Reference()
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		start := time.Now()
		res, err := Train(t.Context(), mfe.Run{Params: p, Regime: r, Profile: mfe.Default, Seed: 1}, config(t, mfe.Default))
		if err != nil {
			t.Fatal(err)
		}
		wall := time.Since(start)
		m := res.Metrics
		gap, _ := m.Gap()
		t.Logf("%s: control_rel %.3g, gap %s, density_l1 %v, %d iterations, %v", r, m.ControlRel, m.GapText("%.2g"), m.DensityL1, res.History.Len(), wall)
		if !(m.ControlRel <= 1e-4) || gap == nil || !(*gap <= 1e-8) {
			t.Errorf("%s: control_rel %g, gap %v", r, m.ControlRel, m.GapText("%g"))
		}
		if wall > 10*time.Second {
			t.Errorf("%s: %v, want under 10 s", r, wall)
		}
		if (r == mfe.MFG) != (m.ValueRel != nil) || (m.ValueRel != nil && !(*m.ValueRel <= 1e-3)) {
			t.Errorf("%s: value_rel %v (the MFG's only, within 1e-3)", r, m.ValueRel)
		}
		if len(m.DensityL1) != len(DensityTimes) {
			t.Errorf("%s: density_l1 at %d times, want %d", r, len(m.DensityL1), len(DensityTimes))
		}
		for k, d := range m.DensityL1 {
			if !(d <= 1e-2) {
				t.Errorf("%s: density_l1 at %s T = %g", r, k, d)
			}
		}
	}
}

// TestConvergenceOrder: halving dt and dx divides the control's error by
// about 4, the scheme's order 2 (on the LQ model the x differences are
// exact: the time step's error is what is left), MFG and MFC at the
// reference parameters. The observed order must be at least 1.6. The
// coarse solves that fix the domain do not depend on the grid sizes, so
// the three solves share it.
func TestConvergenceOrder(t *testing.T) {
	p := mfe.Reference()
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		var errs []float64
		for _, n := range []int{25, 50, 100} {
			c := config(t, mfe.Default)
			c.TimeSteps, c.SpaceSteps = n, 2*n
			sol, err := Solve(t.Context(), model.LQ{P: p}, r, c, nil)
			if err != nil {
				t.Fatal(err)
			}
			errs = append(errs, lawRel(t, sol))
		}
		for i := 1; i < len(errs); i++ {
			order := math.Log2(errs[i-1] / errs[i])
			t.Logf("%s: error %.3g -> %.3g, order %.2f", r, errs[i-1], errs[i], order)
			if !(order >= 1.6) {
				t.Errorf("%s: errors %.3g, observed order %.2f, want >= 1.6 (0.8 of 2)", r, errs, order)
			}
		}
	}
}

// TestLaw: the law at every grid time has mass 1 (to rounding), no
// negative mass, and the flow's mean state, at the reference parameters and
// without noise from a point mass; the mean state follows the exact one to
// the scheme's error at the quick profile (5e-4 relative for the MFC).
func TestLaw(t *testing.T) {
	ref := mfe.Reference()
	det := ref
	det.Sigma, det.X0Std = 0, 0
	for name, p := range map[string]mfe.Params{"reference": ref, "sigma=0,x0-std=0": det} {
		for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
			sol, err := Solve(t.Context(), model.LQ{P: p}, r, config(t, mfe.Quick), nil)
			if err != nil {
				t.Fatal(err)
			}
			law, err := eval.LawX(p, r)
			if err != nil {
				t.Fatal(err)
			}
			g := sol.Grid
			worst, size := 0.0, 0.0
			for n, w := range sol.Mass {
				var mass, mean float64
				for i, m := range w {
					if m < 0 {
						t.Fatalf("%s %s: mass %g < 0 at t = %g, x = %g", name, r, m, g.T(n), g.X(i))
					}
					mass += m
					mean += m * g.X(i)
				}
				if math.Abs(mass-1) > 1e-12 {
					t.Errorf("%s %s: mass %.15g at t = %g", name, r, mass, g.T(n))
				}
				if d := math.Abs(mean - sol.Flow.XBar[n]); d > 1e-8 {
					t.Errorf("%s %s: mean %g, the flow's %g at t = %g", name, r, mean, sol.Flow.XBar[n], g.T(n))
				}
				worst = math.Max(worst, math.Abs(mean-law(g.T(n)).Mean))
				size = math.Max(size, math.Abs(law(g.T(n)).Mean))
			}
			if worst > 1e-3*size {
				t.Errorf("%s %s: the mean state is off the exact one by up to %.3g (at most %.3g)", name, r, worst, size)
			}
		}
	}
}

// TestDeposit: the three-node deposit keeps mass and mean and has the
// variance asked for, with non-negative weights, or the linear
// interpolation's where that is more; the diffusion step keeps mass and
// mean and adds 2 c dx^2 to the variance.
func TestDeposit(t *testing.T) {
	g := Grid{NT: 1, DT: 1, NX: 201, X0: -5, DX: 0.05}
	s := newScheme(model.LQ{P: mfe.Reference()}, mfe.MFG, g)
	moments := func(w []float64) (mass, mean, variance float64) {
		var m2 float64
		for i, m := range w {
			mass += m
			mean += m * g.X(i)
			m2 += m * g.X(i) * g.X(i)
		}
		mean /= mass
		return mass, mean, m2/mass - mean*mean
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		w := make([]float64, g.NX)
		y := -0.8 + 1.6*rng.Float64()
		v := 0.25 * rng.Float64()
		s.deposit(w, 2, y, v)
		mass, mean, variance := moments(w)
		d := (y-g.X0)/g.DX - math.Round((y-g.X0)/g.DX)
		want := math.Max(v, math.Abs(d)-d*d) * g.DX * g.DX
		if math.Abs(mass-2) > 1e-14 || math.Abs(mean-y) > 1e-14 || math.Abs(variance-want) > 1e-14 {
			t.Fatalf("deposit at %g, v %g: mass %g, mean %g, variance %g (want %g)", y, v, mass, mean, variance, want)
		}
		for _, m := range w {
			if m < 0 {
				t.Fatalf("deposit at %g, v %g: weight %g < 0", y, v, m)
			}
		}
		_, _, before := moments(w)
		s.diffuse(w, 0.7)
		mass, m2, variance := moments(w)
		if math.Abs(mass-2) > 1e-13 || math.Abs(m2-y) > 1e-12 || math.Abs(variance-before-2*0.7*g.DX*g.DX) > 1e-12 {
			t.Fatalf("diffuse: mass %g, mean %g (want %g), variance %g, want %g", mass, m2, y, variance, before+2*0.7*g.DX*g.DX)
		}
	}
}

// TestBand: the banded solver against Gaussian elimination on the dense
// matrix, for matrices that need pivoting.
func TestBand(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{4, 5, 9, 30} {
		b := newBand(n)
		dense := make([][]float64, n)
		for i := range dense {
			dense[i] = make([]float64, n)
			for j := max(0, i-2); j <= min(n-1, i+2); j++ {
				v := rng.NormFloat64()
				if j == i {
					v *= 1e-3 // small pivots
				}
				dense[i][j], *b.at(i, j) = v, v
			}
		}
		x := make([]float64, n)
		rhs := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		for i := range rhs {
			for j := range x {
				rhs[i] += dense[i][j] * x[j]
			}
		}
		if err := b.solve(rhs); err != nil {
			t.Fatal(err)
		}
		for i := range x {
			if math.Abs(rhs[i]-x[i]) > 1e-9*(1+math.Abs(x[i])) {
				t.Fatalf("n = %d: x[%d] = %g, want %g", n, i, rhs[i], x[i])
			}
		}
	}
}

// noPartials is a model without closed-form mean partials: the solver
// differentiates its cost numerically. Embedding the interface keeps
// Model's methods only, not LQ's MeanPartials.
type noPartials struct{ model.Model }

// TestNumericPartials: the MFC of a model whose cost is differentiated
// numerically in the mean terms is the one with the closed-form
// derivatives, to within the differences' rounding.
func TestNumericPartials(t *testing.T) {
	p := mfe.Reference()
	c := config(t, mfe.Quick)
	a, err := Solve(t.Context(), model.LQ{P: p}, mfe.MFC, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Solve(t.Context(), noPartials{model.LQ{P: p}}, mfe.MFC, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	xs := mfe.Linspace(-1, 2, 31)
	ga, gb := make([]float64, len(xs)), make([]float64, len(xs))
	worst := 0.0
	for _, tt := range mfe.Linspace(0, p.T, 21) {
		a.Control().Eval(tt, xs, ga)
		b.Control().Eval(tt, xs, gb)
		for i := range xs {
			worst = math.Max(worst, math.Abs(ga[i]-gb[i]))
		}
	}
	if worst > 1e-7 {
		t.Errorf("the feedbacks differ by up to %g", worst)
	}
}

// TestTrainQuick: the registered method's result at the quick profile: its
// history (the flow's change falling to the tolerance, the control error
// per iteration), its metrics and the fields a result needs.
func TestTrainQuick(t *testing.T) {
	m, err := mfe.LookupMethod(Method)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := m.Config(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.(mfe.MemoryEstimator); !ok {
		t.Fatalf("%T does not estimate its memory", cfg)
	}
	for _, r := range m.Regimes() {
		res, err := m.Train(t.Context(), mfe.Run{Params: mfe.Reference(), Regime: r, Profile: mfe.Quick, Seed: 3}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		h := res.History
		n := h.Len()
		if n == 0 || len(h.Loss) != n || len(h.ControlMSE) != n || len(h.Extra[mfe.KeyControlRel]) != n ||
			len(h.Extra[mfe.KeyControlRelByTime]) != byTimeSteps+1 {
			t.Fatalf("%s: history %+v", r, h)
		}
		if last := h.Loss[n-1]; !(last <= cfg.(Config).Tol) {
			t.Errorf("%s: last flow change %g, tolerance %g", r, last, cfg.(Config).Tol)
		}
		if res.Method != Method || res.Regime != r || res.Control == nil || res.Backend != plainBackend || !(res.WallTime > 0) {
			t.Errorf("%s: result %+v", r, res)
		}
		if (r == mfe.MFG) != (res.Value != nil) {
			t.Errorf("%s: value %v (the MFG's only)", r, res.Value)
		}
		if !(res.Metrics.ControlRel <= 2e-3) || res.Metrics.TimeToAccuracy == nil {
			t.Errorf("%s: metrics %+v", r, res.Metrics)
		}
	}
}

// TestCheckpoint: a finished run is reloaded from its checkpoint with its
// metrics and history (solved again, the control checked); another run's
// checkpoint is refused; re-evaluation gives the same control metrics.
func TestCheckpoint(t *testing.T) {
	dir := t.TempDir()
	cfg := config(t, mfe.Quick)
	run := mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Profile: mfe.Quick, Seed: 1, Checkpoint: dir}
	first, err := Train(t.Context(), run, cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Train(t.Context(), run, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if again.Metrics.ControlRel != first.Metrics.ControlRel || again.WallTime != first.WallTime || again.History.Len() != first.History.Len() {
		t.Errorf("reloaded: control_rel %g, wall %g, %d records; trained: %g, %g, %d",
			again.Metrics.ControlRel, again.WallTime, again.History.Len(), first.Metrics.ControlRel, first.WallTime, first.History.Len())
	}
	other := run
	other.Params.Gamma = 1
	var me *mfe.MismatchError
	if _, err := Train(t.Context(), other, cfg); !errors.As(err, &me) {
		t.Errorf("another run's checkpoint: %v, want a *mfe.MismatchError", err)
	}
	called := false
	re := run
	re.Reevaluate = func(old, new mfe.Metrics) {
		called = true
		if old.ControlRel != new.ControlRel || old.ControlMSE != new.ControlMSE {
			t.Errorf("re-evaluated: %+v -> %+v", old, new)
		}
	}
	if _, err := Train(t.Context(), re, cfg); err != nil || !called {
		t.Errorf("re-evaluating: %v, called %v", err, called)
	}
	re.Checkpoint = t.TempDir()
	if _, err := Train(t.Context(), re, cfg); err == nil {
		t.Error("re-evaluating a directory without a run was accepted")
	}
}

// TestCancel: a cancelled context stops the solve with its error.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Train(ctx, mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Profile: mfe.Quick}, config(t, mfe.Quick)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	stop := func(it Iteration) error {
		if it.Index == 2 {
			cancel()
		}
		return nil
	}
	sol, err := Solve(ctx, model.LQ{P: mfe.Reference()}, mfe.MFG, config(t, mfe.Quick), stop)
	if !errors.Is(err, context.Canceled) || sol == nil || sol.Iterations != 2 {
		t.Errorf("cancelled after two iterations: %v, solution %v", err, sol != nil)
	}
}

// TestMemory: the estimate counts the grids, whose time steps stop at
// max_time_steps however stiff the model; a run beyond the budget is
// refused with a *mfe.BudgetError naming the method.
func TestMemory(t *testing.T) {
	c := config(t, mfe.Default)
	ref := c.Memory(mfe.Run{Params: mfe.Reference()})
	if grid := 3 * 8 * 701 * 401.0; !(ref.Bytes > grid) || ref.Bytes > 1<<30 {
		t.Errorf("reference: %s, the grids alone %s", mfe.FormatSize(ref.Bytes), mfe.FormatSize(grid))
	}
	p := mfe.Reference()
	p.Gamma, p.Ca = 1e20, 1e-20
	stiff := c.Memory(mfe.Run{Params: p})
	if grid := 3 * 8 * float64(c.MaxTimeSteps+1) * 401; !(stiff.Bytes > grid) || stiff.Bytes > 1<<30 {
		t.Errorf("gamma/ca = 1e40: %s, the grids alone %s", mfe.FormatSize(stiff.Bytes), mfe.FormatSize(grid))
	}
	t.Setenv(mfe.MemoryBudgetEnv, "1MiB")
	var be *mfe.BudgetError
	if _, err := Train(t.Context(), mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG}, c); !errors.As(err, &be) || !strings.Contains(err.Error(), Method) {
		t.Errorf("a budget of 1 MiB: %v, want a *mfe.BudgetError naming the method", err)
	}
}

// TestDegenerate: parameters where nobody trades or the costs vanish
// still solve to finite results with the exact control.
func TestDegenerate(t *testing.T) {
	for _, p := range []mfe.Params{
		{T: 1, Ca: 1}, // nobody trades
		{T: 1, Ca: 1, Gamma: 1, Cg: 2, X0Mean: 0.5},            // no running penalty, sigma = 0
		{T: 3, Sigma: 1, Ca: 0.5, Gamma: 0.5, CX: 3, X0Std: 1}, // no terminal penalty, x0-mean = 0
	} {
		for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
			sol, err := Solve(t.Context(), model.LQ{P: p}, r, config(t, mfe.Quick), nil)
			if err != nil {
				t.Fatalf("%+v %s: %v", p, r, err)
			}
			ex, err := eval.ExactControl(p, r)
			if err != nil {
				t.Fatal(err)
			}
			xs := []float64{-1, 0, 0.5, 2}
			got, want := make([]float64, len(xs)), make([]float64, len(xs))
			for _, tt := range []float64{0, p.T / 3, p.T} {
				sol.Control().Eval(tt, xs, got)
				ex.Eval(tt, xs, want)
				for i := range xs {
					if d := math.Abs(got[i] - want[i]); !(d <= 1e-3*(1+math.Abs(want[i]))) {
						t.Errorf("%+v %s: alpha(%g, %g) = %g, exact %g", p, r, tt, xs[i], got[i], want[i])
					}
				}
			}
		}
	}
}

func ExampleSolve() {
	sol, err := Solve(context.Background(), model.LQ{P: mfe.Reference()}, mfe.MFG, Config{
		Iterations: 100, Tol: 1e-10, Anderson: 5, Damping: 1, TimeSteps: 100, MaxTimeSteps: 1000, SpaceSteps: 200, RangeK: 6,
	}, nil)
	if err != nil {
		panic(err)
	}
	a := make([]float64, 1)
	sol.Control().Eval(0, []float64{0.5}, a)
	fmt.Printf("alpha(0, 0.5) = %.3f, converged %v\n", a[0], sol.Converged)
	// Output: alpha(0, 0.5) = -1.155, converged true
}
