package main

import (
	"context"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/fbsde"
)

func init() {
	train := func(dir string) trainFunc {
		return func(ctx context.Context, p mfe.Params, r mfe.Regime, prof mfe.Profile, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
			cfg, err := fbsde.ProfileConfig(prof)
			if err != nil {
				return nil, err
			}
			cfg.CheckpointDir, cfg.CheckpointEvery = dir, 50
			return fbsde.Train(ctx, p, r, cfg, seed, pr)
		}
	}
	methods[fbsde.Method] = method{regimes: []mfe.Regime{mfe.MFG, mfe.MFC}, train: train}
}
