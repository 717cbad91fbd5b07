package nettrain

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/runkey"
)

// Checkpoint saves and restores a training run in a directory: the GoMLX
// variables (networks, optimizer moments, random-number state) in a
// sub-directory rundir.VarsPrefix+"NNNNNN" (NNNNNN the epoch), and the
// run's state (epochs done, history, and the final result once finished)
// in state.json, which names that sub-directory; a manifest lists both
// with their sizes and checksums (rundir.CommitCheckpoint).
//
// Every save is atomic: the variables go to a fresh sub-directory renamed
// into place, then the manifest is replaced, and only then are the
// previous variables removed, so an interruption at any point leaves the
// last saved checkpoint whole. Loading verifies every file against the
// manifest and refuses, naming the file, a checkpoint with a file missing,
// truncated, altered or leading out of its directory; a finished run is
// reloaded only if its weights give the control its metrics were computed
// from (rundir.ControlCheck). A run resumed from a checkpoint continues
// with the same random numbers and learning rates, and so ends where an
// uninterrupted run with the same seed would (on the same backend).
type Checkpoint struct {
	Dir   string
	Every int // epochs between saves (0: only at the end and on interruption)
	// Key identifies the run (method, regime, parameters, configuration,
	// seed): a checkpoint saved under another key is refused.
	Key any
	// Extra, if set, returns the solver's state kept outside the store (a
	// sampler's random-number generator, tracked statistics) as it is when a
	// checkpoint is saved; Save stores it as State.ExtraState (unless the
	// state given already has one), and the solver restores it from the
	// State that Load returns.
	Extra func() (json.RawMessage, error)
	// AdoptLegacy lets Load read a checkpoint without a manifest, of a
	// finished run, for AdoptFinished to verify (mfe.Run.AdoptLegacy).
	AdoptLegacy bool
	// Reevaluate, if set, makes Load accept only a finished run with a
	// manifest and VerifyFinished replace its stored metrics by recomputed
	// ones (mfe.Run.Reevaluate); AdoptLegacy does not apply then.
	Reevaluate func(old, new mfe.Metrics)
}

// State is what state.json holds.
type State struct {
	Key        json.RawMessage `json:"key"`
	Epoch      int             `json:"epoch"`
	Variables  string          `json:"variables"` // sub-directory of the GoMLX checkpoint
	History    mfe.History     `json:"history"`
	Stats      Stats           `json:"stats"`
	Finished   bool            `json:"finished"`
	Metrics    *mfe.Metrics    `json:"metrics,omitempty"`
	WallTime   float64         `json:"wall_time_s,omitempty"`
	ExtraState json.RawMessage `json:"extra_state,omitempty"` // solver-specific

	check  *rundir.ControlCheck // the manifest's, for a finished run
	legacy []string             // loaded without a manifest: the variables' files
	raw    []byte               // state.json as read
}

