package nplayer

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

func zeroControl() mfe.AffineControl {
	zero := func(float64) float64 { return 0 }
	return mfe.AffineControl{K: zero, L: zero}
}

// shifted is the MFG control with L + eps: same slope, wrong intercept.
func shifted(m *exact.MFG, eps float64) mfe.AffineControl {
	c := m.Control().(mfe.AffineControl)
	return mfe.AffineControl{K: c.K, L: func(t float64) float64 { return c.L(t) + eps }}
}

// TestNashLimit: the N → ∞ limit of the Nash gap is the mean-field
// exploitability, which package exact computes independently (moment
// equations against the exact best response): zero for the equilibrium.
func TestNashLimit(t *testing.T) {
	p := mfe.Reference()
	m := exact.MustMFG(p)
	mfc := exact.MustMFC(p).Control().(mfe.AffineControl)
	for name, c := range map[string]mfe.AffineControl{
		"mfg": m.Control().(mfe.AffineControl), "mfc": mfc, "zero": zeroControl(), "shifted": shifted(m, 0.1),
	} {
		g, err := ExactNash(p, c)
		if err != nil {
			t.Fatal(err)
		}
		want, err := exact.Affine{P: p, K: c.K, L: c.L}.Exploitability()
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(g.Limit-want) > 1e-6*(1+want) {
			t.Errorf("%s: Nash gap limit %v, exploitability %v", name, g.Limit, want)
		}
		// The others' flow depends on their states only through K: the
		// zero control's flow is exactly 0 and its gap does not fall with N.
		if (name == "zero") != !(g.Slope > 0) {
			t.Errorf("%s: slope %v", name, g.Slope)
		}
		if name == "mfg" && math.Abs(g.Limit) > 1e-10 {
			t.Errorf("equilibrium's Nash gap limit %v, want 0", g.Limit)
		}
	}
}

// TestNashAgainstSimulation plays the N-trader game directly: one trader
// deviates to the adapted best response -(A X + b + c Y)/ca, Y the others'
// mean state, on the same noise as when it plays alpha; the mean cost
// difference over many games must match ExactNash. Euler steps and the
// left-point cost leave an O(dt) bias, well inside the tolerance.
func TestNashAgainstSimulation(t *testing.T) {
	p := mfe.Reference()
	m := exact.MustMFG(p)
	const (
		n     = 2
		games = 20000
		steps = 200
	)
	for name, c := range map[string]mfe.AffineControl{"mfg": m.Control().(mfe.AffineControl), "zero": zeroControl()} {
		sol, err := solveNash(p, c)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := ExactNash(p, c)
		// b, c on the simulation grid (the fine grid is a multiple of it).
		stride := (len(sol.t) - 1) / steps
		if stride*steps != len(sol.t)-1 {
			t.Fatalf("fine grid of %d steps is not a multiple of %d", len(sol.t)-1, steps)
		}
		h := p.T / steps
		rng := rand.New(rand.NewPCG(7, 11))
		diffs := make([]float64, games)
		for gm := range diffs {
			var others [n - 1]float64
			for k := range others {
				others[k] = p.X0Mean + p.X0Std*rng.NormFloat64()
			}
			x0 := p.X0Mean + p.X0Std*rng.NormFloat64()
			xa, xb := x0, x0 // the trader under alpha, under the deviation
			ja, jb := 0.0, 0.0
			for i := 0; i <= steps; i++ {
				ti := float64(i) * h
				k, l := c.K(ti), c.L(ti)
				if i == steps {
					ja += p.Cg / 2 * xa * xa
					jb += p.Cg / 2 * xb * xb
					break
				}
				y, f := 0.0, 0.0
				for _, xo := range others {
					y += xo
					f += -(k*xo + l)
				}
				y /= n - 1
				f /= n - 1
				aa := -(k*xa + l)
				fi := i * stride
				ab := -(sol.a[fi]*xb + sol.b[fi] + sol.c[fi]*y) / p.Ca
				ja += (p.CX/2*xa*xa + p.Ca/2*aa*aa - p.Gamma*xa*f) * h
				jb += (p.CX/2*xb*xb + p.Ca/2*ab*ab - p.Gamma*xb*f) * h
				dw := p.Sigma * math.Sqrt(h) * rng.NormFloat64()
				xa += aa*h + dw
				xb += ab*h + dw
				for j := range others {
					others[j] += -(k*others[j]+l)*h + p.Sigma*math.Sqrt(h)*rng.NormFloat64()
				}
			}
			diffs[gm] = ja - jb
		}
		mean, se := meanSE(diffs)
		if got := want.At(n); math.Abs(mean-got) > 4*se+0.03*got {
			t.Errorf("%s: simulated gain %v ± %v, ExactNash %v", name, mean, se, got)
		} else {
			t.Logf("%s: simulated gain %.5f ± %.5f, ExactNash %.5f", name, mean, se, got)
		}
	}
}

