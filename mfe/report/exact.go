package report

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
)

// ExactControls draws the exact MFG (solid) and MFC (dashed) controls
// against x at several times, one colour per time, each over mean ± 3 sd of
// its regime's law of X_t at that time.
func ExactControls(p mfe.Params, times []float64) (*plot.Plot, error) {
	var series []figure.Series
	for i, t := range times {
		for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
			s, err := exactSeries(p, r, t)
			if err != nil {
				return nil, err
			}
			s.Label = fmt.Sprintf("%s, %s", strings.ToUpper(string(r)), TimeLabel(t))
			s.Color = figure.Color(i)
			s.Dashed = r == mfe.MFC
			series = append(series, s)
		}
	}
	return figure.Lines(series, figure.Options{Title: "Exact controls: mean-field game (solid) and control (dashed)",
		XLabel: "inventory x", YLabel: "trading rate α(t, x)"})
}

// exactSeries is the exact control of regime r at time t on mean ± 3 sd of
// the regime's law of X_t.
func exactSeries(p mfe.Params, r mfe.Regime, t float64) (figure.Series, error) {
	c, err := eval.ExactControl(p, r)
	if err != nil {
		return figure.Series{}, err
	}
	x, err := PopulationX(p, r, t, 3, PopulationPoints)
	if err != nil {
		return figure.Series{}, err
	}
	return figure.Series{X: x, Y: apply(c, t, x)}, nil
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
		{Label: "mean-field game", T: t, Mean: mg, SD: sg},
		{Label: "mean-field control", T: t, Mean: mc, SD: sc},
	}, figure.Options{Title: "Mean inventory ± 2 standard deviations", XLabel: "time t", YLabel: "inventory"})
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
		panels = append(panels, figure.DensityPanel{Label: TimeLabel(t), X: x, Exact: d, Samples: samples[t]})
	}
	return panels, nil
}

// DensityFigure draws histograms of particles simulated under control c
// (nil: the exact control) against the exact density of X_t at each time,
// in two columns from four times on.
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
	cols := len(panels)
	if cols > 3 {
		cols = 2
	}
	return figure.DensityGrid(panels, cols, figure.Options{
		Title: fmt.Sprintf("Density of the inventory, %s: particles and exact law", RegimeName(r))})
}

// ExactValue draws the MFG value function v(t, ·) at several times, each
// over mean ± 3 sd of the law of X_t at that time.
func ExactValue(p mfe.Params, times []float64) (*plot.Plot, error) {
	g, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	var series []figure.Series
	for _, t := range times {
		x, err := PopulationX(p, mfe.MFG, t, 3, PopulationPoints)
		if err != nil {
			return nil, err
		}
		series = append(series, figure.Series{Label: TimeLabel(t), X: x, Y: apply(g.ValueFunc(), t, x)})
	}
	return figure.Lines(series, figure.Options{Title: "Value function of the mean-field game", XLabel: "inventory x", YLabel: "value v(t, x)"})
}

// GammaSweep draws the exact MFG (solid) and MFC (dashed) controls at
// (t, ·) for several price-impact values gamma, one colour per gamma, each
// over mean ± 3 sd of its law of X_t; parameter sets without an MFC
// solution show the MFG alone.
func GammaSweep(p mfe.Params, t float64, gammas []float64) (*plot.Plot, error) {
	var series []figure.Series
	for i, gm := range gammas {
		q := p
		q.Gamma = gm
		for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
			s, err := exactSeries(q, r, t)
			if errors.Is(err, exact.ErrNoSolution) && r == mfe.MFC {
				continue
			}
			if err != nil {
				return nil, err
			}
			s.Label = fmt.Sprintf("%s, γ = %.3g", strings.ToUpper(string(r)), gm)
			s.Color = figure.Color(i)
			s.Dashed = r == mfe.MFC
			series = append(series, s)
		}
	}
	return figure.Lines(series, figure.Options{Title: fmt.Sprintf("Controls at t = %.3g as the price impact γ varies", t),
		XLabel: "inventory x", YLabel: "trading rate α(t, x)"})
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
