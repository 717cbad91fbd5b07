package mfrl

import (
	"math"
	"math/rand/v2"
	"testing"
)

// walk is X_0 ~ N(m0, s0^2), X_{n+1} = X_n + a dt + sigma sqrt(dt) xi.
type walk struct {
	steps             int
	dt, m0, s0, sigma float64
	lo, hi            float64
}

func (e *walk) Steps() int                     { return e.steps }
func (e *walk) Horizon() float64               { return e.dt * float64(e.steps) }
func (e *walk) Actions() (lo, hi float64)      { return e.lo, e.hi }
func (e *walk) Initial(rng *rand.Rand) float64 { return e.m0 + e.s0*rng.NormFloat64() }
func (e *walk) Step(n int, x, a float64, rng *rand.Rand) float64 {
	return x + a*e.dt + e.sigma*math.Sqrt(e.dt)*rng.NormFloat64()
}
func (e *walk) Reward(int, float64, float64, Stats) float64 { return 0 }
func (e *walk) Terminal(float64) float64                    { return 0 }

// TestExplore: the moments of the random-action walk, X_n = X_0 +
// dt Σ a_k + sigma sqrt(dt) Σ xi_k with a_k uniform on [lo, hi]: mean
// m0 + n dt (lo+hi)/2, variance s0^2 + n (dt^2 (hi-lo)^2/12 + sigma^2 dt),
// within 4 standard errors, and the mean action (lo+hi)/2.
func TestExplore(t *testing.T) {
	e := &walk{steps: 8, dt: 0.125, m0: 0.5, s0: 0.3, sigma: 0.5, lo: -1, hi: 3}
	const K = 20000
	mom, meanA := Explore(e, K, rand.New(rand.NewPCG(1, 2)))
	if len(mom) != e.steps+1 {
		t.Fatalf("%d moments, want %d", len(mom), e.steps+1)
	}
	for n, m := range mom {
		fn := float64(n)
		v := e.s0*e.s0 + fn*(e.dt*e.dt*16/12+e.sigma*e.sigma*e.dt)
		mean := e.m0 + fn*e.dt
		if math.Abs(m.Mean-mean) > 4*math.Sqrt(v/K) || math.Abs(m.SD*m.SD/v-1) > 4*math.Sqrt(2.0/K) {
			t.Errorf("t_%d: mean %.4f sd %.4f, want %.4f and %.4f", n, m.Mean, m.SD, mean, math.Sqrt(v))
		}
	}
	if math.Abs(meanA-1) > 4*4/math.Sqrt(12*K*float64(e.steps)) {
		t.Errorf("mean action %.4f, want 1", meanA)
	}
}