// TestRealisedGainIsCostDifference checks the pathwise gain against the
// cost difference J(alpha; f) - J(beta*; f) that package exact computes by
// its moment equations and its own best response, f being one trader's
// realised flow of the others (linear between grid times). For controls
// with the equilibrium's slope the gain does not depend on the trader's
// path, so the two must agree to the integration error.
func TestRealisedGainIsCostDifference(t *testing.T) {
	p := mfe.Reference()
	m := exact.MustMFG(p)
	const n, steps = 5, 200
	for _, eps := range []float64{0, 0.1} {
		c := shifted(m, eps)
		g, err := newGame(p, steps)
		if err != nil {
			t.Fatal(err)
		}
		x, act, err := g.simulate(c, n, 3)
		if err != nil {
			t.Fatal(err)
		}
		got, err := g.realise(c, n, 3)
		if err != nil {
			t.Fatal(err)
		}
		want := 0.0
		for k := 0; k < n; k++ {
			f := make([]float64, steps+1)
			for i := range f {
				for j := 0; j < n; j++ {
					if j != k {
						f[i] += act[i*n+j] / (n - 1)
					}
				}
			}
			flow := func(t float64) float64 {
				u := t / g.h
				i := min(int(u), steps-1)
				w := u - float64(i)
				return f[i]*(1-w) + f[i+1]*w
			}
			br, err := exact.NewBestResponse(p, flow)
			if err != nil {
				t.Fatal(err)
			}
			// The trader's own start: the moments' initial law is N(x0, 0),
			// and its noise does not enter the gain (same slope).
			q := p
			q.X0Mean, q.X0Std = x[k], 0
			own := exact.Affine{P: q, K: c.K, L: c.L}
			best := exact.Affine{P: q, K: func(t float64) float64 { return br.A(t) / p.Ca },
				L: func(t float64) float64 { return br.B(t) / p.Ca }}
			want += (own.CostAgainst(flow) - best.CostAgainst(flow)) / n
		}
		if math.Abs(got-want) > 1e-4*want+1e-9 {
			t.Errorf("eps %v: pathwise gain %v, cost difference %v", eps, got, want)
		}
	}
}

