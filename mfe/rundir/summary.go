package rundir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// Stat is the spread of one metric over the seeds of a run: the number of
// runs that have it, their mean, sample standard deviation (with n − 1;
// 0 for a single run, which measures no spread), least and greatest value.
type Stat struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

// NewStat returns the Stat of the values x (the zero Stat for none).
func NewStat(x []float64) Stat {
	if len(x) == 0 {
		return Stat{}
	}
	s := Stat{N: len(x), Min: floats.Min(x), Max: floats.Max(x)}
	if len(x) == 1 {
		s.Mean = x[0]
		return s
	}
	s.Mean, s.SD = stat.MeanStdDev(x, nil)
	return s
}

// Summary is the content of a multi-seed directory's summary.json: the
// same run (method, regime, profile, parameters, configuration) trained
// with several seeds, and the spread of each final metric over them.
type Summary struct {
	Method  string      `json:"method"`
	Regime  mfe.Regime  `json:"regime"`
	Profile mfe.Profile `json:"profile"`
	Params  mfe.Params  `json:"params"`
	// Model is the runs' model (omitted for the LQ one) and Reference the
	// control their control_mse and control_rel are measured against
	// (mfe.Metrics.Reference; empty: the exact one).
	Model     mfe.ModelSpec `json:"model,omitzero"`
	Reference string        `json:"reference,omitempty"`
	Config    any           `json:"config,omitempty"` // the method's configuration, as JSON reads it back
	Seeds     []uint64      `json:"seeds"`
	// WallTime is each seed's wall time in seconds, in the order of Seeds.
	WallTime []float64 `json:"wall_time_s"`
	// Metrics holds every number among the final metrics (mfe.Metrics) by
	// its name in their JSON (control_mse, control_rel, exploitability,
	// exploitability_se, social_cost_gap, value_rel, ...), over the runs
	// that have it; DensityL1 the density error by time, as
	// mfe.Metrics.DensityL1 keys it.
	Metrics   map[string]Stat `json:"metrics"`
	DensityL1 map[string]Stat `json:"density_l1,omitempty"`
}

// Gap returns the Stat of the social-cost gap (MFC) or the exploitability
// (MFG), and of its Monte-Carlo standard error, as mfe.Metrics.Gap picks
// them; nil where the runs have none.
func (s *Summary) Gap() (value, se *Stat) {
	pick := func(name string) *Stat {
		if v, ok := s.Metrics[name]; ok {
			return &v
		}
		return nil
	}
	if v := pick("social_cost_gap"); v != nil {
		return v, pick("social_cost_gap_se")
	}
	return pick("exploitability"), pick("exploitability_se")
}

// Wall returns the Stat of the seeds' wall times.
func (s *Summary) Wall() Stat { return NewStat(s.WallTime) }

// Summarize returns the summary of runs, the same run trained with
// distinct seeds: it refuses runs that differ in method, regime, profile,
// parameters, model, reference or configuration, or repeat a seed. The runs may come in any
// order; the summary lists them by increasing seed.
func Summarize(runs []*mfe.Result) (*Summary, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("rundir: no run to summarize")
	}
	runs = slices.Clone(runs)
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].Seed < runs[j].Seed })
	first := runs[0]
	cfg, err := canonicalJSON(first.Config)
	if err != nil {
		return nil, fmt.Errorf("rundir: %s %s seed %d: configuration: %w", first.Method, first.Regime, first.Seed, err)
	}
	s := &Summary{Method: first.Method, Regime: first.Regime, Profile: first.Profile, Params: first.Params,
		Model: first.Model, Reference: first.Metrics.Reference, Metrics: map[string]Stat{}}
	if cfg != nil {
		if err := json.Unmarshal(cfg, &s.Config); err != nil {
			return nil, err
		}
	}
	values := map[string][]float64{}
	density := map[string][]float64{}
	for i, r := range runs {
		name := fmt.Sprintf("%s %s seed %d", r.Method, r.Regime, r.Seed)
		switch {
		case i > 0 && r.Seed == runs[i-1].Seed:
			return nil, fmt.Errorf("rundir: seed %d appears twice (%s %s)", r.Seed, r.Method, r.Regime)
		case r.Method != s.Method || r.Regime != s.Regime || r.Profile != s.Profile:
			return nil, fmt.Errorf("rundir: %s (profile %s) is another run than %s %s (profile %s)", name, r.Profile, s.Method, s.Regime, s.Profile)
		case r.Params != s.Params:
			return nil, fmt.Errorf("rundir: %s was trained at other parameters than seed %d: %+v, not %+v", name, first.Seed, r.Params, s.Params)
		case r.Model != s.Model:
			return nil, fmt.Errorf("rundir: %s solves another model than seed %d: %s, not %s", name, first.Seed, r.Model, s.Model)
		case r.Metrics.Reference != s.Reference:
			return nil, fmt.Errorf("rundir: %s is measured against another reference than seed %d: %q, not %q", name, first.Seed, r.Metrics.Reference, s.Reference)
		}
		c, err := canonicalJSON(r.Config)
		if err != nil {
			return nil, fmt.Errorf("rundir: %s: configuration: %w", name, err)
		}
		if !bytes.Equal(c, cfg) {
			return nil, fmt.Errorf("rundir: %s has another configuration than seed %d: %s, not %s", name, first.Seed, c, cfg)
		}
		m, err := scalarMetrics(r.Metrics)
		if err != nil {
			return nil, fmt.Errorf("rundir: %s: %w", name, err)
		}
		for k, v := range m {
			values[k] = append(values[k], v)
		}
		for k, v := range r.Metrics.DensityL1 {
			density[k] = append(density[k], v)
		}
		s.Seeds = append(s.Seeds, r.Seed)
		s.WallTime = append(s.WallTime, r.WallTime)
	}
	for k, v := range values {
		s.Metrics[k] = NewStat(v)
	}
	if len(density) > 0 {
		s.DensityL1 = map[string]Stat{}
		for k, v := range density {
			s.DensityL1[k] = NewStat(v)
		}
	}
	return s, nil
}

