package memoir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// Where build.sh keeps the memoir's runs and the generated files, relative
// to the repository root (where it runs mfe).
const (
	DataDir = "mfe/memoir/data"
	GenDir  = "mfe/memoir/build/gen"
)

// DefaultSimN is the number of particles of the Monte Carlo check of the
// exact solutions that the memoir reports.
const DefaultSimN = 100000

// Key is one method in one regime: a run the memoir reports.
type Key struct {
	Method string
	Regime mfe.Regime
}

// String is the key as run directories and LaTeX labels spell it,
// METHOD-REGIME.
func (k Key) String() string { return k.Method + "-" + string(k.Regime) }

// Expected returns the runs the memoir reports, in its order: every
// registered method (mfe.Methods) in each of its regimes.
func Expected() []Key {
	var keys []Key
	for _, m := range mfe.Methods() {
		for _, r := range m.Regimes() {
			keys = append(keys, Key{m.Name(), r})
		}
	}
	return keys
}

// ParseKeys parses a comma-separated list of method:regime items. The
// methods need not be registered: the memoir marks a missing one "not run".
func ParseKeys(s string) ([]Key, error) {
	var keys []Key
	for _, item := range strings.Split(s, ",") {
		m, r, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok || m == "" {
			return nil, fmt.Errorf("want method:regime items, got %q", item)
		}
		reg, err := mfe.ParseRegime(r)
		if err != nil {
			return nil, fmt.Errorf("item %q: %w", item, err)
		}
		keys = append(keys, Key{m, reg})
	}
	return keys, nil
}

// FormatKeys writes keys as ParseKeys reads them.
func FormatKeys(keys []Key) string {
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = k.Method + ":" + string(k.Regime)
	}
	return strings.Join(items, ",")
}

// Options says what Generate reads and writes.
type Options struct {
	Params mfe.Params // the model of the memoir; every run must have used it
	// Runs holds runs/KEY (the run the memoir reports for a Key),
	// runs/KEY@NAME (the same method on another backend, for the timing
	// table), ablations/KEY--VARIANT (AblationsDir) and models/NAME
	// (ModelsDir).
	Runs string
	Out  string // directory of the figures (PNG) and LaTeX fragments
	// Expect lists the reported runs in the memoir's order; nil means
	// Expected().
	Expect []Key
	SimN   int      // particles of the Monte Carlo check; 0 means DefaultSimN
	Args   []string // arguments of `mfe figures`, recorded in the reproduction appendix
}

// Summary counts what Generate found.
type Summary struct {
	Runs      int // directories under runs/
	Present   int // expected runs found
	Expected  int
	Ablations int
}

// Generate writes the memoir's figures and LaTeX fragments into opts.Out
// from the runs in opts.Runs and the exact solutions of opts.Params. Runs
// that are expected but absent get a "not run" note.
func Generate(opts Options) (Summary, error) {
	if opts.Expect == nil {
		opts.Expect = Expected()
	}
	if opts.SimN == 0 {
		opts.SimN = DefaultSimN
	}
	g := &gen{P: opts.Params, Out: opts.Out, Keys: opts.Expect, SimN: opts.SimN, Args: opts.Args}
	if err := g.load(opts.Runs); err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return Summary{}, err
	}
	steps := []func() error{g.exactFigures, g.exactMacros, g.monteCarlo, g.perRun, g.results, g.backends,
		g.errorByTime, g.accuracyTime, g.ablations, g.models, g.capped, g.commands}
	for _, step := range steps {
		if err := step(); err != nil {
			return Summary{}, err
		}
	}
	return Summary{Runs: len(g.Runs), Present: g.present(), Expected: len(g.Keys), Ablations: len(g.Ablations)}, nil
}

// runDir is one result directory.
type runDir struct {
	Dir  string
	Name string // directory name
	Res  mfe.Result
	Grid *rundir.ControlGrid // nil without control.json
	// Summary is the spread of the run's metrics over the notebooks'
	// seeds (summary.json, imported beside it), nil for a single run.
	Summary *rundir.Summary
}

func (r *runDir) key() Key { return Key{r.Res.Method, r.Res.Regime} }

// gen is one generation: the runs loaded and the files written from them.
type gen struct {
	P         mfe.Params
	Out       string
	Keys      []Key
	SimN      int
	Args      []string
	Runs      []*runDir         // runs/*, sorted by name
	Primary   map[Key]*runDir   // runs/KEY
	Ablations []*ablation       // ablations/*, sorted by name
	ModelRuns []*rundir.Summary // models/*: runs on models without a closed form
	macros    *strings.Builder
}

func (g *gen) present() int {
	n := 0
	for _, k := range g.Keys {
		if g.Primary[k] != nil {
			n++
		}
	}
	return n
}

