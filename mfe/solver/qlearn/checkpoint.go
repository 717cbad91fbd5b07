package qlearn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/runkey"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/qlearn/internal/tabular"
)

// A checkpoint is state.json in the run's checkpoint directory
// (mfe.Run.Checkpoint) and the manifest that lists it with its size and
// SHA-256, written after it (rundir.CommitCheckpoint), so that an
// interruption at any point leaves the previous consistent state. It holds
// the run's identity (runkey.Key), the learner's whole state at a batch
// boundary (learnerState) and the run's history; once the run is finished,
// also its final metrics, and the manifest the learned control on the
// standard grid (rundir.ControlCheck). A state.json that does not match
// its manifest is refused, naming it; one without a manifest is read only
// to adopt a finished run (mfe.Run.AdoptLegacy, verifyFinished).
const stateFile = rundir.StateFile

// plainBackend is the result's backend: Q-learning runs in plain Go.
const plainBackend = "go (plain)"

// checkpointState is what state.json holds.
type checkpointState struct {
	Key       json.RawMessage `json:"key"`
	Episode   int             `json:"episode"`
	Finished  bool            `json:"finished"`
	Learner   learnerState    `json:"learner"`
	History   savedHistory    `json:"history"`
	NextCheck int             `json:"next_check"` // episode of the next history record
	Batches   int             `json:"batches"`    // episode batches trained so far
	TrainTime float64         `json:"train_time_s"`
	WallTime  float64         `json:"wall_time_s"`
	EpochTime float64         `json:"epoch_time_s,omitempty"` // finished runs
	Metrics   *mfe.Metrics    `json:"metrics,omitempty"`      // finished runs

	check  *rundir.ControlCheck // the manifest's, for a finished run
	legacy bool                 // loaded without a manifest (adopt)
	raw    []byte               // state.json as read
}

// learnerState is the learner's state (tabular.State) as state.json holds
// it: with the configuration it determines every later step of training,
// random numbers included.
type learnerState struct {
	Grid   Grid     `json:"grid"`
	Level  int      `json:"level"`
	DA     float64  `json:"da"`
	NA     int      `json:"na"`
	Half   int      `json:"half"`
	Center floats   `json:"center"`
	Q      floats   `json:"q"`
	Visits []uint32 `json:"visits"`
	Best   []int32  `json:"best"`
	BestV  floats   `json:"best_v"`
	S0     floats   `json:"s0,omitempty"` // window fit sums (SubGrid)
	S1     floats   `json:"s1,omitempty"`
	S2     floats   `json:"s2,omitempty"`
	GU     floats   `json:"g_u,omitempty"`
	Resid  floats   `json:"resid,omitempty"` // the reward residuals (a reward not quadratic in the action)
	RFit   floats   `json:"r_fit,omitempty"`
	Abar   floats   `json:"abar"`
	Xbar   floats   `json:"xbar"`
	GradX  floats   `json:"grad_x,omitempty"` // the estimated marginal social reward's derivatives (MFC)
	GradA  floats   `json:"grad_a,omitempty"`
	Edge   floats   `json:"edge,omitempty"` // the edges' parabolas (Edges = "extrapolate")
	// Episode: episodes done; TDSum, TDCnt: the squared TD errors since the
	// last history record.
	Episode int    `json:"episode"`
	TDSum   float  `json:"td_sum"`
	TDCnt   int    `json:"td_cnt"`
	RNG     []byte `json:"rng"` // the PCG's state (encoding.BinaryMarshaler)
}

func saveLearner(s tabular.State) learnerState {
	return learnerState{
		Grid: s.Grid, Level: s.Level, DA: s.DA, NA: s.NA, Half: s.Half,
		Center: s.Center, Q: s.Q, Visits: s.Visits, Best: s.Best, BestV: s.BestV,
		S0: s.S0, S1: s.S1, S2: s.S2, GU: s.GU, Resid: s.Resid, RFit: s.RFit, Abar: s.Abar, Xbar: s.Xbar,
		GradX: s.GradX, GradA: s.GradA, Edge: s.Edge,
		Episode: s.Episode, TDSum: float(s.TDSum), TDCnt: s.TDCnt, RNG: s.RNG,
	}
}

