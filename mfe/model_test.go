package mfe

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestModelSpecJSON: a result of the LQ model ("" or "lq") is written
// without a "model" field, so that one read from a file saved before models
// existed is an LQ result; a capped one records its name and cap and reads
// back the same.
func TestModelSpecJSON(t *testing.T) {
	for _, s := range []ModelSpec{{}, {Name: ModelLQ}} {
		b, err := json.Marshal(Result{Model: s})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `"model"`) {
			t.Errorf("%+v: %s, want no model field", s, b)
		}
	}
	var old Result
	if err := json.Unmarshal([]byte(`{"method": "fbsde", "regime": "mfc", "metrics": {"control_rel": 0.01}}`), &old); err != nil {
		t.Fatal(err)
	}
	if !old.Model.IsLQ() || old.Model.Label() != ModelLQ || old.Metrics.Reference != "" {
		t.Errorf("a result without a model field: model %+v, reference %q", old.Model, old.Metrics.Reference)
	}
	capped := Result{Model: ModelSpec{Name: ModelCapped, AMax: 1.5}, Metrics: Metrics{Reference: "finite-difference (default profile)"}}
	b, err := json.Marshal(capped)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"model":{"name":"capped","amax":1.5}`) || !strings.Contains(string(b), `"reference":"finite-difference (default profile)"`) {
		t.Errorf("capped result: %s", b)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil || back.Model != capped.Model || back.Metrics.Reference != capped.Metrics.Reference {
		t.Errorf("capped result read back: %+v, %v", back.Model, err)
	}
	if s := capped.Model.String(); s != "capped (amax = 1.5)" {
		t.Errorf("String() = %q", s)
	}
}

// TestModelSpecValidate: the LQ model takes no cap; the capped one a finite
// positive cap; other names are unknown.
func TestModelSpecValidate(t *testing.T) {
	for _, s := range []ModelSpec{{}, {Name: ModelLQ}, {Name: ModelCapped, AMax: 1e-3}, {Name: ModelCapped, AMax: 1e6}} {
		if err := s.Validate(); err != nil {
			t.Errorf("%+v: %v", s, err)
		}
	}
	for _, s := range []ModelSpec{{AMax: 1}, {Name: ModelCapped}, {Name: ModelCapped, AMax: -2}, {Name: ModelCapped, AMax: math.NaN()},
		{Name: ModelCapped, AMax: math.Inf(1)}, {Name: "quartic"}} {
		if err := s.Validate(); err == nil {
			t.Errorf("%+v: valid", s)
		}
	}
}

// TestTakesModel: every method takes the LQ model; only one that lists a
// model in Spec.Models takes it, and Train refuses a run of a model its
// method does not take before calling the solver.
func TestTakesModel(t *testing.T) {
	called := false
	train := func(context.Context, Run, testConfig) (*Result, error) { called = true; return &Result{}, nil }
	plain := Spec[testConfig]{MethodName: "plain", Solves: []Regime{MFG}, TrainFunc: train}
	taker := Spec[testConfig]{MethodName: "taker", Solves: []Regime{MFG}, TrainFunc: train, Models: []string{ModelCapped}}
	capped := ModelSpec{Name: ModelCapped, AMax: 1}
	if !TakesModel(plain, ModelSpec{}) || TakesModel(plain, capped) || !TakesModel(taker, capped) || TakesModel(taker, ModelSpec{Name: "quartic"}) {
		t.Error("TakesModel")
	}
	if _, err := plain.Train(context.Background(), Run{Regime: MFG, Model: capped}, testConfig{}); err == nil || called ||
		!strings.Contains(err.Error(), "does not take the capped model") {
		t.Errorf("plain method on the capped model: %v, solver called %v", err, called)
	}
	if _, err := taker.Train(context.Background(), Run{Regime: MFG, Model: ModelSpec{Name: ModelCapped}}, testConfig{}); err == nil || called {
		t.Errorf("capped model without a cap: %v, solver called %v", err, called)
	}
	if _, err := taker.Train(context.Background(), Run{Regime: MFG, Model: capped}, testConfig{}); err != nil || !called {
		t.Errorf("taker on the capped model: %v, solver called %v", err, called)
	}
}

// TestUserModel: a user's model is valid once its name is registered, with
// coefficients and no cap; lq, capped and odd names cannot be registered;
// a method takes it only with Spec.UserModels.
func TestUserModel(t *testing.T) {
	s := ModelSpec{Name: "test-user-model", Coeffs: "k=1"}
	if err := s.Validate(); err == nil {
		t.Errorf("%+v valid before its name is registered", s)
	}
	for _, bad := range []string{"", ModelLQ, ModelCapped, "Quartic", "a b", "-x"} {
		if err := RegisterModelName(bad); err == nil {
			t.Errorf("RegisterModelName(%q) accepted", bad)
		}
	}
	if err := RegisterModelName(s.Name); err != nil {
		t.Fatal(err)
	}
	if err := RegisterModelName(s.Name); err != nil {
		t.Errorf("registering again: %v", err)
	}
	if err := s.Validate(); err != nil || !IsUserModel(s.Name) {
		t.Errorf("%+v: %v", s, err)
	}
	for _, bad := range []ModelSpec{{Name: s.Name, AMax: 1}, {Name: ModelCapped, AMax: 1, Coeffs: "k=1"}, {Coeffs: "k=1"}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v valid", bad)
		}
	}
	if got := s.String(); got != "test-user-model (k=1)" || s.RunSuffix() != "-test-user-model" {
		t.Errorf("String %q, RunSuffix %q", got, s.RunSuffix())
	}
	train := func(context.Context, Run, testConfig) (*Result, error) { return &Result{}, nil }
	capped := Spec[testConfig]{MethodName: "capped-only", Solves: []Regime{MFG}, TrainFunc: train, Models: []string{ModelCapped}}
	any := capped
	any.UserModels = true
	if TakesModel(capped, s) || !TakesModel(any, s) || TakesModel(any, ModelSpec{Name: "never-registered"}) {
		t.Error("TakesModel of a user's model")
	}
}

type testConfig struct{}

func (testConfig) Validate() error { return nil }

func TestModelSpecRunSuffix(t *testing.T) {
	for _, c := range []struct {
		s    ModelSpec
		want string
	}{
		{ModelSpec{}, ""},
		{ModelSpec{Name: ModelLQ}, ""},
		{ModelSpec{Name: ModelCapped, AMax: 1}, "-capped-amax1"},
		{ModelSpec{Name: ModelCapped, AMax: 0.5}, "-capped-amax0.5"},
		{ModelSpec{Name: "quartic"}, "-quartic"},
	} {
		if got := c.s.RunSuffix(); got != c.want {
			t.Errorf("%v.RunSuffix() = %q, want %q", c.s, got, c.want)
		}
	}
}

// TestModelTarget: the target on a model without a closed form is the
// method's ModelTargetRel, its LQ target when it gives none, and the LQ
// target for the LQ model.
func TestModelTarget(t *testing.T) {
	capped := ModelSpec{Name: ModelCapped, AMax: 1}
	both := Spec[testConfig]{MethodName: "both", TargetRel: 1e-3, ModelTargetRel: 1e-2}
	lqOnly := Spec[testConfig]{MethodName: "lq-only", TargetRel: 0.1}
	none := Spec[testConfig]{MethodName: "none"}
	for _, c := range []struct {
		m    Method
		s    ModelSpec
		want float64
		ok   bool
	}{{both, capped, 1e-2, true}, {both, ModelSpec{}, 1e-3, true}, {lqOnly, capped, 0.1, true}, {none, capped, 0, false}} {
		if got, ok := ModelTarget(c.m, c.s); got != c.want || ok != c.ok {
			t.Errorf("ModelTarget(%s, %s) = %v, %v; want %v, %v", c.m.Name(), c.s, got, ok, c.want, c.ok)
		}
	}
}
