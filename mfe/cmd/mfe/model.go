package main

import (
	"flag"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// defaultAMax is the capped model's cap when -amax is not given: at the
// reference parameters it binds in both regimes.
const defaultAMax = 1

// modelFlags are the flags that choose the model: -model and -amax.
type modelFlags struct {
	name *string
	amax *float64
}

func addModelFlags(fs *flag.FlagSet) modelFlags {
	return modelFlags{
		name: fs.String("model", mfe.ModelLQ, "model: lq (the price-impact model) or capped (the same with |a| <= amax)"),
		amax: fs.Float64("amax", defaultAMax, "the cap on the trading rate |a| of -model capped, finite and > 0"),
	}
}

// resolve checks the model flags for method m, naming the offending flag:
// a known model, -amax only with -model capped and finite and > 0, a model
// the method takes (mfe.TakesModel). It returns the model (the zero
// mfe.ModelSpec for lq).
func (f modelFlags) resolve(fs *flag.FlagSet, cmd string, m mfe.Method) (mfe.ModelSpec, error) {
	amaxSet := false
	fs.Visit(func(fl *flag.Flag) { amaxSet = amaxSet || fl.Name == "amax" })
	var s mfe.ModelSpec
	switch *f.name {
	case mfe.ModelLQ:
		if amaxSet {
			return s, usagef("mfe %s: flag -amax is the cap of -model capped, not of -model %s", cmd, *f.name)
		}
	case mfe.ModelCapped:
		if a := *f.amax; !(a > 0) || math.IsInf(a, 0) {
			return s, usagef("mfe %s: invalid value %v for flag -amax: must be finite and > 0", cmd, a)
		}
		s = mfe.ModelSpec{Name: mfe.ModelCapped, AMax: *f.amax}
	default:
		return s, usagef("mfe %s: invalid value %q for flag -model: want %s or %s", cmd, *f.name, mfe.ModelLQ, mfe.ModelCapped)
	}
	if !mfe.TakesModel(m, s) {
		return s, usagef("mfe %s: invalid value %q for flag -model: %s does not take the %s model yet", cmd, *f.name, m.Name(), s.Label())
	}
	return s, nil
}
