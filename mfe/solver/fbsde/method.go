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
		Models:      []string{mfe.ModelCapped},
		UserModels:  true,
	})
}
