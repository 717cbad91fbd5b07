package dgm

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// Method is the name of the method in results and on the command line.
const Method = "dgm"

// Sampling modes of the x points.
const (
	// SampleLearned: at each time, x uniform on mean ± XSD·sd of the learned
	// law m(t, ·) (moments tracked from the training batches themselves).
	SampleLearned = "learned"
	// SampleExact: the same interval from the exact law of X_t (an oracle,
	// for comparison).
	SampleExact = "exact"
	// SampleFixed: x uniform on [XMin, XMax] at every time (the memoir's [-1, 1]).
	SampleFixed = "fixed"
)

// Config is the training configuration.
type Config struct {
	Iterations int `json:"iterations"` // training steps (one fresh batch each)
	NT         int `json:"nt"`         // times per batch (one per stratum of [0, T])
	NX         int `json:"nx"`         // x points per time (stratified uniform on the time's interval)

	Width  int `json:"width"`  // DGM width
	Layers int `json:"layers"` // DGM layers

	LR          float64 `json:"lr"`           // Adam learning rate at the start
	LRFinal     float64 `json:"lr_final"`     // at the end, by cosine decay (log space)
	WeightDecay float64 `json:"weight_decay"` // AdamW decoupled weight decay

	// Loss weights of the RMS residuals.
	WHJB      float64 `json:"w_hjb"`
	WKFP      float64 `json:"w_kfp"`
	WTerminal float64 `json:"w_terminal"`
	WInitial  float64 `json:"w_initial"`

	// HardBC builds the terminal and initial conditions into the networks:
	// v = cg x^2/2 + (T - t)/T · net_v and u = u_prior + t/T · net_u, where
	// u_prior(t, x) = (x - mu0)^2 / (2 (s0^2 + sigma^2 t)) (the heat kernel
	// of the initial law, which is the exact initial condition at t = 0).
	// False: v = net_v, u = u_prior + net_u and the boundary losses do the work.
	HardBC bool `json:"hard_bc"`

	Sampling string  `json:"sampling"` // SampleLearned, SampleExact or SampleFixed
	XSD      float64 `json:"x_sd"`     // half-width of the sampling interval in sd (learned, exact)
	XMin     float64 `json:"x_min"`    // fixed interval (SampleFixed)
	XMax     float64 `json:"x_max"`
	// MomentRate is the exponential-average rate of the learned moments
	// that place the sampling intervals (SampleLearned).
	MomentRate float64 `json:"moment_rate"`

	// MinStd is the smallest standard deviation of the initial law: a point
	// mass (x0-std = 0) is replaced by N(mu0, MinStd^2), and no sampling
	// interval is narrower than ± XSD·MinStd.
	MinStd float64 `json:"min_std"`

	EvalEvery int `json:"eval_every"` // iterations between control-error checkpoints (0: none)
}

// ProfileConfig returns the configuration of a named profile.
//
// Default: the memoir profile's networks (DGM 3 × 50) on batches of
// 20 times × 50 x points, 1,500 iterations, Adam from 1e-2 decayed to 1e-4
// (about five minutes on two loaded cores with the Go backend). Quick: networks of
// width 32 on 10 × 50 points, 1,000 iterations (under a minute). Memoir:
// the memoir's length, learning rate and sampling size (20 × 500), with the
// fixes kept (population-following sampling, built-in boundary conditions).
func ProfileConfig(p mfe.Profile) (Config, error) {
	c := Config{
		Iterations: 1500, NT: 20, NX: 50, Width: 50, Layers: 3,
		LR: 1e-2, LRFinal: 1e-4, WeightDecay: 0,
		WHJB: 1, WKFP: 1, WTerminal: 1, WInitial: 1, HardBC: true,
		Sampling: SampleLearned, XSD: 4, XMin: -1, XMax: 1, MomentRate: 0.05,
		MinStd: 0.05, EvalEvery: 50,
	}
	switch p {
	case mfe.Default:
	case mfe.Quick:
		c.Iterations, c.NT, c.NX, c.Width = 1000, 10, 50, 32
		c.EvalEvery = 100
	case mfe.Memoir:
		c.Iterations, c.NX, c.LR, c.LRFinal, c.EvalEvery = 100000, 500, 1e-5, 1e-5, 1000
	default:
		return c, fmt.Errorf("dgm: unknown profile %q (want quick, default or memoir)", p)
	}
	return c, nil
}

// Validate reports a configuration that cannot run.
func (c Config) Validate() error {
	finitePos := func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }
	finiteNonNeg := func(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }
	switch {
	case c.Iterations < 1:
		return fmt.Errorf("dgm: iterations = %d, want >= 1", c.Iterations)
	case c.NT < 1 || c.NX < 2:
		return fmt.Errorf("dgm: batch of %d times × %d x points, want >= 1 × 2", c.NT, c.NX)
	case c.Width < 1 || c.Layers < 1:
		return fmt.Errorf("dgm: network width %d, layers %d, want >= 1", c.Width, c.Layers)
	case !finitePos(c.LR) || !finitePos(c.LRFinal):
		return fmt.Errorf("dgm: learning rates %v → %v, want finite > 0", c.LR, c.LRFinal)
	case !finiteNonNeg(c.WeightDecay):
		return fmt.Errorf("dgm: weight decay %v, want finite >= 0", c.WeightDecay)
	case !finiteNonNeg(c.WHJB) || !finiteNonNeg(c.WKFP) || !finiteNonNeg(c.WTerminal) || !finiteNonNeg(c.WInitial):
		return fmt.Errorf("dgm: loss weights %v %v %v %v, want finite >= 0", c.WHJB, c.WKFP, c.WTerminal, c.WInitial)
	case c.WHJB == 0 || c.WKFP == 0:
		return fmt.Errorf("dgm: the HJB and KFP weights must be > 0")
	case !finitePos(c.MinStd):
		return fmt.Errorf("dgm: min_std = %v, want finite > 0", c.MinStd)
	case c.EvalEvery < 0:
		return fmt.Errorf("dgm: eval_every = %d, want >= 0", c.EvalEvery)
	}
	switch c.Sampling {
	case SampleLearned, SampleExact:
		if !finitePos(c.XSD) {
			return fmt.Errorf("dgm: x_sd = %v, want finite > 0", c.XSD)
		}
		if c.Sampling == SampleLearned && !(c.MomentRate > 0 && c.MomentRate <= 1) {
			return fmt.Errorf("dgm: moment_rate = %v, want in (0, 1]", c.MomentRate)
		}
	case SampleFixed:
		if math.IsNaN(c.XMin) || math.IsNaN(c.XMax) || math.IsInf(c.XMin, 0) || math.IsInf(c.XMax, 0) || !(c.XMin < c.XMax) {
			return fmt.Errorf("dgm: fixed interval [%v, %v], want finite x_min < x_max", c.XMin, c.XMax)
		}
	default:
		return fmt.Errorf("dgm: sampling %q, want %q, %q or %q", c.Sampling, SampleLearned, SampleExact, SampleFixed)
	}
	return nil
}