func loadRun(dir string) (*runDir, error) {
	r := &runDir{Dir: dir, Name: filepath.Base(dir)}
	if err := rundir.ReadJSON(filepath.Join(dir, "result.json"), &r.Res); err != nil {
		return nil, err
	}
	var cg rundir.ControlGrid
	switch err := rundir.ReadJSON(filepath.Join(dir, "control.json"), &cg); {
	case err == nil:
		if len(cg.T) == 0 || len(cg.Alpha) != len(cg.T) || len(cg.Exact) != len(cg.T) {
			return nil, fmt.Errorf("%s/control.json: malformed grid", dir)
		}
		r.Grid = &cg
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	var sum rundir.Summary
	switch err := rundir.ReadJSON(filepath.Join(dir, "summary.json"), &sum); {
	case err == nil:
		if !slices.Contains(sum.Seeds, r.Res.Seed) || sum.Method != r.Res.Method || sum.Regime != r.Res.Regime {
			return nil, fmt.Errorf("%s/summary.json: summarizes %s %s seeds %v, not this run (%s %s seed %d)", dir, sum.Method, sum.Regime, sum.Seeds, r.Res.Method, r.Res.Regime, r.Res.Seed)
		}
		r.Summary = &sum
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	return r, nil
}

// subdirs returns the directories under parent holding the file name
// (every directory for name ""), sorted by name; none if parent does not
// exist.
func subdirs(parent, name string) ([]string, error) {
	entries, err := os.ReadDir(parent)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries { // os.ReadDir sorts by name
		dir := filepath.Join(parent, e.Name())
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, name)); name == "" || err == nil {
			out = append(out, dir)
		}
	}
	return out, nil
}

// loadDirs loads the result directories under parent (those holding a
// result.json), sorted by name; none if parent does not exist.
func loadDirs(parent string) ([]*runDir, error) {
	dirs, err := subdirs(parent, "result.json")
	if err != nil {
		return nil, err
	}
	var out []*runDir
	for _, dir := range dirs {
		r, err := loadRun(dir)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (g *gen) load(dir string) error {
	var err error
	if g.Runs, err = loadDirs(filepath.Join(dir, "runs")); err != nil {
		return err
	}
	if g.Ablations, err = loadAblations(filepath.Join(dir, AblationsDir)); err != nil {
		return err
	}
	if g.ModelRuns, err = loadModelRuns(filepath.Join(dir, ModelsDir)); err != nil {
		return err
	}
	g.Primary = map[Key]*runDir{}
	for _, r := range g.Runs {
		if !r.Res.Params.Equal(g.P) {
			return fmt.Errorf("memoir: %s used parameters %+v, not those of the memoir %+v", r.Dir, r.Res.Params, g.P)
		}
	}
	for _, s := range g.ModelRuns {
		if !s.Params.Equal(g.P) {
			return fmt.Errorf("memoir: the %s run of %s %s used parameters %+v, not those of the memoir %+v", s.Model, s.Method, s.Regime, s.Params, g.P)
		}
	}
	for _, a := range g.Ablations {
		if !a.Sum.Params.Equal(g.P) {
			return fmt.Errorf("memoir: %s used parameters %+v, not those of the memoir %+v", a.Dir, a.Sum.Params, g.P)
		}
	}
	for _, r := range g.Runs {
		if r.Name == r.key().String() {
			g.Primary[r.key()] = r
		} else if base, _, ok := strings.Cut(r.Name, "@"); !ok || base != r.key().String() {
			return fmt.Errorf("memoir: %s holds a %s run: name it %s or %s@BACKEND", r.Dir, r.key(), r.key(), r.key())
		}
	}
	return nil
}

// write writes a generated file into the output directory.
func (g *gen) write(name string, data []byte) error {
	return rundir.WriteFileAtomic(filepath.Join(g.Out, name), data)
}

// keyIndex is the position of k in keys, len(keys) if absent.
func keyIndex(keys []Key, k Key) int {
	for i, x := range keys {
		if x == k {
			return i
		}
	}
	return len(keys)
}

// missingReason says why an expected run has no result directory.
func missingReason(k Key) string {
	m, err := mfe.LookupMethod(k.Method)
	if err != nil {
		return "solver not present in this build"
	}
	if !mfe.Solves(m, k.Regime) {
		return "the solver does not treat this regime"
	}
	return "not run in this build"
}

// solves reports whether k's method is registered and treats k's regime.
func solves(k Key) bool {
	m, err := mfe.LookupMethod(k.Method)
	return err == nil && mfe.Solves(m, k.Regime)
}

// regimeText is a regime as the memoir's tables name it, e.g. "MFG".
func regimeText(r mfe.Regime) string { return strings.ToUpper(string(r)) }

// methodTitle is how the memoir names a method: its registered title, in
// LaTeX.
func methodTitle(name string) string { return texText(mfe.MethodTitle(name)) }
