package fbsde

import (
	"context"
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
			cfg.Epochs, cfg.EvalEvery, cfg.CheckpointEvery = 30, 10, 7
			q := mfe.Reference()
			q.Sigma = 0.4
			resumetest.Check(t, mfe.Reference(), q, 12, func(ctx context.Context, p mfe.Params, dir string, pr mfe.Progress) (*mfe.Result, error) {
				c := cfg
				c.CheckpointDir = dir
				return Train(ctx, p, r, c, 3, pr)
			})
		})
	}
}