// scalarMetrics returns the numbers among m's fields by their JSON names;
// density_l1, the one field keyed by time, and reference, the one that
// names, are left to the caller.
func scalarMetrics(m mfe.Metrics) (map[string]float64, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for k, v := range raw {
		if k == "density_l1" || k == "reference" {
			continue
		}
		var f float64
		if err := json.Unmarshal(v, &f); err != nil {
			return nil, fmt.Errorf("metric %s is not a number (%s): the summary has no rule for it", k, v)
		}
		out[k] = f
	}
	return out, nil
}

// canonicalJSON returns v as JSON with the keys of every object sorted, so
// that a configuration read back from result.json (a map) and the one a
// solver returned (a struct) compare equal.
func canonicalJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return nil, err
	}
	return json.Marshal(generic)
}

// SummarizeDir summarizes the runs dir stands for (RunDirs): the seeds of
// a multi-seed directory, or the one run of a run directory (n = 1).
func SummarizeDir(dir string) (*Summary, error) {
	dirs, err := RunDirs(dir, ResultFile)
	if err != nil {
		return nil, err
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("rundir: %s holds no run (neither a %s nor %sN/%s)", dir, ResultFile, SeedPrefix, ResultFile)
	}
	return summarizeDirs(dirs)
}

// summarizeDirs summarizes the runs saved in dirs.
func summarizeDirs(dirs []string) (*Summary, error) {
	var runs []*mfe.Result
	for _, d := range dirs {
		r, err := ReadResult(d)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return Summarize(runs)
}

// WriteSummary writes s into the multi-seed directory dir as summary.json
// (atomically).
func WriteSummary(dir string, s *Summary) error {
	return WriteJSON(filepath.Join(dir, SummaryFile), s)
}

// LoadSummary reads dir's summary.json.
func LoadSummary(dir string) (*Summary, error) {
	var s Summary
	if err := ReadJSON(filepath.Join(dir, SummaryFile), &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// LoadModelSummaries returns the summary of every multi-seed directory
// under dir of a model without a closed form at profile, named as
// mfe train -model and notebook.RunModel name them (NAME-PROFILE-SUFFIX,
// mfe.ModelSpec.RunSuffix), sorted like SortRuns and then by model.
func LoadModelSummaries(dir string, profile mfe.Profile) ([]*Summary, error) {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var out []*Summary
	for _, e := range entries {
		if !e.IsDir() || !strings.Contains(e.Name(), "-"+string(profile)+"-") {
			continue
		}
		_, dirs, err := SeedDirs(filepath.Join(dir, e.Name()), ResultFile)
		if err != nil {
			return nil, err
		}
		if len(dirs) == 0 {
			continue
		}
		s, err := summarizeDirs(dirs)
		if err != nil {
			return nil, err
		}
		if s.Model.IsLQ() || s.Profile != profile || e.Name() != Name(s.Method, s.Regime, profile)+s.Model.RunSuffix() {
			continue // another profile's name that happens to contain this one's, or not a model's run
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Model.String() != out[j].Model.String() {
			return out[i].Model.String() < out[j].Model.String()
		}
		return runBefore(out[i].Method, out[i].Regime, out[j].Method, out[j].Regime)
	})
	return out, nil
}

// LoadSummaries returns the summary of every run directory under dir whose
// profile is profile (as LoadRuns finds them), sorted like SortRuns: the
// seeds of a multi-seed directory, a single run's (n = 1) for a plain run
// directory. Each is computed from the runs' result.json (SummarizeDir),
// so it covers the seeds there now, whether or not summary.json was
// rewritten since they were copied in.
func LoadSummaries(dir string, profile mfe.Profile) ([]*Summary, error) {
	groups, err := runGroups(dir, profile, ResultFile)
	if err != nil {
		return nil, err
	}
	var out []*Summary
	for _, g := range groups {
		s, err := summarizeDirs(g)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return runBefore(out[i].Method, out[i].Regime, out[j].Method, out[j].Regime)
	})
	return out, nil
}
