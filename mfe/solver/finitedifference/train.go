package finitedifference

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/runkey"
)

// regimes are the problems the method solves.
var regimes = []mfe.Regime{mfe.MFG, mfe.MFC}

// plainBackend is the result's backend: the solver runs in plain Go.
const plainBackend = "go (plain)"

// DensityTimes are the fractions of T at which density_l1 is reported.
var DensityTimes = []float64{0.1, 0.4, 0.7, 1.0}

// Time steps of the history's control error (a simulation of Config.EvalN
// particles) and number of intervals of the final error by time.
const (
	historySteps = 50
	byTimeSteps  = 50
)

// Train solves the model of run (run.Model: the LQ model of package mfe,
// or the capped one; model.New) for its regime and parameters (Solve) and
// returns the result: the history (Epoch = fixed-point iteration on the
// final grid, Loss = the flow's relative change, and, with Config.EvalN >
// 0, ControlMSE and "control_rel" by a simulation of EvalN particles; "t"
// and "control_rel_by_time" once for the final control), the final metrics
// (eval.Control with eval.Default; for the MFG value_rel of the grid value;
// density_l1 at DensityTimes), the feedback and, for the MFG, the value.
// A model without an exact solution is measured against the solution at
// the memoir profile instead (a memoir run against itself, 0), its
// control_mse and control_rel only (eval.ControlAgainst; no
// control_rel_by_time), in the history and the final metrics. The seed only seeds the history's simulation: the solve
// is deterministic. A fixed point stopped by Config.Iterations before
// Config.Tol is a result like any other (its Loss says where it stopped).
// On cancellation it returns the partial result (the last iterate's
// control and the history, without final metrics) with ctx's error.
//
// With run.Checkpoint set, a finished run saves there its history and
// metrics, and its manifest the control on the standard grid; the solve
// itself is not saved: it takes seconds. Reloading the run solves again,
// checks that the control is the saved one and returns the stored metrics;
// a checkpoint of another run is refused with a *mfe.MismatchError. An
// interrupted run saves nothing (there is nothing worth resuming). With
// run.Reevaluate, a finished run's metrics are computed again and replace
// the stored ones (verifyFinished).
func Train(ctx context.Context, run mfe.Run, cfg Config) (*mfe.Result, error) {
	start := time.Now()
	key, err := runkey.Of(Method, regimes, run, cfg)
	if err != nil {
		return nil, err
	}
	p, r := run.Params, run.Regime
	pr := run.Progress
	if pr == nil {
		pr = mfe.NopProgress{}
	}
	defer pr.Done()
	m, err := model.New(run.Model, p)
	if err != nil {
		return nil, err
	}
	saved, err := loadCheckpoint(run.Checkpoint, key, run.Reevaluate != nil)
	if err != nil {
		return nil, err
	}
	// The reference: the exact control, or for a model without one the
	// solution at the memoir profile (solved only when it is used).
	var ref *eval.Reference
	exactC, err := eval.ExactControl(p, r)
	if err != nil {
		return nil, err
	}
	if !run.Model.IsLQ() && (saved == nil || run.Reevaluate != nil) {
		rf, err := referenceAt(ctx, m, r, mfe.Memoir)
		if err != nil {
			return nil, err
		}
		ref, exactC = &rf, rf.Control
	}
	res := &mfe.Result{
		Method: Method, Regime: r, Params: p, Profile: run.Profile, Backend: plainBackend, Seed: run.Seed, Model: m.Spec(), Config: cfg,
		History: mfe.History{Extra: map[mfe.HistoryKey][]float64{}},
	}
	if saved != nil {
		sol, err := Solve(ctx, m, r, cfg, nil)
		if err != nil {
			return nil, err
		}
		setSolution(res, sol)
		res.History, res.Metrics = saved.History, *saved.Metrics
		res.EpochTime, res.WallTime = saved.EpochTime, saved.WallTime
		if err := verifyFinished(ctx, run.Checkpoint, key, saved, res, sol, ref, run.Reevaluate); err != nil {
			return nil, err
		}
		return res, nil
	}
	ck := sim.Sim{P: p, N: cfg.EvalN, Steps: historySteps, Seed: run.Seed ^ 0x5eed}
	var toAccuracy *float64
	observe := func(it Iteration) error {
		h := &res.History
		h.Epoch = append(h.Epoch, it.Index)
		h.Loss = append(h.Loss, it.Residual)
		fields := map[string]float64{"residual": it.Residual}
		if cfg.EvalN > 0 {
			// A record runs to its end: it is cheap, and the solve
			// checks ctx between its steps.
			ce, err := ck.ControlError(context.WithoutCancel(ctx), it.Solution.Control(), exactC)
			if err != nil {
				return err
			}
			h.EvalEpoch = append(h.EvalEpoch, it.Index)
			h.ControlMSE = append(h.ControlMSE, ce.MSE)
			h.ControlMSEStd = append(h.ControlMSEStd, ce.Std)
			h.Append(mfe.KeyControlRel, ce.Rel)
			fields[string(mfe.KeyControlRel)] = ce.Rel
			if toAccuracy == nil && ce.Rel <= 1e-2 {
				toAccuracy = mfe.Float(time.Since(start).Seconds())
			}
		}
		pr.Update(it.Index, cfg.Iterations, fields)
		return nil
	}
	sol, err := Solve(ctx, m, r, cfg, observe)
	if sol != nil {
		setSolution(res, sol)
		res.EpochTime = time.Since(start).Seconds() / float64(max(1, sol.Iterations))
	}
	if err != nil {
		res.WallTime = time.Since(start).Seconds()
		if sol == nil {
			return nil, err
		}
		return res, err
	}
	if ref == nil {
		if err := eval.RecordByTime(&res.History, p, r, res.Control, mfe.TimeGrid(p.T, byTimeSteps)); err != nil {
			return res, err
		}
	}
	metrics, err := finalMetrics(ctx, sol, ref)
	res.WallTime = time.Since(start).Seconds()
	if err != nil {
		return res, fmt.Errorf("finitedifference: evaluating the solution: %w", err)
	}
	metrics.TimeToAccuracy = toAccuracy
	res.Metrics = metrics
	st := &checkpointState{Finished: true, History: res.History, Metrics: &metrics, EpochTime: res.EpochTime, WallTime: res.WallTime}
	if err := saveCheckpoint(run.Checkpoint, key, st, res); err != nil {
		return res, err
	}
	return res, nil
}

