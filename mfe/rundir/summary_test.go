package rundir

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

type seedConfig struct {
	Epochs int     `json:"epochs"`
	LR     float64 `json:"lr"`
}

// seedRun is a result of the fake method rundir-third (MFG) for seed,
// with control_mse mse and exploitability expl (± se).
func seedRun(seed uint64, mse, expl, se, wall float64) *mfe.Result {
	p := mfe.Reference()
	return &mfe.Result{Method: "rundir-third", Regime: mfe.MFG, Params: p, Profile: mfe.Quick, Seed: seed,
		Config: seedConfig{Epochs: 10, LR: 1e-3}, WallTime: wall, Control: exact.MustMFG(p).Control(),
		Metrics: mfe.Metrics{ControlMSE: mse, ControlRel: math.Sqrt(mse), Exploitability: mfe.Float(expl), ExploitabilitySE: mfe.Float(se),
			DensityL1: map[string]float64{"0.4": mse / 10, "1": mse / 5}}}
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-14*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.17g, want %.17g", what, got, want)
	}
}

// TestSummarize checks the statistics against a hand computation: for
// 1, 2, 4 the mean is 7/3 and the sample variance
// ((4/3)² + (1/3)² + (5/3)²)/2 = 7/3.
func TestSummarize(t *testing.T) {
	runs := []*mfe.Result{seedRun(3, 4, 0.3, 0.01, 30), seedRun(1, 1, 0.1, 0.02, 10), seedRun(2, 2, 0.2, 0.03, 20)}
	s, err := Summarize(runs)
	if err != nil {
		t.Fatal(err)
	}
	if s.Method != "rundir-third" || s.Regime != mfe.MFG || s.Profile != mfe.Quick || s.Params != mfe.Reference() {
		t.Errorf("identity %+v", s)
	}
	if !reflect.DeepEqual(s.Seeds, []uint64{1, 2, 3}) || !reflect.DeepEqual(s.WallTime, []float64{10, 20, 30}) {
		t.Errorf("seeds %v, wall times %v: want 1, 2, 3 and 10, 20, 30", s.Seeds, s.WallTime)
	}
	if !reflect.DeepEqual(s.Config, map[string]any{"epochs": 10.0, "lr": 0.001}) {
		t.Errorf("config %v", s.Config)
	}
	mse := s.Metrics["control_mse"]
	if mse.N != 3 || mse.Min != 1 || mse.Max != 4 {
		t.Errorf("control_mse %+v", mse)
	}
	near(t, "mean", mse.Mean, 7.0/3)
	near(t, "sd", mse.SD, math.Sqrt(7.0/3))
	// exploitability 0.1, 0.2, 0.3: mean 0.2, sd 0.1.
	v, se := s.Gap()
	if v == nil || se == nil || v.N != 3 {
		t.Fatalf("gap %v ± %v", v, se)
	}
	near(t, "exploitability mean", v.Mean, 0.2)
	near(t, "exploitability sd", v.SD, 0.1)
	near(t, "exploitability_se mean", se.Mean, 0.02)
	near(t, "density_l1[1] mean", s.DensityL1["1"].Mean, 7.0/15)
	near(t, "wall sd", s.Wall().SD, 10)
	for _, name := range []string{"control_rel", "exploitability_se"} {
		if s.Metrics[name].N != 3 {
			t.Errorf("%s: %+v", name, s.Metrics[name])
		}
	}
	for _, name := range []string{"social_cost_gap", "value_rel", "time_to_1pct_s", "density_l1"} {
		if _, ok := s.Metrics[name]; ok {
			t.Errorf("metric %s, which no run has, is summarized", name)
		}
	}
	// A metric some runs lack is summarized over those that have it.
	runs[0].Metrics.ValueRel = mfe.Float(0.5)
	if s, err = Summarize(runs); err != nil || s.Metrics["value_rel"] != (Stat{N: 1, Mean: 0.5, Min: 0.5, Max: 0.5}) {
		t.Errorf("value_rel of one run: %+v, %v", s.Metrics["value_rel"], err)
	}

	for name, bad := range map[string]func(r *mfe.Result){
		"seed":      func(r *mfe.Result) { r.Seed = 1 },
		"method":    func(r *mfe.Result) { r.Method = "rundir-first" },
		"regime":    func(r *mfe.Result) { r.Regime = mfe.MFC },
		"profile":   func(r *mfe.Result) { r.Profile = mfe.Default },
		"params":    func(r *mfe.Result) { r.Params.Gamma = 1 },
		"config":    func(r *mfe.Result) { r.Config = seedConfig{Epochs: 11, LR: 1e-3} },
		"model":     func(r *mfe.Result) { r.Model = mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 1} },
		"reference": func(r *mfe.Result) { r.Metrics.Reference = "finite-difference (default profile)" },
	} {
		runs := []*mfe.Result{seedRun(1, 1, 0.1, 0.01, 1), seedRun(2, 2, 0.2, 0.01, 1)}
		bad(runs[1])
		if _, err := Summarize(runs); err == nil {
			t.Errorf("runs differing in %s were summarized together", name)
		}
	}
	if _, err := Summarize(nil); err == nil {
		t.Error("no run was summarized")
	}
	// Runs of another model, measured against a numerical reference: the
	// summary names both and summarizes the numbers.
	capped := []*mfe.Result{seedRun(1, 1, 0.1, 0.01, 1), seedRun(2, 3, 0.2, 0.01, 1)}
	for _, r := range capped {
		r.Model = mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 1}
		r.Metrics.Reference = "finite-difference (default profile)"
	}
	s, err = Summarize(capped)
	if err != nil || s.Model != capped[0].Model || s.Reference != capped[0].Metrics.Reference || s.Metrics["control_mse"].Mean != 2 {
		t.Errorf("capped runs: %+v, %v", s, err)
	}
	if _, ok := s.Metrics["reference"]; ok {
		t.Error("the reference's name is summarized as a metric")
	}
}

