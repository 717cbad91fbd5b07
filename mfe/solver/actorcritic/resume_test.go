package actorcritic

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain/resumetest"
)

// TestResume: interrupted after episode 12 of 30 (checkpoints every 7), the
// resumed run, Langevin chains included, ends bit for bit where the
// uninterrupted one does.
func TestResume(t *testing.T) {
	cfg, _ := ProfileConfig(mfe.Quick)
	cfg.Episodes, cfg.EvalEvery = 30, 10
	q := mfe.Reference()
	q.Gamma = 1
	resumetest.Check(t, Train, cfg, mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 3, CheckpointEvery: 7}, q, 12)
}