// Load restores the variables into store and returns the saved state, or
// (nil, nil) when the directory holds no checkpoint. A checkpoint that
// does not verify (rundir.OpenCheckpoint), names variables outside its
// directory or unlisted files in them, or was saved for another run (a
// *mfe.MismatchError) is refused; so is one without a manifest, unless
// AdoptLegacy is set and it is a finished run. With Reevaluate, anything
// but a finished run's verified checkpoint is refused, a missing one too.
func (c *Checkpoint) Load(store *model.Store) (*State, error) {
	if c == nil || c.Dir == "" {
		if c != nil && c.Reevaluate != nil {
			return nil, errors.New("re-evaluating a run needs its checkpoint directory")
		}
		return nil, nil
	}
	b, man, err := rundir.OpenCheckpoint(c.Dir, c.AdoptLegacy && c.Reevaluate == nil)
	if err != nil {
		return nil, err
	}
	if b == nil {
		if c.Reevaluate != nil {
			return nil, fmt.Errorf("checkpoint %s: no saved run to re-evaluate", c.Dir)
		}
		return nil, nil
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, &rundir.CheckpointError{Dir: c.Dir, File: rundir.StateFile, Problem: "unreadable: " + err.Error()}
	}
	st.raw = b
	if err := runkey.Check(c.Dir, st.Key, c.Key); err != nil {
		return nil, err
	}
	vars, err := rundir.LocalPath(c.Dir, st.Variables)
	if err != nil {
		return nil, &rundir.CheckpointError{Dir: c.Dir, File: rundir.StateFile, Problem: "its variables: " + err.Error()}
	}
	if st.Finished && st.Metrics == nil {
		return nil, &rundir.CheckpointError{Dir: c.Dir, File: rundir.StateFile, Problem: "a finished run without metrics"}
	}
	if c.Reevaluate != nil && !st.Finished {
		return nil, fmt.Errorf("checkpoint %s: an unfinished run (epoch %d) has no final metrics to re-evaluate; train it to the end first", c.Dir, st.Epoch)
	}
	if man != nil {
		if err := runkey.Check(c.Dir, man.Key, c.Key); err != nil {
			return nil, err
		}
		if err := man.VerifyDir(c.Dir, st.Variables); err != nil {
			return nil, err
		}
		st.check = man.Check
	} else {
		if !st.Finished {
			return nil, fmt.Errorf("checkpoint %s: an interrupted run saved without a manifest has no metrics to verify its weights against; "+
				"train it from scratch (delete the checkpoint, or mfe train -fresh)", c.Dir)
		}
		if st.legacy, err = rundir.ListFiles(c.Dir, st.Variables); err != nil || len(st.legacy) == 0 {
			return nil, &rundir.CheckpointError{Dir: c.Dir, File: st.Variables, Problem: fmt.Sprintf("no variables (%v)", err)}
		}
	}
	// Lazy loading: each variable takes its saved value when the solver's
	// graph creates it, so it keeps the flags its creator gives it. (An
	// immediate load would create every variable as trainable, and the
	// optimizer would then "train" its own moments and the RNG state.)
	if _, err := checkpoint.Build(store).Dir(vars).Done(); err != nil {
		return nil, fmt.Errorf("checkpoint %s: loading variables: %w", c.Dir, err)
	}
	return &st, nil
}

// VerifyFinished checks a finished run reloaded into res (its control made
// from the loaded weights): the control on the standard grid must be the
// one saved in the manifest, within rundir.CheckTolerance. Two cases
// compute the final metrics again, with recompute, from the loaded weights
// on a copy of res, and require the stored control_mse and control_rel
// (rundir.SameControlMetrics):
//   - a run loaded without a manifest (AdoptLegacy) is adopted: its
//     manifest is then written, with the control check, and the run
//     reloads like any other from then on;
//   - a run re-evaluated (Reevaluate) has its stored metrics replaced by
//     the recomputed ones, in st, res and the checkpoint (its state.json
//     and manifest rewritten, the control check kept), and Reevaluate is
//     called with the old and the new metrics.
func (c *Checkpoint) VerifyFinished(st *State, res *mfe.Result, recompute func(*mfe.Result) error) error {
	got := rundir.NewControlCheck(res.Params.T, res.Control, res.Backend)
	if st.legacy == nil {
		if st.check == nil {
			return &rundir.CheckpointError{Dir: c.Dir, File: rundir.ManifestFile, Problem: "a finished run without a control check"}
		}
		if err := st.check.Compare(got, res.Params.T); err != nil {
			return &rundir.CheckpointError{Dir: c.Dir, File: st.Variables, Problem: err.Error()}
		}
		if c.Reevaluate == nil {
			return nil
		}
	}
	what := "re-evaluating the run"
	if st.legacy != nil {
		what = "adopting a checkpoint without a manifest"
	}
	again := *res
	again.History, again.Metrics = mfe.History{}, mfe.Metrics{}
	if err := recompute(&again); err != nil {
		return fmt.Errorf("checkpoint %s: %s: recomputing its metrics: %w", c.Dir, what, err)
	}
	if err := rundir.SameControlMetrics(*st.Metrics, again.Metrics); err != nil {
		return fmt.Errorf("checkpoint %s: %s: its weights do not reproduce its stored metrics (%w); refusing it", c.Dir, what, err)
	}
	key, err := json.Marshal(c.Key)
	if err != nil {
		return err
	}
	if st.legacy != nil {
		return rundir.CommitCheckpoint(c.Dir, key, st.raw, st.legacy, got)
	}
	files, err := rundir.ListFiles(c.Dir, st.Variables)
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", c.Dir, err)
	}
	old := *st.Metrics
	st.Metrics = &again.Metrics
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("checkpoint %s: encoding the state: %w", c.Dir, err)
	}
	if err := rundir.CommitCheckpoint(c.Dir, key, append(b, '\n'), files, st.check); err != nil {
		return err
	}
	res.Metrics = again.Metrics
	c.Reevaluate(old, again.Metrics)
	return nil
}

