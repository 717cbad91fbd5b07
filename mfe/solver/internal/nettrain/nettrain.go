// Package nettrain is the training skeleton shared by the GoMLX solvers:
// Train checks a run, builds the method's part of it (Method.Build), resumes
// it from its checkpoint, runs the Loop, evaluates the learned control and
// saves the run. The Loop runs epochs of one compiled step, with timing,
// history, periodic evaluation against the exact control, progress,
// cancellation and a divergence guard. The package also has feedback
// controls backed by a compiled network.
package nettrain

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
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
)

// Loop runs Epochs calls of Step.
type Loop struct {
	Epochs int
	// EvalEvery > 0 evaluates the current control against the exact one every
	// EvalEvery epochs (and at the last) on a fixed set of particles.
	EvalEvery int
	EvalSim   sim.Sim
	Exact     mfe.Control
	Control   func() mfe.Control // the current learned control
	// Step runs one epoch and returns its loss and named extra values.
	Step     func(epoch int) (loss float64, extra map[mfe.HistoryKey]float64, err error)
	Progress mfe.Progress

	// Store holds the variables Step trains. When set, the loop copies them
	// before every epoch and, if the epoch diverges, puts the copy back: the
	// run ends with its last good state. Checkpoint, if set, saves Store
	// every Checkpoint.Every epochs.
	Store      *model.Store
	Checkpoint *Checkpoint
	// OnDivergence, if set, restores the last good state when an epoch
	// diverges, in place of the loop's copy of Store (which it then does
	// not take).
	OnDivergence func(*mfe.DivergenceError) error
	// Resume is a loaded checkpoint state: the loop continues after its epoch
	// with its history and statistics.
	Resume *State
}

// Stats summarises a run of the loop.
type Stats struct {
	Epochs         int     // epochs completed
	TrainTime      float64 // seconds spent in Step
	EpochTime      float64 // mean seconds per epoch, the first (compilation) excluded when possible
	TimeToAccuracy *float64
	First          float64 // seconds of the first epoch (compilation included)
}

// Run runs the loop, appending to h. It stops early, returning what it has,
// when ctx is done (ctx.Err()) or a loss or extra value is not finite
// (*mfe.DivergenceError).
func (l Loop) Run(ctx context.Context, h *mfe.History) (Stats, error) {
	pr := l.Progress
	if pr == nil {
		pr = mfe.NopProgress{}
	}
	defer pr.Done()
	var st Stats
	var first float64
	begin := 1
	if l.Resume != nil {
		*h = l.Resume.History
		st = l.Resume.Stats
		begin = l.Resume.Epoch + 1
		first = st.First
	}
	fields := map[string]float64{}
	for e := begin; e <= l.Epochs; e++ {
		if err := ctx.Err(); err != nil {
			return st.finish(first), err
		}
		var good snapshot
		if l.Store != nil && l.OnDivergence == nil {
			var err error
			if good, err = takeSnapshot(l.Store); err != nil {
				return st.finish(first), fmt.Errorf("epoch %d: %w", e, err)
			}
		}
		t0 := time.Now()
		loss, extra, err := l.Step(e)
		dt := time.Since(t0).Seconds()
		if err != nil {
			return st.finish(first), fmt.Errorf("epoch %d: %w", e, err)
		}
		if bad := nonFinite(loss, extra); bad != "" {
			v := loss
			if bad != "loss" {
				v = extra[mfe.HistoryKey(bad)]
			}
			if bad == string(mfe.KeyParamNorm) {
				bad = "norm of the parameters after the update (a parameter or its gradient is not finite)"
			}
			d := &mfe.DivergenceError{Epoch: e, Quantity: bad, Value: v}
			restore := l.OnDivergence
			if restore == nil && good != nil {
				restore = func(*mfe.DivergenceError) error { return good.restore() }
			}
			if restore != nil {
				if err := restore(d); err != nil {
					return st.finish(first), errors.Join(d, fmt.Errorf("restoring the last good state: %w", err))
				}
			}
			return st.finish(first), d
		}
		if e == 1 {
			first = dt
			st.First = dt
		}
		st.TrainTime += dt
		st.Epochs = e
		h.Epoch = append(h.Epoch, e)
		h.Loss = append(h.Loss, loss)
		fields["loss"] = loss
		for k, v := range extra {
			h.Append(k, v)
			fields[string(k)] = v
		}
		if l.EvalEvery > 0 && (e%l.EvalEvery == 0 || e == l.Epochs || e == 1) {
			// The evaluation runs to its end (it is cheap; the loop checks
			// ctx between epochs), so that a run resumed after cancellation
			// has the history of an uninterrupted one.
			ce, err := l.EvalSim.ControlError(context.WithoutCancel(ctx), l.Control(), l.Exact)
			if err != nil {
				return st.finish(first), fmt.Errorf("epoch %d: evaluating the control: %w", e, err)
			}
			h.EvalEpoch = append(h.EvalEpoch, e)
			h.ControlMSE = append(h.ControlMSE, ce.MSE)
			h.ControlMSEStd = append(h.ControlMSEStd, ce.Std)
			fields[string(mfe.KeyControlRel)] = ce.Rel
			if st.TimeToAccuracy == nil && ce.Rel <= 1e-2 {
				st.TimeToAccuracy = mfe.Float(st.TrainTime)
			}
		}
		pr.Update(e, l.Epochs, fields)
		if c := l.Checkpoint; c != nil && c.Every > 0 && e%c.Every == 0 && e < l.Epochs {
			if err := c.Save(l.Store, State{Epoch: e, History: *h, Stats: st.finish(first)}); err != nil {
				return st.finish(first), err
			}
		}
	}
	return st.finish(first), nil
}

