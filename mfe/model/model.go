package model

import (
	"math"

	. "github.com/gomlx/gomlx/core/graph"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// Model is a mean-field execution model (the package doc).
type Model interface {
	// Spec is the model's record in results and checkpoints: its name and
	// parameter. A user's model gives a name of its own.
	Spec() mfe.ModelSpec
	// Params gives T, sigma, x0-mean and x0-std; its cost parameters are
	// the model's own business.
	Params() mfe.Params
	// Running is the running cost f(t, x, a, xbar, abar).
	Running(t, x, a, xbar, abar float64) float64
	// Terminal is the terminal cost g(x).
	Terminal(x float64) float64
	// RunningGraph is Running on nodes: x and a of one shape, t, xbar and
	// abar scalars or of that shape; the result has x's shape and dtype.
	RunningGraph(t, x, a, xbar, abar *Node) *Node
	// TerminalGraph is Terminal on a node, elementwise.
	TerminalGraph(x *Node) *Node
	// Controls is the control set [amin, amax]; either end may be infinite.
	Controls() (amin, amax float64)
	// Minimiser returns a minimiser over the control set of
	// a q + f(t, x, a, xbar, abar): the feedback at co-state q.
	Minimiser(t, x, q, xbar, abar float64) float64
	// Rate is the fastest rate (1/time) of the model's solutions, 0 if
	// none: time steps resolve it.
	Rate() float64
}

// MeanPartials is implemented by a model that gives the partial derivatives
// of its running cost in the mean terms, ∂f/∂xbar and ∂f/∂abar, in closed
// form (the MFC's marginal social cost needs them). For a model without
// it, Partials takes central differences. A model that embeds LQ (or
// Capped) to reuse its methods inherits LQ's MeanPartials and graph forms,
// which are those of LQ's running cost: a model that changes Running must
// give its own, or the MFC it solves is charged the wrong marginal cost and
// the network solvers train on LQ's cost (CheckGraph finds the latter).
type MeanPartials interface {
	MeanPartials(t, x, a, xbar, abar float64) (dxbar, dabar float64)
}

// GraphMinimiser is implemented by a model whose Hamiltonian minimiser has
// a graph form: MinimiserGraph is Minimiser on nodes (q of any shape; t, x,
// xbar and abar scalars or of q's shape), elementwise, with q's shape and
// dtype. The solvers that take the feedback from a learned co-state or
// value gradient inside the graph (FBSDE, DGM) need it; LQ and Capped give
// it in closed form. CheckGraph compares it with Minimiser. A model that
// embeds LQ and changes Minimiser must give its own MinimiserGraph.
type GraphMinimiser interface {
	MinimiserGraph(t, x, q, xbar, abar *Node) *Node
}

// New returns the model s names at parameters p: LQ or Capped.
func New(s mfe.ModelSpec, p mfe.Params) (Model, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if s.Name == mfe.ModelCapped {
		return Capped{LQ{p}, s.AMax}, nil
	}
	return LQ{p}, nil
}

// LQ is the price-impact model of package mfe:
// f = cX/2 x^2 + ca/2 a^2 - gamma x abar, g = cg/2 x^2, unbounded control,
// whose minimiser is -q/ca.
type LQ struct{ P mfe.Params }

// Spec implements Model: the zero mfe.ModelSpec.
func (LQ) Spec() mfe.ModelSpec { return mfe.ModelSpec{} }

// Params implements Model.
func (m LQ) Params() mfe.Params { return m.P }

// Running implements Model.
func (m LQ) Running(_, x, a, _, abar float64) float64 {
	return m.P.CX/2*x*x + m.P.Ca/2*a*a - m.P.Gamma*x*abar
}

// Terminal implements Model.
func (m LQ) Terminal(x float64) float64 { return m.P.Cg / 2 * x * x }

// RunningGraph implements Model.
func (m LQ) RunningGraph(_, x, a, _, abar *Node) *Node {
	f := Add(MulScalar(Square(x), m.P.CX/2), MulScalar(Square(a), m.P.Ca/2))
	return Sub(f, MulScalar(Mul(x, abar), m.P.Gamma))
}

// TerminalGraph implements Model.
func (m LQ) TerminalGraph(x *Node) *Node { return MulScalar(Square(x), m.P.Cg/2) }

// Controls implements Model: the whole line.
func (LQ) Controls() (amin, amax float64) { return math.Inf(-1), math.Inf(1) }

// Minimiser implements Model.
func (m LQ) Minimiser(_, _, q, _, _ float64) float64 { return -q / m.P.Ca }

// MinimiserGraph implements GraphMinimiser: -q/ca.
func (m LQ) MinimiserGraph(_, _, q, _, _ *Node) *Node { return MulScalar(q, -1/m.P.Ca) }

// Rate implements Model: the largest of sqrt(cX/ca) (the Riccati
// equation's relaxation), cg/ca (the feedback's gain at T) and gamma/ca
// (the price impact's).
func (m LQ) Rate() float64 {
	p := m.P
	return math.Max(math.Sqrt(p.CX/p.Ca), math.Max(p.Cg/p.Ca, p.Gamma/p.Ca))
}

// MeanPartials implements MeanPartials: ∂f/∂xbar = 0, ∂f/∂abar = -gamma x.
func (m LQ) MeanPartials(_, x, _, _, _ float64) (dxbar, dabar float64) {
	return 0, -m.P.Gamma * x
}

// Capped is the LQ model with the trading rate capped, |a| <= A (a
// participation limit): the control set is [-A, A] and the minimiser
// clip(-q/ca, -A, A). As A grows it is the LQ model; A = +Inf is the LQ
// model exactly (but cannot be recorded: Spec's AMax must be finite).
type Capped struct {
	LQ
	A float64
}

// Spec implements Model.
func (m Capped) Spec() mfe.ModelSpec { return mfe.ModelSpec{Name: mfe.ModelCapped, AMax: m.A} }

// Controls implements Model.
func (m Capped) Controls() (amin, amax float64) { return -m.A, m.A }

// Minimiser implements Model.
func (m Capped) Minimiser(_, _, q, _, _ float64) float64 {
	return math.Max(-m.A, math.Min(m.A, -q/m.P.Ca))
}

// MinimiserGraph implements GraphMinimiser: clip(-q/ca, -A, A).
func (m Capped) MinimiserGraph(t, x, q, xbar, abar *Node) *Node {
	return Bound(m, m.LQ.MinimiserGraph(t, x, q, xbar, abar))
}
