package notebook

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// RetrainEnv set to 1 makes RunDir forget saved runs, so that every notebook
// trains again (the main job, setup/run.sh, sets it).
const RetrainEnv = "MFE_RETRAIN"

// Method returns the registered method named name (its solver package's
// Method constant). It panics if there is none: the notebook lacks the
// import of its solver package (or of mfe/solver/all).
func Method(name string) mfe.Method {
	m, err := mfe.LookupMethod(name)
	if err != nil {
		panic(err)
	}
	return m
}

// Run is the load-or-train step of a method notebook. It trains the
// registered method named method in regime r (the method's first regime if
// r is empty) at the reference parameters, with the profile Profile() and
// seed 1, checkpointed in the run directory RunDir(METHOD-REGIME, retrain)
// (METHOD-REGIME-PROFILE/seed-1 in the results directory):
// a finished run saved there is reloaded without training, an interrupted
// one resumes, and one saved for other parameters is refused (an
// *mfe.MismatchError). It holds the run directory while it trains
// (rundir.LockRun, as `mfe train` does): a run already writing there, from
// another notebook or the command line, makes it fail at once. It then
// saves the run there (report.WriteRun:
// result.json, control.json and the figures), for the comparison notebook,
// and prints what it did and the run's configuration (RunReport). The other
// seeds of the run (`mfe train -seeds`) are summarized by Summary.
func Run(method string, r mfe.Regime, retrain bool) (*mfe.Result, error) {
	m, r, prof, cfg, err := profileRun(method, r)
	if err != nil {
		return nil, err
	}
	dir, err := RunDir(m.Name()+"-"+string(r), retrain)
	if err != nil {
		return nil, err
	}
	run := mfe.Run{Params: mfe.Reference(), Regime: r, Profile: prof, Seed: 1,
		Progress: NewProgress(fmt.Sprintf("%s (%s)", m.Title(), r))}
	res, reloaded, err := loadOrTrain(m, dir, run, cfg, func(dir string, res *mfe.Result, _ bool) error {
		return report.WriteRun(dir, res)
	})
	if err != nil {
		return nil, err
	}
	text, err := RunReport(res, dir, reloaded)
	if err != nil {
		return nil, err
	}
	fmt.Print(text)
	return res, nil
}

// profileRun returns the registered method named method, the regime r (the
// method's first when r is empty), the profile Profile() and the method's
// configuration at that profile: what a notebook's run starts from.
func profileRun(method string, r mfe.Regime) (mfe.Method, mfe.Regime, mfe.Profile, mfe.Config, error) {
	m, err := mfe.LookupMethod(method)
	if err != nil {
		return nil, r, "", nil, err
	}
	if r == "" {
		r = m.Regimes()[0]
	}
	prof := Profile()
	cfg, err := m.Config(prof)
	return m, r, prof, cfg, err
}

// Finished reports whether the checkpoint directory ck holds a finished
// run: one whose manifest has the control check that only a finished run
// saves (rundir.Manifest), which a solver reloads without training.
func Finished(ck string) bool { return rundir.Finished(ck) }

// RunReport is what Run prints about a run saved in dir: the method, the
// regime, the profile and the seed, then whether the run was reloaded from
// dir or trained now, dir being written relative to the repository root
// (RepoRoot), e.g.
//
//	Direct MFC, mean-field control, profile default, seed 1: reloaded from notebooks/results/direct-mfc-mfc-default/seed-1 (trained earlier, in 338 s)
//	configuration: n = 2000, steps = 25, epochs = 1600, hidden = [64, 64, 64], ...
//
// and the configuration on a line of its own (ConfigText).
func RunReport(res *mfe.Result, dir string, reloaded bool) (string, error) {
	where := RelPath(dir)
	cfg, err := ConfigText(res.Config)
	if err != nil {
		return "", err
	}
	what := fmt.Sprintf("trained in %.0f s, saved in %s", res.WallTime, where)
	if reloaded {
		what = fmt.Sprintf("reloaded from %s (trained earlier, in %.0f s)", where, res.WallTime)
	}
	return fmt.Sprintf("%s, profile %s, seed %d: %s\nconfiguration: %s\n", report.RunTitle(res), res.Profile, res.Seed, what, cfg), nil
}

// RelPath returns path relative to the repository root (RepoRoot),
// slash-separated, as a notebook shows it (notebooks/results/…), or path
// itself when it lies outside the repository.
func RelPath(path string) string {
	root, err := RepoRoot()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(root, path)
	if rel = filepath.ToSlash(rel); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return path
	}
	return rel
}