func TestNewStat(t *testing.T) {
	if s := NewStat(nil); s != (Stat{}) {
		t.Errorf("no value: %+v", s)
	}
	if s := NewStat([]float64{2.5}); s != (Stat{N: 1, Mean: 2.5, Min: 2.5, Max: 2.5}) {
		t.Errorf("one value: %+v (want sd 0)", s)
	}
	// 3, 5: mean 4, sample sd √2.
	s := NewStat([]float64{5, 3})
	near(t, "sd", s.SD, math.Sqrt2)
	if s.N != 2 || s.Mean != 4 || s.Min != 3 || s.Max != 5 {
		t.Errorf("%+v", s)
	}
}

// TestSeedLayout: the loaders find runs in both layouts, a plain run
// directory and a multi-seed one, and summary.json goes and comes back.
func TestSeedLayout(t *testing.T) {
	dir := t.TempDir()
	multi := filepath.Join(dir, Name("rundir-third", mfe.MFG, mfe.Quick))
	for _, r := range []*mfe.Result{seedRun(2, 2, 0.2, 0.01, 20), seedRun(1, 1, 0.1, 0.01, 10), seedRun(10, 4, 0.3, 0.01, 30)} {
		if err := Write(SeedDir(multi, r.Seed), r); err != nil {
			t.Fatal(err)
		}
	}
	// Not seeds: a name SeedDir does not write, a file, a seed without a result.
	for _, d := range []string{"seed-01", "seed-x", "seed-4"} {
		if err := os.MkdirAll(filepath.Join(multi, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(filepath.Join(multi, "seed-01"), seedRun(1, 9, 0.9, 0.01, 1)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(multi, "seed-5"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, Name("rundir-first", mfe.MFC, mfe.Quick))
	single := seedRun(1, 1, 0.1, 0.01, 10)
	single.Method, single.Regime, single.Metrics.Exploitability, single.Metrics.SocialGap = "rundir-first", mfe.MFC, nil, mfe.Float(0.5)
	if err := Write(plain, single); err != nil {
		t.Fatal(err)
	}

	seeds, dirs, err := SeedDirs(multi, ResultFile)
	if err != nil || !reflect.DeepEqual(seeds, []uint64{1, 2, 10}) ||
		!reflect.DeepEqual(dirs, []string{SeedDir(multi, 1), SeedDir(multi, 2), SeedDir(multi, 10)}) {
		t.Errorf("SeedDirs: %v %v %v", seeds, dirs, err)
	}
	if got, err := RunDirs(plain, ResultFile); err != nil || !reflect.DeepEqual(got, []string{plain}) {
		t.Errorf("RunDirs(plain) = %v, %v", got, err)
	}
	if !IsRun(plain) || IsRun(multi) || !IsRun(SeedDir(multi, 1)) {
		t.Error("IsRun: a run directory is one that holds result.json or checkpoint/")
	}

	runs, _, err := LoadRuns(dir, mfe.Quick)
	if err != nil || len(runs) != 2 || runs[0].Method != "rundir-first" || runs[1].Method != "rundir-third" ||
		runs[1].Seed != 1 || runs[1].Metrics.ControlMSE != 1 {
		t.Fatalf("LoadRuns: %v, %v; want the plain run and seed 1 of the multi-seed one", runs, err)
	}
	grids, err := LoadControlGrids(dir, mfe.Quick)
	if err != nil || len(grids) != 2 || grids[1].Method != "rundir-third" {
		t.Errorf("LoadControlGrids: %v, %v", grids, err)
	}

	sums, err := LoadSummaries(dir, mfe.Quick)
	if err != nil || len(sums) != 2 {
		t.Fatalf("LoadSummaries: %v, %v", sums, err)
	}
	if s := sums[0]; s.Method != "rundir-first" || s.Metrics["social_cost_gap"].N != 1 || !reflect.DeepEqual(s.Seeds, []uint64{1}) {
		t.Errorf("plain run's summary %+v", s)
	}
	s := sums[1]
	if !reflect.DeepEqual(s.Seeds, []uint64{1, 2, 10}) {
		t.Errorf("multi-seed summary over seeds %v", s.Seeds)
	}
	near(t, "control_mse mean", s.Metrics["control_mse"].Mean, 7.0/3)

	if err := WriteSummary(multi, s); err != nil {
		t.Fatal(err)
	}
	back, err := LoadSummary(multi)
	if err != nil || !reflect.DeepEqual(back, s) {
		t.Errorf("summary.json read back %+v, %v; want %+v", back, err, s)
	}
	b, _ := os.ReadFile(filepath.Join(multi, SummaryFile))
	for _, key := range []string{`"control_mse": {`, `"exploitability": {`, `"sd": `, `"wall_time_s": [`, `"seeds": [`, `"density_l1": {`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("summary.json lacks %s", key)
		}
	}
	if _, err := SummarizeDir(filepath.Join(dir, "absent")); err == nil {
		t.Error("SummarizeDir of nothing succeeded")
	}
}

// TestLoadModelSummaries: the runs on models without a closed form are the
// multi-seed directories named METHOD-REGIME-PROFILE-SUFFIX of such a
// model; the LQ runs, other profiles' and misnamed directories are not.
func TestLoadModelSummaries(t *testing.T) {
	dir := t.TempDir()
	capped := mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 1}
	write := func(name string, model mfe.ModelSpec, prof mfe.Profile, seed uint64, rel float64) {
		t.Helper()
		res := &mfe.Result{Method: "direct-mfc", Regime: mfe.MFC, Params: mfe.Reference(), Profile: prof, Seed: seed, Model: model,
			Metrics: mfe.Metrics{ControlRel: rel, Reference: "finite-difference (default profile)"}}
		if err := WriteJSON(filepath.Join(SeedDir(filepath.Join(dir, name), seed), ResultFile), res); err != nil {
			t.Fatal(err)
		}
	}
	write("direct-mfc-mfc-default-capped-amax1", capped, mfe.Default, 1, 0.01)
	write("direct-mfc-mfc-default-capped-amax1", capped, mfe.Default, 2, 0.03)
	write("direct-mfc-mfc-default", mfe.ModelSpec{}, mfe.Default, 1, 0.005)
	write("direct-mfc-mfc-quick-capped-amax1", capped, mfe.Quick, 1, 0.1)
	write("direct-mfc-mfc-default-capped-amax2", capped, mfe.Default, 1, 0.1) // named for another cap
	sums, err := LoadModelSummaries(dir, mfe.Default)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 1 || sums[0].Model != capped || !slices.Equal(sums[0].Seeds, []uint64{1, 2}) || sums[0].Metrics["control_rel"].Mean != 0.02 ||
		sums[0].Reference != "finite-difference (default profile)" {
		t.Fatalf("LoadModelSummaries = %+v", sums)
	}
}
