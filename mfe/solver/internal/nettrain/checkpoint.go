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
// variables (networks, optimizer moments, random-number state) and the
// run's state (epochs done, history, and the final result once finished).
//
// Every write is atomic: the variables go to a fresh sub-directory renamed
// into place, then state.json is replaced by a rename; state.json names the
// sub-directory it belongs to, so an interruption at any point leaves the
// last consistent pair. A run resumed from a checkpoint continues with the
// same random numbers and learning rates, and so ends where an
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
}

// Load restores the variables into store and returns the saved state, or
// (nil, nil) when the directory holds no checkpoint.
func (c *Checkpoint) Load(store *model.Store) (*State, error) {
	if c == nil || c.Dir == "" {
		return nil, nil
	}
	b, err := os.ReadFile(filepath.Join(c.Dir, "state.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", c.Dir, err)
	}
	if err := runkey.Check(c.Dir, st.Key, c.Key); err != nil {
		return nil, err
	}
	// Lazy loading: each variable takes its saved value when the solver's
	// graph creates it, so it keeps the flags its creator gives it. (An
	// immediate load would create every variable as trainable, and the
	// optimizer would then "train" its own moments and the RNG state.)
	if _, err := checkpoint.Build(store).Dir(filepath.Join(c.Dir, st.Variables)).Done(); err != nil {
		return nil, fmt.Errorf("checkpoint %s: loading variables: %w", c.Dir, err)
	}
	return &st, nil
}

// Save writes the store's variables and st atomically.
func (c *Checkpoint) Save(store *model.Store, st State) error {
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
	name := fmt.Sprintf("vars-%06d", st.Epoch)
	if err == nil {
		os.RemoveAll(filepath.Join(c.Dir, name))
		err = os.Rename(tmp, filepath.Join(c.Dir, name))
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("checkpoint %s: saving variables: %w", c.Dir, err)
	}
	st.Variables = name
	if err := rundir.WriteJSON(filepath.Join(c.Dir, "state.json"), st); err != nil {
		return err
	}
	// Drop the variables no state refers to any more.
	entries, _ := os.ReadDir(c.Dir)
	var old []string
	for _, e := range entries {
		if n := e.Name(); e.IsDir() && (strings.HasPrefix(n, "vars-") || strings.HasPrefix(n, ".vars-tmp")) && n != name {
			old = append(old, n)
		}
	}
	sort.Strings(old)
	for _, n := range old {
		os.RemoveAll(filepath.Join(c.Dir, n))
	}
	return nil
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
	if runErr == nil {
		m := res.Metrics
		s.Metrics = &m
	}
	return c.Save(store, s)
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
