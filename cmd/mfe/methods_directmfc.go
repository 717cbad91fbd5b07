package main

import (
	"context"

	"github.com/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mfe/solver/directmfc"
)

func init() {
	methods[directmfc.Method] = method{regimes: []mfe.Regime{mfe.MFC},
		train: func(ctx context.Context, p mfe.Params, _ mfe.Regime, prof mfe.Profile, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
			cfg, err := directmfc.ProfileConfig(prof)
			if err != nil {
				return nil, err
			}
			return directmfc.Train(ctx, p, cfg, seed, pr)
		}}
}
