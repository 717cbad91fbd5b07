package actorcritic

import (
	"errors"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// ErrNoScore is ScoreRel's error where the exact action law is a point mass
// at every time.
var ErrNoScore = errors.New("actorcritic: the exact action law is a point mass at every time: it has no score")

// ScoreRel is the relative L2 error of a learned score S(t, a) against the
// exact score -(a - mean)/var of the MFG action law N(mean(t), var(t)) of
// alpha*_t, each time weighted by that law, summed over the times of the
// standard grid (mfe.StandardGrid):
//
//	sqrt( Σ_t E[(S(t, a) - S*(t, a))²] / Σ_t E[S*(t, a)²] ),  a ~ N(mean(t), var(t)).
//
// The expectations are taken on 81 points mean ± 4 sd (trapezoid rule).
// Where the action law is a point mass at every time (no noise and X_0
// certain: sigma = x0-std = 0) it has no score, and ScoreRel returns
// ErrNoScore.
func ScoreRel(p mfe.Params, score mfe.Control) (float64, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return 0, err
	}
	ts, _ := mfe.StandardGrid(p.T)
	z := mfe.Linspace(-4, 4, 81)
	a := make([]float64, len(z))
	got := make([]float64, len(z))
	var num, den float64
	for _, t := range ts {
		law := m.LawAlpha(t)
		sd := law.Std()
		if !(sd > 0) {
			continue // a point mass has no score
		}
		for i, zi := range z {
			a[i] = law.Mean + sd*zi
		}
		score.Eval(t, a, got)
		for i, zi := range z {
			w := math.Exp(-zi * zi / 2)
			if i == 0 || i == len(z)-1 {
				w /= 2
			}
			want := -zi / sd
			num += w * (got[i] - want) * (got[i] - want)
			den += w * want * want
		}
	}
	if den == 0 {
		return 0, ErrNoScore
	}
	return math.Sqrt(num / den), nil
}

// ExactScore is the score of the exact MFG action law at time t, -(a - mean)/var.
func ExactScore(p mfe.Params) (mfe.Control, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	return mfe.ControlFunc(func(t, a float64) float64 {
		law := m.LawAlpha(t)
		return -(a - law.Mean) / law.Var
	}), nil
}
