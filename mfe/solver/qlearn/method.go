package qlearn

import "github.com/mf-optimal-execution/mf-optimal-execution/mfe"

func init() {
	mfe.Register(mfe.Spec[Config]{
		MethodName:  Method,
		MethodTitle: "MF Q-learning",
		Rank:        40,
		Solves:      regimes,
		Profile:     ProfileConfig,
		TrainFunc:   Train,
		TargetRel:   0.1,
		Models:      []string{mfe.ModelCapped},
		UserModels:  true,
	})
}
