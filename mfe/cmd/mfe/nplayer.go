package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nplayer"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// nplayerJob is a parsed and validated `mfe nplayer` command.
type nplayerJob struct {
	params  mfe.Params
	ns      []int
	cfg     nplayer.Config
	name    string // exact-mfg, exact-mfc, zero or result
	result  string // the result directory for -control result
	control mfe.Control
	json    bool
}

// nplayerOutput is the JSON of `mfe nplayer -json`.
type nplayerOutput struct {
	Params  mfe.Params    `json:"params"`
	Control string        `json:"control"`
	Result  string        `json:"result,omitempty"`
	Steps   int           `json:"steps"`
	Seeds   int           `json:"seeds"`
	Seed    uint64        `json:"seed"`
	Gaps    []nplayer.Gap `json:"gaps"`
	Nash    *nplayer.Nash `json:"nash,omitempty"` // exact Nash gap = limit + slope/(N-1), affine controls
	Notes   []string      `json:"notes,omitempty"`
}

// Bounds on the work of one command: traders × steps per realisation (the
// paths are kept in memory) and traders × steps × seeds in all.
const (
	maxPathValues = 10_000_000
	maxWork       = 2_000_000_000
)

var paramNames = []string{"T", "sigma", "gamma", "ca", "cx", "cg", "x0-mean", "x0-std"}

