package actorcritic

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
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

// episode builds one training step: Langevin sampling of the population's
// actions from the score, a rollout of Agents agents, the three losses and
// the three Adam updates, each with its learning rate.
func episode(scope *model.Scope, p mfe.Params, cfg Config, lrCritic, lrActor, lrScore *Node) []*Node {
	g := lrCritic.Graph()
	nettrain.Live(scope, g)
	dtype := dtypes.Float32
	n := newNets(scope, g, p, cfg)
	N, M, L := cfg.Steps, cfg.Agents, cfg.LangevinSamples
	dt := p.T / float64(N)
	times := make([]float32, N)
	next := make([]float32, N)
	for k := range N {
		times[k] = float32(float64(k) * dt)
		next[k] = float32(float64(k+1) * dt)
	}
	next[N-1] = float32(p.T) // exactly T: the critic's terminal condition
	tn := Reshape(Const(g, times), N, 1)
	tn1 := Reshape(Const(g, next), N, 1)

	// The population's mean action at each time, from Langevin chains
	// driven by the current score.
	chainsVar := scope.In("langevin").WithInitializer(func(g *Graph, s shapes.Shape) *Node {
		return scope.Store().RandomNormal(g, s)
	}).VariableWithShape("chains", shapes.Make(dtype, N, L)).SetTrainable(false)
	var chains *Node
	if cfg.LangevinPersistent {
		chains = chainsVar.NodeValue(g)
	} else {
		chains = scope.RandomNormal(g, shapes.Make(dtype, N, L))
	}
	chains = langevin(scope, cfg, func(a *Node) *Node { return n.Score(tn, a) }, chains)
	if cfg.LangevinPersistent {
		chainsVar.SetNodeValue(chains)
	}
	abar := StopGradient(ReduceAndKeep(chains, ReduceMean, 1)) // [N, 1]

	// Rollout: the population follows the actor's mean (one-step
	// exploration) or the Gaussian policy (on-policy).
	s := cfg.ExploreStd
	x := AddScalar(MulScalar(scope.RandomNormal(g, shapes.Make(dtype, 1, M)), p.X0Std), p.X0Mean)
	dW := MulScalar(scope.RandomNormal(g, shapes.Make(dtype, N, M)), p.Sigma*math.Sqrt(dt))
	xi := scope.RandomNormal(g, shapes.Make(dtype, N, M)) // exploration noise
	var xs, mus, acts, xnext []*Node
	mean := n.meanAt(tn)
	for k := range N {
		mu := StopGradient(mean(k, x))
		a := mu
		if cfg.Explore == ExploreOnPolicy {
			a = Add(mu, MulScalar(Slice(xi, AxisElem(k)), s))
		}
		x1 := Add(x, Add(MulScalar(a, dt), Slice(dW, AxisElem(k))))
		xs, mus, acts, xnext = append(xs, x), append(mus, mu), append(acts, a), append(xnext, x1)
		x = x1
	}
	X := StopGradient(Concatenate(xs, 0))     // [N, M] states
	Mu := StopGradient(Concatenate(mus, 0))   // actor means there
	A := StopGradient(Concatenate(acts, 0))   // actions taken
	X1 := StopGradient(Concatenate(xnext, 0)) // next states

	// Critic: TD(0) on the transitions taken, target detached.
	V := n.Value(tn, X)
	target := StopGradient(Add(MulScalar(running(p, X, A, abar), dt), n.Value(tn1, X1)))
	criticLoss := ReduceAllMean(Square(Sub(V, target)))

	// Actor: policy gradient with the TD error as advantage, the critic as
	// baseline.
	var a, delta *Node
	switch cfg.Explore {
	case ExploreOneStep:
		// One Gaussian action at each visited state, the same Brownian
		// increment: x' = x + a dt + sigma dW.
		a = Add(Mu, MulScalar(xi, s))
		x1 := Add(X1, MulScalar(Sub(a, A), dt))
		delta = Sub(Add(MulScalar(running(p, X, a, abar), dt), n.Value(tn1, x1)), V)
	case ExploreOnPolicy:
		a = A
		delta = Sub(target, V)
	}
	if cfg.PairedBaseline {
		// Minus the TD error of the mean action on the same Brownian
		// increment: a baseline that depends on the state and on dW but not
		// on the exploration noise, so the policy gradient stays unbiased
		// while the sigma dW part of the TD error cancels.
		xm := Add(X1, MulScalar(Sub(Mu, A), dt))
		deltaMean := Sub(Add(MulScalar(running(p, X, Mu, abar), dt), n.Value(tn1, xm)), V)
		delta = Sub(delta, deltaMean)
	}
	delta = StopGradient(delta)
	adv := delta
	if cfg.NormalizeAdvantage {
		c := Sub(delta, ReduceAllMean(delta))
		adv = Div(c, AddScalar(Sqrt(ReduceAllMean(Square(c))), 1e-8))
	}
	logPi := MulScalar(Square(Sub(a, n.Mean(tn, X))), -1/(2*s*s))
	actorLoss := ReduceAllMean(Mul(adv, logPi))

	// Score: implicit score matching |S|²/2 + ∂a S on the population's
	// actions at each time.
	samples := Identity(Mu)
	if cfg.Explore == ExploreOnPolicy {
		samples = Identity(A)
	}
	S := n.Score(tn, samples)
	dS := Gradient(ReduceAllSum(S), samples)[0]
	ism := Add(MulScalar(Square(S), 0.5), dS) // [N, M]
	if cfg.ScoreWeighting {
		// Each time's term weighted by its law's variance, 1 / -E[∂a S]
		// (detached): a positive weight per time leaves the minimiser
		// unchanged, and without it the loss, whose gradient scales as
		// the precision squared, is all about the narrow late-time laws.
		curv := StopGradient(Max(Neg(ReduceAndKeep(dS, ReduceMean, 1)), Const(g, float32(1e-2))))
		ism = Div(ism, curv)
	}
	scoreLoss := ReduceAllMean(ism)

	update := func(sub *model.Scope, lr *Node, loss *Node) {
		optimizer.LearningRateVar(sub, dtype, 1e-3).SetNodeValue(lr)
		optimizer.Adam().Done().UpdateGraph(sub, g, loss)
	}
	update(n.criticScope, lrCritic, criticLoss)
	update(n.actorScope, lrActor, actorLoss)
	update(n.scoreScope, lrScore, scoreLoss)

	out := make([]*Node, numOut)
	out[outCritic], out[outActor], out[outScore] = criticLoss, actorLoss, scoreLoss
	out[outAdv] = ReduceAllMean(Abs(delta))
	out[outNorm] = nettrain.ParamNorm(scope, g)
	out[outAbar] = Reshape(abar, N)
	return out
}

