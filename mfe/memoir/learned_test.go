package memoir

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
)

// TestLearnedDensity checks the learned law's density in the game at the
// reference parameters. With the exact control as the learned one, the two
// particle sets are the same and the estimate is the exact density: its
// L1 distance is 0. With the learned control α(t, x) + c, α(t, x) =
// −K(t) x − L(t) the exact one, every particle (the same draws) moves by
// δ(t), δ' = c − K(t) δ, δ(0) = 0, so the learned law is the exact one
// shifted by δ(t), and the L1 distance is that of two Gaussians of the
// exact law's standard deviation s a distance δ apart, 2(2Φ(δ/2s) − 1), up
// to the kernel's width (h ≈ 0.1 s widens s by 0.5 %), the time steps and
// the range drawn (± 4 s): within 3 %.
func TestLearnedDensity(t *testing.T) {
	p := mfe.Reference()
	g := &gen{P: p}
	m := exact.MustMFG(p)
	for _, r := range []mfe.Regime{mfe.MFG} {
		run := gridRun(t, p, r)
		_, l1, err := g.learnedDensity(run)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range l1 {
			if v != 0 {
				t.Errorf("%s, exact control, time %d: L1 %g, want 0", r, i, v)
			}
		}
		const c = 0.05
		for i := range run.Grid.Alpha {
			for j := range run.Grid.Alpha[i] {
				run.Grid.Alpha[i][j] += c
			}
		}
		f, l1, err := g.learnedDensity(run)
		if err != nil {
			t.Fatal(err)
		}
		if err := figure.CheckText(f); err != nil {
			t.Error(err)
		}
		law, err := eval.LawX(p, r)
		if err != nil {
			t.Fatal(err)
		}
		// δ by the midpoint rule on 10⁴ steps; K(t) = α(t, 0) − α(t, 1).
		const n = 10000
		dt := p.T / n
		k := func(t float64) float64 { return m.Alpha(t, 0) - m.Alpha(t, 1) }
		delta := make([]float64, n+1)
		for i := range n {
			ti := float64(i) * dt
			half := delta[i] + dt/2*(c-k(ti)*delta[i])
			delta[i+1] = delta[i] + dt*(c-k(ti+dt/2)*half)
		}
		for i, frac := range densityFractions {
			tt := frac * p.T
			s := law(tt).Std()
			d := delta[int(math.Round(frac*n))]
			want := 2 * (2*distuv.UnitNormal.CDF(d/(2*s)) - 1)
			if math.Abs(l1[i]-want) > 0.03*want {
				t.Errorf("%s, control + %g, t = %g: L1 %.4g, want %.4g (a shift by %.4g of N(·, %.3g²))", r, c, tt, l1[i], want, d, s)
			}
		}
	}
	if got := densityCaption([]float64{1e-3, 2e-3, 3e-3}); !strings.Contains(got, "and \\ensuremath{0.0030} at the three times") {
		t.Errorf("caption ends %q", got[len(got)-80:])
	}
}

// TestValueGrid: the exact value as the learned one gives a value grid
// whose two tables are equal, on the times and x of control.json, and a
// figure whose errors are 0; an MFC run or one without a value gives none.
func TestValueGrid(t *testing.T) {
	p := mfe.Reference()
	m := exact.MustMFG(p)
	res := &mfe.Result{Method: "actor-critic", Regime: mfe.MFG, Params: p, Value: m.ValueFunc()}
	vg, err := NewValueGrid(res)
	if err != nil {
		t.Fatal(err)
	}
	run := gridRun(t, p, mfe.MFG)
	if len(vg.T) != len(run.Grid.T) || len(vg.X) != len(run.Grid.X) {
		t.Fatalf("value grid %d×%d, control grid %d×%d", len(vg.T), len(vg.X), len(run.Grid.T), len(run.Grid.X))
	}
	for i := range vg.T {
		for j := range vg.X {
			if vg.Value[i][j] != vg.Exact[i][j] {
				t.Fatalf("t = %g, x = %g: value %g, exact %g", vg.T[i], vg.X[j], vg.Value[i][j], vg.Exact[i][j])
			}
		}
	}
	if vg.Exact[len(vg.T)-1][0] != p.Cg/2*vg.X[0]*vg.X[0] {
		t.Errorf("exact value at T, x = %g: %g, want the terminal cost %g", vg.X[0], vg.Exact[len(vg.T)-1][0], p.Cg/2*vg.X[0]*vg.X[0])
	}
	f, err := valueFigure(p, run, vg)
	if err != nil {
		t.Fatal(err)
	}
	if err := figure.CheckText(f); err != nil {
		t.Error(err)
	}
	for _, bad := range []*mfe.Result{
		{Method: "actor-critic", Regime: mfe.MFC, Params: p, Value: m.ValueFunc()},
		{Method: "actor-critic", Regime: mfe.MFG, Params: p},
	} {
		if vg, err := NewValueGrid(bad); vg != nil || err != nil {
			t.Errorf("%s run, value %v: grid %v, %v; want none", bad.Regime, bad.Value != nil, vg != nil, err)
		}
	}
}

// TestThinnedTitles: a history of 3000 episodes thinned to 400 entries
// (Import) is titled with 3000 episodes, and a window of 4 entries spans
// 4 · 2999/399 ≈ 30 episodes.
func TestThinnedTitles(t *testing.T) {
	p := mfe.Reference()
	res := &mfe.Result{Method: "actor-critic", Regime: mfe.MFG, Params: p}
	idx := thinIndex(3000, 400)
	for _, i := range idx {
		res.History.Epoch = append(res.History.Epoch, i+1)
		res.History.Loss = append(res.History.Loss, 1)
	}
	res.History.Extra = map[mfe.HistoryKey][]float64{}
	for _, k := range []mfe.HistoryKey{"critic_loss", "actor_loss", "score_loss"} {
		res.History.Extra[k] = make([]float64, len(idx))
		for i := range idx {
			res.History.Extra[k][i] = 1 + 1/float64(i+1)
		}
	}
	f, err := report.ActorCriticTraining(res)
	if err != nil {
		t.Fatal(err)
	}
	thinnedTitles(f, res)
	if want := "training, 3000 episodes"; !strings.HasSuffix(f.Title, want) {
		t.Errorf("title %q, want it to end %q", f.Title, want)
	}
	if got, want := f.Plots[0][0].Title.Text, "Critic: TD(0) loss (means over 30 episodes)"; got != want {
		t.Errorf("first panel %q, want %q", got, want)
	}
}
