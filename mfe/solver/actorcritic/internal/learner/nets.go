package learner

import (
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nn"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl/mfgraph"
)

// Nets is the actor, the critic and the score network in one graph, with
// the sub-scopes holding their variables (one optimizer each).
type Nets struct {
	env mfgraph.Env
	cfg Config
	sc  Scales
	T   float64

	ActorScope, CriticScope, ScoreScope *model.Scope
	actor, critic, score                *nn.MLP
}

// NewNets reads or creates the networks' variables in scope for graph g.
func NewNets(scope *model.Scope, g *Graph, env mfgraph.Env, cfg Config, sc Scales) *Nets {
	n := &Nets{env: env, cfg: cfg, sc: sc, T: env.Horizon()}
	n.ActorScope = scope.In("actor")
	n.CriticScope = scope.In("critic")
	n.ScoreScope = scope.In("score")
	mlp := func(s *model.Scope, in, out int, act nn.Activation) *nn.MLP {
		return nn.NewMLP(s, g, nn.MLPConfig{In: in, Hidden: cfg.Hidden, Out: out, Activation: act})
	}
	if cfg.Head == HeadStructured {
		n.actor = mlp(n.ActorScope, 1, 2, nn.ActTanh)   // K, L
		n.critic = mlp(n.CriticScope, 1, 3, nn.ActTanh) // Q, P, R
		n.score = mlp(n.ScoreScope, 1, 2, nn.ActTanh)   // ρ, m
	} else {
		act := cfg.Activation
		if act == "" {
			act = nn.ActTanh
		}
		n.actor = mlp(n.ActorScope, 2, 1, act)
		n.critic = mlp(n.CriticScope, 2, 1, act)
		n.score = mlp(n.ScoreScope, 2, 1, nn.ActTanh)
	}
	return n
}

// The networks are evaluated at times t of shape [R, 1] and states (or
// actions) of shape [R, C], returning [R, C]: row r holds C points at time
// t[r]. R may be 1 with any C (one time, a batch of points).

// tin is the time at the networks' input, 2t/T - 1 in [-1, 1].
func (n *Nets) tin(t *Node) *Node { return AddScalar(MulScalar(t, 2/n.T), -1) }

// coef evaluates a structured head on the times t [R, 1]: [R, out].
func (n *Nets) coef(net *nn.MLP, t *Node) *Node { return net.Apply(n.tin(t)) }

// pointwise evaluates a generic head on (t, (z - c)/s), feature-major
// (nn.MLP.ApplyCols: one column per point).
func (n *Nets) pointwise(net *nn.MLP, t, z, c, s *Node) *Node {
	r, cols := z.Shape().Dim(0), z.Shape().Dim(1)
	tt := Reshape(BroadcastToDims(n.tin(t), r, cols), 1, r*cols)
	zz := Reshape(Div(Sub(z, c), s), 1, r*cols)
	return Reshape(net.ApplyCols(Concatenate([]*Node{tt, zz}, 0)), r, cols)
}

func (n *Nets) scalar(g *Graph, v float64) *Node { return Scalar(g, dtypes.Float32, v) }

// col returns column k of c [R, out] as [R, 1].
func col(c *Node, k int) *Node { return Slice(c, AxisRange(), AxisElem(k)) }

// Latent is the actor's unbounded output z(t, x): its mean action where
// the environment's action range is the whole line, and clipped to the
// range otherwise (Mean).
func (n *Nets) Latent(t, x *Node) *Node {
	if n.cfg.Head == HeadStructured {
		c := n.coef(n.actor, t)
		return Neg(Add(Mul(col(c, 0), x), col(c, 1)))
	}
	g := x.Graph()
	return n.pointwise(n.actor, t, x, n.scalar(g, n.sc.XC), n.scalar(g, n.sc.XS))
}

// Mean is the actor's mean action mu(t, x) = clip(z(t, x)) in the
// environment's action range (mfgraph.Bound), the learned control.
func (n *Nets) Mean(t, x *Node) *Node { return mfgraph.Bound(n.env, n.Latent(t, x)) }

// latentAt returns z(t[k], x) for the times t [R, 1], x [1, C]: with the
// structured head, the coefficients of every time come from one evaluation.
func (n *Nets) latentAt(t *Node) func(k int, x *Node) *Node {
	if n.cfg.Head == HeadStructured {
		c := n.coef(n.actor, t)
		return func(k int, x *Node) *Node {
			ck := Slice(c, AxisElem(k))
			return Neg(Add(Mul(col(ck, 0), x), col(ck, 1)))
		}
	}
	return func(k int, x *Node) *Node { return n.Latent(Slice(t, AxisElem(k)), x) }
}

// Value is the critic, the cost-to-go V(t, x) = -g(x) + (1 - t/T) net(t, x)
// with g the environment's terminal reward (queried as a black box), so
// that V(T, ·) = -g exactly.
func (n *Nets) Value(t, x *Node) *Node {
	var net *Node
	if n.cfg.Head == HeadStructured {
		c := n.coef(n.critic, t)
		net = Add(Add(Mul(MulScalar(col(c, 0), 0.5), Square(x)), Mul(col(c, 1), x)), col(c, 2))
	} else {
		g := x.Graph()
		net = n.pointwise(n.critic, t, x, n.scalar(g, n.sc.XC), n.scalar(g, n.sc.XS))
	}
	left := OneMinus(MulScalar(t, 1/n.T))
	return Add(Neg(n.env.Terminal(x)), Mul(left, net))
}

// Score is S(t, a) ≈ ∂a log p_t(a) of the population's action law.
func (n *Nets) Score(t, a *Node) *Node {
	if n.cfg.Head == HeadStructured {
		c := n.coef(n.score, t)
		return Neg(Mul(Exp(col(c, 0)), Sub(a, col(c, 1))))
	}
	g := a.Graph()
	return n.pointwise(n.score, t, a, n.scalar(g, 0), n.scalar(g, 1))
}
