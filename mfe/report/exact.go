package report

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
)

// ExactControls draws the exact MFG (solid) and MFC (dashed) controls
// against x at several times.
func ExactControls(p mfe.Params, times []float64) (*plot.Plot, error) {
	g, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	c, err := exact.NewMFC(p)
	if err != nil {
		return nil, err
	}
	x := mfe.Linspace(-1.5, 2, 71)
	var series []figure.Series
	for _, t := range times {
		series = append(series,
			figure.Series{Label: fmt.Sprintf("MFG t=%.3g", t), X: x, Y: apply(g.Control(), t, x)},
			figure.Series{Label: fmt.Sprintf("MFC t=%.3g", t), X: x, Y: apply(c.Control(), t, x), Dashed: true})
	}
	return figure.Lines(series, figure.Options{Title: "Exact controls: MFG (solid) and MFC (dashed)",
		XLabel: "inventory x", YLabel: "trading rate α(t, x)"})
}

// ExactMeanPaths draws the mean inventory with a ±2 sd band for the MFG and
// the MFC.
func ExactMeanPaths(p mfe.Params) (*plot.Plot, error) {
	g, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	c, err := exact.NewMFC(p)
	if err != nil {
		return nil, err
	}
	t := mfe.TimeGrid(p.T, 100)
	mg, sg := lawPath(t, g.LawX)
	mc, sc := lawPath(t, c.LawX)
	return figure.MeanPath([]figure.PathSeries{
		{Label: "MFG", T: t, Mean: mg, SD: sg},
		{Label: "MFC", T: t, Mean: mc, SD: sc},
	}, figure.Options{Title: "Mean inventory E[X_t] ± 2 sd", XLabel: "time t", YLabel: "inventory"})
}

func lawPath(t []float64, law func(float64) exact.Law) (mean, sd []float64) {
	for _, ti := range t {
		l := law(ti)
		mean = append(mean, l.Mean)
		sd = append(sd, l.Std())
	}
	return mean, sd
}

// DensityPanels evaluates the exact density of X_t of the regime at each
// time, with particle samples (nil: none) for the histogram.
func DensityPanels(p mfe.Params, r mfe.Regime, times []float64, samples map[float64][]float64) ([]figure.DensityPanel, error) {
	law, err := eval.LawX(p, r)
	if err != nil {
		return nil, err
	}
	var panels []figure.DensityPanel
	for _, t := range times {
		l := law(t)
		sd := math.Max(l.Std(), 1e-3)
		x := mfe.Linspace(l.Mean-4.5*sd, l.Mean+4.5*sd, 161)
		d := make([]float64, len(x))
		for i, xi := range x {
			d[i] = l.Density(xi)
		}
		panels = append(panels, figure.DensityPanel{Label: fmt.Sprintf("t=%.3g", t), X: x, Exact: d, Samples: samples[t]})
	}
	return panels, nil
}

// DensityFigure draws histograms of particles simulated under control c
// (nil: the exact control) against the exact density of X_t at each time.
func DensityFigure(p mfe.Params, r mfe.Regime, c mfe.Control, times []float64, seed uint64) (*figure.Grid, error) {
	if c == nil {
		ex, err := eval.ExactControl(p, r)
		if err != nil {
			return nil, err
		}
		c = ex
	}
	steps := 100
	s := sim.Sim{P: p, N: 20000, Steps: steps, Seed: seed}
	var keep []int
	for _, t := range times {
		keep = append(keep, int(math.Round(t/p.T*float64(steps))))
	}
	run, err := s.Run(context.Background(), c, sim.Options{Keep: keep})
	if err != nil {
		return nil, err
	}
	samples := map[float64][]float64{}
	for i, t := range times {
		samples[t] = run.Snapshots[keep[i]]
	}
	panels, err := DensityPanels(p, r, times, samples)
	if err != nil {
		return nil, err
	}
	return figure.DensityGrid(panels, len(panels), figure.Options{
		Title: fmt.Sprintf("Inventory density (%s): particles vs exact", r)})
}

