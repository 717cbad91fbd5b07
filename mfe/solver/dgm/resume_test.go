package dgm

import (
	"context"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain/resumetest"
)

// TestResume: interrupted after iteration 12 of 30 (checkpoints every 7),
// the resumed run, the sampler's random numbers and tracked moments
// included, ends bit for bit where the uninterrupted one does.
func TestResume(t *testing.T) {
	cfg, _ := ProfileConfig(mfe.Quick)
	cfg.Iterations, cfg.EvalEvery, cfg.CheckpointEvery = 30, 10, 7
	q := mfe.Reference()
	q.Gamma = 1
	resumetest.Check(t, mfe.Reference(), q, 12, func(ctx context.Context, p mfe.Params, dir string, pr mfe.Progress) (*mfe.Result, error) {
		c := cfg
		c.CheckpointDir = dir
		return Train(ctx, p, c, 3, pr)
	})
}
