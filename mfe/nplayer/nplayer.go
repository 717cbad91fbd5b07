package nplayer

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// Config sizes the Monte Carlo estimate of the realised-flow gap.
type Config struct {
	Seeds int    // independent realisations per N (default 32)
	Steps int    // time steps on [0, T] (default 200)
	Seed  uint64 // seed of the first realisation; realisation r uses Seed + r
}

// Default is the configuration used when a field is zero.
var Default = Config{Seeds: 32, Steps: 200, Seed: 1}

func (c Config) withDefaults() Config {
	if c.Seeds == 0 {
		c.Seeds = Default.Seeds
	}
	if c.Steps == 0 {
		c.Steps = Default.Steps
	}
	return c
}

// Gap is the deviation gain of one trader among N.
type Gap struct {
	N int `json:"n"`
	// Mean and SE are the realised-flow gap: the mean gain of a trader who
	// best-responds to the others' realised flow, over traders and
	// realisations, and its standard error over realisations.
	Mean  float64 `json:"gap"`
	SE    float64 `json:"gap_se"`
	Seeds int     `json:"seeds"`
	// Nash is the exact N-player Nash gap of an affine control
	// (ExactNash), nil for other controls.
	Nash *float64 `json:"nash_gap,omitempty"`
}

// Gaps returns the gap of control c for each number of traders in ns (each
// at least 2). For an mfe.AffineControl (the exact controls, and Affine
// ones) it also fills Gap.Nash.
func Gaps(ctx context.Context, p mfe.Params, c mfe.Control, ns []int, cfg Config) ([]Gap, error) {
	cfg = cfg.withDefaults()
	g, err := newGame(p, cfg.Steps)
	if err != nil {
		return nil, err
	}
	if cfg.Seeds < 2 {
		return nil, fmt.Errorf("nplayer: %d seeds, want >= 2 (for a standard error)", cfg.Seeds)
	}
	var nash *Nash
	if a, ok := c.(mfe.AffineControl); ok {
		n, err := ExactNash(p, a)
		if err != nil {
			return nil, err
		}
		nash = &n
	}
	out := make([]Gap, 0, len(ns))
	for _, n := range ns {
		if n < 2 {
			return nil, fmt.Errorf("nplayer: N = %d traders, want >= 2", n)
		}
		vals := make([]float64, cfg.Seeds)
		for r := range vals {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			if vals[r], err = g.realise(c, n, cfg.Seed+uint64(r)); err != nil {
				return out, err
			}
		}
		mean, se := meanSE(vals)
		gp := Gap{N: n, Mean: mean, SE: se, Seeds: cfg.Seeds}
		if nash != nil {
			gp.Nash = mfe.Float(nash.At(n))
		}
		out = append(out, gp)
	}
	return out, nil
}

// RealisedGap returns the realised-flow gap of one realisation: the mean
// over the n traders of the gain of best-responding to the others' realised
// flow, in a game simulated with the given steps and seed.
func RealisedGap(p mfe.Params, c mfe.Control, n, steps int, seed uint64) (float64, error) {
	if n < 2 {
		return 0, fmt.Errorf("nplayer: N = %d traders, want >= 2", n)
	}
	g, err := newGame(p, steps)
	if err != nil {
		return 0, err
	}
	return g.realise(c, n, seed)
}

// game holds what every realisation shares: the time grid, the Riccati
// coefficient A on it and the exact one-cell maps of the best-response
// equation.
type game struct {
	p     mfe.Params
	steps int
	h     float64
	t     []float64
	a     []float64 // A(t_i)
	// B(t_i) = e[i] B(t_{i+1}) + u[i] f_i + w[i] f_{i+1} for a flow f linear
	// on [t_i, t_{i+1}].
	e, u, w []float64
}

// MinSteps returns the fewest time steps the game accepts for p: the step
// must not exceed ca/max A(t), the time scale of the traders' own feedback.
func MinSteps(p mfe.Params) (int, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return 0, err
	}
	return minSteps(p, m), nil
}

func minSteps(p mfe.Params, m *exact.MFG) int {
	// A is monotone between A(T) = cg and A(0).
	amax := math.Max(m.A(0), m.A(p.T)) / p.Ca
	return max(1, int(math.Ceil(p.T*amax*(1+1e-12))))
}

