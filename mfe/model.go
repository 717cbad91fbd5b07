package mfe

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sync"
)

// Model names: the LQ price-impact model of the package doc, and that model
// with the trading rate capped, |a| <= AMax. A user's model has a name of
// its own (RegisterModelName).
const (
	ModelLQ     = "lq"
	ModelCapped = "capped"
)

var (
	userModelsMu sync.Mutex
	userModels   = map[string]bool{}
	modelName    = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

// RegisterModelName makes name the name of a user's model, one that
// ModelSpec.Validate accepts and the methods that take any model solve
// (Spec.UserModels). Package model's Register calls it with the model's
// constructor; a program registers its models through that. The name is
// lower-case letters, digits and dashes, other than lq and capped;
// registering it again is allowed (a notebook cell run twice).
func RegisterModelName(name string) error {
	if !modelName.MatchString(name) || name == ModelLQ || name == ModelCapped {
		return fmt.Errorf("model name %q: want lower-case letters, digits and dashes, other than %s and %s", name, ModelLQ, ModelCapped)
	}
	userModelsMu.Lock()
	defer userModelsMu.Unlock()
	userModels[name] = true
	return nil
}

// IsUserModel reports whether name is a user's model (RegisterModelName).
func IsUserModel(name string) bool {
	userModelsMu.Lock()
	defer userModelsMu.Unlock()
	return userModels[name]
}

// ModelSpec names the model a run solves and the model's own parameter
// beyond Params; package model builds the model from it (model.New). The
// zero value, and Name "lq", is the LQ model: results and checkpoint keys
// leave it out (the "model" field is omitted, IsZero), so that files saved
// before models existed read as LQ runs and an LQ run's key is the one it
// always was.
type ModelSpec struct {
	Name string `json:"name"`
	// AMax is the capped model's cap A on |a| (finite, > 0); 0 for the
	// other models.
	AMax float64 `json:"amax,omitempty"`
	// Coeffs is a user's model's own coefficients as its Spec writes them
	// (e.g. "kappa=1 cbuy=1 csell=2"), so that a run's key tells a model
	// with other coefficients apart; empty for the LQ and capped models.
	Coeffs string `json:"coeffs,omitempty"`
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

// String describes the model: "lq", "capped (amax = 1)", "quartic
// (kappa=1 cbuy=1 csell=2)".
func (s ModelSpec) String() string {
	switch {
	case s.Name == ModelCapped:
		return fmt.Sprintf("%s (amax = %g)", s.Name, s.AMax)
	case s.Coeffs != "":
		return fmt.Sprintf("%s (%s)", s.Name, s.Coeffs)
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

// Validate reports a model this build does not know (neither LQ, capped
// nor a user's model registered in this process) or a parameter that
// breaks its rule: the capped model's AMax finite and > 0, no AMax for the
// others, no Coeffs but for a user's model.
func (s ModelSpec) Validate() error {
	switch {
	case s.IsLQ() || s.Name == ModelCapped:
		if s.Coeffs != "" {
			return fmt.Errorf("model %s: coefficients %q given: only a user's model has its own", s.Label(), s.Coeffs)
		}
	case IsUserModel(s.Name):
		if s.AMax != 0 {
			return fmt.Errorf("model %s: amax = %v given: only the capped model has a cap", s.Name, s.AMax)
		}
		return nil
	default:
		return fmt.Errorf("unknown model %q: want %s, %s or a model registered by the program", s.Name, ModelLQ, ModelCapped)
	}
	switch {
	case s.IsLQ():
		if s.AMax != 0 {
			return fmt.Errorf("model lq: amax = %v given: only the capped model has a cap", s.AMax)
		}
	case !(s.AMax > 0) || math.IsInf(s.AMax, 0):
		return fmt.Errorf("model capped: amax = %v: must be finite and > 0", s.AMax)
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

// TakesModel implements ModelTaker: the LQ model, Spec.Models, and a
// user's model when Spec.UserModels.
func (s Spec[C]) TakesModel(name string) bool {
	return ModelSpec{Name: name}.IsLQ() || slices.Contains(s.Models, name) || s.UserModels && IsUserModel(name)
}