func (st Stats) finish(first float64) Stats {
	if st.Epochs > 1 {
		st.EpochTime = (st.TrainTime - first) / float64(st.Epochs-1)
	} else {
		st.EpochTime = st.TrainTime
	}
	return st
}

func nonFinite(loss float64, extra map[mfe.HistoryKey]float64) string {
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return "loss"
	}
	for k, v := range extra {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return string(k)
		}
	}
	return ""
}

// Live makes the graph read the store's variables as parameters at every
// call. Without it the Go backend, which prefers constants for variables in
// graphs not marked as training, bakes every variable that already has a
// value at compile time into the graph: a control evaluated during training
// stays at its first weights, and in a training step the random-number
// state, the Adam moments and step counter stop advancing (the same batch
// every epoch, sign-SGD instead of Adam). Every graph that reads variables
// that change must call it first.
func Live(scope *model.Scope, g *Graph) { scope.SetTraining(g, true) }

// Normal draws standard normals of the given shape from the scope's random
// state. With match, the draw is shifted and scaled to sample mean 0 and
// sample variance 1 over all its elements (moment matching): when the draw
// is one value per particle, the population means built from it then carry
// no sampling noise at first order.
func Normal(scope *model.Scope, g *Graph, shape shapes.Shape, match bool) *Node {
	z := scope.RandomNormal(g, shape)
	if match {
		z = Sub(z, ReduceAllMean(z))
		z = Mul(z, Rsqrt(ReduceAllMean(Square(z))))
	}
	return z
}

// ScalarOf returns a scalar tensor's value as float64.
func ScalarOf(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("nettrain: not a float scalar: %v", t))
}

// NetControl is a feedback control evaluated by a compiled graph f(t, x)
// on a batch: t a scalar, x of shape [n]. It is safe for sequential use.
type NetControl struct {
	exec *model.Exec
}

// NewNetControl compiles fn, which builds alpha(t, x) for t of shape [] and x
// of shape [n] (float32), returning shape [n], reading its variables from store.
func NewNetControl(backend compute.Backend, store *model.Store, fn func(scope *model.Scope, t, x *Node) *Node) (*NetControl, error) {
	e, err := model.NewExec(backend, store, func(scope *model.Scope, t, x *Node) *Node {
		Live(scope, x.Graph())
		return fn(scope, t, x)
	})
	if err != nil {
		return nil, err
	}
	return &NetControl{exec: e}, nil
}

// Eval implements mfe.Control.
func (c *NetControl) Eval(t float64, x, out []float64) {
	if len(x) == 0 {
		return
	}
	xs := make([]float32, len(x))
	for i, v := range x {
		xs[i] = float32(v)
	}
	res, err := c.exec.Call(float32(t), tensors.FromFlatDataAndDimensions(xs, len(xs)))
	if err != nil {
		panic(fmt.Sprintf("nettrain: evaluating the network: %v", err))
	}
	tensors.MustConstFlatData(res[0], func(flat []float32) {
		for i := range out {
			out[i] = float64(flat[i])
		}
	})
}

// CosineLR decays the learning rate from lr0 at the first epoch to lr1 at the
// last along a half cosine in log space.
func CosineLR(lr0, lr1 float64, epoch, epochs int) float64 {
	if epochs <= 1 {
		return lr0
	}
	u := float64(epoch-1) / float64(epochs-1)
	w := (1 + math.Cos(math.Pi*u)) / 2
	return math.Exp(w*math.Log(lr0) + (1-w)*math.Log(lr1))
}

// AdamStep compiles a training step that takes one Adam step (decoupled
// weight decay wd) on the loss built by loss, and returns a Job.Step that
// calls it with the learning rate decayed from lr0 at the first of epochs to
// lr1 at the last (CosineLR), recording mfe.KeyLR and mfe.KeyParamNorm.
func AdamStep(env Env, lr0, lr1, wd float64, epochs int, loss func(scope *model.Scope, g *Graph) *Node) (func(epoch int) (float64, map[mfe.HistoryKey]float64, error), error) {
	opt := optimizer.Adam().LearningRate(lr0).WeightDecay(wd).Done()
	exec, err := model.NewExec(env.Backend, env.Store, func(scope *model.Scope, lr *Node) []*Node {
		g := lr.Graph()
		Live(scope, g)
		optimizer.LearningRateVar(scope, dtypes.Float32, lr0).SetNodeValue(lr)
		l := loss(scope, g)
		opt.UpdateGraph(scope, g, l)
		return []*Node{l, ParamNorm(scope, g)}
	})
	if err != nil {
		return nil, err
	}
	return func(epoch int) (float64, map[mfe.HistoryKey]float64, error) {
		lr := CosineLR(lr0, lr1, epoch, epochs)
		out, err := exec.Call(float32(lr))
		if err != nil {
			return 0, nil, err
		}
		return ScalarOf(out[0]), map[mfe.HistoryKey]float64{mfe.KeyLR: lr, mfe.KeyParamNorm: ScalarOf(out[1])}, nil
	}, nil
}

// Default evaluation of the training curves: fewer particles than the final
// metrics, a fixed seed so that every epoch is measured on the same paths.
func EvalSim(p mfe.Params, steps int) sim.Sim {
	return sim.Sim{P: p, N: 2000, Steps: steps, Seed: eval.Default.Seed + 7}
}
