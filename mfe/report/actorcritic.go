package report

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic"
)

// Keys of the actor–critic history series.
const (
	acCriticLoss = actorcritic.KeyCriticLoss
	acActorLoss  = actorcritic.KeyActorLoss
	acScoreLoss  = actorcritic.KeyScoreLoss
	acControlRel = mfe.KeyControlRel
	acValueRel   = actorcritic.KeyValueRel
	acScoreRel   = actorcritic.KeyScoreRel
)

// acSmooth returns the means of consecutive windows of w values of y, at the
// windows' last epochs.
func acSmooth(epochs []int, y []float64, w int) (xs, ys []float64) {
	if w < 1 {
		w = 1
	}
	for i := 0; i < len(y); i += w {
		j := min(i+w, len(y))
		var s float64
		for _, v := range y[i:j] {
			s += v
		}
		xs = append(xs, float64(epochs[j-1]))
		ys = append(ys, s/float64(j-i))
	}
	return xs, ys
}

// ActorCriticTraining draws an actor–critic run's training: the critic's TD
// loss, the actor's policy-gradient loss and the score-matching loss against
// episodes (means over windows of episodes, about 100 points per curve), and
// the errors of the three networks against the exact solution at the
// evaluation episodes: control_rel (actor mean), value_rel (critic),
// score_rel (score against the exact action law's).
func ActorCriticTraining(res *mfe.Result) (*figure.Grid, error) {
	h := res.History
	n := h.Len()
	if n == 0 {
		return nil, fmt.Errorf("report: %s run has no history", res.Method)
	}
	w := max(1, n/100)
	var plots []*plot.Plot
	for _, l := range []struct {
		key           mfe.HistoryKey
		title, ylabel string
		log           bool
	}{
		{acCriticLoss, "critic: TD(0) loss", "mean squared TD error", true},
		{acActorLoss, "actor: policy-gradient loss", "mean advantage × log π", false},
		{acScoreLoss, "score: implicit score matching", "E[|S|²/2 + ∂a S] (weighted)", false},
	} {
		y := h.Extra[l.key]
		if len(y) != n {
			return nil, fmt.Errorf("report: history has %d values of %s for %d episodes", len(y), l.key, n)
		}
		xs, ys := acSmooth(h.Epoch, y, w)
		p, err := figure.Lines([]figure.Series{{X: xs, Y: ys}}, figure.Options{
			Title: l.title, XLabel: "episode", YLabel: l.ylabel, LogY: l.log, NoLegend: true})
		if err != nil {
			return nil, err
		}
		plots = append(plots, p)
	}
	var errs []figure.Series
	x := ints(h.EvalEpoch)
	for _, e := range []struct {
		key   mfe.HistoryKey
		label string
	}{
		{acControlRel, "actor mean: control_rel"}, {acValueRel, "critic: value_rel"}, {acScoreRel, "score: score_rel"},
	} {
		y := h.Extra[e.key]
		if len(y) != len(x) || len(y) == 0 {
			continue
		}
		ys := make([]float64, len(y))
		for i, v := range y {
			ys[i] = max(v, 1e-6)
		}
		errs = append(errs, figure.Series{Label: e.label, X: x, Y: ys, Points: true})
	}
	if len(errs) > 0 {
		p, err := figure.Lines(errs, figure.Options{Title: "errors against the exact solution",
			XLabel: "episode", YLabel: "relative L2 error", LogY: true})
		if err != nil {
			return nil, err
		}
		plots = append(plots, p)
	}
	g, err := figure.NewGrid(plots, 2)
	if err != nil {
		return nil, err
	}
	g.Title = fmt.Sprintf("%s (%s): training, %d episodes", res.Method, res.Regime, n)
	return g, nil
}

// ValueGridFigure draws the learned value res.Value (dots) against the
// exact MFG value (lines) on the standard x grid, one panel per time.
func ValueGridFigure(res *mfe.Result, times []float64, cols int) (*figure.Grid, error) {
	if res.Value == nil {
		return nil, fmt.Errorf("report: %s run has no learned value", res.Method)
	}
	m, err := exact.NewMFG(res.Params)
	if err != nil {
		return nil, err
	}
	_, x := mfe.StandardGrid(res.Params.T)
	panels := make([]figure.ControlPanel, len(times))
	for i, t := range times {
		panels[i] = figure.ControlPanel{Label: fmt.Sprintf("t=%.3g", t), X: x,
			Exact: make([]float64, len(x)), Learned: make([]float64, len(x))}
		m.ValueFunc().Eval(t, x, panels[i].Exact)
		res.Value.Eval(t, x, panels[i].Learned)
	}
	return figure.ControlGrid(panels, cols, figure.Options{
		Title:  fmt.Sprintf("%s (%s): learned value (dots) vs exact (lines)", res.Method, res.Regime),
		XLabel: "inventory x", YLabel: "value v(t, x)"})
}

// ScoreGridFigure draws a learned score S(t, a) (dots) against the score of
// the exact MFG action law N(mean(t), var(t)), -(a - mean)/var (lines), on
// a ∈ mean ± 3 sd, one panel per time.
func ScoreGridFigure(p mfe.Params, score mfe.Control, times []float64, cols int) (*figure.Grid, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	panels := make([]figure.ControlPanel, len(times))
	for i, t := range times {
		law := m.LawAlpha(t)
		sd := math.Sqrt(law.Var)
		if !(sd > 0) {
			return nil, fmt.Errorf("report: the exact action law at t=%g is a point mass", t)
		}
		a := mfe.Linspace(law.Mean-3*sd, law.Mean+3*sd, 13)
		pn := figure.ControlPanel{Label: fmt.Sprintf("t=%.3g", t), X: a,
			Exact: make([]float64, len(a)), Learned: make([]float64, len(a))}
		for j, v := range a {
			pn.Exact[j] = -(v - law.Mean) / law.Var
		}
		score.Eval(t, a, pn.Learned)
		panels[i] = pn
	}
	return figure.ControlGrid(panels, cols, figure.Options{
		Title:  "score of the action law: learned (dots) vs exact (lines)",
		XLabel: "action a", YLabel: "score ∂a log p_t(a)"})
}
