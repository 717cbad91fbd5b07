package interactive

import (
	"math"
	"strconv"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// Spec is one slider of a model parameter: its name (the flag/JSON name of
// mfe.Params), a label, its range and step, and access to the field.
type Spec struct {
	Name           string // "T", "sigma", "gamma", "ca", "cx", "cg", "x0-mean", "x0-std"
	Label          string // shown beside the slider, e.g. "γ  price impact"
	Min, Max, Step float64

	Get func(p mfe.Params) float64
	Set func(p *mfe.Params, v float64)
}

// Specs are the sliders of the eight model parameters (mfe.Params). Their
// ranges include invalid values on purpose (T = 0, ca = 0): the panels then
// show the parameter error in place.
func Specs() []Spec {
	return []Spec{
		{"T", "T  horizon", 0, 3, 0.05,
			func(p mfe.Params) float64 { return p.T }, func(p *mfe.Params, v float64) { p.T = v }},
		{"sigma", "σ  volatility", 0, 1.5, 0.05,
			func(p mfe.Params) float64 { return p.Sigma }, func(p *mfe.Params, v float64) { p.Sigma = v }},
		{"gamma", "γ  price impact", 0, 4, 0.05,
			func(p mfe.Params) float64 { return p.Gamma }, func(p *mfe.Params, v float64) { p.Gamma = v }},
		{"ca", "cα  trading cost", 0, 3, 0.05,
			func(p mfe.Params) float64 { return p.Ca }, func(p *mfe.Params, v float64) { p.Ca = v }},
		{"cx", "cX  running inventory cost", 0, 5, 0.1,
			func(p mfe.Params) float64 { return p.CX }, func(p *mfe.Params, v float64) { p.CX = v }},
		{"cg", "cg  terminal inventory cost", 0, 3, 0.05,
			func(p mfe.Params) float64 { return p.Cg }, func(p *mfe.Params, v float64) { p.Cg = v }},
		{"x0-mean", "E[X₀]  initial inventory", -1, 2, 0.05,
			func(p mfe.Params) float64 { return p.X0Mean }, func(p *mfe.Params, v float64) { p.X0Mean = v }},
		{"x0-std", "sd(X₀)", 0, 1, 0.05,
			func(p mfe.Params) float64 { return p.X0Std }, func(p *mfe.Params, v float64) { p.X0Std = v }},
	}
}

// Clamp returns v limited to [s.Min, s.Max] (NaN gives s.Min).
func (s Spec) Clamp(v float64) float64 {
	if math.IsNaN(v) || v < s.Min {
		return s.Min
	}
	return math.Min(v, s.Max)
}

// Format writes a slider value with at most 4 significant digits and no
// floating-point noise (0.30000000000000004 is written 0.3).
func Format(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// Apply sets the parameter named name to v (clamped to its slider's range);
// it reports false for an unknown name.
func Apply(p *mfe.Params, specs []Spec, name string, v float64) bool {
	for _, s := range specs {
		if s.Name == name {
			s.Set(p, s.Clamp(v))
			return true
		}
	}
	return false
}
