package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/dgm"
)

// PDE solvers (Deep Galerkin): loss components, learned value and learned
// density against the exact MFG solution.

// LossComponents are the History.Extra keys of the DGM loss terms, in the
// order they are drawn.
var LossComponents = dgm.LossComponents

// PopulationX returns n points on mean ± k sd of the exact MFG law of X_t:
// where the population lives at time t.
func PopulationX(p mfe.Params, t, k float64, n int) ([]float64, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	law := m.LawX(t)
	sd := math.Max(law.Std(), 1e-3)
	return mfe.Linspace(law.Mean-k*sd, law.Mean+k*sd, n), nil
}

// LossComponentsFigure draws the loss components keys (LossComponents when
// none are given) recorded in res.History.Extra against iterations, on a log
// scale. A component that is zero at every iteration (a boundary condition
// built into the networks) has nothing to draw on a log axis: it is named in
// the title instead.
func LossComponentsFigure(res *mfe.Result, keys ...mfe.HistoryKey) (*plot.Plot, error) {
	if len(keys) == 0 {
		keys = LossComponents
	}
	h := res.History
	var series []figure.TrainSeries
	var zero []string
	for _, k := range keys {
		v, ok := h.Extra[k]
		if !ok {
			return nil, fmt.Errorf("report: the history has no loss component %q", k)
		}
		if len(v) != len(h.Epoch) {
			return nil, fmt.Errorf("report: loss component %q has %d values for %d iterations", k, len(v), len(h.Epoch))
		}
		y := make([]float64, len(v))
		nonzero := false
		for i, x := range v {
			y[i] = math.Max(math.Abs(x), 1e-300)
			nonzero = nonzero || x != 0
		}
		if !nonzero {
			zero = append(zero, string(k))
			continue
		}
		series = append(series, figure.TrainSeries{Label: string(k), X: ints(h.Epoch), Mean: y})
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("report: every loss component is zero")
	}
	title := fmt.Sprintf("%s (%s): RMS residuals", res.Method, res.Regime)
	if len(zero) > 0 {
		title += fmt.Sprintf(" (%s: 0, built in)", strings.Join(zero, ", "))
	}
	return figure.Training(series, figure.Options{Title: title, XLabel: "iteration", YLabel: "RMS"})
}

// ControlValueFigure draws the learned control and value of res against the
// exact MFG ones at each time, on mean ± 3 sd of the exact law of X_t: the
// controls in the first row, the values in the second.
func ControlValueFigure(res *mfe.Result, times []float64) (*figure.Grid, error) {
	if res.Value == nil {
		return nil, fmt.Errorf("report: %s learns no value", res.Method)
	}
	m, err := exact.NewMFG(res.Params)
	if err != nil {
		return nil, err
	}
	ctrl := m.Control()
	var plots []*plot.Plot
	for row := range 2 {
		for i, t := range times {
			x, err := PopulationX(res.Params, t, 3, 61)
			if err != nil {
				return nil, err
			}
			cp := figure.ControlPanel{X: x, Exact: make([]float64, len(x)), Learned: make([]float64, len(x))}
			o := figure.Options{NoLegend: i > 0, LegendLeft: row == 1}
			if row == 0 {
				cp.Label = fmt.Sprintf("control, t=%.3g", t)
				ctrl.Eval(t, x, cp.Exact)
				res.Control.Eval(t, x, cp.Learned)
				o.YLabel = "α(t, x)"
			} else {
				cp.Label = fmt.Sprintf("value, t=%.3g", t)
				for j, xj := range x {
					cp.Exact[j] = m.Value(t, xj)
				}
				res.Value.Eval(t, x, cp.Learned)
				o.YLabel = "v(t, x)"
			}
			g, err := figure.ControlGrid([]figure.ControlPanel{cp}, 1, o)
			if err != nil {
				return nil, err
			}
			plots = append(plots, g.Plots[0][0])
		}
	}
	g, err := figure.NewGrid(plots, len(times))
	if err != nil {
		return nil, err
	}
	g.Title = fmt.Sprintf("%s (%s): learned (dots) vs exact (lines), x on mean ± 3 sd", res.Method, res.Regime)
	return g, nil
}

// DensityCurvesFigure draws a learned density (density(t, xs)) against the
// exact MFG density of X_t at each time, on mean ± 4 sd of the exact law,
// one panel per time in cols columns. l1, if not nil, holds the density_l1
// of each time (keyed like mfe.Metrics.DensityL1, by the fraction of T) for
// the panel titles.
func DensityCurvesFigure(p mfe.Params, density func(t float64, xs []float64) []float64, times []float64, l1 map[string]float64, cols int) (*figure.Grid, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	var plots []*plot.Plot
	for i, t := range times {
		x, err := PopulationX(p, t, 4, 201)
		if err != nil {
			return nil, err
		}
		law := m.LawX(t)
		ex := make([]float64, len(x))
		for j, xj := range x {
			ex[j] = law.Density(xj)
		}
		title := fmt.Sprintf("t=%.3g", t)
		if d, ok := l1[fmt.Sprintf("%g", t/p.T)]; ok {
			title += fmt.Sprintf(", L1 %.2g", d)
		}
		pl, err := figure.Lines([]figure.Series{
			{Label: "learned", X: x, Y: density(t, x)},
			{Label: "exact", X: x, Y: ex, Dashed: true},
		}, figure.Options{Title: title, XLabel: "inventory x", YLabel: "density", NoLegend: i > 0})
		if err != nil {
			return nil, err
		}
		plots = append(plots, pl)
	}
	g, err := figure.NewGrid(plots, cols)
	if err != nil {
		return nil, err
	}
	g.Title = "Learned density m ∝ exp(-u) (line) vs the exact law of X_t (dashed)"
	return g, nil
}

// DensityRows formats the density_l1 metrics of results as a table: one
// row per result, one column per time.
func DensityRows(results ...*mfe.Result) (header []string, rows [][]string) {
	keys := map[string]bool{}
	for _, r := range results {
		for k := range r.Metrics.DensityL1 {
			keys[k] = true
		}
	}
	var ks []string
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		a, _ := parseFloat(ks[i])
		b, _ := parseFloat(ks[j])
		return a < b
	})
	header = []string{"run", "value_rel"}
	for _, k := range ks {
		header = append(header, "density_l1 t="+k+"T")
	}
	for _, r := range results {
		vr := "–"
		if r.Metrics.ValueRel != nil {
			vr = fmt.Sprintf("%.2e", *r.Metrics.ValueRel)
		}
		row := []string{fmt.Sprintf("%s %s %s", r.Method, r.Regime, r.Profile), vr}
		for _, k := range ks {
			if d, ok := r.Metrics.DensityL1[k]; ok {
				row = append(row, fmt.Sprintf("%.2e", d))
			} else {
				row = append(row, "–")
			}
		}
		rows = append(rows, row)
	}
	return header, rows
}

func parseFloat(s string) (float64, error) {
	var f float64
	_, err := fmt.Sscan(s, &f)
	return f, err
}
