package report

import (
	"context"
	"math"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/finitedifference"
)

// fdConfig is the grid of these tests: the quick profile's fixed point on
// 200 time steps per unit of T rate and 200 cells (about 0.1 s a solve).
func fdConfig(t *testing.T) finitedifference.Config {
	cfg, err := finitedifference.ProfileConfig(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	cfg.TimeSteps, cfg.SpaceSteps = 200, 200
	return cfg
}

func fdSolve(t *testing.T, m model.Model, r mfe.Regime) *finitedifference.Solution {
	t.Helper()
	sol, err := finitedifference.Solve(context.Background(), m, r, fdConfig(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sol.Converged {
		t.Fatalf("%s: fixed point stopped at residual %.3g", r, sol.Residual)
	}
	return sol
}

// TestSolutionCostLQ checks SolutionCost against the closed forms of the LQ
// model at the reference parameters: the MFG equilibrium's social cost and
// the MFC optimum.
func TestSolutionCostLQ(t *testing.T) {
	p := mfe.Reference()
	_, mfc, mfgSocial, err := Costs(p)
	if err != nil {
		t.Fatal(err)
	}
	// Measured: 7.7e-7 (MFG) and 6.2e-5 (MFC), the time step's error on
	// this grid (the MFC's flow terms are most of its value's expectation).
	for _, c := range []struct {
		r         mfe.Regime
		want, tol float64
	}{{mfe.MFG, mfgSocial, 1e-5}, {mfe.MFC, mfc, 2e-4}} {
		got := SolutionCost(fdSolve(t, model.LQ{P: p}, c.r))
		if rel := math.Abs(got/c.want - 1); rel > c.tol {
			t.Errorf("%s: cost %.7f, exact %.7f: relative error %.2g > %.0e", c.r, got, c.want, rel, c.tol)
		}
	}
}

// crowd is the LQ model with a crowding cost lambda x xbar (holding
// inventory costs more when the population holds it too), written as a
// user would, without MeanPartials: its MFC charges the agent
// E[∂f/∂xbar] = lambda xbar, by the solver's numerical derivatives.
type crowd struct {
	p      mfe.Params
	lambda float64
}

func (crowd) Spec() mfe.ModelSpec  { return mfe.ModelSpec{Name: "crowd"} }
func (m crowd) Params() mfe.Params { return m.p }
func (m crowd) Running(_, x, a, xbar, abar float64) float64 {
	return m.p.CX/2*x*x + m.p.Ca/2*a*a - m.p.Gamma*x*abar + m.lambda*x*xbar
}
func (m crowd) RunningGraph(t, x, a, xbar, abar *Node) *Node {
	return Add(model.LQ{P: m.p}.RunningGraph(t, x, a, xbar, abar), MulScalar(Mul(x, xbar), m.lambda))
}
func (m crowd) TerminalGraph(x *Node) *Node             { return model.LQ{P: m.p}.TerminalGraph(x) }
func (m crowd) Terminal(x float64) float64              { return m.p.Cg / 2 * x * x }
func (crowd) Controls() (amin, amax float64)            { return math.Inf(-1), math.Inf(1) }
func (m crowd) Minimiser(_, _, q, _, _ float64) float64 { return -q / m.p.Ca }
func (m crowd) Rate() float64                           { return model.LQ{P: m.p}.Rate() }

// quadratureCost is J of a solution by quadrature of its law: Σ_i Mass f
// at each grid time, by the trapezoidal rule in t, and Σ_i Mass g at T.
func quadratureCost(sol *finitedifference.Solution) float64 {
	g, m, fl := sol.Grid, sol.Model, sol.Flow
	j := 0.0
	for n := 0; n <= g.NT; n++ {
		s := 0.0
		for i, w := range sol.Mass[n] {
			s += w * m.Running(g.T(n), g.X(i), sol.Alpha[n][i], fl.XBar[n], fl.ABar[n])
		}
		w := g.DT
		if n == 0 || n == g.NT {
			w /= 2
		}
		j += w * s
	}
	for i, w := range sol.Mass[g.NT] {
		j += w * m.Terminal(g.X(i))
	}
	return j
}

// TestSolutionCostCrowd checks SolutionCost on a model without a closed
// form whose cost depends on the mean state, against the quadrature of the
// solution's law: the two agree to the quadrature's own error (the law
// carried at the nodes; measured 5.7e-4 and 6.1e-4 relative), while the
// MFC's flow terms that SolutionCost subtracts are 30 % of its value's
// expectation (measured 0.18 of 0.60), so that a wrong or missing term
// fails.
func TestSolutionCostCrowd(t *testing.T) {
	p := mfe.Reference()
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		sol := fdSolve(t, crowd{p, 1}, r)
		got, quad := SolutionCost(sol), quadratureCost(sol)
		if rel := math.Abs(got/quad - 1); rel > 1.5e-3 {
			t.Errorf("%s: cost %.7f, quadrature %.7f: relative difference %.2g > 1.5e-3", r, got, quad, rel)
		}
		var value float64
		for i, w := range sol.Mass[0] {
			value += w * sol.Value[0][i]
		}
		if r == mfe.MFC && !(value-got > 0.1) {
			t.Errorf("MFC: flow terms %.4f, want the 0.18 measured (the check above would not see them)", value-got)
		}
	}
}

// TestSolutionLaw checks the law read off a solution (Solution.Law) against the initial
// law N(x0-mean, x0-std^2), and the paths and control figures made from it.
func TestSolutionLaw(t *testing.T) {
	p := mfe.Reference()
	lq := fdSolve(t, model.LQ{P: p}, mfe.MFG)
	capped := fdSolve(t, model.Capped{LQ: model.LQ{P: p}, A: 1}, mfe.MFG)
	m, sd := lq.Law(0)
	if math.Abs(m-p.X0Mean) > 1e-9 || math.Abs(sd-p.X0Std) > 1e-6 {
		t.Errorf("law at t = 0: mean %v sd %v, want %v and %v", m, sd, p.X0Mean, p.X0Std)
	}
	s := SolutionPath("LQ", lq)
	if n := lq.Grid.NT + 1; len(s.T) != n || len(s.Mean) != n || len(s.SD) != n || s.T[n-1] != p.T {
		t.Fatalf("path of %d, %d, %d points ending at %v, want %d ending at T", len(s.T), len(s.Mean), len(s.SD), s.T[len(s.T)-1], n)
	}
	if m, _ := lq.Law(p.T); m != s.Mean[len(s.Mean)-1] {
		t.Errorf("law at T: mean %v, path's %v", m, s.Mean[len(s.Mean)-1])
	}
	if _, err := figure.MeanPath([]figure.PathSeries{s, SolutionPath("capped", capped)}, figure.Options{}); err != nil {
		t.Error(err)
	}
	f, err := SolutionControls("MFG", []string{"LQ", "capped"}, []*finitedifference.Solution{lq, capped}, Times(p.T, 0, 0.5, 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := figure.CheckText(f); err != nil {
		t.Error(err)
	}
	if _, err := SolutionControls("MFG", []string{"LQ"}, []*finitedifference.Solution{lq, capped}, Times(p.T, 0)); err == nil {
		t.Error("one label for two solutions: no error")
	}
	if _, err := SolutionControls("MFG", []string{"LQ"}, []*finitedifference.Solution{lq}, nil); err == nil {
		t.Error("no times: no error")
	}
}
