package notebook

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sweep"
)

// SweepDir is the folder of the results directory that holds the stored
// sweeps (`mfe sweep`'s sweep.json, renamed per group of methods) and the
// parameter sets of a sweep trained again over seeds.
const SweepDir = "sweep"

// ShowSweep shows the stored sweep SweepDir/NAME.json of the results
// directory as `mfe sweep` tabulates it, and a sentence with how many of
// its runs meet their target pooled over time, how many at every grid
// time (where a run records its error by time), and the largest
// control_rel.
func ShowSweep(name string) error {
	results, err := ResultsDir()
	if err != nil {
		return err
	}
	f, err := sweep.ReadFile(filepath.Join(results, SweepDir, name+".json"))
	if err != nil {
		return err
	}
	ShowMarkdown(sweep.Markdown(f.Sets, f.Rows))
	runs, met, byTime, metAll := 0, 0, 0, 0
	var worst sweep.Row
	for _, r := range f.Rows {
		if r.Metrics == nil {
			continue
		}
		runs++
		if r.Met() {
			met++
		}
		if r.WorstTime > 0 {
			byTime++
			if r.WorstTime <= r.Target {
				metAll++
			}
		}
		if worst.Metrics == nil || r.Metrics.ControlRel > worst.Metrics.ControlRel {
			worst = r
		}
	}
	if runs == 0 {
		return fmt.Errorf("%s.json holds no run", name)
	}
	allTimes := ""
	if byTime > 0 {
		allTimes = fmt.Sprintf(", and at every grid time in %d of the %d that record their error by time", metAll, byTime)
	}
	ShowMarkdown(fmt.Sprintf("The %s profile, training seed %d, meets its target pooled over time in %d of the %d runs%s; "+
		"the largest `control_rel` is %.3g (set %d, %s).", f.Profile, f.Seed, met, runs, allTimes,
		worst.Metrics.ControlRel, worst.Set, worst.Regime))
	return nil
}

// ShowSeedRuns shows, for every folder of SweepDir that matches pattern (a
// parameter set of a sweep trained again over seeds: seed-N runs and their
// summary.json), each seed's control_rel pooled over time and at its worst
// grid time (sweep.WorstTime; "–" for a run that records no error by
// time), and the mean ± sd of both over the seeds.
func ShowSeedRuns(pattern string) error {
	results, err := ResultsDir()
	if err != nil {
		return err
	}
	dirs, err := filepath.Glob(filepath.Join(results, SweepDir, pattern))
	if err != nil {
		return err
	}
	var rows [][]string
	for _, dir := range dirs {
		s, err := rundir.LoadSummary(dir)
		if err != nil {
			return err
		}
		var each []string
		var worst []float64
		for _, seed := range s.Seeds {
			res, err := rundir.ReadResult(filepath.Join(dir, fmt.Sprintf("seed-%d", seed)))
			if err != nil {
				return err
			}
			w, ws := sweep.WorstTime(res), "–"
			if w > 0 {
				worst = append(worst, w)
				ws = fmt.Sprintf("%.3g", w)
			}
			each = append(each, fmt.Sprintf("%.3g / %s (seed %d)", res.Metrics.ControlRel, ws, seed))
		}
		worstSD := "–" // the runs record no error by time
		if len(worst) > 0 {
			worstSD = report.MeanSD(rundir.NewStat(worst), "%.3g")
		}
		rows = append(rows, []string{filepath.Base(dir), strings.Join(each, ", "),
			report.MeanSD(s.Metrics["control_rel"], "%.3g"), worstSD})
	}
	ShowTable([]string{"runs", "control_rel pooled / worst time, each seed", "pooled, mean ± sd", "worst time, mean ± sd"}, rows)
	return nil
}