// Save writes the store's variables and st atomically.
func (c *Checkpoint) Save(store *model.Store, st State) error {
	return c.save(store, st, nil)
}

// save writes the store's variables and st, with check in the manifest
// for a finished run.
func (c *Checkpoint) save(store *model.Store, st State, check *rundir.ControlCheck) error {
	if c == nil || c.Dir == "" {
		return nil
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return err
	}
	key, err := json.Marshal(c.Key)
	if err != nil {
		return err
	}
	st.Key = key
	if c.Extra != nil && st.ExtraState == nil {
		if st.ExtraState, err = c.Extra(); err != nil {
			return fmt.Errorf("checkpoint %s: saving the solver's state: %w", c.Dir, err)
		}
	}
	tmp, err := os.MkdirTemp(c.Dir, ".vars-tmp")
	if err != nil {
		return err
	}
	h, err := checkpoint.Build(store).Dir(tmp).Keep(1).Done()
	if err == nil {
		err = h.Save()
	}
	// A new name: the variables of the checkpoint in place stay until the
	// new manifest is written.
	name := fmt.Sprintf("%s%06d", rundir.VarsPrefix, st.Epoch)
	for k := 1; exists(filepath.Join(c.Dir, name)); k++ {
		name = fmt.Sprintf("%s%06d-%d", rundir.VarsPrefix, st.Epoch, k)
	}
	if err == nil {
		err = readable(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(c.Dir, name))
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("checkpoint %s: saving variables: %w", c.Dir, err)
	}
	files, err := rundir.ListFiles(c.Dir, name)
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", c.Dir, err)
	}
	st.Variables = name
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("checkpoint %s: encoding the state: %w", c.Dir, err)
	}
	if err := rundir.CommitCheckpoint(c.Dir, key, append(b, '\n'), files, check); err != nil {
		return err
	}
	// Drop the variables no state refers to any more.
	entries, _ := os.ReadDir(c.Dir)
	var old []string
	for _, e := range entries {
		if n := e.Name(); e.IsDir() && (strings.HasPrefix(n, rundir.VarsPrefix) || strings.HasPrefix(n, ".vars-tmp")) && n != name {
			old = append(old, n)
		}
	}
	sort.Strings(old)
	for _, n := range old {
		os.RemoveAll(filepath.Join(c.Dir, n))
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// readable gives the variables' directory (made 0700 by os.MkdirTemp) and
// its files the modes of the project's other output.
func readable(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Chmod(filepath.Join(dir, e.Name()), rundir.FileMode); err != nil {
			return err
		}
	}
	return os.Chmod(dir, 0o755)
}

// RunKey is the identity of a training run in a checkpoint.
type RunKey = runkey.Key

// SaveRun saves the end of a run: finished (with its metrics) when runErr is
// nil, else the state reached, to be resumed. A run that diverged is not
// saved over its last good checkpoint.
func (c *Checkpoint) SaveRun(store *model.Store, st Stats, res *mfe.Result, runErr error) error {
	if c == nil || c.Dir == "" || st.Epochs == 0 {
		return nil
	}
	var d *mfe.DivergenceError
	if errors.As(runErr, &d) {
		return nil
	}
	s := State{Epoch: st.Epochs, History: res.History, Stats: st, Finished: runErr == nil, WallTime: res.WallTime}
	var check *rundir.ControlCheck
	if runErr == nil {
		m := res.Metrics
		s.Metrics = &m
		if res.Control != nil {
			check = rundir.NewControlCheck(res.Params.T, res.Control, res.Backend)
		}
	}
	return c.save(store, s, check)
}

// Apply copies a finished state into a result.
func (s *State) Apply(res *mfe.Result) {
	res.History = s.History
	if s.Metrics != nil {
		res.Metrics = *s.Metrics
	}
	res.EpochTime = s.Stats.EpochTime
	res.WallTime = s.WallTime
}
