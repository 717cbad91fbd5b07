package main

import (
	"context"

	"github.com/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mfe/solver/qlearn"
)

func init() {
	methods["q-learning"] = method{regimes: []mfe.Regime{mfe.MFG, mfe.MFC},
		train: func(ctx context.Context, p mfe.Params, r mfe.Regime, prof mfe.Profile, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
			cfg, err := qlearn.ProfileConfig(prof)
			if err != nil {
				return nil, err
			}
			return qlearn.Train(ctx, p, r, cfg, seed, pr)
		}}
}
