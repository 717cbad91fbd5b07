package main

import (
	"context"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/qlearn"
)

func init() {
	train := func(dir string) trainFunc {
		return func(ctx context.Context, p mfe.Params, r mfe.Regime, prof mfe.Profile, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
			cfg, err := qlearn.ProfileConfig(prof)
			if err != nil {
				return nil, err
			}
			// a save every 5% of the episodes (a few milliseconds each)
			cfg.CheckpointDir, cfg.CheckpointEvery = dir, max(1, cfg.Episodes/20)
			return qlearn.Train(ctx, p, r, cfg, seed, pr)
		}
	}
	methods["q-learning"] = method{regimes: []mfe.Regime{mfe.MFG, mfe.MFC}, train: train}
}
