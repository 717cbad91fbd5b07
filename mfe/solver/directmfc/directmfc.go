package directmfc

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nn"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// Method is the name of the method in results and on the command line.
const Method = "direct-mfc"

// Config is the training configuration.
type Config struct {
	N int `json:"n"` // particles per epoch (a fresh batch each)
	// Steps is the number of time steps N_T on a horizon T <= 1, and per
	// unit of time beyond (RolloutSteps): the step dt = T/N_T never exceeds
	// 1/Steps.
	Steps  int   `json:"steps"`
	Epochs int   `json:"epochs"` // training steps
	Hidden []int `json:"hidden"` // hidden layer widths
	// Activation of the hidden layers: "relu" (the reference network, and
	// the default when empty) or "tanh".
	Activation  nn.Activation `json:"activation,omitempty"`
	LR          float64       `json:"lr"`           // Adam learning rate at the start
	LRFinal     float64       `json:"lr_final"`     // learning rate at the end, reached by cosine decay
	WeightDecay float64       `json:"weight_decay"` // AdamW decoupled weight decay
	Scheme      string        `json:"scheme"`       // "heun" or "euler"
	EvalEvery   int           `json:"eval_every"`   // epochs between control-error evaluations (0: none)
	// MomentMatch standardises each epoch's draws of X_0 and of every
	// Brownian increment over the particles (exact sample mean and
	// variance), so that the population means in the social cost carry no
	// sampling noise at first order.
	MomentMatch bool `json:"moment_match,omitempty"`
}

// ProfileConfig returns the configuration of a named profile.
func ProfileConfig(p mfe.Profile) (Config, error) {
	c := Config{N: 10000, Steps: 100, Epochs: 100, Hidden: []int{128, 128, 128},
		LR: 5e-3, LRFinal: 5e-3, WeightDecay: 1e-4, Scheme: "euler", EvalEvery: 5}
	switch p {
	case mfe.Memoir:
	case mfe.Default:
		// Three layers of 64 instead of 128: an epoch costs a third, and
		// 1,600 epochs of the smaller network land nearer the exact control
		// (above all near t = T) than 600 of the larger one in the same time.
		c.N, c.Steps, c.Epochs, c.Scheme, c.MomentMatch = 2000, 25, 1600, "heun", true
		c.Hidden = []int{64, 64, 64}
		c.LR, c.LRFinal, c.EvalEvery = 3e-3, 1e-5, 40
	case mfe.Quick:
		c.N, c.Steps, c.Epochs, c.Scheme, c.MomentMatch = 1000, 10, 150, "heun", true
		c.Hidden = []int{64, 64}
		c.LR, c.LRFinal, c.EvalEvery = 1e-2, 1e-4, 25
	default:
		return c, fmt.Errorf("directmfc: unknown profile %q (want quick, default or memoir)", p)
	}
	return c, nil
}

// RolloutSteps returns the number of time steps N_T of the rollout on the
// horizon T: Steps for T <= 1, ceil(Steps T) beyond. A fixed N_T would let
// dt grow with T, and with it the error of the discrete problem's optimum,
// largest near t = T (the capped model at T = 2, sigma 0.332, cX 2,
// ca 1.98, cg 1.36, A = 0.5, seed 1, against the finite-difference
// control: control_rel 0.0109 with 25 steps, 0.0099 with 50, the error at
// t = T down by a third).
func (c Config) RolloutSteps(T float64) int { return mfe.StepsPerUnit(c.Steps, T) }

// KeyConfig implements runkey.Derived: a run at a horizon T > 1 records
// its rollout's steps in its key, so that a checkpoint saved when the
// rollout took Steps whatever T is refused there.
func (c Config) KeyConfig(run mfe.Run) any {
	if n := c.RolloutSteps(run.Params.T); n != c.Steps {
		return struct {
			Config
			RolloutSteps int `json:"rollout_steps"`
		}{c, n}
	}
	return c
}

