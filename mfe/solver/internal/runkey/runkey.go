// Package runkey checks a training run and identifies it in its
// checkpoint, so that a checkpoint is resumed only by the run it was saved
// for. It does not import GoMLX: the network solvers (through nettrain) and
// the tabular Q-learning share it.
package runkey

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// Key is the identity of a training run: method, regime, parameters,
// model, configuration and seed. Where the run saves itself, and how often,
// is not part of it. The LQ model is left out of the key, which is then
// the one saved before models existed.
type Key struct {
	Method string        `json:"method"`
	Regime mfe.Regime    `json:"regime"`
	Params mfe.Params    `json:"params"`
	Model  mfe.ModelSpec `json:"model,omitzero"`
	Config any           `json:"config"`
	Seed   uint64        `json:"seed"`
}

// Of returns the key of run for method, which solves regimes, with
// configuration cfg, after checking that the run can be trained: valid
// parameters and model, one of the method's regimes, a valid configuration, a
// checkpoint interval >= 0, and, for a configuration that estimates its
// memory (mfe.MemoryEstimator), an estimate within the memory budget (else
// a *mfe.BudgetError).
func Of(method string, regimes []mfe.Regime, run mfe.Run, cfg mfe.Config) (Key, error) {
	if err := run.Params.Validate(); err != nil {
		return Key{}, err
	}
	if err := run.Model.Validate(); err != nil {
		return Key{}, err
	}
	if !slices.Contains(regimes, run.Regime) {
		return Key{}, fmt.Errorf("%s solves %s, not %q", method, mfe.RegimeList(regimes), run.Regime)
	}
	if err := cfg.Validate(); err != nil {
		return Key{}, err
	}
	if run.CheckpointEvery < 0 {
		return Key{}, fmt.Errorf("%s: checkpoint every %d epochs, want >= 0 (0: the method's default)", method, run.CheckpointEvery)
	}
	if me, ok := cfg.(mfe.MemoryEstimator); ok {
		if err := mfe.CheckMemory(method, me.Memory(run)); err != nil {
			return Key{}, err
		}
	}
	model := run.Model
	if model.IsLQ() {
		model = mfe.ModelSpec{}
	}
	var keyed any = cfg
	if d, ok := cfg.(Derived); ok {
		keyed = d.KeyConfig(run)
	}
	return Key{Method: method, Regime: run.Regime, Params: run.Params, Model: model, Config: keyed, Seed: run.Seed}, nil
}

// Derived is a configuration some of whose sizes derive from the run
// (e.g. time steps from the horizon and the model): KeyConfig returns what
// the key records for it in run, the configuration itself where nothing
// derived differs from it, so that a checkpoint saved before the sizes
// derived from the run is resumed only where they are the same.
type Derived interface {
	KeyConfig(run mfe.Run) any
}

// Every returns the run's checkpoint interval: run.CheckpointEvery, or def,
// the method's default, when it is 0.
func Every(run mfe.Run, def int) int {
	if run.CheckpointEvery == 0 {
		return def
	}
	return run.CheckpointEvery
}

// Check returns nil when saved, the JSON form of the key a checkpoint in dir
// was saved under, is the JSON form of want (whatever their spacing and
// field order), else a *mfe.MismatchError naming the fields that differ.
func Check(dir string, saved json.RawMessage, want any) error {
	w, err := json.Marshal(want)
	if err != nil {
		return err
	}
	if string(compact(saved)) == string(compact(w)) {
		return nil
	}
	return &mfe.MismatchError{Dir: dir, Differs: diff(saved, w)}
}

// compact re-encodes a JSON value in a canonical form (objects' keys sorted).
func compact(b []byte) []byte {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return b
	}
	out, _ := json.Marshal(v)
	return out
}

// diff lists the fields in which two encoded keys differ, one level into
// objects (params.gamma, config.episodes).
func diff(saved, want []byte) []string {
	var a, b map[string]any
	if json.Unmarshal(saved, &a) != nil || json.Unmarshal(want, &b) != nil {
		return []string{fmt.Sprintf("saved %s, requested %s", saved, want)}
	}
	var out []string
	differ := func(name string, x, y any) {
		if fmt.Sprint(x) != fmt.Sprint(y) {
			out = append(out, fmt.Sprintf("%s: saved %v, requested %v", name, show(x), show(y)))
		}
	}
	for _, k := range unionKeys(a, b) {
		ma, okA := a[k].(map[string]any)
		mb, okB := b[k].(map[string]any)
		if okA && okB {
			for _, s := range unionKeys(ma, mb) {
				differ(k+"."+s, ma[s], mb[s])
			}
			continue
		}
		differ(k, a[k], b[k])
	}
	if len(out) == 0 {
		out = []string{fmt.Sprintf("saved %s, requested %s", saved, want)}
	}
	return out
}

func show(v any) any {
	if v == nil {
		return "(none)"
	}
	return v
}

func unionKeys(a, b map[string]any) []string {
	var ks []string
	for k := range a {
		ks = append(ks, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}
