package finitedifference

import "github.com/mf-optimal-execution/mf-optimal-execution/mfe"

func init() {
	mfe.Register(mfe.Spec[Config]{
		MethodName:  Method,
		MethodTitle: "Finite differences",
		Rank:        60,
		Solves:      regimes,
		Profile:     ProfileConfig,
		TrainFunc:   Train,
		TargetRel:   1e-4,
		Models:      []string{mfe.ModelCapped},
		UserModels:  true,
	})
}