func newGame(p mfe.Params, steps int) (*game, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	if steps < 1 || steps > 1e6 {
		return nil, fmt.Errorf("nplayer: %d steps, want 1..1000000", steps)
	}
	g := &game{p: p, steps: steps, h: p.T / float64(steps), t: mfe.TimeGrid(p.T, steps)}
	g.a = make([]float64, steps+1)
	amax := 0.0
	for i, ti := range g.t {
		g.a[i] = m.A(ti)
		amax = math.Max(amax, g.a[i]/p.Ca)
	}
	// The traders' own dynamics contract at rate A/ca at least: an explicit
	// step longer than 1/rate is meaningless.
	if min := minSteps(p, m); steps < min {
		return nil, fmt.Errorf("nplayer: %d steps are too few: the time step %.3g exceeds ca/A = %.3g; use at least %d",
			steps, g.h, 1/amax, min)
	}
	// Cell maps by RK4 on the basis problems, backwards from t_{i+1}, with
	// substeps so that (substep) A/ca <= 0.05: exact to about 1e-10.
	sub := int(math.Ceil(g.h*amax/0.05)) + 1
	g.e, g.u, g.w = make([]float64, steps), make([]float64, steps), make([]float64, steps)
	for i := 0; i < steps; i++ {
		t0, t1 := g.t[i], g.t[i+1]
		rate := func(s float64) float64 { return m.A(s) / p.Ca }
		flow := func(s, f0, f1 float64) float64 { th := (s - t0) / (t1 - t0); return f0*(1-th) + f1*th }
		solve := func(yT, f0, f1 float64) float64 {
			y, s, k := yT, t1, -(t1-t0)/float64(sub)
			// y' = rate(s) y + gamma f(s), integrated from t1 down to t0.
			d := func(s, y float64) float64 { return rate(s)*y + p.Gamma*flow(s, f0, f1) }
			for j := 0; j < sub; j++ {
				k1 := d(s, y)
				k2 := d(s+k/2, y+k/2*k1)
				k3 := d(s+k/2, y+k/2*k2)
				k4 := d(s+k, y+k*k3)
				y += k / 6 * (k1 + 2*k2 + 2*k3 + k4)
				s += k
			}
			return y
		}
		g.e[i], g.u[i], g.w[i] = solve(1, 0, 0), solve(0, 1, 0), solve(0, 0, 1)
	}
	return g, nil
}

// simulate runs n traders under c with Heun's step and returns their states
// and actions at the grid times, x[i*n+k] and act[i*n+k] for trader k at t_i.
func (g *game) simulate(c mfe.Control, n int, seed uint64) (x, act []float64, err error) {
	P := g.p
	steps, h := g.steps, g.h
	sq := P.Sigma * math.Sqrt(h)
	rng := rand.New(rand.NewPCG(seed, 0x6e706c61796572))
	x = make([]float64, (steps+1)*n)
	act = make([]float64, (steps+1)*n)
	pred, apred, dw := make([]float64, n), make([]float64, n), make([]float64, n)
	for k := 0; k < n; k++ {
		x[k] = P.X0Mean + P.X0Std*rng.NormFloat64()
	}
	for i := 0; i <= steps; i++ {
		xi, ai := x[i*n:(i+1)*n], act[i*n:(i+1)*n]
		c.Eval(g.t[i], xi, ai)
		if i == steps {
			break
		}
		for k := range pred {
			dw[k] = sq * rng.NormFloat64()
			pred[k] = xi[k] + ai[k]*h + dw[k]
		}
		c.Eval(g.t[i+1], pred, apred)
		next := x[(i+1)*n : (i+2)*n]
		for k := range next {
			next[k] = xi[k] + (ai[k]+apred[k])/2*h + dw[k]
		}
	}
	for _, v := range x[steps*n:] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("nplayer: the simulation diverged (non-finite state)")
		}
	}
	return x, act, nil
}

// realise simulates one game and returns the mean realised-flow gain of its
// traders: trader k's best response to the others' flow f has
// B = e B' + u f_i + w f_{i+1} backwards from B(T) = 0, and its gain is
// ca/2 ∫ (alpha + (A X + B)/ca)^2 dt by the trapezoid rule along k's path.
func (g *game) realise(c mfe.Control, n int, seed uint64) (float64, error) {
	x, act, err := g.simulate(c, n, seed)
	if err != nil {
		return 0, err
	}
	steps, ca := g.steps, g.p.Ca
	tot := make([]float64, steps+1)
	for i := range tot {
		for _, a := range act[i*n : (i+1)*n] {
			tot[i] += a
		}
	}
	others := 1 / float64(n-1)
	sum := 0.0
	for k := 0; k < n; k++ {
		b, gain := 0.0, 0.0
		for i := steps; i >= 0; i-- {
			if i < steps {
				fi := (tot[i] - act[i*n+k]) * others
				f1 := (tot[i+1] - act[(i+1)*n+k]) * others
				b = g.e[i]*b + g.u[i]*fi + g.w[i]*f1
			}
			d := act[i*n+k] + (g.a[i]*x[i*n+k]+b)/ca
			wt := g.h
			if i == 0 || i == steps {
				wt /= 2
			}
			gain += wt * d * d
		}
		sum += ca / 2 * gain
	}
	return sum / float64(n), nil
}

func meanSE(v []float64) (mean, se float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	ss := 0.0
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(v)-1) / float64(len(v)))
}
