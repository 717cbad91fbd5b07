package actorcritic

import (
	"context"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

func init() {
	mfe.Register(mfe.Spec[Config]{
		MethodName:  Method,
		MethodTitle: "MF actor–critic",
		Rank:        50,
		Solves:      []mfe.Regime{mfe.MFG},
		Profile:     ProfileConfig,
		TrainFunc: func(ctx context.Context, run mfe.Run, cfg Config) (*mfe.Result, error) {
			cfg.CheckpointDir, cfg.CheckpointEvery = run.Checkpoint, run.CheckpointEvery
			if cfg.CheckpointEvery == 0 {
				cfg.CheckpointEvery = 500
			}
			res, err := Train(ctx, run.Params, cfg, run.Seed, run.Progress)
			if res != nil {
				res.Profile = run.Profile
			}
			return res, err
		},
	})
}