// Validate reports a configuration that cannot run.
func (c Config) Validate() error {
	switch {
	case c.N < 2:
		return fmt.Errorf("directmfc: N = %d particles, want >= 2", c.N)
	case c.Steps < 1:
		return fmt.Errorf("directmfc: Steps = %d, want >= 1", c.Steps)
	case c.Epochs < 1:
		return fmt.Errorf("directmfc: Epochs = %d, want >= 1", c.Epochs)
	case len(c.Hidden) == 0:
		return errors.New("directmfc: no hidden layers")
	case !(c.LR > 0) || !(c.LRFinal > 0) || math.IsInf(c.LR, 0) || math.IsInf(c.LRFinal, 0):
		return fmt.Errorf("directmfc: learning rates %v → %v, want finite > 0", c.LR, c.LRFinal)
	case c.WeightDecay < 0:
		return fmt.Errorf("directmfc: weight decay %v, want >= 0", c.WeightDecay)
	case c.Scheme != "heun" && c.Scheme != "euler":
		return fmt.Errorf("directmfc: scheme %q, want heun or euler", c.Scheme)
	}
	if err := c.Activation.Validate(); err != nil {
		return fmt.Errorf("directmfc: %w", err)
	}
	for _, h := range c.Hidden {
		if h < 1 {
			return fmt.Errorf("directmfc: hidden width %d, want >= 1", h)
		}
	}
	return nil
}

// control builds alpha_theta(t, x) (float32): the network's output mapped
// into the model's control set (mfemodel.Bound: the output itself for the
// LQ model, its clip to [-A, A] for the capped one). The network is
// applied feature-major (nn.MLP.ApplyCols) to particle rows, one column
// per particle, which on GoMLX's Go backend computes its gradients without
// materialising transposes of the [units, particles] activations (package
// bench, "Feature-major layout"). One control per graph: the MLP keeps the
// weights it transposed for the graph.
type control struct {
	net *nn.MLP
	m   mfemodel.Model
}

func newControl(scope *model.Scope, g *Graph, c Config, m mfemodel.Model) control {
	return control{net: nn.NewMLP(scope.In("alpha"), g, nn.MLPConfig{In: 2, Hidden: c.Hidden, Out: 1, Activation: c.Activation}), m: m}
}

// apply returns the control [1, n] at the network's input [2, n], the rows
// t/T and x.
func (c control) apply(in *Node) *Node { return mfemodel.Bound(c.m, c.net.ApplyCols(in)) }

// at returns alpha(t, x) for a scalar time t and particle rows x [1, n].
func (c control) at(t float64, x *Node) *Node {
	tt := FillScalar(x.Graph(), x.Shape(), t/c.m.Params().T)
	return c.apply(Concatenate([]*Node{tt, x}, 0))
}

// trainer is the method as nettrain.Train runs it.
var trainer = nettrain.Method[Config]{Name: Method, Regimes: []mfe.Regime{mfe.MFC}, CheckpointEvery: 50, Build: build}

// Train trains the control network for the MFC problem of run (regime
// mfe.MFC) of its model (run.Model: LQ or capped; a capped run is measured
// against the finite-difference solution, nettrain.Env.Reference), saving and resuming the run as mfe.Run says (a checkpoint every
// 50 epochs unless run.CheckpointEvery says otherwise). A cancelled or
// diverged run returns its partial result with ctx.Err() or a
// *mfe.DivergenceError.
func Train(ctx context.Context, run mfe.Run, cfg Config) (*mfe.Result, error) {
	return nettrain.Train(ctx, trainer, run, cfg)
}

