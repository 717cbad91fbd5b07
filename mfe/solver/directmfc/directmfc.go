package directmfc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nn"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// Method is the name of the method in results and on the command line.
const Method = "direct-mfc"

// Config is the training configuration.
type Config struct {
	N      int   `json:"n"`      // particles per epoch (a fresh batch each)
	Steps  int   `json:"steps"`  // time steps N_T
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

	// CheckpointDir, if set, saves the run there (every CheckpointEvery
	// epochs, at the end and when interrupted) and resumes it from there: a
	// finished run is loaded without training. Not part of the run's identity.
	CheckpointDir   string `json:"-"`
	CheckpointEvery int    `json:"-"`
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

// control builds alpha_theta(t, x) for t [n, 1] and x [n, 1] (float32).
type control struct {
	net *nn.MLP
	T   float64
}

func newControl(scope *model.Scope, g *Graph, c Config, T float64) control {
	return control{net: nn.NewMLP(scope.In("alpha"), g, nn.MLPConfig{In: 2, Hidden: c.Hidden, Out: 1, Activation: c.Activation}), T: T}
}

// at returns alpha(t, x) for a scalar time t and x of shape [n, 1].
func (c control) at(t float64, x *Node) *Node {
	tt := FillScalar(x.Graph(), x.Shape(), t/c.T)
	return c.net.Apply(Concatenate([]*Node{tt, x}, -1))
}

// Train trains the control network for the MFC problem with parameters p.
func Train(ctx context.Context, p mfe.Params, cfg Config, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
	be, err := backend.DefaultErr()
	if err != nil {
		return nil, err
	}
	return TrainOn(ctx, be, p, cfg, seed, pr)
}

// TrainOn is Train on a given backend.
func TrainOn(ctx context.Context, be compute.Backend, p mfe.Params, cfg Config, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
	return train(ctx, be, p, cfg, seed, pr, true)
}

// train is TrainOn; finalMetrics false skips the final evaluation (benchmarks).
func train(ctx context.Context, be compute.Backend, p mfe.Params, cfg Config, seed uint64, pr mfe.Progress, finalMetrics bool) (*mfe.Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	exactMFC, err := exact.NewMFC(p)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(int64(seed)); err != nil {
		return nil, err
	}
	opt := optimizer.Adam().LearningRate(cfg.LR).WeightDecay(cfg.WeightDecay).Done()
	step := func(scope *model.Scope, lr *Node) []*Node {
		g := lr.Graph()
		nettrain.Live(scope, g)
		optimizer.LearningRateVar(scope, dtypes.Float32, cfg.LR).SetNodeValue(lr)
		cost := socialCost(scope, g, p, cfg)
		opt.UpdateGraph(scope, g, cost)
		return []*Node{cost, nettrain.ParamNorm(scope, g)}
	}
	exec, err := model.NewExec(be, store, step)
	if err != nil {
		return nil, err
	}
	ctl, err := nettrain.NewNetControl(be, store, func(scope *model.Scope, t, x *Node) *Node {
		a := newControl(scope, x.Graph(), cfg, p.T)
		tt := BroadcastToDims(MulScalar(ExpandAxes(t, 0), 1/p.T), x.Shape().Dim(0))
		in := Concatenate([]*Node{ExpandAxes(tt, -1), ExpandAxes(x, -1)}, -1)
		return Reshape(a.net.Apply(in), x.Shape().Dim(0))
	})
	if err != nil {
		return nil, err
	}
	res := &mfe.Result{Method: Method, Regime: mfe.MFC, Params: p, Backend: be.Name(), Seed: seed, Config: cfg, Control: ctl}
	ck := &nettrain.Checkpoint{Dir: cfg.CheckpointDir, Every: cfg.CheckpointEvery,
		Key: nettrain.RunKey{Method: Method, Regime: mfe.MFC, Params: p, Config: cfg, Seed: seed}}
	state, err := ck.Load(store)
	if err != nil {
		return nil, err
	}
	if state != nil && state.Finished {
		state.Apply(res)
		return res, nil
	}
	loop := nettrain.Loop{
		Checkpoint: ck, Store: store, Resume: state,
		Epochs: cfg.Epochs, EvalEvery: cfg.EvalEvery,
		EvalSim: nettrain.EvalSim(p, 100), Exact: exactMFC.Control(),
		Control:  func() mfe.Control { return ctl },
		Progress: pr,
		Step: func(epoch int) (float64, map[mfe.HistoryKey]float64, error) {
			lr := nettrain.CosineLR(cfg.LR, cfg.LRFinal, epoch, cfg.Epochs)
			out, err := exec.Call(float32(lr))
			if err != nil {
				return 0, nil, err
			}
			return nettrain.ScalarOf(out[0]), map[mfe.HistoryKey]float64{mfe.KeyLR: lr, mfe.KeyParamNorm: nettrain.ScalarOf(out[1])}, nil
		},
	}
	st, runErr := loop.Run(ctx, &res.History)
	res.EpochTime = st.EpochTime
	if finalMetrics && runErr == nil {
		m, err := eval.Control(p, mfe.MFC, ctl, eval.Default)
		if err != nil && runErr == nil {
			runErr = err
		}
		m.TimeToAccuracy = st.TimeToAccuracy
		res.Metrics = m
		// The error at each time: where the memoir's direct MFC lost
		// precision, near t = T, shows there.
		times, _ := mfe.StandardGrid(p.T)
		if err := eval.RecordByTime(&res.History, p, mfe.MFC, ctl, times); err != nil && runErr == nil {
			runErr = err
		}
	}
	res.WallTime = time.Since(start).Seconds()
	if err := ck.SaveRun(store, st, res, runErr); err != nil && runErr == nil {
		runErr = err
	}
	return res, runErr
}

// socialCost builds the empirical social cost of cfg.N fresh particles.
func socialCost(scope *model.Scope, g *Graph, p mfe.Params, cfg Config) *Node {
	dtype := dtypes.Float32
	ctl := newControl(scope, g, cfg, p.T)
	dt := p.T / float64(cfg.Steps)
	shape := shapes.Make(dtype, cfg.N, 1)
	normal := func() *Node { return nettrain.Normal(scope, g, shape, cfg.MomentMatch) }
	x := AddScalar(MulScalar(normal(), p.X0Std), p.X0Mean)
	// running returns the mean over particles of f(x, a, mean a).
	running := func(x, a *Node) *Node {
		abar := ReduceAllMean(a)
		f := Add(MulScalar(Square(x), p.CX/2), MulScalar(Square(a), p.Ca/2))
		return Sub(ReduceAllMean(f), MulScalar(Mul(ReduceAllMean(x), abar), p.Gamma))
	}
	sq := p.Sigma * math.Sqrt(dt)
	a := ctl.at(0, x)
	cost := ScalarZero(g, dtype)
	for i := 0; i < cfg.Steps; i++ {
		t := float64(i) * dt
		noise := MulScalar(normal(), sq)
		switch cfg.Scheme {
		case "euler":
			cost = Add(cost, MulScalar(running(x, a), dt))
			x = Add(x, Add(MulScalar(a, dt), noise))
		case "heun":
			w := dt
			if i == 0 {
				w = dt / 2
			}
			cost = Add(cost, MulScalar(running(x, a), w))
			pred := Add(x, Add(MulScalar(a, dt), noise))
			a1 := ctl.at(t+dt, pred)
			x = Add(x, Add(MulScalar(Add(a, a1), dt/2), noise))
		}
		if i < cfg.Steps-1 || cfg.Scheme == "heun" {
			a = ctl.at(t+dt, x)
		}
	}
	if cfg.Scheme == "heun" {
		cost = Add(cost, MulScalar(running(x, a), dt/2))
	}
	return Add(cost, MulScalar(ReduceAllMean(Square(x)), p.Cg/2))
}