// ExactValue draws the MFG value function v(t, ·) at several times.
func ExactValue(p mfe.Params, times []float64) (*plot.Plot, error) {
	g, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	x := mfe.Linspace(-1.5, 2, 71)
	var series []figure.Series
	for _, t := range times {
		series = append(series, figure.Series{Label: fmt.Sprintf("t=%.3g", t), X: x, Y: apply(g.ValueFunc(), t, x)})
	}
	return figure.Lines(series, figure.Options{Title: "MFG value function v(t, x)", XLabel: "inventory x", YLabel: "v(t, x)"})
}

// GammaSweep draws the exact MFG and MFC controls at (t, ·) for several
// price-impact values gamma; parameter sets without an MFC solution show
// the MFG alone.
func GammaSweep(p mfe.Params, t float64, gammas []float64) (*plot.Plot, error) {
	x := mfe.Linspace(-1.5, 2, 71)
	var series []figure.Series
	for _, gm := range gammas {
		q := p
		q.Gamma = gm
		g, err := exact.NewMFG(q)
		if err != nil {
			return nil, err
		}
		series = append(series, figure.Series{Label: fmt.Sprintf("MFG γ=%.3g", gm), X: x, Y: apply(g.Control(), t, x)})
		if c, err := exact.NewMFC(q); err == nil {
			series = append(series, figure.Series{Label: fmt.Sprintf("MFC γ=%.3g", gm), X: x, Y: apply(c.Control(), t, x), Dashed: true})
		}
	}
	return figure.Lines(series, figure.Options{Title: fmt.Sprintf("Controls at t=%.3g as the price impact γ varies", t),
		XLabel: "inventory x", YLabel: "α(t, x)"})
}

func apply(c mfe.Control, t float64, x []float64) []float64 {
	out := make([]float64, len(x))
	c.Eval(t, x, out)
	return out
}

// Costs returns the exact MFG equilibrium cost, the MFC optimum, and the
// social cost of the MFG equilibrium (the price of anarchy is their gap).
func Costs(p mfe.Params) (mfgCost, mfcCost, mfgSocial float64, err error) {
	g, err := exact.NewMFG(p)
	if err != nil {
		return 0, 0, 0, err
	}
	c, err := exact.NewMFC(p)
	if err != nil {
		return 0, 0, 0, err
	}
	return g.Cost(), c.Cost(), exact.AffineMFG(g).SocialCost(), nil
}

// MetricsRows formats results as table rows: method, regime, profile,
// backend, control_rel, exploitability or social-cost gap (± its standard
// error where recorded), s/epoch, wall time.
func MetricsRows(results ...*mfe.Result) (header []string, rows [][]string) {
	header = []string{"method", "regime", "profile", "backend", "control_mse", "control_rel", "exploitability / gap", "s/epoch", "wall s"}
	for _, r := range results {
		gap := r.Metrics.GapText("%.2e")
		if gap == "" {
			gap = "–"
		}
		rows = append(rows, []string{r.Method, string(r.Regime), string(r.Profile), r.Backend,
			fmt.Sprintf("%.2e", r.Metrics.ControlMSE), fmt.Sprintf("%.2e", r.Metrics.ControlRel), gap,
			fmt.Sprintf("%.3g", r.EpochTime), fmt.Sprintf("%.1f", r.WallTime)})
	}
	return header, rows
}

// ErrorByTimeRows formats a result's relative control error at each time,
// weighted by the exact law of X_t (its history's "t" and
// "control_rel_by_time", recorded by direct MFC and Q-learning): one row per
// time, with the RMS of the exact control under that law for scale. It
// returns no rows for a result without them.
func ErrorByTimeRows(res *mfe.Result) (header []string, rows [][]string) {
	header = []string{"t", "control_rel(t)", "RMS exact control"}
	ts, rel := res.History.Extra[mfe.KeyTimes], res.History.Extra[mfe.KeyControlRelByTime]
	if len(ts) != len(rel) {
		return header, nil
	}
	ex, err := eval.ExactControl(res.Params, res.Regime)
	if err != nil {
		return header, nil
	}
	rms, err := eval.RMSByTime(res.Params, res.Regime, ex, ts)
	if err != nil {
		return header, nil
	}
	for i, t := range ts {
		rows = append(rows, []string{strconv.FormatFloat(t, 'g', 3, 64), fmt.Sprintf("%.2e", rel[i]),
			fmt.Sprintf("%.3g", rms[i])})
	}
	return header, rows
}
