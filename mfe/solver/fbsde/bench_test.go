package fbsde

import (
	"context"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/benchutil"
)

// BenchmarkMemoirEpoch measures one MFG training epoch at the memoir's size
// (N = 10,000, N_T = 100) after the first (compiling) epoch, with the memoir
// profile's Heun steps and with the reference implementation's Euler steps
// (the like-for-like comparison with it), and the peak memory.
//
//	go test -run NONE -bench MemoirEpoch -benchtime 1x ./solver/fbsde
func BenchmarkMemoirEpoch(b *testing.B) {
	be, err := backend.DefaultErr()
	if err != nil {
		b.Fatal(err)
	}
	for _, scheme := range []string{"heun", "euler"} {
		b.Run(scheme, func(b *testing.B) {
			cfg, _ := ProfileConfig(mfe.Memoir)
			cfg.Epochs, cfg.EvalEvery, cfg.Scheme = 4, 0, scheme
			for b.Loop() {
				res, err := train(context.Background(), be, mfe.Reference(), mfe.MFG, cfg, 1, nil, false)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(res.EpochTime, "s/epoch")
			}
			b.ReportMetric(benchutil.PeakRSSMB(), "peak-RSS-MiB")
		})
	}
}
