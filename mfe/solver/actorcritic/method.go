package actorcritic

import "github.com/mf-optimal-execution/mf-optimal-execution/mfe"

func init() {
	mfe.Register(mfe.Spec[Config]{
		MethodName:  Method,
		MethodTitle: "MF actor–critic",
		Rank:        50,
		Solves:      trainer.Regimes,
		Profile:     ProfileConfig,
		TrainFunc:   Train,
		TargetRel:   0.1,
		Models:      []string{mfe.ModelCapped},
		// Any user's model: the learner sees only its environment.
		UserModels: true,
	})
}
