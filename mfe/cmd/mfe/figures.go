package main

// `mfe figures` is the command line of package memoir, which turns result
// directories (what `mfe train` writes) into the memoir's figures and LaTeX
// fragments:
//
//	mfe figures [-runs mfe/memoir/data] [-out mfe/memoir/build/gen] [-expect method:regime,...] [-sim-n N] [parameter flags]
//	mfe figures import SRC DST     copy a run (result.json with its history thinned, control.json)
//	mfe figures variant -method M -regime R -profile P -set key=value ... -label L -out DIR
//	                               train with some settings of the profile changed (ablations)

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/memoir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/progress"
)

func figures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return figuresImport(args[1:])
		case "variant":
			return figuresVariant(ctx, args[1:], stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("figures", flag.ContinueOnError)
	p := paramFlags(fs)
	runs := fs.String("runs", memoir.DataDir, "directory of runs/ and variants/ result directories")
	out := fs.String("out", memoir.GenDir, "output directory for figures (PNG) and LaTeX fragments")
	expect := fs.String("expect", memoir.FormatKeys(memoir.Expected()),
		"method:regime list of the runs the memoir reports, in order; the default is every registered method in each of its regimes")
	simN := fs.Int("sim-n", memoir.DefaultSimN, "particles of the Monte Carlo check of the exact solutions")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if err := checkParams("figures", *p); err != nil {
		return err
	}
	if *simN < 1000 {
		return usagef("mfe figures: invalid value %d for flag -sim-n: want at least 1000", *simN)
	}
	keys, err := memoir.ParseKeys(*expect)
	if err != nil {
		return usagef("mfe figures: invalid value %q for flag -expect: %v", *expect, err)
	}
	sum, err := memoir.Generate(memoir.Options{Params: *p, Runs: *runs, Out: *out, Expect: keys, SimN: *simN, Args: args})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "mfe figures: %d runs (%d of %d expected), %d variants; wrote %s\n",
		sum.Runs, sum.Present, sum.Expected, sum.Variants, *out)
	return nil
}

func figuresImport(args []string) error {
	if len(args) != 2 {
		return usagef("mfe figures import: want SRC DST, got %d arguments", len(args))
	}
	return memoir.Import(args[0], args[1])
}

// setFlag collects repeated -set key=value flags.
type setFlag map[string]string

func (s setFlag) String() string {
	items := make([]string, 0, len(s))
	for k, v := range s {
		items = append(items, k+"="+v)
	}
	sort.Strings(items)
	return strings.Join(items, " ")
}

func (s setFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", v)
	}
	s[k] = val
	return nil
}

// figuresVariant trains one ablation (memoir.Variant). Without -set it
// trains the profile as it is: the base of ablations made at another
// profile than the reported run.
func figuresVariant(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("figures variant", flag.ContinueOnError)
	p := paramFlags(fs)
	mf := addMethodFlags(fs)
	label := fs.String("label", "", "short name of the variant, e.g. \"nearest rounding\"")
	out := fs.String("out", "", "output directory")
	quiet := fs.Bool("quiet", false, "no progress bar")
	set := setFlag{}
	fs.Var(set, "set", "key=value: a setting of the profile to change (repeatable; keys as in result.json's config)")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if err := checkParams("figures variant", *p); err != nil {
		return err
	}
	m, r, prof, err := mf.resolve("figures variant")
	if err != nil {
		return err
	}
	if *label == "" {
		return usagef("mfe figures variant: flag -label is required")
	}
	if *out == "" {
		return usagef("mfe figures variant: flag -out is required")
	}
	ab := memoir.Ablation{Label: *label, Set: set}
	if _, err := ab.Config(m, prof); err != nil {
		if se := (*mfe.SettingError)(nil); errors.As(err, &se) {
			return usagef("mfe figures variant: invalid value for flag -set: %v", err)
		}
		return err
	}
	var pr mfe.Progress = mfe.NopProgress{}
	if !*quiet {
		pr = progress.NewTerminal(stderr, fmt.Sprintf("%s %s (%s)", m.Name(), r, *label))
	}
	fmt.Fprintf(stderr, "mfe: training variant %q of %s (%s, profile %s, seed %d) on %s\n", *label, m.Name(), r, prof, *mf.seed, backend.Describe())
	res, err := memoir.Variant(ctx, m, mfe.Run{Params: *p, Regime: r, Profile: prof, Seed: *mf.seed, Progress: pr}, ab, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s variant %q: control_mse %.3g, control_rel %.3g, %.1f s; wrote %s\n",
		m.Name(), r, *label, res.Metrics.ControlMSE, res.Metrics.ControlRel, res.WallTime, *out)
	return nil
}
