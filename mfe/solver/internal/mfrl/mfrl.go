// Package mfrl is the contract between a model-free mean-field learner and
// the problem it learns: what the learner may see of it, and nothing more.
//
// A learner sees an Env: the time grid (Steps decisions over [0, Horizon]),
// the range of admissible actions, a sampler of initial states and of
// transitions (state, action → next state) that it cannot open, and a
// black-box running reward r(n, x, a, s), s the population's statistics
// (Stats), and terminal reward g(x) that it may query at points of its
// choosing. The model's parameters and its exact solution are not part of
// the contract: a learner package imports this package and the standard
// library only (its tests check so), and the method's Train wires a model
// into an Env.
package mfrl

import (
	"math"
	"math/rand/v2"
)

// Stats are the population statistics a reward depends on: the means of the
// state and of the action under the population's state–action distribution
// at a time of the grid.
type Stats struct {
	MeanX, MeanA float64
}

// Env is a finite-horizon mean-field problem as a model-free learner sees it.
// Decisions are taken at t_n = n·Horizon()/Steps(), n = 0..Steps()-1; the
// action of step n is held over [t_n, t_{n+1}].
type Env interface {
	Steps() int
	Horizon() float64
	// Actions is the range of admissible actions, lo < hi.
	Actions() (lo, hi float64)
	// Initial draws a state at t = 0 from the population's initial law.
	Initial(rng *rand.Rand) float64
	// Step draws the state at t_{n+1} of an agent at x at t_n holding a
	// over the step.
	Step(n int, x, a float64, rng *rand.Rand) float64
	// Reward is the reward of step n for an agent at x taking a while the
	// population's statistics are s.
	Reward(n int, x, a float64, s Stats) float64
	// Terminal is the reward at t = T of an agent ending at x.
	Terminal(x float64) float64
}

// Moments are the mean and standard deviation of the states of a sample at
// one time of the grid.
type Moments struct {
	Mean, SD float64
}

// Explore runs episodes episodes of env with actions drawn uniformly from
// its action range at every step (the exploratory policy) and returns the
// moments of the states reached at t_0, ..., t_N (N = env.Steps()), and the
// mean of the actions taken. A non-finite state makes every moment NaN.
func Explore(env Env, episodes int, rng *rand.Rand) (states []Moments, meanA float64) {
	N := env.Steps()
	lo, hi := env.Actions()
	sum := make([]float64, N+1)
	sq := make([]float64, N+1)
	var sa float64
	// The sums are taken about the first episode's state at each time,
	// which keeps their cancellation small.
	shift := make([]float64, N+1)
	for e := 0; e < episodes; e++ {
		x := env.Initial(rng)
		for n := 0; n <= N; n++ {
			if e == 0 {
				shift[n] = x
			}
			d := x - shift[n]
			sum[n] += d
			sq[n] += d * d
			if n == N {
				break
			}
			a := lo + (hi-lo)*rng.Float64()
			sa += a
			x = env.Step(n, x, a, rng)
		}
	}
	states = make([]Moments, N+1)
	k := float64(episodes)
	for n := range states {
		m := sum[n] / k
		v := math.Max(0, sq[n]/k-m*m)
		states[n] = Moments{Mean: shift[n] + m, SD: math.Sqrt(v)}
	}
	return states, sa / (k * float64(N))
}
