package actorcritic

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/benchutil"
)

// benchEpisode measures one training episode of a profile: the mean time
// per episode after the first (which compiles), and the peak memory.
func benchEpisode(b *testing.B, prof mfe.Profile) {
	cfg, _ := ProfileConfig(prof)
	cfg.Episodes, cfg.EvalEvery = 4, 0
	benchutil.Train(b, trainer, mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 1}, cfg, "s/episode")
}

// BenchmarkDefaultEpisode is one episode of the default profile: 500
// agents over N_T = 100 steps, 200 persistent Langevin chains per step
// advanced 3 steps, generic MLP heads 16-16.
//
//	go test -run NONE -bench DefaultEpisode -benchtime 1x ./solver/actorcritic
func BenchmarkDefaultEpisode(b *testing.B) { benchEpisode(b, mfe.Default) }

// BenchmarkMemoirEpisode is one episode at the memoir's settings: generic
// MLP heads, 1,000 Langevin samples per step restarted and run 200 steps
// with eps = 0.05, 1,000 agents over N_T = 100 steps.
//
//	go test -run NONE -bench MemoirEpisode -benchtime 1x ./solver/actorcritic
func BenchmarkMemoirEpisode(b *testing.B) { benchEpisode(b, mfe.Memoir) }