func (s learnerState) state() tabular.State {
	return tabular.State{
		Grid: s.Grid, Level: s.Level, DA: s.DA, NA: s.NA, Half: s.Half,
		Center: s.Center, Q: s.Q, Visits: s.Visits, Best: s.Best, BestV: s.BestV,
		S0: s.S0, S1: s.S1, S2: s.S2, GU: s.GU, Resid: s.Resid, RFit: s.RFit, Abar: s.Abar, Xbar: s.Xbar,
		GradX: s.GradX, GradA: s.GradA, Edge: s.Edge,
		Episode: s.Episode, TDSum: float64(s.TDSum), TDCnt: s.TDCnt, RNG: s.RNG,
	}
}

// floats is rundir.Floats: a degenerate run's history can hold non-finite
// values.
type floats = rundir.Floats

// float is a float64 encoded like an element of floats.
type float float64

func (f float) MarshalJSON() ([]byte, error) {
	b, _ := floats{float64(f)}.MarshalJSON()
	return b[1 : len(b)-1], nil
}

func (f *float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var v floats
	if err := v.UnmarshalJSON(append(append([]byte{'['}, b...), ']')); err != nil {
		return err
	}
	*f = float(v[0])
	return nil
}

// savedHistory is mfe.History with non-finite values kept (see floats).
type savedHistory struct {
	Epoch         []int                     `json:"epoch"`
	Loss          floats                    `json:"loss"`
	EvalEpoch     []int                     `json:"eval_epoch"`
	ControlMSE    floats                    `json:"control_mse"`
	ControlMSEStd floats                    `json:"control_mse_std"`
	Extra         map[mfe.HistoryKey]floats `json:"extra"`
}

func saveHistory(h mfe.History) savedHistory {
	s := savedHistory{Epoch: h.Epoch, Loss: h.Loss, EvalEpoch: h.EvalEpoch, ControlMSE: h.ControlMSE, ControlMSEStd: h.ControlMSEStd}
	if h.Extra != nil {
		s.Extra = make(map[mfe.HistoryKey]floats, len(h.Extra))
		for k, v := range h.Extra {
			s.Extra[k] = v
		}
	}
	return s
}

func (s savedHistory) history() mfe.History {
	h := mfe.History{Epoch: s.Epoch, Loss: s.Loss, EvalEpoch: s.EvalEpoch, ControlMSE: s.ControlMSE, ControlMSEStd: s.ControlMSEStd}
	if s.Extra != nil {
		h.Extra = make(map[mfe.HistoryKey][]float64, len(s.Extra))
		for k, v := range s.Extra {
			h.Extra[k] = v
		}
	}
	return h
}

// loadCheckpoint returns the state saved in dir, or nil when dir holds none,
// after verifying it against its manifest (rundir.OpenCheckpoint); a state
// saved under another key is refused with a *mfe.MismatchError. With adopt,
// a finished run's state.json without a manifest is returned, for
// verifyFinished to adopt. With reevaluate, only a finished run's state
// with a manifest is returned; anything else, no state included, is
// refused.
func loadCheckpoint(dir string, key runkey.Key, adopt, reevaluate bool) (*checkpointState, error) {
	if dir == "" {
		if reevaluate {
			return nil, errors.New("qlearn: re-evaluating a run needs its checkpoint directory")
		}
		return nil, nil
	}
	b, man, err := rundir.OpenCheckpoint(dir, adopt && !reevaluate)
	if err != nil {
		return nil, err
	}
	if b == nil {
		if reevaluate {
			return nil, fmt.Errorf("qlearn: checkpoint %s: no saved run to re-evaluate", dir)
		}
		return nil, nil
	}
	var st checkpointState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, &rundir.CheckpointError{Dir: dir, File: stateFile, Problem: "unreadable: " + err.Error()}
	}
	st.raw = b
	if err := runkey.Check(dir, st.Key, key); err != nil {
		return nil, err
	}
	if reevaluate && !st.Finished {
		return nil, fmt.Errorf("qlearn: checkpoint %s: an unfinished run (episode %d) has no final metrics to re-evaluate; train it to the end first", dir, st.Episode)
	}
	if man != nil {
		if err := runkey.Check(dir, man.Key, key); err != nil {
			return nil, err
		}
		st.check = man.Check
	} else {
		if !st.Finished {
			return nil, fmt.Errorf("qlearn: checkpoint %s: an interrupted run saved without a manifest has no metrics to verify it against; "+
				"train it from scratch (delete the checkpoint, or mfe train -fresh)", dir)
		}
		st.legacy = true
	}
	return &st, nil
}

