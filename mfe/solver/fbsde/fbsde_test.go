package fbsde

import (
	"context"
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

func TestHermite(t *testing.T) {
	nodes, w := hermite(40)
	// ∫ e^{-z^2} z^{2k} dz = Γ(k + 1/2).
	for k := 0; k <= 6; k++ {
		var s float64
		for i, z := range nodes {
			s += w[i] * math.Pow(z, float64(2*k))
		}
		if want := math.Gamma(float64(k) + 0.5); math.Abs(s-want) > 1e-10*want {
			t.Errorf("moment %d: %v, want %v", 2*k, s, want)
		}
	}
}

// TestQuick trains the quick profile in both regimes and checks the learned
// feedback against the exact control: a broken solver (a sign error in the
// drift of Y, the wrong control formula for the regime, no coupling through
// E[alpha]) misses by tens of percent, since MFG and MFC controls differ by
// order one under the reference parameters.
func TestQuick(t *testing.T) {
	cfg, err := ProfileConfig(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		res, err := Train(context.Background(), mfe.Run{Params: mfe.Reference(), Regime: r, Seed: 1}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		m := res.Metrics
		t.Logf("%s: control_rel %.3g, %.3f s/epoch, %.1f s", r, m.ControlRel, res.EpochTime, res.WallTime)
		if m.ControlRel > 0.03 {
			t.Errorf("%s: control_rel = %v, want <= 0.03", r, m.ControlRel)
		}
	}
}

// TestGaussiansMatched: with moment matching, the regression's draws of X_0
// have exactly the sample mean and deviation of the initial law, and every
// step's increments sample mean 0 and variance 1; without it the same seed
// gives plain draws, whose sample mean misses mu0 by about s0/sqrt(n).
func TestGaussiansMatched(t *testing.T) {
	p := mfe.Reference()
	const n, steps = 5000, 7
	stats := func(v []float32) (m, sd float64) {
		for _, x := range v {
			m += float64(x)
		}
		m /= float64(len(v))
		for _, x := range v {
			sd += (float64(x) - m) * (float64(x) - m)
		}
		return m, math.Sqrt(sd / float64(len(v)))
	}
	x0, noise := gaussians(5, n, steps, p, true)
	m, sd := stats(tensors.MustCopyFlatData[float32](x0))
	if math.Abs(m-p.X0Mean) > 1e-6 || math.Abs(sd-p.X0Std) > 1e-6 {
		t.Errorf("X_0: mean %v sd %v, want %v %v", m, sd, p.X0Mean, p.X0Std)
	}
	w := tensors.MustCopyFlatData[float32](noise)
	for s := 0; s < steps; s++ {
		m, sd := stats(w[s*n : (s+1)*n])
		if math.Abs(m) > 1e-6 || math.Abs(sd-1) > 1e-6 {
			t.Errorf("step %d: mean %v sd %v, want 0 1", s, m, sd)
		}
	}
	x0, _ = gaussians(5, n, steps, p, false)
	if m, _ := stats(tensors.MustCopyFlatData[float32](x0)); math.Abs(m-p.X0Mean) < 1e-6 {
		t.Errorf("unmatched X_0 mean %v equals mu0: the draws were standardised", m)
	}
}