// setSolution puts the solution's feedback, and for the MFG its value (the
// MFC's is the value of the agent charged its marginal social cost, which
// has no exact counterpart), into res.
func setSolution(res *mfe.Result, sol *Solution) {
	res.Control = sol.Control()
	if sol.Regime == mfe.MFG {
		res.Value = sol.ValueFunc()
	}
}

// finalMetrics returns the metrics of a solution of the LQ model:
// eval.Control with eval.Default, value_rel for the MFG and density_l1 at
// DensityTimes (on the exact law's mean ± 6 sd, 601 points); with a
// reference (a model without an exact solution), eval.ControlAgainst it.
func finalMetrics(ctx context.Context, sol *Solution, ref *eval.Reference) (mfe.Metrics, error) {
	p, r := sol.Model.Params(), sol.Regime
	if ref != nil {
		return eval.ControlAgainst(ctx, p, sol.Control(), *ref, eval.Default)
	}
	m, err := eval.Control(ctx, p, r, sol.Control(), eval.Default)
	if err != nil {
		return m, err
	}
	if r == mfe.MFG {
		vr, err := eval.ValueRel(p, sol.ValueFunc())
		if err != nil {
			return m, err
		}
		m.ValueRel = mfe.Float(vr)
	}
	law, err := eval.LawX(p, r)
	if err != nil {
		return m, err
	}
	m.DensityL1 = map[string]float64{}
	for _, f := range DensityTimes {
		t := f * p.T
		l := law(t)
		sd := l.Std()
		xs := mfe.Linspace(l.Mean-6*sd, l.Mean+6*sd, 601)
		d, err := eval.DensityL1(p, r, t, xs, sol.Density(t, xs))
		if err != nil {
			return m, err
		}
		m.DensityL1[fmt.Sprintf("%g", f)] = d
	}
	return m, nil
}

// A checkpoint is state.json in the run's checkpoint directory
// (mfe.Run.Checkpoint) and the manifest that lists it with its size and
// SHA-256 and holds the control on the standard grid
// (rundir.CommitCheckpoint, rundir.ControlCheck). Only a finished run is
// saved: its identity (runkey.Key), history, metrics and timings. The
// solution is not: Solve computes it again, the same bit for bit.
type checkpointState struct {
	Key       json.RawMessage `json:"key"`
	Finished  bool            `json:"finished"`
	History   mfe.History     `json:"history"`
	Metrics   *mfe.Metrics    `json:"metrics"`
	EpochTime float64         `json:"epoch_time_s"`
	WallTime  float64         `json:"wall_time_s"`

	check *rundir.ControlCheck // the manifest's
}

