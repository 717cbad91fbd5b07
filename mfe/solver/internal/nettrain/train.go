package nettrain

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/finitedifference"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/runkey"
)

// Method is a network solver as Train runs it.
type Method[C mfe.Config] struct {
	Name    string       // the method's name in results and checkpoints
	Regimes []mfe.Regime // the regimes it solves
	// CheckpointEvery is the number of epochs between checkpoints when the
	// run leaves it to the method (mfe.Run.CheckpointEvery = 0).
	CheckpointEvery int
	// Build makes the method's part of a run of configuration cfg.
	Build func(env Env, cfg C) (*Job, error)
	// SkipMetrics ends a run after training, without the final control and
	// metrics, and without checkpoints: benchmarks time the training alone.
	SkipMetrics bool
}

// Env is what Train gives Build.
type Env struct {
	Backend compute.Backend
	Store   *model.Store // for the method's variables, its random state seeded with the run's seed
	Run     mfe.Run
	History *mfe.History // the result's history, which the loop appends to
	// Model is the run's model (mfemodel.New of Run.Model); Reference, for
	// a model without an exact solution, the control the run is measured
	// against (finitedifference.Reference), nil for the LQ model.
	Model     mfemodel.Model
	Reference *eval.Reference
}

// NewEnv returns the environment of run on the default backend: a new
// store, its random state seeded with the run's seed, and a new history.
func NewEnv(run mfe.Run) (Env, error) {
	be, err := backend.DefaultErr()
	if err != nil {
		return Env{}, err
	}
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(int64(run.Seed)); err != nil {
		return Env{}, err
	}
	m, err := mfemodel.New(run.Model, run.Params)
	if err != nil {
		return Env{}, err
	}
	return Env{Backend: be, Store: store, Run: run, History: &mfe.History{}, Model: m}, nil
}

// Job is the method's part of a training run, made by Method.Build.
type Job struct {
	// Epochs, EvalEvery and Step are the Loop's.
	Epochs, EvalEvery int
	Step              func(epoch int) (loss float64, extra map[mfe.HistoryKey]float64, err error)
	// Control and Value are the result's learned control and value (Value
	// nil if the method learns none). Current, if set, returns the control
	// the loop evaluates every EvalEvery epochs, in place of Control.
	Control mfe.Control
	Value   mfe.ValueFunc
	Current func() mfe.Control
	// FinalControl, if set, makes the result's control, in place of
	// Control, once training has ended or a finished run is reloaded.
	FinalControl func() (mfe.Control, error)
	// Metrics, if set, computes the final metrics of the trained result, in
	// place of Evaluate(ctx, res, res.Control), and returns ctx's error once
	// ctx is done. EvaluateStopped gives a run that stopped early (diverged
	// and restored) its final metrics too; a cancelled run gets none.
	Metrics         func(ctx context.Context, res *mfe.Result) error
	EvaluateStopped bool
	// Progress, if set, receives the loop's progress in place of the run's.
	Progress mfe.Progress
	// SaveState and LoadState, if set, keep the method's state outside the
	// store (a sampler's random numbers) in the checkpoint (State.ExtraState).
	SaveState func() (json.RawMessage, error)
	LoadState func(json.RawMessage) error
	// OnDivergence is the Loop's.
	OnDivergence func(*mfe.DivergenceError) error

	reference *eval.Reference // Env.Reference, for the default metrics
}

