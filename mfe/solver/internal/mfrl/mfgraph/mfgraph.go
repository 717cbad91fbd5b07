// Package mfgraph is package mfrl's contract for learners that run their
// episodes as one GoMLX graph: the same problem, seen the same way, with
// batches of agents as graph nodes instead of one agent at a time.
//
// A learner sees an Env: the time grid (Steps decisions over [0, Horizon]),
// the range of admissible actions (Actions; either end may be infinite), a
// sampler of initial states, opaque transition noise and a transition
// function (state, action, noise → next state) that it cannot open, and a
// black-box running reward r(t, x, a, s), s the population's statistics, and
// terminal reward g(x) that it may query at points of its choosing. The
// model's parameters and its exact solution are not part of the contract: a
// learner package imports this package, GoMLX and package nn only (its tests
// check so), and the method's Train wires a model into an Env.
//
// Noise and Step are split so that a learner can replay a transition with
// another action on the same noise (common random numbers): the next state
// of an explored action and of the mean action from one draw, whose
// difference then carries no noise of the dynamics.
package mfgraph

import (
	"math"

	. "github.com/gomlx/gomlx/core/graph"
)

// Rand is a source of random numbers in the graph being built: float32
// nodes of the given dimensions, standard normal or uniform on [0, 1).
type Rand interface {
	Normal(dims ...int) *Node
	Uniform(dims ...int) *Node
}

// Env is a finite-horizon mean-field problem as a graph learner sees it.
// Decisions are taken at t_n = n·Horizon()/Steps(), n = 0..Steps()-1; the
// action of step n is held over [t_n, t_{n+1}].
//
// Its functions take batches laid out by rows: t of shape [R, 1] holds one
// decision time per row, x, a and the noise [R, C] the C agents of each
// row (an episode's rollout has R = 1 per step; a learner replaying the
// whole episode at once has R = Steps()). Every node is float32.
type Env interface {
	Steps() int
	Horizon() float64
	// Actions is the range of admissible actions, lo < hi; either end may
	// be infinite (the whole line: -Inf, +Inf). Step and Reward are defined
	// for actions in it only: a learner clips what it executes (Bound).
	Actions() (lo, hi float64)
	// Initial draws m states at t = 0 from the population's initial law,
	// shape [1, m].
	Initial(r Rand, m int) *Node
	// Noise draws the randomness of rows×cols transitions: a node whose
	// first two axes are rows and cols, to be sliced along its first axis
	// and handed to Step, never read otherwise.
	Noise(r Rand, rows, cols int) *Node
	// Step is the state at t_{n+1} of agents at x at t_n (t) holding a over
	// the step, the transition's randomness being noise (from Noise).
	Step(t, x, a, noise *Node) *Node
	// Reward is the reward of the step from t for agents at x taking a
	// while the population's statistics are s, shape [R, 2]: per row the
	// mean state and the mean action of the population.
	Reward(t, x, a, s *Node) *Node
	// Terminal is the reward at t = T of agents ending at x, any shape.
	Terminal(x *Node) *Node
}

// Bound maps z into env's action range, elementwise: z clipped to [lo, hi]
// (an infinite end left open), and z itself, the node, where the range is
// the whole line, so that the graph of an unbounded problem has no clip.
// It is model.Bound's clip, written again here: this package, which the
// model-free learners see, imports GoMLX alone (their import test).
func Bound(env Env, z *Node) *Node {
	lo, hi := env.Actions()
	out := z
	if !math.IsInf(lo, -1) {
		out = Max(out, ConstAs(z, lo))
	}
	if !math.IsInf(hi, 1) {
		out = Min(out, ConstAs(z, hi))
	}
	return out
}