// ConfigText writes a method's configuration as the keys of its JSON form
// (those of result.json and of `mfe train -set KEY=VALUE`) with their
// values, in the configuration's order: "n = 2000, steps = 25, hidden =
// [64, 64, 64], scheme = heun". Empty strings and nulls, settings left to
// their defaults, are left out.
func ConfigText(cfg any) (string, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("notebook: configuration: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", fmt.Errorf("notebook: configuration %s is not a JSON object", b)
	}
	var items []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("notebook: configuration: %w", err)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return "", fmt.Errorf("notebook: configuration: %w", err)
		}
		if v == nil || v == "" {
			continue
		}
		items = append(items, fmt.Sprintf("%s = %s", k, configValue(v)))
	}
	return strings.Join(items, ", "), nil
}

// configValue writes a decoded JSON value: numbers as written, strings
// unquoted, arrays as [a, b], objects as JSON.
func configValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = configValue(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return fmt.Sprint(v)
}

// ResultsDir returns the directory of the notebooks' saved runs,
// notebooks/results under the repository root (RepoRoot).
func ResultsDir() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "notebooks", "results"), nil
}

// RunDir returns the run directory where a notebook saves and reloads its
// run named name (e.g. "direct-mfc-mfc"), that of seed 1: in ResultsDir,
// the directory NAME-PROFILE (the profile being Profile(), as rundir.Name
// names it) holds the run's seeds, one run directory each, seed-1 among
// them (rundir.SeedDir), and RunDir returns NAME-PROFILE/seed-1; a
// NAME-PROFILE that is itself a run directory (rundir.IsRun: a single run,
// as the memoir profile's saved runs are) is returned as it is. A solver
// given it as its checkpoint directory loads a finished run from there
// instead of training, resumes an interrupted one, and refuses one saved
// for other parameters.
//
// With retrain true, or $MFE_RETRAIN=1, NAME-PROFILE is deleted first, with
// every seed's run and the summary (runs of the code that is being
// replaced), unless a run is writing there (rundir.LockRun, on
// NAME-PROFILE and on the run directory), and the notebook trains seed 1
// from scratch. Under GoNB, where every cell is a new
// process, this happens once per kernel session and run: the later cells
// of the same session that ask for the run get the one the first trained
// (a marker in the kernel's temporary directory, $GONB_TMP_DIR, remembers
// it). Outside GoNB every call with retrain deletes the run.
func RunDir(name string, retrain bool) (string, error) {
	results, err := ResultsDir()
	if err != nil {
		return "", err
	}
	top := filepath.Join(results, name+"-"+string(Profile()))
	dir := top
	if !rundir.IsRun(top) {
		dir = rundir.SeedDir(top, 1)
	}
	if retrain || strings.TrimSpace(os.Getenv(RetrainEnv)) == "1" {
		forgot, err := forgetOnce(top, dir, filepath.Base(top))
		if err != nil {
			return "", err
		}
		if forgot {
			dir = rundir.SeedDir(top, 1)
		}
	}
	return dir, nil
}

// removeRuns deletes top, the saved runs of one name, unless a run writes
// there: holding top and the run directory dir in it (the same or
// top/seed-1) while it deletes.
func removeRuns(top, dir string) error {
	dirs := []string{top}
	if dir != top {
		dirs = append(dirs, dir)
	}
	for _, d := range dirs {
		lock, err := rundir.LockRun(d)
		if err != nil {
			return err
		}
		defer lock.Release()
	}
	return os.RemoveAll(top)
}

// Summary returns the summary over seeds (rundir.SummarizeDir) of the saved
// runs of the registered method named method in regime r (the method's
// first regime if r is empty) with the profile Profile(): of the seeds in
// METHOD-REGIME-PROFILE in ResultsDir, or of its single run when that is a
// run directory.
func Summary(method string, r mfe.Regime) (*rundir.Summary, error) {
	m, err := mfe.LookupMethod(method)
	if err != nil {
		return nil, err
	}
	if r == "" {
		r = m.Regimes()[0]
	}
	results, err := ResultsDir()
	if err != nil {
		return nil, err
	}
	return rundir.SummarizeDir(filepath.Join(results, rundir.Name(m.Name(), r, Profile())))
}

// RepoRoot returns the root of the mfe repository the notebook runs from:
// the first directory holding the mfe go.mod, looking up from the kernel's
// start directory ($GONB_DIR, the notebook's folder) or else the working
// directory.
func RepoRoot() (string, error) {
	start := os.Getenv("GONB_DIR")
	if start == "" {
		var err error
		if start, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	for dir := start; ; dir = filepath.Dir(dir) {
		if isMFERoot(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("notebook: no mfe repository (go.mod of %s) above %s", modulePath, start)
		}
	}
}

const modulePath = "github.com/mf-optimal-execution/mf-optimal-execution"

func isMFERoot(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if fs := strings.Fields(s.Text()); len(fs) == 2 && fs[0] == "module" {
			return fs[1] == modulePath
		}
	}
	return false
}

