package mfe_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

type setCfg struct {
	N      int     `json:"n"`
	LR     float64 `json:"lr"`
	Scheme string  `json:"scheme"`
	Sub    bool    `json:"subgrid"`
	Extra  string  `json:"extra,omitempty"`
	hidden int
}

func (setCfg) Validate() error { return nil }

func TestSetConfig(t *testing.T) {
	c := setCfg{N: 10, LR: 0.1, Scheme: "heun", Sub: true, hidden: 7}
	got, err := mfe.SetConfig(c, map[string]string{"scheme": "euler", "lr": "1e-3", "subgrid": "false"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (setCfg{N: 10, LR: 1e-3, Scheme: "euler", Sub: false, hidden: 7}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	var se *mfe.SettingError
	if _, err := mfe.SetConfig(c, map[string]string{"nope": "1"}); !errors.As(err, &se) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown setting: err = %v", err)
	}
	// A setting omitted from the JSON while empty can be set all the same.
	if got, err := mfe.SetConfig(c, map[string]string{"extra": "x"}); err != nil || got.(setCfg).Extra != "x" {
		t.Errorf("omitempty setting: %+v, %v", got, err)
	}
	if _, err := mfe.SetConfig(c, map[string]string{"n": "ten"}); err == nil {
		t.Error("a string for an int setting was accepted")
	}
}

func TestRegistry(t *testing.T) {
	name := "registry-test-method"
	trained := false
	mfe.Register(mfe.Spec[setCfg]{
		MethodName: name, MethodTitle: "Registry test", Rank: 1 << 20, Solves: []mfe.Regime{mfe.MFC},
		Profile: func(p mfe.Profile) (setCfg, error) { return setCfg{N: len(p)}, nil },
		TrainFunc: func(_ context.Context, run mfe.Run, c setCfg) (*mfe.Result, error) {
			trained = true
			return &mfe.Result{Method: name, Regime: run.Regime, Profile: run.Profile, Config: c}, nil
		},
	})
	m, err := mfe.LookupMethod(name)
	if err != nil {
		t.Fatal(err)
	}
	if names := mfe.MethodNames(); names[len(names)-1] != name {
		t.Errorf("MethodNames() = %v: the largest Order is not last", names)
	}
	if _, err := mfe.LookupMethod("no-such-method"); err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("unknown method: err = %v, want the registered names listed", err)
	}
	if _, err := m.Config("huge"); err == nil {
		t.Error("an unknown profile was accepted")
	}
	cfg, err := m.Config(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), mfe.Run{Regime: mfe.MFG}, cfg); err == nil || trained {
		t.Errorf("a regime the method does not solve: err = %v, trained = %v", err, trained)
	}
	if _, err := m.Train(context.Background(), mfe.Run{Regime: mfe.MFC}, otherCfg{}); err == nil || trained {
		t.Errorf("a configuration of another type: err = %v, trained = %v", err, trained)
	}
	res, err := m.Train(context.Background(), mfe.Run{Regime: mfe.MFC, Profile: mfe.Quick}, cfg)
	if err != nil || !trained || res.Config.(setCfg).N != len("quick") {
		t.Errorf("Train: %+v, %v (trained %v)", res, err, trained)
	}
	for _, bad := range []string{"", "Upper", "two--hyphens", name} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q) did not panic", bad)
				}
			}()
			mfe.Register(mfe.Spec[setCfg]{MethodName: bad, Solves: []mfe.Regime{mfe.MFG}})
		}()
	}
}

type otherCfg struct{}

func (otherCfg) Validate() error { return nil }

func TestParseProfile(t *testing.T) {
	for _, p := range mfe.Profiles {
		if got, err := mfe.ParseProfile(string(p)); got != p || err != nil {
			t.Errorf("ParseProfile(%q) = %q, %v", p, got, err)
		}
	}
	if _, err := mfe.ParseProfile("Quick"); err == nil {
		t.Error(`ParseProfile("Quick") accepted`)
	}
}
