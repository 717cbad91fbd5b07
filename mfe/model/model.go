package model

import (
	"errors"
	"fmt"
	"math"
	"sync"

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

// ErrNoGraphMinimiser is the error, wrapped, of a solver that needs a
// model's GraphMinimiser when the model gives none.
var ErrNoGraphMinimiser = errors.New("the model has no graph form of its minimiser (model.GraphMinimiser)")

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

// Maker builds a user's model from its record and the run's parameters.
type Maker func(s mfe.ModelSpec, p mfe.Params) (Model, error)

var (
	makersMu sync.Mutex
	makers   = map[string]Maker{}
)

// Register makes the user's model named name solvable by name: New builds
// it with make, and the methods that take any model (mfe.Spec.UserModels)
// train on it through mfe.Run.Model = mfe.ModelSpec{Name: name, Coeffs:
// ...}. The model that make returns must record the spec it was made from
// (its Spec), so that results and checkpoints tell it apart from the same
// model with other coefficients. A name registered again takes the new
// maker (a notebook cell run twice).
func Register(name string, make Maker) error {
	if make == nil {
		return fmt.Errorf("model %q: no maker", name)
	}
	if err := mfe.RegisterModelName(name); err != nil {
		return err
	}
	makersMu.Lock()
	defer makersMu.Unlock()
	makers[name] = make
	return nil
}

// New returns the model s names at parameters p: LQ, Capped, or a user's
// model (Register), whose Spec must be s.
func New(s mfe.ModelSpec, p mfe.Params) (Model, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	switch {
	case s.IsLQ():
		return LQ{p}, nil
	case s.Name == mfe.ModelCapped:
		return Capped{LQ{p}, s.AMax}, nil
	}
	makersMu.Lock()
	make := makers[s.Name]
	makersMu.Unlock()
	if make == nil {
		return nil, fmt.Errorf("model %q: registered by name but not through model.Register", s.Name)
	}
	m, err := make(s, p)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", s, err)
	}
	if m.Spec() != s {
		return nil, fmt.Errorf("model %s: its maker returned a model that records itself as %s", s, m.Spec())
	}
	if m.Params() != p {
		return nil, fmt.Errorf("model %s: its maker returned a model of parameters %+v, not the run's %+v", s, m.Params(), p)
	}
	return m, nil
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
