package report

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/finitedifference"
)

// SolutionCost returns the cost of a finite-difference solution to its
// population, J = E[∫_0^T f(t, X_t, α(t, X_t), xbar_t, abar_t) dt + g(X_T)]
// under the solution's own law and mean flow: for the MFG the social cost
// of the equilibrium (which is also each agent's cost there), for the MFC
// the optimal social cost. Their ratio is the price of anarchy.
//
// It is read off the value at t = 0 against the initial law on the grid,
// Σ_i Mass[0][i] Value[0][i]. For the MFG that is J. For the MFC the value
// is that of the agent charged its marginal social cost
// f + x E[∂f/∂xbar] + a E[∂f/∂abar], the means held fixed (the solver's
// potential game), whose expectation exceeds J by
// ∫_0^T (xbar_t E[∂f/∂xbar] + abar_t E[∂f/∂abar]) dt: the flow's own
// terms (Solution.Flow), subtracted here by the trapezoidal rule on the grid
// times. On the LQ model the value is the scheme's most accurate output (the
// differences are exact on its quadratic value), so that J is the closed
// form's to the time step's error.
func SolutionCost(sol *finitedifference.Solution) float64 {
	g, fl := sol.Grid, sol.Flow
	j := 0.0
	for i, w := range sol.Mass[0] {
		j += w * sol.Value[0][i]
	}
	for n := 0; n <= g.NT; n++ {
		w := g.DT
		if n == 0 || n == g.NT {
			w /= 2
		}
		j -= w * (fl.XBar[n]*fl.DXBar[n] + fl.ABar[n]*fl.DABar[n])
	}
	return j
}

// SolutionPath returns the mean inventory of a finite-difference solution
// at its grid times with its standard deviation (Solution.Law), labelled,
// for figure.MeanPath.
func SolutionPath(label string, sol *finitedifference.Solution) figure.PathSeries {
	g := sol.Grid
	s := figure.PathSeries{Label: label, T: make([]float64, g.NT+1), Mean: make([]float64, g.NT+1), SD: make([]float64, g.NT+1)}
	for n := range s.T {
		s.T[n] = g.T(n)
		s.Mean[n], s.SD[n] = sol.Moments(n)
	}
	return s
}

// solutionPoints is the number of points of a SolutionControls curve.
const solutionPoints = 201

// SolutionControls draws the feedbacks of finite-difference solutions at
// the given times, one panel per time (a row), labels[i] naming sols[i]
// and drawn in Color(i), as figure.MeanPath draws series i. The first
// solution is the reference the others are read against (the LQ model's,
// say): it is drawn dashed and last, over the others, so that it shows
// where they coincide with it (and comes last in the legend). Each panel
// covers where the populations are at that time: the envelope of the
// solutions' mean ± 3 sd of X_t (Solution.Law), at solutionPoints points,
// enough to draw the corners where a cap starts to bind. The legend is the
// last panel's.
func SolutionControls(title string, labels []string, sols []*finitedifference.Solution, times []float64) (*figure.Grid, error) {
	if len(sols) == 0 || len(labels) != len(sols) {
		return nil, fmt.Errorf("report: solution controls: %d labels for %d solutions", len(labels), len(sols))
	}
	if len(times) == 0 {
		return nil, fmt.Errorf("report: solution controls: no times")
	}
	var plots []*plot.Plot
	for k, t := range times {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, sol := range sols {
			m, sd := sol.Law(t)
			lo, hi = math.Min(lo, m-3*sd), math.Max(hi, m+3*sd)
		}
		xs := mfe.Linspace(lo, hi, solutionPoints)
		series := make([]figure.Series, len(sols))
		for i, sol := range sols {
			y := make([]float64, len(xs))
			sol.Control().Eval(t, xs, y)
			series[(i+len(sols)-1)%len(sols)] = figure.Series{Label: labels[i], X: xs, Y: y, Color: figure.Color(i), Dashed: i == 0}
		}
		ylabel := " "
		if k == 0 {
			ylabel = "trading rate α(t, x)"
		}
		p, err := figure.Lines(series, figure.Options{Title: TimeLabel(t), XLabel: "inventory x", YLabel: ylabel, NoLegend: k < len(times)-1})
		if err != nil {
			return nil, err
		}
		plots = append(plots, p)
	}
	g, err := figure.NewGrid(plots, len(plots))
	if err != nil {
		return nil, err
	}
	g.Title = title
	return g, nil
}
