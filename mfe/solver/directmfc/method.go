package directmfc

import "github.com/mf-optimal-execution/mf-optimal-execution/mfe"

func init() {
	mfe.Register(mfe.Spec[Config]{
		MethodName:  Method,
		MethodTitle: "Direct MFC",
		Rank:        10,
		Solves:      trainer.Regimes,
		Profile:     ProfileConfig,
		TrainFunc:   Train,
		TargetRel:   1e-2,
		Models:      []string{mfe.ModelCapped},
		UserModels:  true,
	})
}
