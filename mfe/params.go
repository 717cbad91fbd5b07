package mfe

import (
	"fmt"
	"math"
)

// Params are the eight parameters of the model in the package doc. The JSON
// names are the command-line flag names of `mfe analytic`.
type Params struct {
	T      float64 `json:"T"`       // horizon, > 0
	Sigma  float64 `json:"sigma"`   // volatility, >= 0
	Gamma  float64 `json:"gamma"`   // permanent price impact, >= 0
	Ca     float64 `json:"ca"`      // trading cost, > 0
	CX     float64 `json:"cx"`      // running inventory penalty, >= 0
	Cg     float64 `json:"cg"`      // terminal inventory penalty, >= 0
	X0Mean float64 `json:"x0-mean"` // mean of X_0
	X0Std  float64 `json:"x0-std"`  // standard deviation of X_0, >= 0 (0: point mass)
}

// Reference returns the reference parameters of the memoir's Table 2.1:
// T = 1, sigma = 0.5, gamma = 1.75, ca = 1, cX = 2, cg = 0.3, X_0 ~ N(0.5, 0.3^2).
func Reference() Params {
	return Params{T: 1, Sigma: 0.5, Gamma: 1.75, Ca: 1, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0.3}
}

// ParamError reports a parameter that breaks its rule.
type ParamError struct {
	Name  string  // the parameter's flag/JSON name, e.g. "ca"
	Value float64 // the offending value
	Rule  string  // the rule broken, e.g. "must be > 0"
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("invalid parameter %s = %v: %s", e.Name, e.Value, e.Rule)
}

// MaxParam and MinCa bound the parameters to where the exact solutions are
// representable in float64: the cost and the control scale like products of
// up to four parameters and powers of 1/ca, which overflow beyond these
// bounds (found by fuzzing package exact). Forty orders of magnitude cover
// every meaningful model.
const (
	MaxParam = 1e20  // largest magnitude of any parameter
	MinCa    = 1e-20 // smallest trading cost ca
)

// Validate reports the first parameter that is not finite or breaks its rule:
// T > 0, ca > 0; sigma, gamma, cX, cg, x0-std >= 0; x0-mean finite; every
// magnitude at most MaxParam and ca at least MinCa.
func (p Params) Validate() error {
	checks := []struct {
		name     string
		v        float64
		positive bool // > 0 rather than >= 0
		signed   bool // any finite value
	}{
		{"T", p.T, true, false},
		{"sigma", p.Sigma, false, false},
		{"gamma", p.Gamma, false, false},
		{"ca", p.Ca, true, false},
		{"cx", p.CX, false, false},
		{"cg", p.Cg, false, false},
		{"x0-mean", p.X0Mean, false, true},
		{"x0-std", p.X0Std, false, false},
	}
	for _, c := range checks {
		switch {
		case math.IsNaN(c.v) || math.IsInf(c.v, 0):
			return &ParamError{c.name, c.v, "must be finite"}
		case math.Abs(c.v) > MaxParam:
			return &ParamError{c.name, c.v, "must be at most 1e20 in magnitude (the exact solution overflows beyond)"}
		case c.signed:
		case c.positive && c.v <= 0:
			return &ParamError{c.name, c.v, "must be > 0"}
		case c.v < 0:
			return &ParamError{c.name, c.v, "must be >= 0"}
		case c.name == "ca" && c.v < MinCa:
			return &ParamError{c.name, c.v, "must be >= 1e-20 (the exact solution overflows below)"}
		}
	}
	return nil
}

// Equal reports whether two parameter sets are identical.
func (p Params) Equal(q Params) bool { return p == q }
