package directmfc

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/benchutil"
)

// BenchmarkMemoirEpoch measures one training epoch at the memoir's size
// (N = 10,000 particles, N_T = 100 steps, 3×128 network, Euler): the time
// per epoch after the first (which compiles), and the peak memory.
//
//	go test -run NONE -bench MemoirEpoch -benchtime 1x ./solver/directmfc
func BenchmarkMemoirEpoch(b *testing.B) {
	cfg, _ := ProfileConfig(mfe.Memoir)
	cfg.Epochs, cfg.EvalEvery = 4, 0
	benchutil.Train(b, trainer, mfe.Run{Params: mfe.Reference(), Regime: mfe.MFC, Seed: 1}, cfg, "s/epoch")
}
