package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sweep"
)

// sweepCmd runs `mfe sweep`: the chosen methods' profile at parameter sets
// drawn from the default box (package sweep), each run an ordinary run
// directory OUT/set-I/METHOD-REGIME (resumed or reloaded when run again),
// with OUT/sweep.json and OUT/sweep.md rewritten after every run. A run
// that fails (divergence, a refusal) becomes a row saying so; an interrupt
// stops the sweep.
func sweepCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	nSets := fs.Int("sets", 8, fmt.Sprintf("parameter sets to draw (at least %d)", sweep.MinSets))
	drawSeed := fs.Uint64("draw-seed", 1, "seed of the parameter draw")
	seed := fs.Uint64("seed", 1, "training seed of every run")
	methods := fs.String("methods", "", "comma-separated methods (default: every method that states a target)")
	profile := fs.String("profile", "default", "quick, default or memoir")
	bk := fs.String("backend", "", "GoMLX backend, e.g. go, xla:cpu, xla:cuda (default: chosen automatically)")
	out := fs.String("out", "", "output directory (default out/sweep-PROFILE)")
	quiet := fs.Bool("quiet", false, "no progress bars")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if *nSets < sweep.MinSets {
		return usagef("mfe sweep: invalid value %d for flag -sets: want at least %d", *nSets, sweep.MinSets)
	}
	prof, err := mfe.ParseProfile(*profile)
	if err != nil {
		return usagef("mfe sweep: invalid value %q for flag -profile: want quick, default or memoir", *profile)
	}
	var ms []mfe.Method
	if *methods == "" {
		for _, m := range mfe.Methods() {
			if _, ok := mfe.Target(m); ok {
				ms = append(ms, m)
			}
		}
	} else {
		for _, name := range strings.Split(*methods, ",") {
			m, err := mfe.LookupMethod(strings.TrimSpace(name))
			if err != nil {
				return usagef("mfe sweep: invalid value %q for flag -methods: want some of %s", name, strings.Join(mfe.MethodNames(), ", "))
			}
			ms = append(ms, m)
		}
	}
	if *bk != "" {
		os.Setenv(backend.EnvVar, *bk)
		if _, err := backend.Choose(); err != nil {
			return usagef("mfe sweep: invalid value %q for flag -backend: %v", *bk, err)
		}
	}
	if _, err := backend.DefaultErr(); err != nil {
		return err
	}
	if _, _, err := mfe.MemoryBudget(); err != nil {
		return usagef("mfe sweep: %v", err)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", "sweep-"+string(prof))
	}
	box := sweep.DefaultBox()
	sets, err := box.Draw(*nSets, *drawSeed)
	if err != nil {
		return err
	}
	file := sweep.File{Box: box, DrawSeed: *drawSeed, Seed: *seed, Profile: prof, Sets: sets}
	jobs := sweep.Plan(sets, ms, dir)
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name()
	}
	// The table's heading says how to make it again.
	head := fmt.Sprintf("# mfe sweep\n\n`mfe sweep -sets %d -draw-seed %d -seed %d -profile %s -methods %s`: "+
		"each method's %s profile, training seed %d, at %d parameter sets drawn from the box of package "+
		"mfe/sweep (draw seed %d; sets 0-3 pinned to T = %g, sigma = %g, x0-std = %g and gamma < cg), "+
		"against the control_rel target each method states. Rows without a run say why.\n\n",
		*nSets, *drawSeed, *seed, prof, strings.Join(names, ","), prof, *seed, *nSets, *drawSeed, box.T.Max, box.Sigma.Min, box.X0Std.Min)
	for i, j := range jobs {
		fmt.Fprintf(stderr, "mfe sweep: run %d of %d: %s %s at set %d\n", i+1, len(jobs), j.Method, j.Regime, j.Set)
		res, note, err := sweepRun(ctx, j, prof, *seed, *quiet, stderr)
		if err != nil {
			return err
		}
		row := sweep.NewRow(j, res, note)
		file.Rows = append(file.Rows, row)
		if row.Metrics != nil {
			fmt.Fprintf(stdout, "set %d %s %s: control_rel %.3g (target %g)\n", j.Set, j.Method, j.Regime, row.Metrics.ControlRel, row.Target)
		} else {
			fmt.Fprintf(stdout, "set %d %s %s: %s\n", j.Set, j.Method, j.Regime, note)
		}
		if err := rundir.WriteJSON(filepath.Join(dir, "sweep.json"), file); err != nil {
			return err
		}
		if err := rundir.WriteFileAtomic(filepath.Join(dir, "sweep.md"), []byte(head+sweep.Markdown(sets, file.Rows))); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "wrote %s\n", filepath.Join(dir, "sweep.md"))
	return nil
}

// sweepRun trains (or reloads) job j as `mfe train` does (trainer.train:
// the memory check, the run directory's lock, the run, its files). A
// problem without a solution, a run beyond the memory budget or one that
// fails is a note, not an error; an interrupt is an error.
func sweepRun(ctx context.Context, j sweep.Job, prof mfe.Profile, seed uint64, quiet bool, stderr io.Writer) (*mfe.Result, string, error) {
	ok, err := j.Solvable()
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "no solution (the exact " + strings.ToUpper(string(j.Regime)) + " blows up)", nil
	}
	m, err := mfe.LookupMethod(j.Method)
	if err != nil {
		return nil, "", err
	}
	cfg, err := m.Config(prof)
	if err != nil {
		return nil, "", err
	}
	t := trainer{m: m, r: j.Regime, prof: prof, cfg: cfg, params: j.Params, quiet: quiet, stdout: io.Discard, stderr: stderr}
	if err := t.checkMemory(j.Dir); err != nil {
		return nil, err.Error(), nil
	}
	res, err := t.train(ctx, seed, j.Dir)
	switch {
	case ctx.Err() != nil:
		return nil, "", fmt.Errorf("interrupted; run the same command again to resume the sweep")
	case err != nil:
		return nil, "failed: " + err.Error(), nil
	}
	return res, "", nil
}