// Train trains run with configuration cfg by method m on the default
// backend. It checks the run (runkey.Of), builds the method's part, and
// resumes the run from its checkpoint in run.Checkpoint, if there is one: a
// finished run is reloaded without training (if its weights give the
// control saved with its metrics, Checkpoint.VerifyFinished), a checkpoint
// of another run is refused with a *mfe.MismatchError (with
// run.Reevaluate, a finished run's metrics are computed again and replace
// the stored ones, VerifyFinished), and a damaged one
// with a *rundir.CheckpointError. It then trains the remaining epochs
// with a Loop (saving a checkpoint every run.CheckpointEvery epochs, or
// m.CheckpointEvery), evaluates the learned control against the exact one
// and saves the finished run. The result records the configuration as the
// run's key does: with the sizes that derive from the run (runkey.Derived,
// e.g. fbsde's run_steps) beside the settings. A run of a model without an
// exact solution (mfe.Run.Model not LQ) is measured, during training and
// at the end, against the finite-difference solution of that model instead
// (finitedifference.Reference, Env.Reference). A run cancelled or diverged
// returns its partial result with ctx.Err() or a *mfe.DivergenceError; a
// cancelled one is saved, to be resumed.
func Train[C mfe.Config](ctx context.Context, m Method[C], run mfe.Run, cfg C) (*mfe.Result, error) {
	key, err := runkey.Of(m.Name, m.Regimes, run, cfg)
	if err != nil {
		return nil, err
	}
	if m.SkipMetrics {
		run.Checkpoint = "" // a run without its metrics must not be saved as finished
	}
	start := time.Now()
	env, err := NewEnv(run)
	if err != nil {
		return nil, err
	}
	// The control measured against: the exact one of the LQ model, the
	// finite-difference one of another (whose parameters need not give the
	// LQ model a solution).
	var exactControl mfe.Control
	if run.Model.IsLQ() {
		if exactControl, err = eval.ExactControl(run.Params, run.Regime); err != nil {
			return nil, err
		}
	} else {
		ref, err := finitedifference.Reference(ctx, env.Model, run.Regime)
		if err != nil {
			return nil, err
		}
		env.Reference, exactControl = &ref, ref.Control
	}
	store := env.Store
	res := &mfe.Result{Method: m.Name, Regime: run.Regime, Params: run.Params, Profile: run.Profile,
		Backend: env.Backend.Name(), Seed: run.Seed, Model: env.Model.Spec(), Config: key.Config}
	if env.Reference != nil {
		res.Reference, res.ReferenceLaw = env.Reference.Control, env.Reference.Law
	}
	env.History = &res.History
	job, err := m.Build(env, cfg)
	if err != nil {
		return nil, err
	}
	job.reference = env.Reference
	res.Control, res.Value = job.Control, job.Value
	ck := &Checkpoint{Dir: run.Checkpoint, Every: runkey.Every(run, m.CheckpointEvery), Key: key, Extra: job.SaveState,
		AdoptLegacy: run.AdoptLegacy, Reevaluate: run.Reevaluate}
	state, err := ck.Load(store)
	if err != nil {
		return nil, err
	}
	if state != nil {
		if job.LoadState != nil {
			if err := job.LoadState(state.ExtraState); err != nil {
				return nil, fmt.Errorf("checkpoint %s: %w", ck.Dir, err)
			}
		}
		if state.Finished {
			state.Apply(res)
			if err := job.finalControl(res); err != nil {
				return nil, err
			}
			if err := ck.VerifyFinished(state, res, func(r *mfe.Result) error { return job.metrics(ctx, r, state.Stats) }); err != nil {
				return nil, err
			}
			return res, nil
		}
	}
	current := job.Current
	if current == nil {
		current = func() mfe.Control { return job.Control }
	}
	pr := job.Progress
	if pr == nil {
		pr = run.Progress
	}
	loop := Loop{
		Epochs: job.Epochs, EvalEvery: job.EvalEvery,
		EvalSim: EvalSim(run.Params, 100), Exact: exactControl, Control: current,
		Step: job.Step, Progress: pr,
		Store: store, Checkpoint: ck, Resume: state, OnDivergence: job.OnDivergence,
	}
	st, runErr := loop.Run(ctx, &res.History)
	res.EpochTime = st.EpochTime
	if !m.SkipMetrics && (runErr == nil || job.EvaluateStopped && st.Epochs > 0 && ctx.Err() == nil) {
		if err := job.metrics(ctx, res, st); err != nil && runErr == nil {
			runErr = err
		}
	}
	res.WallTime = time.Since(start).Seconds()
	if err := ck.SaveRun(store, st, res, runErr); err != nil && runErr == nil {
		runErr = err
	}
	return res, runErr
}

// finalControl sets the result's control made by FinalControl, if any.
func (j *Job) finalControl(res *mfe.Result) error {
	if j.FinalControl == nil {
		return nil
	}
	c, err := j.FinalControl()
	if err != nil {
		return err
	}
	res.Control = c
	return nil
}

// metrics computes the final control and metrics of a trained result; it
// returns ctx's error once ctx is done.
func (j *Job) metrics(ctx context.Context, res *mfe.Result, st Stats) error {
	if err := j.finalControl(res); err != nil {
		return err
	}
	var err error
	if j.Metrics != nil {
		err = j.Metrics(ctx, res)
	} else {
		err = EvaluateAgainst(ctx, res, res.Control, j.reference)
	}
	res.Metrics.TimeToAccuracy = st.TimeToAccuracy
	return err
}

// Evaluate sets res.Metrics to the final metrics of the learned control c
// (eval.Control with eval.Default) and, for a method that learns a value
// (res.Value), its value_rel. Once ctx is done it returns ctx's error and
// leaves res.Metrics as they were.
func Evaluate(ctx context.Context, res *mfe.Result, c mfe.Control) error {
	return EvaluateAgainst(ctx, res, c, nil)
}

// EvaluateAgainst is Evaluate, but with a reference (Env.Reference of a
// model without an exact solution) the metrics are those of c against it
// (eval.ControlAgainst: control_mse and control_rel only).
func EvaluateAgainst(ctx context.Context, res *mfe.Result, c mfe.Control, ref *eval.Reference) error {
	if ref != nil {
		m, err := eval.ControlAgainst(ctx, res.Params, c, *ref, eval.Default)
		if err != nil {
			return err
		}
		res.Metrics = m
		return nil
	}
	m, err := eval.Control(ctx, res.Params, res.Regime, c, eval.Default)
	if err != nil {
		return err
	}
	if res.Value != nil {
		vr, err := eval.ValueRel(res.Params, res.Value)
		if err != nil {
			return err
		}
		m.ValueRel = mfe.Float(vr)
	}
	res.Metrics = m
	return nil
}
