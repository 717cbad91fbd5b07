// Package eval computes the final metrics of a learned control against the
// exact solution (the metrics of package mfe's doc), the same way for every
// solver: control_mse and control_rel on particles simulated under the learned
// control, and the MFG exploitability or the MFC social-cost gap with its
// standard error (sim.Sim.Exploitability, sim.Sim.SocialGap: non-negative
// estimates by verification identities, on Heun paths of the control).
package eval

import (
	"context"
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
)

// Config sizes the evaluation.
type Config struct {
	N     int    // particles for control_mse
	NCost int    // particles for the exploitability / social gap
	Steps int    // time steps N_T (for the gaps at least, more where sim.GapSteps asks)
	Seed  uint64 // evaluation seed, fixed so that runs compare on the same particles
}

// Default is the evaluation used by every solver's final metrics.
var Default = Config{N: 10000, NCost: 100000, Steps: 100, Seed: 20251124}

// ExactControl returns the exact control of the regime.
func ExactControl(p mfe.Params, r mfe.Regime) (mfe.Control, error) {
	switch r {
	case mfe.MFG:
		m, err := exact.NewMFG(p)
		if err != nil {
			return nil, err
		}
		return m.Control(), nil
	case mfe.MFC:
		m, err := exact.NewMFC(p)
		if err != nil {
			return nil, err
		}
		return m.Control(), nil
	}
	return nil, fmt.Errorf("eval: unknown regime %q", r)
}

// Control returns the metrics of a learned control c for regime r. Once
// ctx is done it stops, within a time step of its simulations, and returns
// ctx's error, wrapped (errors.Is finds it).
func Control(ctx context.Context, p mfe.Params, r mfe.Regime, c mfe.Control, cfg Config) (mfe.Metrics, error) {
	ex, err := ExactControl(p, r)
	if err != nil {
		return mfe.Metrics{}, err
	}
	s := sim.Sim{P: p, N: cfg.N, Steps: cfg.Steps, Seed: cfg.Seed}
	ce, err := s.ControlError(ctx, c, ex)
	if err != nil {
		return mfe.Metrics{}, err
	}
	m := mfe.Metrics{ControlMSE: ce.MSE, ControlRel: ce.Rel}
	steps, err := sim.GapSteps(p, cfg.Steps)
	if err != nil {
		return m, err
	}
	sc := sim.Sim{P: p, N: cfg.NCost, Steps: steps, Seed: cfg.Seed + 1}
	switch r {
	case mfe.MFG:
		e, err := sc.Exploitability(ctx, c)
		if err != nil {
			return m, err
		}
		m.Exploitability, m.ExploitabilitySE = mfe.Float(e.Value), mfe.Float(e.SE)
	case mfe.MFC:
		g, err := sc.SocialGap(ctx, c)
		if err != nil {
			return m, err
		}
		m.SocialGap, m.SocialGapSE = mfe.Float(g.Value), mfe.Float(g.SE)
	}
	return m, nil
}

// ValueRel is value_rel: the relative L2 error of a learned value over the
// standard grid, each time's x points weighted by the exact law of X_t's
// density. Where that law has no weight on the grid (it lies far from it)
// the points weigh the same, and where the exact value is 0 at every
// weighted point the error is the weighted RMS error itself.
func ValueRel(p mfe.Params, v mfe.ValueFunc) (float64, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return 0, err
	}
	ts, xs := mfe.StandardGrid(p.T)
	got := make([]float64, len(xs))
	// The exact value and law at each time, computed once (C and the law
	// are quadratures).
	want, laws := make([][]float64, len(ts)), make([]exact.Law, len(ts))
	exactV := m.ValueFunc()
	for i, t := range ts {
		want[i] = make([]float64, len(xs))
		exactV.Eval(t, xs, want[i])
		laws[i] = m.LawX(t)
	}
	sums := func(uniform bool) (num, den, wsum float64) {
		for i, t := range ts {
			v.Eval(t, xs, got)
			for j, x := range xs {
				w := 1.0
				if !uniform {
					w = laws[i].Density(x)
				}
				if math.IsInf(w, 0) {
					continue
				}
				d := got[j] - want[i][j]
				num += w * d * d
				den += w * want[i][j] * want[i][j]
				wsum += w
			}
		}
		return num, den, wsum
	}
	num, den, wsum := sums(false)
	if wsum == 0 {
		num, den, wsum = sums(true)
	}
	if den == 0 {
		return math.Sqrt(num / wsum), nil
	}
	return math.Sqrt(num / den), nil
}

// DensityL1 is density_l1: the L1 distance between an estimated density and
// the exact Gaussian law at time t, by the trapezoid rule on the points xs
// (which should cover mean ± 5 sd). Where the exact law is a point mass (no
// noise, X_0 certain) it is 2, the L1 distance between a probability
// density and a point mass (the two are mutually singular).
func DensityL1(p mfe.Params, r mfe.Regime, t float64, xs, density []float64) (float64, error) {
	lawAt, err := LawX(p, r)
	if err != nil {
		return 0, err
	}
	law := lawAt(t)
	if len(xs) != len(density) || len(xs) < 2 {
		return 0, fmt.Errorf("eval: %d points and %d densities", len(xs), len(density))
	}
	sum := 0.0
	if law.Var == 0 {
		return 2, nil
	}
	for i := 1; i < len(xs); i++ {
		a := math.Abs(density[i-1] - law.Density(xs[i-1]))
		b := math.Abs(density[i] - law.Density(xs[i]))
		sum += (a + b) / 2 * (xs[i] - xs[i-1])
	}
	return sum, nil
}

// Reference is the control the metrics of a model without an exact solution
// are measured against (a finite-difference solution, say), and its name,
// which the metrics record (mfe.Metrics.Reference).
type Reference struct {
	Name    string
	Control mfe.Control
	// Law, if set, gives the mean and standard deviation of X_t under the
	// reference: where its population is, for figures.
	Law func(t float64) (mean, sd float64)
}

// ControlAgainst returns control_mse and control_rel of a learned control c
// against ref.Control, on the particles of cfg simulated under c as Control
// does against the exact control, with Metrics.Reference = ref.Name. The
// gaps, value_rel and density_l1, which need the exact solution, are left
// out. Once ctx is done it stops and returns ctx's error, wrapped.
func ControlAgainst(ctx context.Context, p mfe.Params, c mfe.Control, ref Reference, cfg Config) (mfe.Metrics, error) {
	s := sim.Sim{P: p, N: cfg.N, Steps: cfg.Steps, Seed: cfg.Seed}
	ce, err := s.ControlError(ctx, c, ref.Control)
	if err != nil {
		return mfe.Metrics{}, err
	}
	return mfe.Metrics{ControlMSE: ce.MSE, ControlRel: ce.Rel, Reference: ref.Name}, nil
}
