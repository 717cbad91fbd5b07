package learner

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl/mfgraph"
)

// scopeRand draws the environment's random numbers from the scope's random
// state.
type scopeRand struct {
	scope *model.Scope
	g     *Graph
}

func (r scopeRand) Normal(dims ...int) *Node {
	return r.scope.RandomNormal(r.g, shapes.Make(dtypes.Float32, dims...))
}

func (r scopeRand) Uniform(dims ...int) *Node {
	return r.scope.RandomUniform(r.g, shapes.Make(dtypes.Float32, dims...))
}

// Outputs are the nodes of one training episode the method reports.
type Outputs struct {
	CriticLoss, ActorLoss, ScoreLoss *Node // the three losses (scalars)
	MeanAbsTD                        *Node // mean |TD error| of the explored transitions (before normalisation)
	Abar                             *Node // [Steps] the population's mean action from Langevin
}

// grid returns the decision times t_k and the next times t_{k+1} (the
// last exactly T: the critic's terminal condition) as [N, 1] nodes.
func grid(g *Graph, env mfgraph.Env) (tn, tn1 *Node) {
	N := env.Steps()
	dt := env.Horizon() / float64(N)
	times := make([]float32, N)
	next := make([]float32, N)
	for k := range N {
		times[k] = float32(float64(k) * dt)
		next[k] = float32(float64(k+1) * dt)
	}
	next[N-1] = float32(env.Horizon())
	return Reshape(Const(g, times), N, 1), Reshape(Const(g, next), N, 1)
}

// Episode builds one training step in the graph of lrCritic: Langevin
// sampling of the population's actions from the score, a rollout of
// cfg.Agents agents in env, the three losses and the three Adam updates,
// each with its learning rate. The learner minimises the cost -r: its
// critic is the cost-to-go.
func Episode(scope *model.Scope, env mfgraph.Env, cfg Config, sc Scales, lrCritic, lrActor, lrScore *Node) Outputs {
	g := lrCritic.Graph()
	scope.SetTraining(g, true)
	dtype := dtypes.Float32
	rnd := scopeRand{scope: scope, g: g}
	n := NewNets(scope, g, env, cfg, sc)
	N, M, L := env.Steps(), cfg.Agents, cfg.LangevinSamples
	tn, tn1 := grid(g, env)

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
	chains = Langevin(scope, cfg, func(a *Node) *Node { return n.Score(tn, a) }, chains)
	if cfg.LangevinPersistent {
		chainsVar.SetNodeValue(chains)
	}
	// The chains sample the law of the actions before the clip into the
	// action range (the actor's latent output), which has a density where
	// the clipped actions pile up at an end of the range; the population's
	// mean action is the mean of their clip.
	abar := StopGradient(ReduceAndKeep(mfgraph.Bound(env, chains), ReduceMean, 1)) // [N, 1]

	// Rollout: the population follows the actor's mean (one-step
	// exploration) or the Gaussian policy (on-policy), the actions executed
	// clipped into the action range.
	s := cfg.ExploreStd
	x := env.Initial(rnd, M)
	noise := env.Noise(rnd, N, M)
	xi := scope.RandomNormal(g, shapes.Make(dtype, N, M)) // exploration noise
	var xs, zs, mus, draws, acts, xnext []*Node
	latent := n.latentAt(tn)
	for k := range N {
		z := StopGradient(latent(k, x))
		mu := mfgraph.Bound(env, z)
		a, u := mu, z // the action drawn and the latent one
		if cfg.Explore == ExploreOnPolicy {
			step := explore(Slice(xi, AxisElem(k)), exploreStd(env, mu, s), s)
			a, u = Add(mu, step), Add(z, step)
		}
		act := mfgraph.Bound(env, a)
		x1 := env.Step(Slice(tn, AxisElem(k)), x, act, Slice(noise, AxisElem(k)))
		xs, zs, mus, draws, acts, xnext = append(xs, x), append(zs, u), append(mus, mu), append(draws, a), append(acts, act), append(xnext, x1)
		x = x1
	}
	X := StopGradient(Concatenate(xs, 0))     // [N, M] states
	Z := StopGradient(Concatenate(zs, 0))     // latent actions (before the clip)
	Mu := StopGradient(Concatenate(mus, 0))   // actor means there
	D := StopGradient(Concatenate(draws, 0))  // actions drawn from the policy
	A := StopGradient(Concatenate(acts, 0))   // actions taken (D clipped)
	X1 := StopGradient(Concatenate(xnext, 0)) // next states
	// The population's statistics: mean state and mean action per time.
	stats := StopGradient(Concatenate([]*Node{ReduceAndKeep(X, ReduceMean, 1), abar}, 1))
	cost := func(x, a *Node) *Node { return Neg(env.Reward(tn, x, a, stats)) }

	// Critic: TD(0) on the transitions taken, target detached.
	V := n.Value(tn, X)
	target := Add(cost(X, A), n.Value(tn1, X1))
	if cfg.CriticLambda > 0 {
		target = lambdaReturns(cost(X, A), n.Value(tn1, X1), cfg.CriticLambda)
	}
	target = StopGradient(target)
	criticLoss := ReduceAllMean(Square(Sub(V, target)))

	// Actor: policy gradient with the TD error as advantage, the critic as
	// baseline.
	sd := exploreStd(env, Mu, s)
	var a, delta *Node
	switch cfg.Explore {
	case ExploreOneStep:
		// One Gaussian action at each visited state, replayed on the same
		// transition noise, executed clipped.
		a = Add(Mu, explore(xi, sd, s))
		act := mfgraph.Bound(env, a)
		x1 := env.Step(tn, X, act, noise)
		delta = Sub(Add(cost(X, act), n.Value(tn1, x1)), V)
	case ExploreOnPolicy:
		a = D
		delta = Sub(target, V)
	}
	if cfg.PairedBaseline {
		// Minus the TD error of the mean action on the same transition
		// noise: a baseline that depends on the state and on the noise but
		// not on the exploration noise, so the policy gradient stays
		// unbiased while the noise's part of the TD error cancels.
		xm := env.Step(tn, X, Mu, noise)
		deltaMean := Sub(Add(cost(X, Mu), n.Value(tn1, xm)), V)
		delta = Sub(delta, deltaMean)
	}
	delta = StopGradient(delta)
	var logPi *Node
	if sd == nil {
		logPi = MulScalar(Square(Sub(a, n.Mean(tn, X))), -1/(2*s*s))
	} else {
		// An exploration narrowed to sd < s: its TD error, O(sd), scaled
		// by s/sd to the scale of an exploration of std s, and the
		// log-density's gradient in the mean taken as (a - mu)/(s sd) =
		// xi/s, so that the policy gradient of every state is on one
		// scale: (delta s/sd) xi/s ≈ ∂a Q xi², whatever sd.
		delta = Mul(delta, Div(ConstAs(sd, s), sd))
		logPi = Div(Square(Sub(a, n.Mean(tn, X))), MulScalar(sd, -2*s))
	}
	adv := delta
	if cfg.NormalizeAdvantage {
		c := Sub(delta, ReduceAllMean(delta))
		adv = Div(c, AddScalar(Sqrt(ReduceAllMean(Square(c))), 1e-8))
	}
	actorLoss := ReduceAllMean(Mul(adv, logPi))

	// Score: implicit score matching |S|²/2 + ∂a S on the population's
	// actions at each time.
	samples := Identity(Z)
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
	update(n.CriticScope, lrCritic, criticLoss)
	update(n.ActorScope, lrActor, actorLoss)
	update(n.ScoreScope, lrScore, scoreLoss)

	return Outputs{
		CriticLoss: criticLoss, ActorLoss: actorLoss, ScoreLoss: scoreLoss,
		MeanAbsTD: ReduceAllMean(Abs(delta)),
		Abar:      Reshape(abar, N),
	}
}

