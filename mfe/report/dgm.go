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

// lossNames are the loss components in words, for the legend.
var lossNames = map[mfe.HistoryKey]string{
	dgm.KeyHJB:      "HJB equation",
	dgm.KeyKFP:      "Fokker–Planck equation",
	dgm.KeyTerminal: "terminal condition",
	dgm.KeyInitial:  "initial condition",
}

// LossComponentsFigure draws the loss components keys (LossComponents when
// none are given) recorded in res.History.Extra against iterations, on a log
// scale. A component that is zero at every iteration (a boundary condition
// built into the networks) has nothing to draw on a log axis: it is named in
// the title instead, by its key.
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
		name := lossNames[k]
		if name == "" {
			name = string(k)
		}
		series = append(series, figure.TrainSeries{Label: name, X: ints(h.Epoch), Mean: y})
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("report: every loss component is zero")
	}
	title := RunTitle(res) + ": residuals"
	if len(zero) > 0 {
		title += fmt.Sprintf(" (%s: 0, built in)", strings.Join(zero, ", "))
	}
	return figure.Training(series, figure.Options{Title: title, XLabel: EpochName(res.Method), YLabel: "RMS residual"})
}

// DensityCurvesFigure draws a learned density (density(t, xs)) against the
// exact MFG density of X_t at each time, on mean ± 4 sd of the exact law
// (where its tails are 3e-4 of its peak), with the error learned − exact
// beside it (figure.Compare). l1, if not nil, holds the density_l1 of each
// time (keyed like mfe.Metrics.DensityL1, by the fraction of T) for the
// legend.
func DensityCurvesFigure(p mfe.Params, density func(t float64, xs []float64) []float64, times []float64, l1 map[string]float64) (*figure.Grid, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	row := figure.Comparison{Name: "Density", YLabel: "density"}
	for _, t := range times {
		x, err := PopulationX(p, mfe.MFG, t, 4, PopulationPoints)
		if err != nil {
			return nil, err
		}
		law := m.LawX(t)
		ex := make([]float64, len(x))
		for j, xj := range x {
			ex[j] = law.Density(xj)
		}
		label := TimeLabel(t)
		if d, ok := l1[fmt.Sprintf("%g", t/p.T)]; ok {
			label += fmt.Sprintf(", L1 %.2g", d)
		}
		row.Panels = append(row.Panels, figure.ControlPanel{Label: label, X: x, Exact: ex, Learned: density(t, x)})
	}
	return figure.Compare([]figure.Comparison{row}, figure.Options{
		Title: "Density of the inventory: learned, exp(−u) normalised, and exact"})
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
