package report

import (
	"context"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nplayer"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// ComparisonRows is the comparison table: per run, the control error, the
// game's exploitability or the planner's social-cost gap (± its standard
// error where the run recorded one), the value error
// where the method learns a value, the time to 1% control error, and the
// cost in time.
func ComparisonRows(runs ...*mfe.Result) (header []string, rows [][]string) {
	header = []string{"method", "regime", "profile", "backend", "control_rel", "exploitability / gap", "value_rel", "time to 1% (s)", "wall s"}
	opt := func(v *float64, f string) string {
		if v == nil {
			return "–"
		}
		return fmt.Sprintf(f, *v)
	}
	for _, r := range runs {
		gap := r.Metrics.GapText("%.2e")
		if gap == "" {
			gap = "–"
		}
		rows = append(rows, []string{r.Method, string(r.Regime), string(r.Profile), r.Backend,
			fmt.Sprintf("%.2e", r.Metrics.ControlRel), gap, opt(r.Metrics.ValueRel, "%.2e"),
			opt(r.Metrics.TimeToAccuracy, "%.1f"), fmt.Sprintf("%.1f", r.WallTime)})
	}
	return header, rows
}

// AccuracyFigure plots each run's control_rel against its wall time, both
// on log scales, one colour per method.
func AccuracyFigure(runs ...*mfe.Result) (*plot.Plot, error) {
	var pts []figure.Point
	group := map[string]int{}
	for _, r := range runs {
		g, ok := group[r.Method]
		if !ok {
			g = len(group)
			group[r.Method] = g
		}
		if r.Metrics.ControlRel <= 0 || r.WallTime <= 0 {
			return nil, fmt.Errorf("report: %s %s has no control_rel or wall time", r.Method, r.Regime)
		}
		pts = append(pts, figure.Point{Label: fmt.Sprintf("%s (%s)", mfe.MethodTitle(r.Method), strings.ToUpper(string(r.Regime))),
			X: r.WallTime, Y: r.Metrics.ControlRel, Group: g})
	}
	return figure.Scatter(pts, figure.Options{Title: "Accuracy against wall time", XLabel: "wall time (s)",
		YLabel: "relative control error", LogX: true, LogY: true})
}

// NPlayerCurve is the deviation gap of one control in games of N traders.
type NPlayerCurve struct {
	Label  string
	Method string // "" for the exact controls
	// Tabulated: the control is read from a control.json grid (linear
	// interpolation in t and x), so its gap includes the tabulation error.
	Tabulated bool
	Gaps      []nplayer.Gap
}

// Exact MFG control labels in NPlayerGaps.
const (
	LabelExactMFG          = "exact MFG"
	LabelExactMFGTabulated = "exact MFG (grid)"
)

// NPlayerGaps returns the gap of one trader's best deviation (package
// nplayer) in games of each number of traders in ns, at parameters p, for:
// the exact MFG control; the exact MFG control tabulated on the standard
// grid like a control.json (what a learned control loses to the
// tabulation alone); and the learned control of every MFG grid among grids
// whose parameters are p. Skipped grids are named in notes.
func NPlayerGaps(ctx context.Context, p mfe.Params, grids []*rundir.ControlGrid, ns []int, cfg nplayer.Config) (curves []NPlayerCurve, notes []string, err error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return nil, nil, err
	}
	t, x := mfe.StandardGrid(p.T)
	tab, err := nplayer.NewGridControl(t, x, mfe.OnGrid(m.Control(), t, x))
	if err != nil {
		return nil, nil, err
	}
	type job struct {
		c   NPlayerCurve
		ctl mfe.Control
	}
	jobs := []job{
		{NPlayerCurve{Label: LabelExactMFG}, m.Control()},
		{NPlayerCurve{Label: LabelExactMFGTabulated, Tabulated: true}, tab},
	}
	for _, g := range grids {
		name := g.Method + " " + string(g.Regime)
		switch {
		case g.Regime != mfe.MFG:
			notes = append(notes, name+": a planner's (MFC) control, not a candidate equilibrium of the game: skipped")
			continue
		case g.Params != p:
			notes = append(notes, name+": trained at other parameters: skipped")
			continue
		}
		gc, err := nplayer.NewGridControl(g.T, g.X, g.Alpha)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: unusable control.json: %v", name, err))
			continue
		}
		jobs = append(jobs, job{NPlayerCurve{Label: g.Method + " (grid)", Method: g.Method, Tabulated: true}, gc})
	}
	for _, j := range jobs {
		gaps, err := nplayer.Gaps(ctx, p, j.ctl, ns, cfg)
		if err != nil {
			return curves, notes, fmt.Errorf("%s: %w", j.c.Label, err)
		}
		j.c.Gaps = gaps
		curves = append(curves, j.c)
	}
	return curves, notes, nil
}