func parseNplayer(args []string, stdout io.Writer) (*nplayerJob, error) {
	fs := flag.NewFlagSet("nplayer", flag.ContinueOnError)
	p := paramFlags(fs)
	nList := fs.String("n", "10,100,1000", "numbers of traders, comma-separated, each >= 2")
	seeds := fs.Int("seeds", nplayer.Default.Seeds, "independent realisations per N, >= 2")
	steps := fs.Int("steps", nplayer.Default.Steps, "time steps on [0, T]")
	seed := fs.Uint64("seed", nplayer.Default.Seed, "seed of the first realisation")
	ctl := fs.String("control", "exact-mfg", "the traders' control: exact-mfg, exact-mfc, zero, or result (a trained run's control.json, see -result)")
	res := fs.String("result", "", "directory of a trained run (mfe train -out DIR) whose control.json the traders use; implies -control result")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := parse(fs, args, stdout); err != nil {
		return nil, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	job := &nplayerJob{name: *ctl, result: *res, json: *asJSON,
		cfg: nplayer.Config{Seeds: *seeds, Steps: *steps, Seed: *seed}}
	if *res != "" && !set["control"] {
		job.name = "result"
	}

	// The control; a result brings its parameters, which explicit flags override.
	var grid *rundir.ControlGrid
	switch job.name {
	case "exact-mfg", "exact-mfc", "zero":
		if *res != "" {
			return nil, usagef("mfe nplayer: invalid value %q for flag -result: only with -control result, not %s", *res, job.name)
		}
	case "result":
		if *res == "" {
			return nil, usagef("mfe nplayer: flag -result is required with -control result")
		}
		g, err := rundir.ReadControlGrid(*res)
		if err != nil {
			return nil, usagef("mfe nplayer: invalid value %q for flag -result: %v", *res, oneLine(err))
		}
		grid = g
		q := g.Params
		for _, name := range paramNames {
			if set[name] {
				*paramField(&q, name) = *paramField(p, name)
			}
		}
		*p = q
	default:
		return nil, usagef("mfe nplayer: invalid value %q for flag -control: want exact-mfg, exact-mfc, zero or result", *ctl)
	}
	if err := checkParams("nplayer", *p); err != nil {
		return nil, err
	}
	job.params = *p

	for _, f := range strings.Split(*nList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 2 || n > 1_000_000 {
			return nil, usagef("mfe nplayer: invalid value %q for flag -n: want comma-separated integers in 2..1000000", *nList)
		}
		job.ns = append(job.ns, n)
	}
	if *seeds < 2 || *seeds > 100_000 {
		return nil, usagef("mfe nplayer: invalid value %d for flag -seeds: must be in 2..100000", *seeds)
	}
	minSteps, err := nplayer.MinSteps(*p)
	if err != nil {
		return nil, usagef("mfe nplayer: %v", oneLine(err))
	}
	if *steps < minSteps || *steps > 1_000_000 {
		return nil, usagef("mfe nplayer: invalid value %d for flag -steps: must be in %d..1000000 for these parameters (time step at most ca/A)", *steps, minSteps)
	}
	work := 0.0
	for _, n := range job.ns {
		if float64(n)*float64(*steps+1) > maxPathValues {
			return nil, usagef("mfe nplayer: invalid value %q for flag -n: %d traders × %d steps is more than %d path values", *nList, n, *steps, maxPathValues)
		}
		work += float64(n) * float64(*steps) * float64(*seeds)
	}
	if work > maxWork {
		return nil, usagef("mfe nplayer: invalid value %q for flag -n: traders × steps × seeds is %.3g, more than %.0e (fewer -seeds or -steps)", *nList, work, float64(maxWork))
	}

	switch job.name {
	case "exact-mfg":
		m, err := exact.NewMFG(job.params)
		if err != nil {
			return nil, usagef("mfe nplayer: %v", oneLine(err))
		}
		job.control = m.Control()
	case "exact-mfc":
		m, err := exact.NewMFC(job.params)
		if err != nil {
			return nil, usagef("mfe nplayer: invalid value %q for flag -control: %v", job.name, oneLine(err))
		}
		job.control = m.Control()
	case "zero":
		zero := func(float64) float64 { return 0 }
		job.control = mfe.AffineControl{K: zero, L: zero}
	case "result":
		gc, err := nplayer.NewGridControl(grid.T, grid.X, grid.Alpha)
		if err != nil {
			return nil, usagef("mfe nplayer: invalid value %q for flag -result: control.json: %v", *res, oneLine(err))
		}
		job.control = gc
	}
	return job, nil
}

func paramField(p *mfe.Params, name string) *float64 {
	switch name {
	case "T":
		return &p.T
	case "sigma":
		return &p.Sigma
	case "gamma":
		return &p.Gamma
	case "ca":
		return &p.Ca
	case "cx":
		return &p.CX
	case "cg":
		return &p.Cg
	case "x0-mean":
		return &p.X0Mean
	}
	return &p.X0Std
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

// nplayerCmd runs `mfe nplayer`: the gap of one trader's best deviation in
// games of N traders (package nplayer), as a table or JSON.
func nplayerCmd(ctx context.Context, args []string, stdout io.Writer) error {
	job, err := parseNplayer(args, stdout)
	if err != nil {
		return err
	}
	gaps, err := nplayer.Gaps(ctx, job.params, job.control, job.ns, job.cfg)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted")
		}
		return err
	}
	out := nplayerOutput{Params: job.params, Control: job.name, Result: job.result,
		Steps: job.cfg.Steps, Seeds: job.cfg.Seeds, Seed: job.cfg.Seed, Gaps: gaps}
	if a, ok := job.control.(mfe.AffineControl); ok {
		n, err := nplayer.ExactNash(job.params, a)
		if err != nil {
			return err
		}
		out.Nash = &n
	}
	if job.name == "result" {
		out.Notes = append(out.Notes, "the control is control.json's grid, interpolated linearly in t and x; no exact Nash gap for a non-affine control")
	}
	if job.json {
		return json.NewEncoder(stdout).Encode(out)
	}
	p := job.params
	fmt.Fprintf(stdout, "control %s%s; %d realisations of %d steps per N; T=%g sigma=%g gamma=%g ca=%g cx=%g cg=%g X0~N(%g, %g^2)\n",
		job.name, map[bool]string{true: " (" + job.result + ")"}[job.result != ""], job.cfg.Seeds, job.cfg.Steps,
		p.T, p.Sigma, p.Gamma, p.Ca, p.CX, p.Cg, p.X0Mean, p.X0Std)
	fmt.Fprintf(stdout, "%8s  %-24s  %s\n", "N", "realised-flow gap ± s.e.", "Nash gap")
	for _, g := range gaps {
		nash := "-"
		if g.Nash != nil {
			nash = fmt.Sprintf("%.3e", *g.Nash)
		}
		fmt.Fprintf(stdout, "%8d  %-24s  %s\n", g.N, fmt.Sprintf("%.3e ± %.1e", g.Mean, g.SE), nash)
	}
	if out.Nash != nil {
		fmt.Fprintf(stdout, "%8s  %-24s  %.3e (mean-field exploitability; Nash gap = %.3e + %.3e/(N-1))\n",
			"inf", "", out.Nash.Limit, out.Nash.Limit, out.Nash.Slope)
	}
	for _, n := range out.Notes {
		fmt.Fprintln(stdout, "note:", n)
	}
	return nil
}
