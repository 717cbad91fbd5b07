package runkey

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

type config struct {
	Epochs int    `json:"epochs"`
	Dir    string `json:"-"`
}

func TestCheck(t *testing.T) {
	key := Key{Method: "m", Regime: mfe.MFG, Params: mfe.Reference(), Config: config{Epochs: 10, Dir: "a"}, Seed: 1}
	saved, err := json.MarshalIndent(key, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	same := key
	same.Config = config{Epochs: 10, Dir: "b"} // json:"-" fields are not the run's identity
	if err := Check("d", saved, same); err != nil {
		t.Errorf("same run, other spacing and checkpoint dir: %v", err)
	}
	other := key
	other.Params.Gamma, other.Seed = 1, 2
	err = Check("d", saved, other)
	var mm *mfe.MismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("other run: err = %v, want a *mfe.MismatchError", err)
	}
	want := []string{"params.gamma: saved 1.75, requested 1", "seed: saved 1, requested 2"}
	if len(mm.Differs) != len(want) || mm.Differs[0] != want[0] || mm.Differs[1] != want[1] {
		t.Errorf("differences %q, want %q", mm.Differs, want)
	}
}

func (c config) Validate() error {
	if c.Epochs < 1 {
		return errors.New("epochs < 1")
	}
	return nil
}

// TestOf: a run is refused for invalid parameters, a regime the method does
// not solve, an invalid configuration or a negative checkpoint interval;
// else its key names it, and Every falls back to the method's interval.
func TestOf(t *testing.T) {
	good := mfe.Run{Params: mfe.Reference(), Regime: mfe.MFC, Seed: 4, Checkpoint: "d", CheckpointEvery: 3}
	regimes := []mfe.Regime{mfe.MFC}
	key, err := Of("m", regimes, good, config{Epochs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Key{Method: "m", Regime: mfe.MFC, Params: good.Params, Config: config{Epochs: 2}, Seed: 4}); key != want {
		t.Errorf("key %+v, want %+v", key, want)
	}
	badParams, mfg, negative := good, good, good
	badParams.Params.Ca = 0
	mfg.Regime = mfe.MFG
	negative.CheckpointEvery = -1
	for name, tc := range map[string]struct {
		run mfe.Run
		cfg config
	}{
		"params": {badParams, config{Epochs: 2}}, "regime": {mfg, config{Epochs: 2}},
		"config": {good, config{}}, "interval": {negative, config{Epochs: 2}},
	} {
		if _, err := Of("m", regimes, tc.run, tc.cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := Every(good, 50); n != 3 {
		t.Errorf("Every = %d, want the run's 3", n)
	}
	good.CheckpointEvery = 0
	if n := Every(good, 50); n != 50 {
		t.Errorf("Every = %d, want the method's 50", n)
	}
}

// TestModelKey: an LQ run's key ("" or "lq") is the one saved before
// models existed (no "model" field), so that its checkpoints still match; a
// capped run's key names the model and its cap, and a checkpoint of either
// is refused to the other, and to another cap; an invalid model is refused.
func TestModelKey(t *testing.T) {
	run := mfe.Run{Params: mfe.Reference(), Regime: mfe.MFC, Seed: 4}
	old := Key{Method: "m", Regime: mfe.MFC, Params: run.Params, Config: config{Epochs: 2}, Seed: 4}
	saved, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]Key{}
	for name, s := range map[string]mfe.ModelSpec{"zero": {}, "lq": {Name: mfe.ModelLQ}, "capped1": {Name: mfe.ModelCapped, AMax: 1}, "capped2": {Name: mfe.ModelCapped, AMax: 2}} {
		r := run
		r.Model = s
		k, err := Of("m", []mfe.Regime{mfe.MFC}, r, config{Epochs: 2})
		if err != nil {
			t.Fatal(err)
		}
		keys[name] = k
	}
	for _, name := range []string{"zero", "lq"} {
		if err := Check("d", saved, keys[name]); err != nil {
			t.Errorf("%s model against a key saved before models: %v", name, err)
		}
	}
	c1, _ := json.Marshal(keys["capped1"])
	var mm *mfe.MismatchError
	for _, name := range []string{"lq", "capped2"} {
		if err := Check("d", c1, keys[name]); !errors.As(err, &mm) {
			t.Errorf("%s run on a capped checkpoint: %v", name, err)
		}
	}
	if err := Check("d", saved, keys["capped1"]); !errors.As(err, &mm) {
		t.Errorf("capped run on an LQ checkpoint: %v", err)
	}
	r := run
	r.Model = mfe.ModelSpec{Name: mfe.ModelCapped, AMax: -1}
	if _, err := Of("m", []mfe.Regime{mfe.MFC}, r, config{Epochs: 2}); err == nil {
		t.Error("a capped run with amax = -1 was accepted")
	}
}

// stepped derives its time steps from the horizon: Steps up to T = 1,
// Steps T beyond.
type stepped struct {
	Steps int `json:"steps"`
}

func (c stepped) Validate() error { return nil }

func (c stepped) KeyConfig(run mfe.Run) any {
	if run.Params.T <= 1 {
		return c
	}
	return struct {
		stepped
		Rollout int `json:"rollout_steps"`
	}{c, int(float64(c.Steps) * run.Params.T)}
}

// TestDerived: a checkpoint saved before a configuration's sizes derived
// from the parameters is resumed where they are the same (T = 1) and
// refused, naming the derived size, where they are not (T = 2).
func TestDerived(t *testing.T) {
	for _, tc := range []struct {
		T      float64
		differ string
	}{{1, ""}, {2, "config.rollout_steps: saved (none), requested 50"}} {
		run := mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 1}
		run.Params.T = tc.T
		old := Key{Method: "m", Regime: mfe.MFG, Params: run.Params, Config: stepped{Steps: 25}, Seed: 1}
		saved, err := json.Marshal(old)
		if err != nil {
			t.Fatal(err)
		}
		key, err := Of("m", []mfe.Regime{mfe.MFG}, run, stepped{Steps: 25})
		if err != nil {
			t.Fatal(err)
		}
		err = Check("d", saved, key)
		var mm *mfe.MismatchError
		switch {
		case tc.differ == "" && err != nil:
			t.Errorf("T = %g: %v, want the checkpoint resumed", tc.T, err)
		case tc.differ != "" && (!errors.As(err, &mm) || len(mm.Differs) != 1 || mm.Differs[0] != tc.differ):
			t.Errorf("T = %g: err = %v, want a *mfe.MismatchError with %q", tc.T, err, tc.differ)
		}
	}
}
