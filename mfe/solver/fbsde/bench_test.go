package fbsde

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/benchutil"
)

// BenchmarkMemoirEpoch measures one MFG training epoch at the memoir's size
// (N = 10,000, N_T = 100) after the first (compiling) epoch, with the memoir
// profile's Heun steps and with the reference implementation's Euler steps
// (the like-for-like comparison with it), and the peak memory.
//
//	go test -run NONE -bench MemoirEpoch -benchtime 1x ./solver/fbsde
func BenchmarkMemoirEpoch(b *testing.B) {
	for _, scheme := range []string{"heun", "euler"} {
		b.Run(scheme, func(b *testing.B) {
			cfg, _ := ProfileConfig(mfe.Memoir)
			cfg.Epochs, cfg.EvalEvery, cfg.Scheme = 4, 0, scheme
			benchutil.Train(b, trainer, mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 1}, cfg, "s/epoch")
		})
	}
}
