package main

import (
	"context"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/directmfc"
)

func init() {
	train := func(dir string) trainFunc {
		return func(ctx context.Context, p mfe.Params, _ mfe.Regime, prof mfe.Profile, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
			cfg, err := directmfc.ProfileConfig(prof)
			if err != nil {
				return nil, err
			}
			cfg.CheckpointDir, cfg.CheckpointEvery = dir, 50
			return directmfc.Train(ctx, p, cfg, seed, pr)
		}
	}
	methods[directmfc.Method] = method{regimes: []mfe.Regime{mfe.MFC}, train: train}
}
