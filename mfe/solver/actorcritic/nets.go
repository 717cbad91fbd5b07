package actorcritic

import (
	"math"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nn"
)

// nets is the actor, the critic and the score network in one graph, with
// the sub-scopes holding their variables (one optimizer each).
type nets struct {
	p   mfe.Params
	cfg Config
	xc  float64 // centre and scale of x at the networks' input
	xs  float64

	actorScope, criticScope, scoreScope *model.Scope
	actor, critic, score                *nn.MLP
}

func newNets(scope *model.Scope, g *Graph, p mfe.Params, cfg Config) *nets {
	n := &nets{p: p, cfg: cfg, xc: p.X0Mean, xs: math.Max(math.Sqrt(p.X0Std*p.X0Std+p.Sigma*p.Sigma*p.T), 0.1)}
	n.actorScope = scope.In("actor")
	n.criticScope = scope.In("critic")
	n.scoreScope = scope.In("score")
	mlp := func(s *model.Scope, in, out int) *nn.MLP {
		return nn.NewMLP(s, g, nn.MLPConfig{In: in, Hidden: cfg.Hidden, Out: out, Activation: nn.ActTanh})
	}
	if cfg.Head == HeadStructured {
		n.actor = mlp(n.actorScope, 1, 2)   // K, L
		n.critic = mlp(n.criticScope, 1, 3) // Q, P, R
		n.score = mlp(n.scoreScope, 1, 2)   // ρ, m
	} else {
		n.actor = mlp(n.actorScope, 2, 1)
		n.critic = mlp(n.criticScope, 2, 1)
		n.score = mlp(n.scoreScope, 2, 1)
	}
	return n
}

// The networks are evaluated at times t of shape [R, 1] and states (or
// actions) of shape [R, C], returning [R, C]: row r holds C points at time
// t[r]. R may be 1 with any C (one time, a batch of points).

// coef evaluates a structured head on the times t [R, 1]: [R, out].
func (n *nets) coef(net *nn.MLP, t *Node) *Node {
	return net.Apply(AddScalar(MulScalar(t, 2/n.p.T), -1))
}

// pointwise evaluates a generic head on (t, z) with z scaled by (z - c)/s.
func (n *nets) pointwise(net *nn.MLP, t, z *Node, c, s float64) *Node {
	r, cols := z.Shape().Dim(0), z.Shape().Dim(1)
	tt := Reshape(BroadcastToDims(AddScalar(MulScalar(t, 2/n.p.T), -1), r, cols), r*cols, 1)
	zz := Reshape(MulScalar(AddScalar(z, -c), 1/s), r*cols, 1)
	return Reshape(net.Apply(Concatenate([]*Node{tt, zz}, -1)), r, cols)
}

// col returns column k of c [R, out] as [R, 1].
func col(c *Node, k int) *Node { return Slice(c, AxisRange(), AxisElem(k)) }

// Mean is the actor's mean action mu(t, x), the learned control.
func (n *nets) Mean(t, x *Node) *Node {
	if n.cfg.Head == HeadStructured {
		c := n.coef(n.actor, t)
		return Neg(Add(Mul(col(c, 0), x), col(c, 1)))
	}
	return n.pointwise(n.actor, t, x, n.xc, n.xs)
}

// meanAt returns mu(t[k], x) for the times t [R, 1], x [1, C]: with the
// structured head, the coefficients of every time come from one evaluation.
func (n *nets) meanAt(t *Node) func(k int, x *Node) *Node {
	if n.cfg.Head == HeadStructured {
		c := n.coef(n.actor, t)
		return func(k int, x *Node) *Node {
			ck := Slice(c, AxisElem(k))
			return Neg(Add(Mul(col(ck, 0), x), col(ck, 1)))
		}
	}
	return func(k int, x *Node) *Node { return n.Mean(Slice(t, AxisElem(k)), x) }
}

// Value is the critic V(t, x) = cg x²/2 + (1 - t/T) net(t, x): the terminal
// cost is built in, so that V(T, ·) = g exactly.
func (n *nets) Value(t, x *Node) *Node {
	var net *Node
	if n.cfg.Head == HeadStructured {
		c := n.coef(n.critic, t)
		net = Add(Add(Mul(MulScalar(col(c, 0), 0.5), Square(x)), Mul(col(c, 1), x)), col(c, 2))
	} else {
		net = n.pointwise(n.critic, t, x, n.xc, n.xs)
	}
	left := OneMinus(MulScalar(t, 1/n.p.T))
	return Add(MulScalar(Square(x), n.p.Cg/2), Mul(left, net))
}

// Score is S(t, a) ≈ ∂a log p_t(a) of the population's action law.
func (n *nets) Score(t, a *Node) *Node {
	if n.cfg.Head == HeadStructured {
		c := n.coef(n.score, t)
		return Neg(Mul(Exp(col(c, 0)), Sub(a, col(c, 1))))
	}
	return n.pointwise(n.score, t, a, 0, 1)
}

// running is f(x, a, abar) = cX/2 x² + ca/2 a² - gamma x abar (abar [R, 1]).
func running(p mfe.Params, x, a, abar *Node) *Node {
	f := Add(MulScalar(Square(x), p.CX/2), MulScalar(Square(a), p.Ca/2))
	return Sub(f, MulScalar(Mul(x, abar), p.Gamma))
}