// loadCheckpoint returns the finished run saved in dir, or nil when dir
// holds none, after verifying it against its manifest
// (rundir.OpenCheckpoint); one saved under another key is refused with a
// *mfe.MismatchError. With reevaluate, a directory without a saved run is
// refused.
func loadCheckpoint(dir string, key runkey.Key, reevaluate bool) (*checkpointState, error) {
	if dir == "" {
		if reevaluate {
			return nil, errors.New("finitedifference: re-evaluating a run needs its checkpoint directory")
		}
		return nil, nil
	}
	b, man, err := rundir.OpenCheckpoint(dir, false)
	if err != nil {
		return nil, err
	}
	if b == nil {
		if reevaluate {
			return nil, fmt.Errorf("finitedifference: checkpoint %s: no saved run to re-evaluate", dir)
		}
		return nil, nil
	}
	var st checkpointState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, &rundir.CheckpointError{Dir: dir, File: rundir.StateFile, Problem: "unreadable: " + err.Error()}
	}
	if err := runkey.Check(dir, st.Key, key); err != nil {
		return nil, err
	}
	if err := runkey.Check(dir, man.Key, key); err != nil {
		return nil, err
	}
	if !st.Finished || st.Metrics == nil || man.Check == nil {
		return nil, &rundir.CheckpointError{Dir: dir, File: rundir.StateFile, Problem: "not a finished run with metrics and a control check (corrupt file?)"}
	}
	st.check = man.Check
	return &st, nil
}

// verifyFinished checks a finished run reloaded into res (res.Control the
// solution solved again): its control on the standard grid must be the one
// saved in the manifest, within rundir.CheckTolerance (in plain Go it is
// the same bit for bit). With reevaluate set, the final metrics are
// computed again (finalMetrics) and must have the stored control_mse and
// control_rel (rundir.SameControlMetrics); they then replace the stored
// metrics in res and in the checkpoint (state.json and manifest
// rewritten), and reevaluate is called with the old and the new.
func verifyFinished(ctx context.Context, dir string, key runkey.Key, st *checkpointState, res *mfe.Result, sol *Solution, ref *eval.Reference, reevaluate func(old, new mfe.Metrics)) error {
	got := rundir.NewControlCheck(res.Params.T, res.Control, plainBackend)
	if err := st.check.Compare(got, res.Params.T); err != nil {
		return &rundir.CheckpointError{Dir: dir, File: rundir.StateFile, Problem: err.Error()}
	}
	if reevaluate == nil {
		return nil
	}
	m, err := finalMetrics(ctx, sol, ref)
	if err != nil {
		return fmt.Errorf("finitedifference: checkpoint %s: re-evaluating the run: %w", dir, err)
	}
	if err := rundir.SameControlMetrics(*st.Metrics, m); err != nil {
		return fmt.Errorf("finitedifference: checkpoint %s: re-evaluating the run: its solution does not reproduce its stored metrics (%w); refusing it", dir, err)
	}
	m.TimeToAccuracy = st.Metrics.TimeToAccuracy
	old := *st.Metrics
	st.Metrics = &m
	if err := saveCheckpoint(dir, key, st, res); err != nil {
		return err
	}
	res.Metrics = m
	reevaluate(old, m)
	return nil
}

// saveCheckpoint writes the finished run st, whose result is res, to dir
// (nothing when dir is empty), the manifest holding res's control on the
// standard grid.
func saveCheckpoint(dir string, key runkey.Key, st *checkpointState, res *mfe.Result) error {
	if dir == "" {
		return nil
	}
	var err error
	if st.Key, err = json.Marshal(key); err != nil {
		return err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("finitedifference: checkpoint %s: encoding: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("finitedifference: checkpoint %s: %w", dir, err)
	}
	check := rundir.NewControlCheck(res.Params.T, res.Control, plainBackend)
	if err := rundir.CommitCheckpoint(dir, st.Key, append(b, '\n'), nil, check); err != nil {
		return fmt.Errorf("finitedifference: checkpoint %s: %w", dir, err)
	}
	return nil
}
