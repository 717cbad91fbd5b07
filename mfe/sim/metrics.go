package sim

import (
	"context"
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
// the exact control along their paths. It stops with ctx's error once ctx
// is done (Run).
func (s Sim) ControlError(ctx context.Context, learned, exactControl mfe.Control) (ControlError, error) {
	var sumSq, sumRef float64
	per := make([]float64, s.Steps+1)
	perParticle := make([]float64, s.N)
	var ex []float64
	_, err := s.Run(ctx, learned, Options{Observe: func(i int, t float64, x, a []float64) {
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

// Estimate is a Monte-Carlo estimate and its standard error.
type Estimate struct {
	Value float64
	SE    float64
}

// Exploitability estimates the MFG exploitability of c, J(c; abar) -
// min_beta J(beta; abar) with abar the mean action of a population using c,
// by the verification identity of the package doc:
//
//	(ca/2) E ∫_0^T (c(t, X_t) - alpha_BR(t, X_t))^2 dt,
//
// X simulated under c by Heun's scheme, alpha_BR the exact best response
// (exact.GridResponse) to c's flow, estimated on the same particles with
// the exact MFG control as control variate. The value is non-negative by
// construction; SE is the jackknife standard error over batches of
// particles, the flow's noise included. It stops with ctx's error once ctx
// is done (checked at every time step).
func (s Sim) Exploitability(ctx context.Context, c mfe.Control) (Estimate, error) {
	e, _, err := s.exploitability(ctx, c, 1)
	return e, err
}

// exploitability is Exploitability with Brownian increments drawn as
// refine parts (see gapStats); it also returns the jackknife's estimate of
// the value's bias from the noise of the flow.
func (s Sim) exploitability(ctx context.Context, c mfe.Control, refine int) (Estimate, float64, error) {
	m, err := exact.NewMFG(s.P)
	if err != nil {
		return Estimate{}, 0, err
	}
	br, err := exact.NewGridResponse(s.P, s.Steps)
	if err != nil {
		return Estimate{}, 0, err
	}
	ts := mfe.TimeGrid(s.P.T, s.Steps)
	ca := s.P.Ca
	slope := make([]float64, len(ts))
	bStar := make([]float64, len(ts)) // the equilibrium's B, the best response to its own flow
	for i, t := range ts {
		slope[i] = br.A[i] / ca
		bStar[i] = m.B(t)
	}
	st, err := s.gapStats(ctx, c, m.Control(), slope, refine)
	if err != nil {
		return Estimate{}, 0, err
	}
	dflow, db, b := make([]float64, len(ts)), make([]float64, len(ts)), make([]float64, len(ts))
	e, bias := st.estimate(s.P, func(mo *moments) []float64 {
		// abar = E'(t) + (mean of c's actions - mean of alpha*'s actions),
		// and B is linear in abar.
		for i := range dflow {
			dflow[i] = mo.a[i] - mo.ar[i]
		}
		br.B(dflow, db)
		for i := range b {
			b[i] = (bStar[i] + db[i]) / ca
		}
		return b
	})
	return e, bias, e.finite()
}

// SocialGap estimates the MFC social-cost gap J_MFC(c) - J_MFC(alpha^) by
// the identity of the package doc,
//
//	(ca/2) E ∫_0^T (c(t, X_t) + (eta X_t + (zeta - eta) xbar(t))/ca)^2 dt,
//
// X simulated under c by Heun's scheme and xbar = E[X_t] its mean,
// estimated on the same particles with the exact MFC control as control
// variate. Non-negative by construction; SE and ctx as for Exploitability.
func (s Sim) SocialGap(ctx context.Context, c mfe.Control) (Estimate, error) {
	e, _, err := s.socialGap(ctx, c, 1)
	return e, err
}

// socialGap is SocialGap as exploitability is Exploitability.
func (s Sim) socialGap(ctx context.Context, c mfe.Control, refine int) (Estimate, float64, error) {
	m, err := exact.NewMFC(s.P)
	if err != nil {
		return Estimate{}, 0, err
	}
	ts := mfe.TimeGrid(s.P.T, s.Steps)
	ca := s.P.Ca
	slope, coef, xbar := make([]float64, len(ts)), make([]float64, len(ts)), make([]float64, len(ts))
	for i, t := range ts {
		slope[i] = m.Eta(t) / ca
		coef[i] = (m.Zeta(t) - m.Eta(t)) / ca
		xbar[i] = m.XBar(t)
	}
	st, err := s.gapStats(ctx, c, m.Control(), slope, refine)
	if err != nil {
		return Estimate{}, 0, err
	}
	b := make([]float64, len(ts))
	e, bias := st.estimate(s.P, func(mo *moments) []float64 {
		for i := range b {
			b[i] = coef[i] * (xbar[i] + mo.x[i] - mo.xr[i])
		}
		return b
	})
	return e, bias, e.finite()
}
