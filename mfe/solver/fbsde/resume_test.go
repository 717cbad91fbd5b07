package fbsde

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain/resumetest"
)

// TestResume: for both regimes, interrupted after epoch 12 of 30
// (checkpoints every 7), the resumed run ends bit for bit where the
// uninterrupted one does, control included.
func TestResume(t *testing.T) {
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		t.Run(string(r), func(t *testing.T) {
			cfg, _ := ProfileConfig(mfe.Quick)
			cfg.Epochs, cfg.EvalEvery = 30, 10
			q := mfe.Reference()
			q.Sigma = 0.4
			resumetest.Check(t, Train, cfg, mfe.Run{Params: mfe.Reference(), Regime: r, Seed: 3, CheckpointEvery: 7}, q, 12)
		})
	}
}
