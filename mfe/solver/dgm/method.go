package dgm

import "github.com/mf-optimal-execution/mf-optimal-execution/mfe"

func init() {
	mfe.Register(mfe.Spec[Config]{
		MethodName:  Method,
		MethodTitle: "Deep Galerkin",
		Rank:        30,
		Solves:      trainer.Regimes,
		Profile:     ProfileConfig,
		TrainFunc:   Train,
		TargetRel:   5e-2,
		// On a model without a closed form, measured against its
		// finite-difference solution, the target is 1e-2: the capped
		// model's, stricter than the LQ one's.
		ModelTargetRel: 1e-2,
		Models:         []string{mfe.ModelCapped},
		// A user's model too, where it gives its minimiser's graph form
		// (model.GraphMinimiser); Train refuses one without it.
		UserModels: true,
	})
}
