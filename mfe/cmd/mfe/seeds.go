package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// parseSeedsFlag returns the seeds of `mfe train -seeds` (nil when the
// flag is not given): distinct non-negative integers separated by commas.
// It refuses the flag together with -seed.
func parseSeedsFlag(fs *flag.FlagSet, list string) ([]uint64, error) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["seeds"] {
		return nil, nil
	}
	if set["seed"] {
		return nil, usagef("mfe train: -seed and -seeds exclude each other (-seeds 1,2,3 trains each seed into OUT/seed-N)")
	}
	bad := func(why string) error {
		return usagef("mfe train: invalid value %q for flag -seeds: %s; want distinct seeds separated by commas, e.g. 1,2,3", list, why)
	}
	var seeds []uint64
	seen := map[uint64]bool{}
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		s, err := strconv.ParseUint(f, 10, 64)
		switch {
		case f == "":
			return nil, bad("an empty seed")
		case err != nil:
			return nil, bad(fmt.Sprintf("%q is not a non-negative integer below 2^64", f))
		case seen[s]:
			return nil, bad(fmt.Sprintf("seed %d twice", s))
		}
		seen[s] = true
		seeds = append(seeds, s)
	}
	return seeds, nil
}

// trainSeeds trains the run of each seed into dir/seed-N (rundir.SeedDir),
// exactly as `mfe train -seed N -out dir/seed-N` does (a finished seed is
// reloaded, an interrupted one resumes), holding dir for the whole sweep;
// it then writes dir/summary.json (rundir.Summarize) and prints its line
// (summaryLine). A seed that fails stops the sweep, without a summary.
func (t trainer) trainSeeds(ctx context.Context, seeds []uint64, dir string) error {
	for _, s := range seeds {
		if err := t.checkMemory(rundir.SeedDir(dir, s)); err != nil {
			return err
		}
	}
	lock, err := rundir.LockRun(dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	var runs []*mfe.Result
	for _, s := range seeds {
		res, err := t.train(ctx, s, rundir.SeedDir(dir, s))
		if err != nil {
			return err
		}
		runs = append(runs, res)
	}
	sum, err := rundir.Summarize(runs)
	if err != nil {
		return err
	}
	return writeSummary(t.stdout, dir, sum)
}

// writeSummary writes sum into dir as summary.json and prints its line.
func writeSummary(w io.Writer, dir string, sum *rundir.Summary) error {
	if err := rundir.WriteSummary(dir, sum); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s; wrote %s\n", summaryLine(sum), filepath.Join(dir, rundir.SummaryFile))
	return nil
}

// summaryLine is a summary in one line: per metric of runLine, the mean ±
// sample standard deviation over the seeds (report.MeanSD), with the mean
// Monte-Carlo standard error of the exploitability or social-cost gap.
func summaryLine(s *rundir.Summary) string {
	seeds := make([]string, len(s.Seeds))
	for i, v := range s.Seeds {
		seeds[i] = strconv.FormatUint(v, 10)
	}
	line := fmt.Sprintf("%s %s, seeds %s, mean ± sd: control_mse %s, control_rel %s", s.Method, s.Regime, strings.Join(seeds, ", "), report.MeanSD(s.Metrics["control_mse"], "%.3g"), report.MeanSD(s.Metrics["control_rel"], "%.3g"))
	if v, se := s.Gap(); v != nil {
		name := "exploitability"
		if s.Regime == mfe.MFC {
			name = "social-cost gap"
		}
		line += fmt.Sprintf(", %s %s", name, report.MeanSD(*v, "%.3g"))
		if se != nil {
			line += fmt.Sprintf(" (s.e. %.1e)", se.Mean)
		}
	}
	return line + fmt.Sprintf(", %s s in all", report.MeanSD(s.Wall(), "%.1f"))
}

// summaryCmd runs `mfe summary DIR`: it summarizes the runs in DIR's seed-N
// directories (however they were trained: `mfe train -seeds`, or one seed
// at a time and copied in), prints each seed's line and the summary's, and
// writes DIR/summary.json, holding DIR (rundir.LockRun) meanwhile.
func summaryCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	table := fs.Bool("table", false, "print the Markdown table (report.SummaryRows) of every run of -profile under DIR (e.g. notebooks/results), each over its seeds; write nothing")
	profile := fs.String("profile", "default", "with -table: the profile of the runs tabulated (quick, default or memoir)")
	models := fs.Bool("models", false, "with -table: the runs on models without a closed form (report.ModelRows), against their references")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage of mfe summary: mfe summary [-table [-profile P] [-models]] DIR\n  summarizes the runs in DIR/seed-N (mean, sd, min, max of every final metric) into DIR/summary.json;\n  with -table, prints the table of every run of profile P (default: default) under DIR over its seeds;\n  with -models, of the runs on models without a closed form instead")
			return errHelp
		}
		return usagef("mfe summary: %v", err)
	}
	if fs.NArg() != 1 {
		return usagef("mfe summary: want one directory, the one holding the seed-N runs, got %d arguments", fs.NArg())
	}
	dir := fs.Arg(0)
	prof, err := mfe.ParseProfile(*profile)
	if err != nil {
		return usagef("mfe summary: invalid value %q for flag -profile: want quick, default or memoir", *profile)
	}
	if *table {
		md, err := summaryTable(dir, prof, *models)
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, md)
		return nil
	}
	_, dirs, err := rundir.SeedDirs(dir, rundir.ResultFile)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return usagef("mfe summary: %s holds no %sN directory with a %s", dir, rundir.SeedPrefix, rundir.ResultFile)
	}
	lock, err := rundir.LockRun(dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	var runs []*mfe.Result
	for _, d := range dirs {
		res, err := rundir.ReadResult(d)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s; in %s\n", runLine(res), d)
		runs = append(runs, res)
	}
	sum, err := rundir.Summarize(runs)
	if err != nil {
		return err
	}
	return writeSummary(stdout, dir, sum)
}

// summaryTable is the Markdown table of every run of profile prof under
// dir over its seeds: the README's results tables.
func summaryTable(dir string, prof mfe.Profile, models bool) (string, error) {
	load, rows, which := rundir.LoadSummaries, report.SummaryRows, ""
	if models {
		load, rows, which = rundir.LoadModelSummaries, report.ModelRows, " on a model without a closed form"
	}
	sums, err := load(dir, prof)
	if err != nil {
		return "", err
	}
	if len(sums) == 0 {
		return "", usagef("mfe summary: %s holds no run of the %s profile%s", dir, prof, which)
	}
	return report.Markdown(rows(sums...)), nil
}
