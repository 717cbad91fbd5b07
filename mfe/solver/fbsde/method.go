package fbsde

import (
	"context"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

func init() {
	mfe.Register(mfe.Spec[Config]{
		MethodName:  Method,
		MethodTitle: "Deep MKV FBSDE",
		Rank:        20,
		Solves:      []mfe.Regime{mfe.MFG, mfe.MFC},
		Profile:     ProfileConfig,
		TrainFunc: func(ctx context.Context, run mfe.Run, cfg Config) (*mfe.Result, error) {
			cfg.CheckpointDir, cfg.CheckpointEvery = run.Checkpoint, run.CheckpointEvery
			if cfg.CheckpointEvery == 0 {
				cfg.CheckpointEvery = 50
			}
			res, err := Train(ctx, run.Params, run.Regime, cfg, run.Seed, run.Progress)
			if res != nil {
				res.Profile = run.Profile
			}
			return res, err
		},
	})
}