// langevin runs cfg.LangevinSteps steps of the unadjusted Langevin
// algorithm a += eps/2 S(a) + sqrt(eps) N(0, 1) on the chains [R, L] (one
// row per time), score(a) returning S at the rows' times; gradients do not
// flow through it.
func langevin(scope *model.Scope, cfg Config, score func(a *Node) *Node, chains *Node) *Node {
	g := chains.Graph()
	R, L := chains.Shape().Dim(0), chains.Shape().Dim(1)
	chains = StopGradient(chains)
	eps := Scalar(g, chains.DType(), cfg.LangevinEps)
	if cfg.LangevinPrecondition {
		// eps / curvature, the curvature -E[∂a S] over each row's chains
		// (the precision, for a Gaussian law), floored at 1.
		a := Identity(chains)
		dS := Gradient(ReduceAllSum(score(a)), a)[0]
		curv := Max(Neg(ReduceAndKeep(dS, ReduceMean, 1)), Ones(g, shapes.Make(chains.DType(), R, 1)))
		eps = MulScalar(Reciprocal(StopGradient(curv)), cfg.LangevinEps) // [R, 1]
	}
	half := MulScalar(eps, 0.5)
	root := Sqrt(eps)
	for range cfg.LangevinSteps {
		noise := scope.RandomNormal(g, shapes.Make(chains.DType(), R, L))
		chains = Add(chains, Add(Mul(half, StopGradient(score(chains))), Mul(root, noise)))
	}
	return chains
}
