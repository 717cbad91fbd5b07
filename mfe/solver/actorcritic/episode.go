package actorcritic

import (
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic/internal/learner"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl/mfgraph"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// The outputs of one episode's graph, in order.
const (
	outCritic = iota // critic TD loss
	outActor         // actor policy-gradient loss
	outScore         // implicit score-matching loss
	outAdv           // mean |TD error| of the explored transitions (before normalisation)
	outNorm          // parameters' norm after the update (divergence guard)
	outAbar          // [Steps] the population mean action from Langevin
	numOut
)

// episode builds one training step of the learner in env (learner.Episode)
// and the parameters' norm after it.
func episode(scope *model.Scope, env mfgraph.Env, cfg Config, sc learner.Scales, lrCritic, lrActor, lrScore *Node) []*Node {
	o := learner.Episode(scope, env, cfg.learner(), sc, lrCritic, lrActor, lrScore)
	out := make([]*Node, numOut)
	out[outCritic], out[outActor], out[outScore] = o.CriticLoss, o.ActorLoss, o.ScoreLoss
	out[outAdv] = o.MeanAbsTD
	out[outNorm] = nettrain.ParamNorm(scope, lrCritic.Graph())
	out[outAbar] = o.Abar
	return out
}