// TestGapShrinksWithN checks the finite game as N grows: the exact MFG
// control's gap falls like 1/N to about zero (1e-4 of the zero control's at
// N = 1000), and stays above the exact Nash gap, which it bounds; the zero
// control's gap stays at its N-independent value (its flow is exactly 0).
func TestGapShrinksWithN(t *testing.T) {
	p := mfe.Reference()
	ns := []int{10, 100, 1000}
	cfg := Config{Seeds: 32, Steps: 100, Seed: 1}
	mfg, err := Gaps(context.Background(), p, exact.MustMFG(p).Control(), ns, cfg)
	if err != nil {
		t.Fatal(err)
	}
	zero, err := Gaps(context.Background(), p, zeroControl(), ns, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range mfg {
		t.Logf("N=%4d  MFG gap %.3g ± %.2g (Nash %.3g)   zero control %.4f ± %.4f (Nash %.4f)",
			g.N, g.Mean, g.SE, *g.Nash, zero[i].Mean, zero[i].SE, *zero[i].Nash)
		if i > 0 && !(g.Mean < mfg[i-1].Mean/3) {
			t.Errorf("MFG gap at N=%d is %v, not well below %v at N=%d", g.N, g.Mean, mfg[i-1].Mean, mfg[i-1].N)
		}
		if g.Mean+3*g.SE < *g.Nash {
			t.Errorf("N=%d: realised-flow gap %v ± %v below the Nash gap %v it bounds", g.N, g.Mean, g.SE, *g.Nash)
		}
		z := zero[i]
		if math.Abs(z.Mean-*z.Nash) > 4*z.SE || !(z.Mean > 0.1) {
			t.Errorf("zero control at N=%d: gap %v ± %v, exact %v", z.N, z.Mean, z.SE, *z.Nash)
		}
	}
	if last := mfg[len(mfg)-1]; !(last.Mean < 1e-4) {
		t.Errorf("MFG gap at N=1000 is %v, want about 0", last.Mean)
	}
}

// TestAnyControl: a control that is not an mfe.AffineControl (as a learned
// one) gets the same realised-flow gap and no Nash gap; a grid-tabulated
// exact control (control.json) gets nearly the same.
func TestAnyControl(t *testing.T) {
	p := mfe.Reference()
	m := exact.MustMFG(p)
	cfg := Config{Seeds: 4, Steps: 100}
	aff, err := Gaps(context.Background(), p, m.Control(), []int{20}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fn, err := Gaps(context.Background(), p, mfe.ControlFunc(m.Alpha), []int{20}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if fn[0].Nash != nil || math.Abs(fn[0].Mean-aff[0].Mean) > 1e-12*aff[0].Mean {
		t.Errorf("function control: gap %v (Nash %v), affine %v", fn[0].Mean, fn[0].Nash, aff[0].Mean)
	}
	ts, xs := mfe.StandardGrid(p.T)
	gc, err := NewGridControl(ts, xs, mfe.OnGrid(m.Control(), ts, xs))
	if err != nil {
		t.Fatal(err)
	}
	grid, err := Gaps(context.Background(), p, gc, []int{20}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(grid[0].Mean - aff[0].Mean); d > 0.2*aff[0].Mean {
		t.Errorf("grid control: gap %v, exact control %v", grid[0].Mean, aff[0].Mean)
	}
	// Exact in x, beyond the grid too.
	out := make([]float64, 3)
	gc.Eval(0.3, []float64{-4, 0.1, 5}, out)
	for j, x := range []float64{-4, 0.1, 5} {
		if math.Abs(out[j]-m.Alpha(0.3, x)) > 1e-12*(1+math.Abs(out[j])) {
			t.Errorf("grid control at (0.3, %v) = %v, exact %v", x, out[j], m.Alpha(0.3, x))
		}
	}
}

func TestBadInput(t *testing.T) {
	p := mfe.Reference()
	c := zeroControl()
	ctx := context.Background()
	if _, err := Gaps(ctx, p, c, []int{1}, Config{}); err == nil {
		t.Error("accepted N = 1")
	}
	if _, err := Gaps(ctx, p, c, []int{10}, Config{Seeds: 1}); err == nil {
		t.Error("accepted one seed")
	}
	bad := p
	bad.Ca = 0
	if _, err := Gaps(ctx, bad, c, []int{10}, Config{}); err == nil {
		t.Error("accepted ca = 0")
	}
	stiff := p
	stiff.Ca = 1e-4
	if _, err := Gaps(ctx, stiff, c, []int{10}, Config{Steps: 10}); err == nil {
		t.Error("accepted a time step longer than ca/A")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Gaps(cancelled, p, c, []int{10}, Config{}); err == nil {
		t.Error("ignored a cancelled context")
	}
	if _, err := NewGridControl([]float64{0, 1}, []float64{0, 1}, [][]float64{{0, 1}}); err == nil {
		t.Error("accepted a ragged grid")
	}
}
