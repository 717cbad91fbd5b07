package main

import (
	"context"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/dgm"
)

func init() {
	train := func(dir string) trainFunc {
		return func(ctx context.Context, p mfe.Params, _ mfe.Regime, prof mfe.Profile, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
			cfg, err := dgm.ProfileConfig(prof)
			if err != nil {
				return nil, err
			}
			cfg.CheckpointDir, cfg.CheckpointEvery = dir, 100
			return dgm.Train(ctx, p, cfg, seed, pr)
		}
	}
	methods[dgm.Method] = method{regimes: []mfe.Regime{mfe.MFG}, train: train}
}
