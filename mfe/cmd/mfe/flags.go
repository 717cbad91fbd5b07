package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

var errHelp = errors.New("help shown")

// paramFlags registers the eight model parameters with the reference defaults.
func paramFlags(fs *flag.FlagSet) *mfe.Params {
	p := mfe.Reference()
	fs.Float64Var(&p.T, "T", p.T, "horizon T > 0")
	fs.Float64Var(&p.Sigma, "sigma", p.Sigma, "volatility sigma >= 0")
	fs.Float64Var(&p.Gamma, "gamma", p.Gamma, "permanent price impact gamma >= 0")
	fs.Float64Var(&p.Ca, "ca", p.Ca, "trading cost ca > 0")
	fs.Float64Var(&p.CX, "cx", p.CX, "running inventory penalty cX >= 0")
	fs.Float64Var(&p.Cg, "cg", p.Cg, "terminal inventory penalty cg >= 0")
	fs.Float64Var(&p.X0Mean, "x0-mean", p.X0Mean, "mean of X_0")
	fs.Float64Var(&p.X0Std, "x0-std", p.X0Std, "standard deviation of X_0 >= 0")
	return &p
}

// parse parses args, turning every error into one line naming the flag.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fmt.Fprintf(stdout, "usage of mfe %s:\n", fs.Name())
			fs.PrintDefaults()
			return errHelp
		}
		return usagef("mfe %s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usagef("mfe %s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// checkParams validates p, naming the flag of the offending parameter.
func checkParams(cmd string, p mfe.Params) error {
	if err := p.Validate(); err != nil {
		var pe *mfe.ParamError
		if errors.As(err, &pe) {
			return usagef("mfe %s: invalid value %v for flag -%s: %s", cmd, pe.Value, pe.Name, pe.Rule)
		}
		return usagef("mfe %s: %v", cmd, err)
	}
	return nil
}

// parseRange parses "lo:hi:step" into the grid lo, lo+step, ..., hi.
func parseRange(s string) ([]float64, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return nil, fmt.Errorf("want lo:hi:step, got %q", s)
	}
	var v [3]float64
	for i, part := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("want finite numbers lo:hi:step, got %q", s)
		}
		v[i] = f
	}
	lo, hi, step := v[0], v[1], v[2]
	if !(step > 0) || hi < lo {
		return nil, fmt.Errorf("want lo <= hi and step > 0, got %q", s)
	}
	if math.Abs(lo) > mfe.MaxParam || math.Abs(hi) > mfe.MaxParam {
		return nil, fmt.Errorf("want |lo|, |hi| <= 1e20, got %q", s)
	}
	if (hi-lo)/step > 100000 {
		return nil, fmt.Errorf("more than 100000 points in %q", s)
	}
	return mfe.Range(lo, hi, step), nil
}
