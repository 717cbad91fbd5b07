package main

// `mfe figures` is the command line of package memoir, which turns result
// directories (what `mfe train` writes) into the memoir's figures and LaTeX
// fragments:
//
//	mfe figures [-runs mfe/memoir/data] [-out mfe/memoir/build/gen] [-expect method:regime,...] [-sim-n N] [parameter flags]
//	mfe figures import SRC DST     copy a run (result.json with its history thinned, control.json),
//	                               or summarize a multi-seed directory (an ablation's row, runs on another model)

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/memoir"
)

func figures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return figuresImport(args[1:])
		}
	}
	fs := flag.NewFlagSet("figures", flag.ContinueOnError)
	p := paramFlags(fs)
	runs := fs.String("runs", memoir.DataDir, "directory of runs/ (result directories), ablations/ and models/ (summaries over seeds)")
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
	fmt.Fprintf(stdout, "mfe figures: %d runs (%d of %d expected), %d ablations; wrote %s\n",
		sum.Runs, sum.Present, sum.Expected, sum.Ablations, *out)
	return nil
}

func figuresImport(args []string) error {
	if len(args) != 2 {
		return usagef("mfe figures import: want SRC DST, got %d arguments", len(args))
	}
	return memoir.Import(args[0], args[1])
}