// SeedRows is the table of each run's headline metrics beside their spread
// over the run's saved seeds (Summary of its method and regime): for the
// run a notebook draws, seed 1's value, and the mean ± sample standard
// deviation over every saved seed with their number (report.MeanSDSeeds),
// of the relative control error control_rel, of the game's exploitability
// or the planner's social-cost gap, and, where a run learns a value, of
// value_rel.
func SeedRows(results ...*mfe.Result) (header []string, rows [][]string, err error) {
	withValue := false
	for _, r := range results {
		withValue = withValue || r.Metrics.ValueRel != nil
	}
	header = []string{"run", "control_rel, seed 1", "control_rel over seeds", "exploitability / gap, seed 1", "exploitability / gap over seeds"}
	if withValue {
		header = append(header, "value_rel, seed 1", "value_rel over seeds")
	}
	for _, r := range results {
		sum, err := Summary(r.Method, r.Regime)
		if err != nil {
			return nil, nil, err
		}
		gap, gapSeeds := "–", "–"
		if v, _ := r.Metrics.Gap(); v != nil {
			gap = fmt.Sprintf("%.2e", *v)
		}
		if s, _ := sum.Gap(); s != nil {
			gapSeeds = report.MeanSDSeeds(*s, "%.2e")
		}
		row := []string{report.RunTitle(r), fmt.Sprintf("%.2e", r.Metrics.ControlRel),
			report.MeanSDSeeds(sum.Metrics["control_rel"], "%.2e"), gap, gapSeeds}
		if withValue {
			v := "–"
			if r.Metrics.ValueRel != nil {
				v = fmt.Sprintf("%.2e", *r.Metrics.ValueRel)
			}
			row = append(row, v, report.MeanSDSeeds(sum.Metrics["value_rel"], "%.2e"))
		}
		rows = append(rows, row)
	}
	return header, rows, nil
}

// ShowSeeds displays SeedRows of results as a table (ShowTable) and panics
// on an error, as ShowFigure does.
func ShowSeeds(results ...*mfe.Result) {
	header, rows, err := SeedRows(results...)
	if err != nil {
		panic(err)
	}
	ShowTable(header, rows)
}

// ControlErrorRows tabulates where a run's learned control departs most
// from the exact one at each of times, on the points report.ControlFigure
// draws (report.ControlPanels: mean ± 3 sd of the exact law of X_t): the
// population's range, the largest |learned − exact| there and the x where
// it is, and the root mean square of the exact control over the range, for
// scale.
func ControlErrorRows(res *mfe.Result, times []float64) (header []string, rows [][]string, err error) {
	if res.Control == nil {
		return nil, nil, fmt.Errorf("notebook: %s run has no control", res.Method)
	}
	panels, err := report.ControlPanels(res.Params, res.Regime, res.Control, times)
	if err != nil {
		return nil, nil, err
	}
	header = []string{"t", "population's x (mean ± 3 sd)", "largest |learned − exact|", "at x", "RMS exact control"}
	for i, c := range panels {
		worst, at, ms := 0.0, c.X[0], 0.0
		for k, x := range c.X {
			if d := math.Abs(c.Learned[k] - c.Exact[k]); d > worst {
				worst, at = d, x
			}
			ms += c.Exact[k] * c.Exact[k]
		}
		rows = append(rows, []string{fmt.Sprintf("%.3g", times[i]), fmt.Sprintf("%.2f to %.2f", c.X[0], c.X[len(c.X)-1]),
			fmt.Sprintf("%.2g", worst), fmt.Sprintf("%.2f", at), fmt.Sprintf("%.2g", math.Sqrt(ms/float64(len(c.X))))})
	}
	return header, rows, nil
}

// ShowControlErrors displays ControlErrorRows of a run at times as a table
// (ShowTable) and panics on an error, as ShowFigure does.
func ShowControlErrors(res *mfe.Result, times []float64) {
	header, rows, err := ControlErrorRows(res, times)
	if err != nil {
		panic(err)
	}
	ShowTable(header, rows)
}

// or returns s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// SeedNote compares seed 1's value v of a metric with the metric's spread
// s over the saved seeds: "" when there is one seed or v lies within one
// sample standard deviation of their mean, else a clause to follow the
// value, " (seed 1 lies 1.3 sd below the seeds' mean)", for a notebook
// that draws seed 1 to say that it is not a typical run.
func SeedNote(v float64, s rundir.Stat) string {
	if s.N < 2 || !(s.SD > 0) || math.Abs(v-s.Mean) <= s.SD {
		return ""
	}
	side := "below"
	if v > s.Mean {
		side = "above"
	}
	return fmt.Sprintf(" (seed 1 lies %.2g sd %s the seeds' mean)", math.Abs(v-s.Mean)/s.SD, side)
}
