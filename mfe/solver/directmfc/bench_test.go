package directmfc

import (
	"context"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
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
	be, err := backend.DefaultErr()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res, err := train(context.Background(), be, mfe.Reference(), cfg, 1, nil, false)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.EpochTime, "s/epoch")
	}
	b.ReportMetric(benchutil.PeakRSSMB(), "peak-RSS-MiB")
}
