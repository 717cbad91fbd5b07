package model_test

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/graph"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// Quartic is a user's model: the LQ model with a quartic inventory penalty
// Kappa x^4 and asymmetric trading costs, CSell/2 a^2 selling (a < 0) and
// CBuy/2 a^2 buying. It gives its costs twice, in Go and on graph nodes
// (c(a)/2 a^2 = CBuy/2 max(a, 0)^2 + CSell/2 min(a, 0)^2), and leaves its
// minimiser to model.Minimise and its mean partials to the solvers.
type Quartic struct {
	P           mfe.Params
	CBuy, CSell float64
	Kappa       float64
}

func (Quartic) Spec() mfe.ModelSpec  { return mfe.ModelSpec{Name: "quartic"} }
func (m Quartic) Params() mfe.Params { return m.P }

func (m Quartic) Running(_, x, a, _, abar float64) float64 {
	c := m.CBuy
	if a < 0 {
		c = m.CSell
	}
	return c/2*a*a + m.P.CX/2*x*x + m.Kappa*x*x*x*x - m.P.Gamma*x*abar
}

func (m Quartic) Terminal(x float64) float64 { return m.P.Cg / 2 * x * x }

func (m Quartic) RunningGraph(_, x, a, _, abar *graph.Node) *graph.Node {
	zero := graph.ZerosLike(a)
	trade := graph.Add(graph.MulScalar(graph.Square(graph.Max(a, zero)), m.CBuy/2), graph.MulScalar(graph.Square(graph.Min(a, zero)), m.CSell/2))
	x2 := graph.Square(x)
	hold := graph.Add(graph.MulScalar(x2, m.P.CX/2), graph.MulScalar(graph.Square(x2), m.Kappa))
	return graph.Sub(graph.Add(trade, hold), graph.MulScalar(graph.Mul(x, abar), m.P.Gamma))
}

func (m Quartic) TerminalGraph(x *graph.Node) *graph.Node {
	return graph.MulScalar(graph.Square(x), m.P.Cg/2)
}

func (Quartic) Controls() (amin, amax float64) { return math.Inf(-1), math.Inf(1) }

func (m Quartic) Minimiser(t, x, q, xbar, abar float64) float64 {
	return model.Minimise(func(a float64) float64 { return a*q + m.Running(t, x, a, xbar, abar) }, math.Inf(-1), math.Inf(1))
}

func (m Quartic) Rate() float64 {
	c := math.Min(m.CBuy, m.CSell)
	return math.Max(math.Sqrt((m.P.CX+3*m.Kappa)/c), math.Max(m.P.Cg/c, m.P.Gamma/c))
}

// A user's model checked: its graph forms are its plain ones, and its
// minimiser sells at co-state 1 at the selling cost (-1/CSell).
func ExampleCheckGraph() {
	m := Quartic{P: mfe.Reference(), CBuy: 1, CSell: 2, Kappa: 1}
	fmt.Println("graph forms:", model.CheckGraph(backend.Default(), m, 1e-12))
	fmt.Printf("minimiser at q = 1: %.6f\n", m.Minimiser(0, 0.5, 1, 0, 0))
	// Output:
	// graph forms: <nil>
	// minimiser at q = 1: -0.500000
}
