package fbsde

import "github.com/mf-optimal-execution/mf-optimal-execution/mfe"

func init() {
	mfe.Register(mfe.Spec[Config]{
		MethodName:  Method,
		MethodTitle: "Deep MKV FBSDE",
		Rank:        20,
		Solves:      trainer.Regimes,
		Profile:     ProfileConfig,
		TrainFunc:   Train,
		TargetRel:   1e-3,
		// On a model without a closed form the reference is a
		// finite-difference solution, itself about 1e-3 from the memoir
		// profile's at the capped model's A = 1
		// (finitedifference.ReferenceProfile): the LQ target, 1e-3, would
		// measure the reference, so the target there is 1e-2.
		ModelTargetRel: 1e-2,
		Models:         []string{mfe.ModelCapped},
		UserModels:     true,
	})
}
