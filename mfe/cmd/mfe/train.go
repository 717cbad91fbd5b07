package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/progress"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
)

// trainFunc trains one method in one regime with a named profile.
type trainFunc func(ctx context.Context, p mfe.Params, r mfe.Regime, prof mfe.Profile, seed uint64, pr mfe.Progress) (*mfe.Result, error)

type method struct {
	regimes []mfe.Regime
	// train returns the method's training saving checkpoints in dir ("" for
	// none): a run interrupted there resumes, a finished one is reloaded
	// without training, and one saved for other parameters or settings is
	// refused.
	train func(dir string) trainFunc
}

// methods is filled by one file per solver (methods_*.go).
var methods = map[string]method{}

func methodNames() []string {
	var names []string
	for n := range methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func listMethods(w io.Writer) error {
	for _, n := range methodNames() {
		var rs []string
		for _, r := range methods[n].regimes {
			rs = append(rs, string(r))
		}
		fmt.Fprintf(w, "%-14s %s\n", n, strings.Join(rs, " "))
	}
	return nil
}

func train(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	p := paramFlags(fs)
	name := fs.String("method", "", "method: "+strings.Join(methodNames(), ", "))
	regime := fs.String("regime", "", "mfg or mfc (default: the method's first regime)")
	profile := fs.String("profile", "default", "quick, default or memoir")
	seed := fs.Uint64("seed", 1, "random seed")
	be := fs.String("backend", "", "GoMLX backend, e.g. go, xla:cpu, xla:cuda (default: chosen automatically)")
	out := fs.String("out", "", "output directory (default out/METHOD-REGIME-PROFILE)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fresh := fs.Bool("fresh", false, "delete the run's checkpoint (OUT/checkpoint) and train from scratch")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if err := checkParams("train", *p); err != nil {
		return err
	}
	m, ok := methods[*name]
	if !ok {
		return usagef("mfe train: invalid value %q for flag -method: want one of %s", *name, strings.Join(methodNames(), ", "))
	}
	r := m.regimes[0]
	if *regime != "" {
		var err error
		if r, err = mfe.ParseRegime(*regime); err != nil {
			return usagef("mfe train: invalid value %q for flag -regime: want mfg or mfc", *regime)
		}
		if !hasRegime(m.regimes, r) {
			return usagef("mfe train: invalid value %q for flag -regime: %s solves only %v", *regime, *name, m.regimes)
		}
	}
	prof := mfe.Profile(*profile)
	if prof != mfe.Quick && prof != mfe.Default && prof != mfe.Memoir {
		return usagef("mfe train: invalid value %q for flag -profile: want quick, default or memoir", *profile)
	}
	if *be != "" {
		os.Setenv(backend.EnvVar, *be)
	}
	dir := *out
	if dir == "" {
		dir = fmt.Sprintf("out/%s-%s-%s", *name, r, prof)
	}
	var pr mfe.Progress = mfe.NopProgress{}
	if !*quiet {
		pr = progress.NewTerminal(stderr, fmt.Sprintf("%s %s", *name, r))
	}
	ck := filepath.Join(dir, "checkpoint")
	if *fresh {
		if err := os.RemoveAll(ck); err != nil {
			return err
		}
	} else if _, err := os.Stat(ck); err == nil {
		fmt.Fprintf(stderr, "mfe: resuming from %s (a finished run is reloaded; -fresh trains from scratch)\n", ck)
	}
	trainer := m.train(ck)
	fmt.Fprintf(stderr, "mfe: training %s (%s, profile %s, seed %d) on %s\n", *name, r, prof, *seed, backend.Describe())
	res, err := trainer(ctx, *p, r, prof, *seed, pr)
	if res != nil {
		res.Profile = string(prof)
		if werr := report.WriteRun(dir, res); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; the partial result is in %s; run the same command again to resume", dir)
		}
		return err
	}
	mt := res.Metrics
	fmt.Fprintf(stdout, "%s %s: control_mse %.3g, control_rel %.3g", *name, r, mt.ControlMSE, mt.ControlRel)
	if mt.Exploitability != nil {
		fmt.Fprintf(stdout, ", exploitability %.3g", *mt.Exploitability)
	}
	if mt.SocialGap != nil {
		fmt.Fprintf(stdout, ", social-cost gap %.3g", *mt.SocialGap)
	}
	fmt.Fprintf(stdout, ", %.3g s/epoch, %.1f s in all; wrote %s\n", res.EpochTime, res.WallTime, dir)
	return nil
}

func hasRegime(rs []mfe.Regime, r mfe.Regime) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}
