package tabular

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl"
)

// Grid is the discretisation a run uses: the environment's times, the
// state grid and the action range.
type Grid struct {
	Steps int     `json:"steps"`
	DT    float64 `json:"dt"`
	XMin  float64 `json:"x_min"`
	DX    float64 `json:"dx"`
	NX    int     `json:"nx"`
	AMin  float64 `json:"a_min"` // the environment's action range
	AMax  float64 `json:"a_max"`
}

// X returns the state of grid index i.
func (g Grid) X(i int) float64 { return g.XMin + float64(i)*g.DX }

// MaxStates bounds the states of a grid (the tables index rows with int32).
const MaxStates = 1 << 30

// NewGrid returns the grid of env with spacing dx on [lo, hi] (at least
// two states), or an error when the range is not finite or has more than
// MaxStates states.
func NewGrid(env mfrl.Env, dx, lo, hi float64) (Grid, error) {
	nx := math.Ceil((hi-lo)/dx-1e-9) + 1
	if !(nx <= MaxStates) || math.IsInf(lo, 0) || math.IsNaN(lo) {
		return Grid{}, fmt.Errorf("tabular: a state grid of %.3g states on [%g, %g]", nx, lo, hi)
	}
	amin, amax := env.Actions()
	if !(amin < amax) || math.IsInf(amin, 0) || math.IsInf(amax, 0) {
		return Grid{}, fmt.Errorf("tabular: the action range [%g, %g]", amin, amax)
	}
	N := env.Steps()
	return Grid{Steps: N, DT: env.Horizon() / float64(N), XMin: lo, DX: dx, NX: max(2, int(nx)), AMin: amin, AMax: amax}, nil
}

// StateRange returns the state grid's range of a run of env with cfg and
// seed: [XMin, XMax] when set, else the pilot's: the union over the times
// t_0..t_N of mean ± RangeK sd of the states that Pilot episodes of
// uniformly random actions reach (sd at least DX). It is what New uses.
func StateRange(env mfrl.Env, cfg Config, seed uint64) (lo, hi float64) {
	if cfg.XMin != 0 || cfg.XMax != 0 {
		return cfg.XMin, cfg.XMax
	}
	mom, _ := pilot(env, cfg, seed)
	return rangeOf(env, mom, cfg)
}

// pilot explores env with uniformly random actions (mfrl.Explore) on its
// own stream of random numbers.
func pilot(env mfrl.Env, cfg Config, seed uint64) ([]mfrl.Moments, float64) {
	return mfrl.Explore(env, cfg.Pilot, rand.New(rand.NewPCG(seed, pilotStream)))
}

// rangeOf returns the grid's range from the pilot's moments mom at the
// times t_0..t_N: the union of mean ± RangeK sd (sd at least DX), and with
// Reach also of the band that holding an end of the action range from the
// initial mean reaches, mean_0 + [AMin, AMax] t_n ± RangeK sd.
func rangeOf(env mfrl.Env, mom []mfrl.Moments, cfg Config) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	amin, amax := env.Actions()
	dt := env.Horizon() / float64(env.Steps())
	for n, m := range mom {
		sd := math.Max(m.SD, cfg.DX)
		lo = math.Min(lo, m.Mean-cfg.RangeK*sd)
		hi = math.Max(hi, m.Mean+cfg.RangeK*sd)
		if cfg.Reach {
			t := float64(n) * dt
			lo = math.Min(lo, mom[0].Mean+amin*t-cfg.RangeK*sd)
			hi = math.Max(hi, mom[0].Mean+amax*t+cfg.RangeK*sd)
		}
		if math.IsNaN(m.Mean) || math.IsNaN(m.SD) {
			return math.NaN(), math.NaN()
		}
	}
	return lo, hi
}

// quad is a parabola c0 + c1 (x - xm) + c2 (x - xm)^2.
type quad struct{ c0, c1, c2, xm float64 }

func (p quad) at(x float64) float64 {
	u := x - p.xm
	return p.c0 + (p.c1+p.c2*u)*u
}

// refitEvery is the number of episodes between fits of the edges'
// parabolas (EdgesExtrapolate).
const refitEvery = 1024

// startEpisode refits the edges' parabolas every refitEvery episodes.
func (l *Learner) startEpisode() {
	if l.edge != nil && l.episode%refitEvery == 0 && l.episode > 0 {
		l.fitEdges()
	}
}

// fitEdges fits, at every time, the concave parabola closest in weighted
// least squares to the learned values bestV of the time's states, each
// weighted by 1 + its row's visits at this level: the values where the
// population goes decide it, the unvisited rows' initial values count for
// little. A convex fit is replaced by the straight line.
func (l *Learner) fitEdges() {
	NX, na := l.g.NX, l.na
	ws := make([]float64, NX)
	for n := range l.edge {
		var s0, sx float64
		for i := range ws {
			row := n*NX + i
			var v uint64
			for _, c := range l.visits[row*na : (row+1)*na] {
				v += uint64(c)
			}
			ws[i] = 1 + float64(v)
			s0 += ws[i]
			sx += ws[i] * l.g.X(i)
		}
		xm := sx / s0
		var s2, s3, s4, t0, t1, t2 float64
		for i, wi := range ws {
			u := l.g.X(i) - xm
			v := l.bestV[n*NX+i]
			u2 := u * u
			s2 += wi * u2
			s3 += wi * u2 * u
			s4 += wi * u2 * u2
			t0 += wi * v
			t1 += wi * u * v
			t2 += wi * u2 * v
		}
		// Normal equations [s0 0 s2; 0 s2 s3; s2 s3 s4] c = [t0 t1 t2].
		p := quad{c0: t0 / s0, c1: t1 / s2, xm: xm}
		det := s0*(s2*s4-s3*s3) - s2*s2*s2
		if det > 1e-12*s0*s2*s4 {
			c0 := (t0*(s2*s4-s3*s3) + s2*(t1*s3-s2*t2)) / det
			c1 := (s0*(t1*s4-s3*t2) + s2*(s3*t0-s2*t1)) / det
			c2 := (s0*(s2*t2-s3*t1) - s2*s2*t0) / det
			if c2 < 0 {
				p = quad{c0: c0, c1: c1, c2: c2, xm: xm}
			}
		}
		if math.IsNaN(p.c1) || math.IsInf(p.c1, 0) {
			p = quad{c0: p.c0, xm: xm}
		}
		l.edge[n] = p
	}
}

// outside returns the value at time index n of a next state y beyond the
// state grid, whose nearer edge is state k: the edge's value less
// Config.Beyond when set; with EdgesExtrapolate the edge's value plus the
// change of the time's fitted parabola from the edge to y when it is a
// loss (never a gain: beyond the grid is never worth more than the edge,
// so the edge is no sink for inventory, however the fit errs); else
// (EdgesClip) the edge's value.
func (l *Learner) outside(n, k int, y float64) float64 {
	v := l.bestV[n*l.g.NX+k]
	e := l.g.X(k)
	if f := l.cfg.Beyond; f != nil {
		return v - f(n, e, y)
	}
	if l.edge == nil {
		return v
	}
	if d := l.edge[n].at(y) - l.edge[n].at(e); d < 0 {
		v += d
	}
	return v
}