// build compiles the training step on the social cost and the learned
// control; for the LQ model the final metrics add the control's error at
// each time of the standard grid to the history (the exact law weighs it;
// a model without one has none).
func build(env nettrain.Env, cfg Config) (*nettrain.Job, error) {
	p, m := env.Run.Params, env.Model
	step, err := nettrain.AdamStep(env, cfg.LR, cfg.LRFinal, cfg.WeightDecay, cfg.Epochs, func(scope *model.Scope, g *Graph) *Node {
		return socialCost(scope, g, m, cfg)
	})
	if err != nil {
		return nil, err
	}
	ctl, err := nettrain.NewNetControl(env.Backend, env.Store, func(scope *model.Scope, t, x *Node) *Node {
		a := newControl(scope, x.Graph(), cfg, m)
		n := x.Shape().Dim(0)
		tt := BroadcastToDims(MulScalar(ExpandAxes(t, 0), 1/p.T), n)
		in := Concatenate([]*Node{ExpandAxes(tt, 0), ExpandAxes(x, 0)}, 0)
		return Reshape(a.apply(in), n)
	})
	if err != nil {
		return nil, err
	}
	return &nettrain.Job{
		Epochs: cfg.Epochs, EvalEvery: cfg.EvalEvery, Step: step, Control: ctl,
		Metrics: func(ctx context.Context, res *mfe.Result) error {
			if err := nettrain.EvaluateAgainst(ctx, res, ctl, env.Reference); err != nil {
				return err
			}
			if env.Reference != nil {
				return nil
			}
			// The error at each time: where the memoir's direct MFC lost
			// precision, near t = T, shows there.
			times, _ := mfe.StandardGrid(p.T)
			return eval.RecordByTime(&res.History, p, mfe.MFC, ctl, times)
		},
	}, nil
}

// socialCost builds the empirical social cost of cfg.N fresh particles of
// model m, held as one row [1, N]: the mean over particles of its running
// cost (RunningGraph, the population's means xbar and abar taken across
// the particles) integrated in time, plus the mean terminal cost
// (TerminalGraph). Both are elementwise (mfemodel.Model), so the layout is
// the control's business only.
func socialCost(scope *model.Scope, g *Graph, m mfemodel.Model, cfg Config) *Node {
	dtype := dtypes.Float32
	p := m.Params()
	ctl := newControl(scope, g, cfg, m)
	steps := cfg.RolloutSteps(p.T)
	dt := p.T / float64(steps)
	shape := shapes.Make(dtype, 1, cfg.N) // particle rows: the same draws as [N, 1]
	normal := func() *Node { return nettrain.Normal(scope, g, shape, cfg.MomentMatch) }
	x := AddScalar(MulScalar(normal(), p.X0Std), p.X0Mean)
	// running returns the mean over particles of f(t, x, a, mean x, mean a).
	running := func(t float64, x, a *Node) *Node {
		return ReduceAllMean(m.RunningGraph(Scalar(g, dtype, t), x, a, ReduceAllMean(x), ReduceAllMean(a)))
	}
	sq := p.Sigma * math.Sqrt(dt)
	a := ctl.at(0, x)
	cost := ScalarZero(g, dtype)
	for i := 0; i < steps; i++ {
		t := float64(i) * dt
		noise := MulScalar(normal(), sq)
		switch cfg.Scheme {
		case "euler":
			cost = Add(cost, MulScalar(running(t, x, a), dt))
			x = Add(x, Add(MulScalar(a, dt), noise))
		case "heun":
			w := dt
			if i == 0 {
				w = dt / 2
			}
			cost = Add(cost, MulScalar(running(t, x, a), w))
			pred := Add(x, Add(MulScalar(a, dt), noise))
			a1 := ctl.at(t+dt, pred)
			x = Add(x, Add(MulScalar(Add(a, a1), dt/2), noise))
		}
		if i < steps-1 || cfg.Scheme == "heun" {
			a = ctl.at(t+dt, x)
		}
	}
	if cfg.Scheme == "heun" {
		cost = Add(cost, MulScalar(running(p.T, x, a), dt/2))
	}
	return Add(cost, ReduceAllMean(m.TerminalGraph(x)))
}
