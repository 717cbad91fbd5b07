package sim

import (
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// ControlError is the error of a learned control against an exact one (the
// metrics of package mfe's doc): MSE is control_mse, the mean over particles
// simulated under the learned control and over the Steps+1 grid times of
// (alpha_exact - alpha_learned)^2; Rel is
// control_rel = sqrt(MSE / mean(alpha_exact^2)), or sqrt(MSE) where the
// exact control is 0 on every path (nobody trades: mean(alpha_exact^2) = 0).
// PerTime holds the MSE at each grid time, to see where the error lives.
// Std is the standard deviation over particles of each particle's
// time-averaged squared error (the band of the training curves).
type ControlError struct {
	MSE     float64   `json:"control_mse"`
	Std     float64   `json:"control_mse_std"`
	Rel     float64   `json:"control_rel"`
	PerTime []float64 `json:"control_mse_per_time"`
}

// ControlError simulates the particles under learned and compares it with
// the exact control along their paths.
func (s Sim) ControlError(learned, exactControl mfe.Control) (ControlError, error) {
	var sumSq, sumRef float64
	per := make([]float64, s.Steps+1)
	perParticle := make([]float64, s.N)
	var ex []float64
	_, err := s.Run(learned, Options{Observe: func(i int, t float64, x, a []float64) {
		if ex == nil {
			ex = make([]float64, len(x))
		}
		exactControl.Eval(t, x, ex)
		var sq float64
		for n := range x {
			d := ex[n] - a[n]
			sq += d * d
			perParticle[n] += d * d
			sumRef += ex[n] * ex[n]
		}
		per[i] = sq / float64(len(x))
		sumSq += sq
	}})
	if err != nil {
		return ControlError{}, err
	}
	cnt := float64(s.N * (s.Steps + 1))
	e := ControlError{MSE: sumSq / cnt, PerTime: per}
	e.Rel = math.Sqrt(e.MSE / (sumRef / cnt))
	if sumRef == 0 {
		e.Rel = math.Sqrt(e.MSE)
	}
	for n := range perParticle {
		d := perParticle[n]/float64(s.Steps+1) - e.MSE
		e.Std += d * d
	}
	e.Std = math.Sqrt(e.Std / float64(s.N))
	return e, nil
}

// Exploitability estimates J(alpha; nu) - min_beta J(beta; nu) for the MFG
// (the exploitability of package mfe's doc), nu being the flow that c
// induces: the particles run under c give the mean action flow abar; the
// exact best response to that flow (exact.BestResponse) runs on the same
// initial states and Brownian increments against the same flow. Zero at the equilibrium up to the Monte
// Carlo noise of abar and the O(dt) bias of the scheme.
func (s Sim) Exploitability(c mfe.Control) (float64, error) {
	own, err := s.Run(c, Options{})
	if err != nil {
		return 0, err
	}
	flow := own.MeanAlpha[:s.Steps]
	br, err := exact.NewBestResponse(s.P, stepFunc(s.P.T, flow))
	if err != nil {
		return 0, err
	}
	best, err := s.Run(bestResponseControl(br, s.Steps), Options{Flow: flow})
	if err != nil {
		return 0, err
	}
	return own.Cost - best.Cost, nil
}

// SocialGap estimates J_MFC(c) - J_MFC(alpha^) with common random numbers,
// alpha^ the exact MFC control: zero at the optimum, positive elsewhere up to
// noise and O(dt) bias.
func (s Sim) SocialGap(c mfe.Control) (float64, error) {
	m, err := exact.NewMFC(s.P)
	if err != nil {
		return 0, err
	}
	mine, err := s.Run(c, Options{})
	if err != nil {
		return 0, err
	}
	opt, err := s.Run(m.Control(), Options{})
	if err != nil {
		return 0, err
	}
	return mine.Cost - opt.Cost, nil
}

// stepFunc is the piecewise-constant flow abar(t) = flow[i] on [t_i, t_{i+1}).
func stepFunc(T float64, flow []float64) func(float64) float64 {
	dt := T / float64(len(flow))
	return func(t float64) float64 {
		i := int(t / dt)
		if i < 0 {
			i = 0
		}
		if i >= len(flow) {
			i = len(flow) - 1
		}
		return flow[i]
	}
}

// bestResponseControl tabulates the best response's B on the grid once.
func bestResponseControl(br *exact.BestResponse, steps int) mfe.Control {
	P := br.P
	ts := mfe.TimeGrid(P.T, steps)
	a := make([]float64, len(ts))
	b := make([]float64, len(ts))
	for i, t := range ts {
		a[i], b[i] = br.A(t), br.B(t)
	}
	dt := P.T / float64(steps)
	return gridAffine{a: a, b: b, dt: dt, ca: P.Ca}
}

type gridAffine struct {
	a, b   []float64
	dt, ca float64
}

func (g gridAffine) Eval(t float64, x, out []float64) {
	i := int(math.Round(t / g.dt))
	i = max(0, min(i, len(g.a)-1))
	for n, xn := range x {
		out[n] = -(g.a[i]*xn + g.b[i]) / g.ca
	}
}
