package mfe

import (
	"fmt"
	"math"
	"slices"
)

// Model names: the LQ price-impact model of the package doc, and that model
// with the trading rate capped, |a| <= AMax.
const (
	ModelLQ     = "lq"
	ModelCapped = "capped"
)

// ModelSpec names the model a run solves and the model's own parameter
// beyond Params; package model builds the model from it (model.New). The
// zero value, and Name "lq", is the LQ model: results and checkpoint keys
// leave it out (the "model" field is omitted, IsZero), so that files saved
// before models existed read as LQ runs and an LQ run's key is the one it
// always was.
type ModelSpec struct {
	Name string `json:"name"`
	// AMax is the capped model's cap A on |a| (finite, > 0); 0 for the
	// LQ model.
	AMax float64 `json:"amax,omitempty"`
}

// IsLQ reports whether s is the LQ model ("" or "lq").
func (s ModelSpec) IsLQ() bool { return s.Name == "" || s.Name == ModelLQ }

// IsZero reports whether s is the LQ model, for the "omitzero" of the JSON
// records that hold it.
func (s ModelSpec) IsZero() bool { return s.IsLQ() && s.AMax == 0 }

// Label returns the model's name, "lq" for the zero value.
func (s ModelSpec) Label() string {
	if s.IsLQ() {
		return ModelLQ
	}
	return s.Name
}

// String describes the model: "lq", "capped (amax = 1)".
func (s ModelSpec) String() string {
	if s.Name == ModelCapped {
		return fmt.Sprintf("%s (amax = %g)", s.Name, s.AMax)
	}
	return s.Label()
}

// RunSuffix is what the name of a run directory of a model other than LQ
// adds to the method's, regime's and profile's (rundir.Name), as
// `mfe train` names its default directory and the notebooks their saved
// runs: "-capped-amax1"; "" for the LQ model.
func (s ModelSpec) RunSuffix() string {
	if s.IsLQ() {
		return ""
	}
	if s.Name == ModelCapped {
		return fmt.Sprintf("-%s-amax%g", s.Name, s.AMax)
	}
	return "-" + s.Name
}

// Validate reports a model this build does not know or a parameter that
// breaks its rule: the capped model's AMax finite and > 0, no AMax for the
// LQ model.
func (s ModelSpec) Validate() error {
	switch {
	case s.IsLQ():
		if s.AMax != 0 {
			return fmt.Errorf("model lq: amax = %v given: only the capped model has a cap", s.AMax)
		}
	case s.Name == ModelCapped:
		if !(s.AMax > 0) || math.IsInf(s.AMax, 0) {
			return fmt.Errorf("model capped: amax = %v: must be finite and > 0", s.AMax)
		}
	default:
		return fmt.Errorf("unknown model %q: want %s or %s", s.Name, ModelLQ, ModelCapped)
	}
	return nil
}

// ModelTaker is a Method that solves models besides the LQ one.
type ModelTaker interface {
	// TakesModel reports whether the method solves the named model.
	TakesModel(name string) bool
}

// TakesModel reports whether m solves the model s: every method solves the
// LQ model; another only a ModelTaker that says so.
func TakesModel(m Method, s ModelSpec) bool {
	if s.IsLQ() {
		return true
	}
	t, ok := m.(ModelTaker)
	return ok && t.TakesModel(s.Name)
}

// TakesModel implements ModelTaker: the LQ model and Spec.Models.
func (s Spec[C]) TakesModel(name string) bool {
	return ModelSpec{Name: name}.IsLQ() || slices.Contains(s.Models, name)
}
