package main

import (
	"context"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic"
)

func init() {
	train := func(dir string) trainFunc {
		return func(ctx context.Context, p mfe.Params, _ mfe.Regime, prof mfe.Profile, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
			cfg, err := actorcritic.ProfileConfig(prof)
			if err != nil {
				return nil, err
			}
			cfg.CheckpointDir, cfg.CheckpointEvery = dir, 500
			return actorcritic.Train(ctx, p, cfg, seed, pr)
		}
	}
	methods[actorcritic.Method] = method{regimes: []mfe.Regime{mfe.MFG}, train: train}
	// Ablations: mfe figures variant -method actor-critic -set key=value.
	variantTrainers[actorcritic.Method] = func(prof mfe.Profile, set map[string]string) (trainVariant, error) {
		cfg, err := actorcritic.ProfileConfig(prof)
		if err == nil {
			cfg, err = overrideConfig(cfg, set)
		}
		return func(ctx context.Context, p mfe.Params, _ mfe.Regime, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
			return actorcritic.Train(ctx, p, cfg, seed, pr)
		}, err
	}
}
