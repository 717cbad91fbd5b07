package report

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
)

// TestActorCriticFigures draws the actor–critic figures from a synthetic
// history and the exact solution standing for the learned one.
func TestActorCriticFigures(t *testing.T) {
	p := mfe.Reference()
	m := exact.MustMFG(p)
	res := &mfe.Result{Method: "actor-critic", Regime: mfe.MFG, Params: p, Control: m.Control(), Value: m.ValueFunc()}
	h := &res.History
	h.Extra = map[mfe.HistoryKey][]float64{}
	for e := 1; e <= 250; e++ {
		h.Epoch = append(h.Epoch, e)
		h.Loss = append(h.Loss, 1/float64(e))
		h.Extra[acCriticLoss] = append(h.Extra[acCriticLoss], 1/float64(e))
		h.Extra[acActorLoss] = append(h.Extra[acActorLoss], -0.5+1/float64(e))
		h.Extra[acScoreLoss] = append(h.Extra[acScoreLoss], -3+1/float64(e))
		if e%50 == 0 || e == 1 {
			h.EvalEpoch = append(h.EvalEpoch, e)
			for _, k := range []mfe.HistoryKey{acControlRel, acValueRel, acScoreRel} {
				h.Extra[k] = append(h.Extra[k], 1/float64(e))
			}
		}
	}
	if xs, ys := windowMeans(h.Epoch, h.Extra[acCriticLoss], 100); len(xs) != 3 || xs[2] != 250 || ys[2] != acMean(h.Extra[acCriticLoss][200:]) {
		t.Errorf("windowMeans: %v %v", xs, ys)
	}
	times := Times(p.T, 0, 0.5, 1)
	score := mfe.ControlFunc(func(t, a float64) float64 {
		law := m.LawAlpha(t)
		return -(a - law.Mean) / law.Var
	})
	for name, mk := range map[string]func() (figure.Figure, error){
		"training": func() (figure.Figure, error) { return ActorCriticTraining(res) },
		"value":    func() (figure.Figure, error) { return ControlValueFigure(res, times) },
		"score":    func() (figure.Figure, error) { return ScoreFigure(p, score, times) },
	} {
		f, err := mk()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := figure.PNG(f, 0, 0); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := figure.CheckText(f); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	h.Extra[acActorLoss] = h.Extra[acActorLoss][:10]
	if _, err := ActorCriticTraining(res); err == nil {
		t.Error("ActorCriticTraining accepted a loss series shorter than the history")
	}
}

func acMean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
