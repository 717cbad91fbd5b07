package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// fakeMethod is the name of a method registered by this test binary only:
// a sixth method, registered like the five, which the command line and the
// comparison must take up without any other change.
const fakeMethod = "fake-exact"

type fakeConfig struct {
	Epochs int `json:"epochs"`
}

func (c fakeConfig) Validate() error { return nil }

// The fake method "learns" the exact control of its regime in a few
// epochs of nothing; it solves the MFG only.
func init() {
	mfe.Register(mfe.Spec[fakeConfig]{
		MethodName:  fakeMethod,
		MethodTitle: "Fake exact",
		Rank:        35,
		Solves:      []mfe.Regime{mfe.MFG},
		Profile:     func(p mfe.Profile) (fakeConfig, error) { return fakeConfig{Epochs: 3}, nil },
		TrainFunc: func(ctx context.Context, run mfe.Run, cfg fakeConfig) (*mfe.Result, error) {
			c, err := eval.ExactControl(run.Params, run.Regime)
			if err != nil {
				return nil, err
			}
			res := &mfe.Result{Method: fakeMethod, Regime: run.Regime, Params: run.Params, Profile: run.Profile,
				Backend: "none", Seed: run.Seed, Config: cfg, Control: c, WallTime: 0.5, EpochTime: 0.1,
				Metrics: mfe.Metrics{ControlMSE: 1e-9, ControlRel: 1e-5, Exploitability: mfe.Float(1e-8)}}
			for e := 1; e <= cfg.Epochs; e++ {
				res.History.Epoch = append(res.History.Epoch, e)
				res.History.Loss = append(res.History.Loss, 1/float64(e))
				if run.Progress != nil {
					run.Progress.Update(e, cfg.Epochs, map[string]float64{"loss": 1 / float64(e)})
				}
			}
			if run.Progress != nil {
				run.Progress.Done()
			}
			return res, nil
		},
	})
}

// TestFakeMethod: a registered method appears in `mfe methods` and the
// usage of -method, trains through `mfe train` (result.json and
// control.json written, exit 0) and takes its place in the comparison.
func TestFakeMethod(t *testing.T) {
	code, out, errs := runCLI("methods")
	if code != 0 || errs != "" {
		t.Fatalf("methods: exit %d, stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var names []string
	for _, l := range lines {
		names = append(names, strings.Fields(l)[0])
	}
	if !slices.Equal(names, mfe.MethodNames()) || !slices.Contains(names, fakeMethod) {
		t.Fatalf("mfe methods lists %v, want the registry %v with %s", names, mfe.MethodNames(), fakeMethod)
	}
	if i := slices.Index(names, fakeMethod); !strings.Contains(lines[i], "mfg") || strings.Contains(lines[i], "mfc") || !strings.Contains(lines[i], "Fake exact") {
		t.Errorf("mfe methods: %q", lines[i])
	}
	if code, out, _ := runCLI("train", "-h"); code != 0 || !strings.Contains(out, fakeMethod) {
		t.Errorf("train -h: exit %d, does not name %s:\n%s", code, fakeMethod, out)
	}
	if code, out, errs := runCLI("train", "-method", fakeMethod, "-regime", "mfc"); code != 2 || out != "" ||
		strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "solves only mfg") {
		t.Errorf("-regime mfc: exit %d, stderr %q", code, errs)
	}

	results := t.TempDir()
	dir := filepath.Join(results, rundir.Name(fakeMethod, mfe.MFG, mfe.Quick))
	code, out, errs = runCLI("train", "-method", fakeMethod, "-profile", "quick", "-quiet", "-out", dir)
	if code != 0 {
		t.Fatalf("train: exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, fakeMethod+" mfg: control_mse 1e-09, control_rel 1e-05, exploitability 1e-08") {
		t.Errorf("train stdout %q", out)
	}
	res, err := rundir.ReadResult(dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != fakeMethod || res.Regime != mfe.MFG || res.Profile != mfe.Quick || res.Seed != 1 || res.History.Len() != 3 {
		t.Errorf("result.json: %+v", res)
	}
	g, err := rundir.ReadControlGrid(dir)
	if err != nil {
		t.Fatal(err)
	}
	if g.Method != fakeMethod || !slices.EqualFunc(g.Alpha, g.Exact, slices.Equal[[]float64]) {
		t.Errorf("control.json of the exact control: method %q, alpha differs from the exact one", g.Method)
	}
	for _, f := range []string{"control.png", "training.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}

	// The comparison (notebook 06): the fake run is loaded, the other
	// methods' runs are missing, and the table has the fake's row.
	runs, missing, err := rundir.LoadRuns(results, mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Method != fakeMethod {
		t.Fatalf("LoadRuns: %v", runs)
	}
	var want []string
	for _, m := range mfe.Methods() {
		for _, r := range m.Regimes() {
			if m.Name() != fakeMethod {
				want = append(want, m.Name()+" "+string(r))
			}
		}
	}
	if !slices.Equal(missing, want) {
		t.Errorf("missing %v, want %v", missing, want)
	}
	_, rows := report.ComparisonRows(runs...)
	if len(rows) != 1 || rows[0][0] != fakeMethod || rows[0][1] != "mfg" || rows[0][4] != "1.00e-05" || rows[0][5] != "1.00e-08" {
		t.Errorf("comparison rows %v", rows)
	}
	if _, err := report.AccuracyFigure(runs...); err != nil {
		t.Error(err)
	}
	grids, err := rundir.LoadControlGrids(results, mfe.Quick)
	if err != nil || len(grids) != 1 || grids[0].Method != fakeMethod {
		t.Errorf("LoadControlGrids: %v, %v", grids, err)
	}
}
