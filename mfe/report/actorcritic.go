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
	unit := EpochName(res.Method)
	w := max(1, n/100)
	var plots []*plot.Plot
	for _, l := range []struct {
		key           mfe.HistoryKey
		title, ylabel string
		log           bool
	}{
		{acCriticLoss, "Critic: TD(0) loss", "mean squared TD error", true},
		{acActorLoss, "Actor: policy gradient", "policy-gradient loss", false},
		{acScoreLoss, "Score: score matching", "score-matching loss", false},
	} {
		y := h.Extra[l.key]
		if len(y) != n {
			return nil, fmt.Errorf("report: history has %d values of %s for %d episodes", len(y), l.key, n)
		}
		xs, ys := windowMeans(h.Epoch, y, w)
		title := l.title
		if w > 1 {
			title += fmt.Sprintf(" (means over %d)", w)
		}
		p, err := figure.Lines([]figure.Series{{X: xs, Y: ys}}, figure.Options{
			Title: title, XLabel: unit, YLabel: l.ylabel, LogY: l.log, NoLegend: true})
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
		{acControlRel, "actor (control)"}, {acValueRel, "critic (value)"}, {acScoreRel, "score"},
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
		p, err := figure.Lines(errs, figure.Options{Title: "Errors against the exact solution",
			XLabel: unit, YLabel: "relative error", LogY: true})
		if err != nil {
			return nil, err
		}
		plots = append(plots, p)
	}
	return grid(plots, 2, fmt.Sprintf("%s: training, %d episodes", RunTitle(res), n))
}

// ScoreFigure draws a learned score S(t, a) against the score of the exact
// MFG action law N(mean(t), var(t)), -(a - mean)/var, on a ∈ mean ± 3 sd,
// with the error beside it (figure.Compare).
func ScoreFigure(p mfe.Params, score mfe.Control, times []float64) (*figure.Grid, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	row := figure.Comparison{Name: "Score", YLabel: "score of the action law"}
	for _, t := range times {
		law := m.LawAlpha(t)
		sd := math.Sqrt(law.Var)
		if !(sd > 0) {
			return nil, fmt.Errorf("report: the exact action law at t=%g is a point mass", t)
		}
		a := mfe.Linspace(law.Mean-3*sd, law.Mean+3*sd, PopulationPoints)
		pn := figure.ControlPanel{Label: TimeLabel(t), X: a,
			Exact: make([]float64, len(a)), Learned: make([]float64, len(a))}
		for j, v := range a {
			pn.Exact[j] = -(v - law.Mean) / law.Var
		}
		score.Eval(t, a, pn.Learned)
		row.Panels = append(row.Panels, pn)
	}
	return figure.Compare([]figure.Comparison{row}, figure.Options{
		Title:  "Score of the action law, ∂ log p(t, a)/∂a: learned and exact",
		XLabel: "action a"})
}
