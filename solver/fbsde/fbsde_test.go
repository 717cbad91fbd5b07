package fbsde

import (
	"context"
	"math"
	"testing"

	"github.com/mf-optimal-execution/mfe"
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
		res, err := Train(context.Background(), mfe.Reference(), r, cfg, 1, nil)
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