// Langevin runs cfg.LangevinSteps steps of the unadjusted Langevin
// algorithm a += eps/2 S(a) + sqrt(eps) N(0, 1) on the chains [R, L] (one
// row per time), score(a) returning S at the rows' times; gradients do not
// flow through it.
func Langevin(scope *model.Scope, cfg Config, score func(a *Node) *Node, chains *Node) *Node {
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

// exploreStd is the standard deviation of the Gaussian exploration about
// the means mu [R, C], detached: s, but within 3s of an end of the action
// range a third of the distance to it, at least s/20, so that the clip of
// the action drawn into the range rarely binds (at most 0.13 % of the
// draws, more where mu is within 3s/20 of an end). A clipped draw biases
// the policy gradient towards the end, the TD error being flat in the
// draw beyond it. nil where the range is the whole line: s everywhere.
func exploreStd(env mfgraph.Env, mu *Node, s float64) *Node {
	lo, hi := env.Actions()
	if math.IsInf(lo, -1) && math.IsInf(hi, 1) {
		return nil
	}
	var d *Node // distance to the nearest end
	if !math.IsInf(lo, -1) {
		d = AddScalar(mu, -lo)
	}
	if !math.IsInf(hi, 1) {
		up := Neg(AddScalar(mu, -hi)) // hi - mu
		if d == nil {
			d = up
		} else {
			d = Min(d, up)
		}
	}
	return StopGradient(Max(Min(MulScalar(d, 1.0/3), ConstAs(d, s)), ConstAs(d, s/20)))
}

// explore is the exploration step xi sd, or xi s where sd is nil.
func explore(xi, sd *Node, s float64) *Node {
	if sd == nil {
		return MulScalar(xi, s)
	}
	return Mul(xi, sd)
}

// lambdaReturns are the TD(λ) targets of the rows [N, M] of an episode's
// transitions: G_{N-1} = c_{N-1} + v_{N-1}, G_k = c_k + (1 - λ) v_k + λ
// G_{k+1}, c the costs and v the critic at the next states (the terminal
// cost at the last); λ = 1 gives the Monte Carlo cost-to-go.
func lambdaReturns(c, v *Node, lambda float64) *Node {
	N := c.Shape().Dim(0)
	rows := make([]*Node, N)
	G := Add(Slice(c, AxisElem(N-1)), Slice(v, AxisElem(N-1)))
	rows[N-1] = G
	for k := N - 2; k >= 0; k-- {
		G = Add(Add(Slice(c, AxisElem(k)), MulScalar(Slice(v, AxisElem(k)), 1-lambda)), MulScalar(G, lambda))
		rows[k] = G
	}
	return Concatenate(rows, 0)
}
