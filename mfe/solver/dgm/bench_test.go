package dgm

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/benchutil"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// BenchmarkIteration measures one training iteration (batch drawing, the
// compiled step with the residuals' second derivatives, their weight
// gradients and the Adam update) at the reference sampling size: 20 times ×
// 500 x points, two DGM networks of 3 layers × 50. The first (compiling)
// call is excluded.
//
//	go test -run NONE -bench Iteration -benchtime 5x ./solver/dgm
func BenchmarkIteration(b *testing.B) {
	cfg, _ := ProfileConfig(mfe.Memoir)
	cfg.NT, cfg.NX, cfg.Width, cfg.Layers = 20, 500, 50, 3
	env, err := nettrain.NewEnv(mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	s, err := newSolver(env, cfg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.step(cfg.LR); err != nil { // compiles
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.step(cfg.LR); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cfg.NT*cfg.NX), "points")
	b.ReportMetric(benchutil.PeakRSSMB(), "peak-RSS-MiB")
}
