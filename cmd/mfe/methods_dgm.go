package main

import (
	"context"

	"github.com/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mfe/solver/dgm"
)

func init() {
	methods[dgm.Method] = method{regimes: []mfe.Regime{mfe.MFG},
		train: func(ctx context.Context, p mfe.Params, _ mfe.Regime, prof mfe.Profile, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
			cfg, err := dgm.ProfileConfig(prof)
			if err != nil {
				return nil, err
			}
			return dgm.Train(ctx, p, cfg, seed, pr)
		}}
}