// NPlayerRows is the table of NPlayerGaps: per control and N, the
// realised-flow gap ± its standard error, the exact Nash gap where there is
// one, and the mean-field exploitability of the run ± its standard error
// (its result.json, from runs; 0 for the exact MFG control).
func NPlayerRows(curves []NPlayerCurve, runs ...*mfe.Result) (header []string, rows [][]string) {
	header = []string{"control", "N", "realised-flow gap", "± s.e.", "Nash gap (exact)", "N·gap", "mean-field exploitability"}
	for _, c := range curves {
		expl := "–"
		if c.Method == "" && !c.Tabulated {
			expl = "0"
		}
		for _, r := range runs {
			if r.Method == c.Method && r.Regime == mfe.MFG && r.Metrics.Exploitability != nil {
				expl = r.Metrics.GapText("%.2e")
			}
		}
		for _, g := range c.Gaps {
			nash := "–"
			if g.Nash != nil {
				nash = fmt.Sprintf("%.3e", *g.Nash)
			}
			rows = append(rows, []string{c.Label, fmt.Sprint(g.N), fmt.Sprintf("%.3e", g.Mean), fmt.Sprintf("%.1e", g.SE),
				nash, fmt.Sprintf("%.3g", float64(g.N)*g.Mean), expl})
		}
	}
	return header, rows
}

// NPlayerSlope is the least-squares slope of log gap against log N over a
// curve's positive gaps (-1 for a gap falling like 1/N, 0 for a floor); NaN
// with fewer than two.
func NPlayerSlope(c NPlayerCurve) float64 {
	var lx, ly []float64
	for _, g := range c.Gaps {
		if g.Mean > 0 && g.N > 0 {
			lx = append(lx, math.Log(float64(g.N)))
			ly = append(ly, math.Log(g.Mean))
		}
	}
	if len(lx) < 2 {
		return math.NaN()
	}
	_, slope := stat.LinearRegression(lx, ly, nil, false)
	return slope
}

// NPlayerFigure draws each curve's realised-flow gap against N on log–log
// axes with bars of ± 1 standard error (dashed for the tabulated exact
// control), the exact Nash gap of the exact MFG control as dots, and a
// grey 1/N reference line through the exact MFG control's gap at the
// smallest N. The curves are set apart along N by a few per cent each
// (curve i of k at N·10^(0.01 (i − (k−1)/2))), so that their bars, at the
// same N, do not hide one another.
func NPlayerFigure(curves []NPlayerCurve) (*plot.Plot, error) {
	var series []figure.Series
	var nash, ref figure.Series
	for i, c := range curves {
		dodge := math.Pow(10, 0.01*(float64(i)-float64(len(curves)-1)/2))
		s := figure.Series{Label: c.Label, Points: true, Dashed: c.Tabulated && c.Method == ""}
		for _, g := range c.Gaps {
			if g.Mean > 0 {
				s.X = append(s.X, float64(g.N)*dodge)
				s.Y = append(s.Y, g.Mean)
				s.Err = append(s.Err, g.SE)
			}
			if c.Label == LabelExactMFG && g.Nash != nil && *g.Nash > 0 {
				nash.X = append(nash.X, float64(g.N))
				nash.Y = append(nash.Y, *g.Nash)
			}
		}
		if len(s.X) == 0 {
			continue
		}
		series = append(series, s)
		if c.Label == LabelExactMFG && len(s.X) > 1 {
			n0, g0, n1 := s.X[0]/dodge, s.Y[0], s.X[len(s.X)-1]/dodge
			ref = figure.Series{Label: "1/N", X: []float64{n0, n1}, Y: []float64{g0, g0 * n0 / n1}, Dashed: true, Color: figure.Grey}
		}
	}
	if len(nash.X) > 0 {
		nash.Label, nash.NoLine = LabelExactMFG+": Nash gap", true
		series = append(series, nash)
	}
	if ref.X != nil {
		series = append(series, ref)
	}
	return figure.Lines(series, figure.Options{Title: "One trader's gain from its best deviation, ± 1 standard error",
		XLabel: "number of traders N", YLabel: "gain from deviating", LogX: true, LogY: true})
}
