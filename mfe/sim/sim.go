package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// ErrDiverged is the error of a simulation whose states, actions or cost
// leave float64's range: a control (learned, typically, or stiffer than
// the Euler step resolves) that is not usable at these parameters.
var ErrDiverged = errors.New("sim: the simulation diverged (non-finite state, action or cost)")

// Sim is an Euler–Maruyama particle simulation of the model.
type Sim struct {
	P     mfe.Params
	N     int    // number of particles, >= 1
	Steps int    // number of time steps N_T, >= 1
	Seed  uint64 // seed of the initial states and Brownian increments
}

// Options tune one Run.
type Options struct {
	// Flow is the population's mean action abar_i at each step i < Steps that
	// the cost is measured against. Nil: the particles' own empirical mean
	// action (the flow moves with the control, as in MFC and at an MFG fixed point).
	Flow []float64
	// Observe, if set, is called at every grid time i = 0..Steps with the
	// particle states and the actions taken there (at i = Steps the actions
	// are evaluated but not taken). The slices are reused after it returns.
	Observe func(i int, t float64, x, alpha []float64)
	// Keep lists the grid indices whose particle states are copied into
	// Run.Snapshots.
	Keep []int
}

// Run holds the statistics of one simulation, indexed by grid time i = 0..Steps.
type Run struct {
	T                   []float64
	MeanX, VarX         []float64
	MeanAlpha, VarAlpha []float64
	// Cost is the empirical cost (1/N) Σ_n [Σ_i f(X_i, alpha_i, abar_i) dt + g(X_Steps)],
	// abar being Options.Flow or the empirical mean action.
	Cost      float64
	Snapshots map[int][]float64
}

// Validate reports a Sim that cannot run.
func (s Sim) Validate() error {
	if err := s.P.Validate(); err != nil {
		return err
	}
	if s.N < 1 {
		return fmt.Errorf("sim: N = %d particles, want >= 1", s.N)
	}
	if s.Steps < 1 {
		return fmt.Errorf("sim: Steps = %d, want >= 1", s.Steps)
	}
	return nil
}

// Run simulates the particles under control c. It checks ctx at every
// time step and returns its error, wrapped (errors.Is finds it), once ctx
// is done.
func (s Sim) Run(ctx context.Context, c mfe.Control, opt Options) (*Run, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if opt.Flow != nil && len(opt.Flow) < s.Steps {
		return nil, fmt.Errorf("sim: flow has %d values, want %d", len(opt.Flow), s.Steps)
	}
	P := s.P
	dt := P.T / float64(s.Steps)
	sq := P.Sigma * math.Sqrt(dt)
	rng := rand.New(rand.NewPCG(s.Seed, 0x6d66652d73696d))
	x := make([]float64, s.N)
	a := make([]float64, s.N)
	for n := range x {
		x[n] = P.X0Mean + P.X0Std*rng.NormFloat64()
	}
	r := &Run{T: mfe.TimeGrid(P.T, s.Steps), Snapshots: map[int][]float64{}}
	for _, name := range []*[]float64{&r.MeanX, &r.VarX, &r.MeanAlpha, &r.VarAlpha} {
		*name = make([]float64, s.Steps+1)
	}
	keep := map[int]bool{}
	for _, i := range opt.Keep {
		keep[i] = true
	}
	cost := 0.0
	for i := 0; i <= s.Steps; i++ {
		if err := stopped(ctx, i, s.Steps); err != nil {
			return nil, err
		}
		t := r.T[i]
		c.Eval(t, x, a)
		r.MeanX[i], r.VarX[i] = meanVar(x)
		r.MeanAlpha[i], r.VarAlpha[i] = meanVar(a)
		if keep[i] {
			r.Snapshots[i] = append([]float64(nil), x...)
		}
		if opt.Observe != nil {
			opt.Observe(i, t, x, a)
		}
		if i == s.Steps {
			break
		}
		abar := r.MeanAlpha[i]
		if opt.Flow != nil {
			abar = opt.Flow[i]
		}
		// Running cost: E[cX/2 X^2 + ca/2 a^2] - gamma abar E[X].
		ex2 := r.VarX[i] + r.MeanX[i]*r.MeanX[i]
		ea2 := r.VarAlpha[i] + r.MeanAlpha[i]*r.MeanAlpha[i]
		cost += (P.CX/2*ex2 + P.Ca/2*ea2 - P.Gamma*abar*r.MeanX[i]) * dt
		for n := range x {
			x[n] += a[n]*dt + sq*rng.NormFloat64()
		}
	}
	last := s.Steps
	cost += P.Cg / 2 * (r.VarX[last] + r.MeanX[last]*r.MeanX[last])
	r.Cost = cost
	for _, v := range append(append(append(r.MeanX, r.VarX...), r.MeanAlpha...), cost) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return r, ErrDiverged
		}
	}
	return r, nil
}

// stopped returns ctx's error, wrapped with the time step i of steps the
// simulation stopped at, once ctx is done, and nil before.
func stopped(ctx context.Context, i, steps int) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sim: stopped at time step %d of %d: %w", i, steps, err)
	}
	return nil
}

// meanVar returns the mean and the (biased, 1/N) variance of v, computed
// with a shifted two-pass sum.
func meanVar(v []float64) (mean, variance float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		d := x - mean
		variance += d * d
	}
	return mean, variance / float64(len(v))
}