// verifyFinished checks a finished run reloaded into res (res.Control the
// restored tables): their control on the standard grid must be the one
// saved in the manifest, within rundir.CheckTolerance (in plain Go it is
// the same bit for bit). Two cases compute the final metrics again
// (metrics, Train's: as at the end of training) and require
// the stored control_mse and control_rel (rundir.SameControlMetrics): a
// state loaded without a manifest is adopted, its manifest then written;
// with reevaluate set, the stored metrics are replaced by the recomputed
// ones, in st and the checkpoint (state.json and manifest rewritten, the
// control check kept), and reevaluate is called with the old and the new.
func verifyFinished(ctx context.Context, dir string, key runkey.Key, st *checkpointState, res *mfe.Result,
	metrics func(context.Context, mfe.Control) (mfe.Metrics, error), reevaluate func(old, new mfe.Metrics)) error {
	got := rundir.NewControlCheck(res.Params.T, res.Control, plainBackend)
	if !st.legacy {
		if st.check == nil {
			return &rundir.CheckpointError{Dir: dir, File: rundir.ManifestFile, Problem: "a finished run without a control check"}
		}
		if err := st.check.Compare(got, res.Params.T); err != nil {
			return &rundir.CheckpointError{Dir: dir, File: stateFile, Problem: err.Error()}
		}
		if reevaluate == nil {
			return nil
		}
	}
	what := "re-evaluating the run"
	if st.legacy {
		what = "adopting a checkpoint without a manifest"
	}
	m, err := metrics(ctx, res.Control)
	if err != nil {
		return fmt.Errorf("qlearn: checkpoint %s: %s: recomputing its metrics: %w", dir, what, err)
	}
	if err := rundir.SameControlMetrics(*st.Metrics, m); err != nil {
		return fmt.Errorf("qlearn: checkpoint %s: %s: its tables do not reproduce its stored metrics (%w); refusing it", dir, what, err)
	}
	k, err := json.Marshal(key)
	if err != nil {
		return err
	}
	if st.legacy {
		return rundir.CommitCheckpoint(dir, k, st.raw, nil, got)
	}
	old := *st.Metrics
	st.Metrics = &m
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("qlearn: checkpoint %s: encoding: %w", dir, err)
	}
	if err := rundir.CommitCheckpoint(dir, k, append(b, '\n'), nil, st.check); err != nil {
		return fmt.Errorf("qlearn: checkpoint %s: %w", dir, err)
	}
	reevaluate(old, m)
	return nil
}

// saveCheckpoint writes st, with the learner's current state, to dir
// atomically; a finished state's manifest gets the learned control's check.
func saveCheckpoint(dir string, key runkey.Key, l *tabular.Learner, st checkpointState) error {
	if dir == "" {
		return nil
	}
	var err error
	if st.Key, err = json.Marshal(key); err != nil {
		return err
	}
	ls, err := l.State()
	if err != nil {
		return fmt.Errorf("qlearn: checkpoint %s: %w", dir, err)
	}
	st.Learner, st.Episode = saveLearner(ls), l.Episode()
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("qlearn: checkpoint %s: encoding: %w", dir, err)
	}
	var check *rundir.ControlCheck
	if st.Finished {
		check = rundir.NewControlCheck(key.Params.T, newTables(l, key.Regime, key.Params, key.Model, key.Config.(Config), key.Seed), plainBackend)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("qlearn: checkpoint %s: %w", dir, err)
	}
	if err := rundir.CommitCheckpoint(dir, st.Key, append(b, '\n'), nil, check); err != nil {
		return fmt.Errorf("qlearn: checkpoint %s: %w", dir, err)
	}
	return nil
}
