package notebook

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

func TestRunDir(t *testing.T) {
	t.Setenv("GONB_DIR", "")
	t.Setenv(ProfileEnv, "quick")
	t.Setenv(RetrainEnv, "")
	t.Setenv("GONB_TMP_DIR", "")
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "notebooks")); err != nil {
		t.Fatalf("RepoRoot() = %s, which has no notebooks/", root)
	}
	// From the notebooks folder, as under GoNB.
	t.Setenv("GONB_DIR", filepath.Join(root, "notebooks"))
	name := "runs-test-" + filepath.Base(t.TempDir())
	top := filepath.Join(root, "notebooks", "results", name+"-quick")
	t.Cleanup(func() { os.RemoveAll(top) })
	dir, err := RunDir(name, false)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing saved yet: seed 1 of a multi-seed directory.
	if want := filepath.Join(top, "seed-1"); dir != want {
		t.Fatalf("RunDir = %s, want %s", dir, want)
	}
	// A saved run in a plain run directory (the memoir profile's) is found
	// there.
	if err := os.MkdirAll(filepath.Join(top, rundir.CheckpointDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if dir, err = RunDir(name, false); err != nil || dir != top {
		t.Fatalf("RunDir of a plain run directory = %s, %v; want %s", dir, err, top)
	}
	if err := os.RemoveAll(top); err != nil {
		t.Fatal(err)
	}
	// Saved seeds: seed 1's directory; retraining deletes every seed.
	saveSeeds := func() {
		t.Helper()
		for _, d := range []string{"seed-1", "seed-2"} {
			if err := os.MkdirAll(filepath.Join(top, d, rundir.CheckpointDir), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	saveSeeds()
	if dir, err = RunDir(name, false); err != nil || dir != filepath.Join(top, "seed-1") {
		t.Fatalf("RunDir = %s, %v", dir, err)
	}
	if _, err := os.Stat(filepath.Join(top, "seed-2")); err != nil {
		t.Fatal("RunDir(retrain=false) deleted a saved run")
	}
	t.Setenv(RetrainEnv, "1")
	if dir, err = RunDir(name, false); err != nil || dir != filepath.Join(top, "seed-1") {
		t.Fatalf("retrain: RunDir = %s, %v", dir, err)
	}
	if _, err := os.Stat(top); !os.IsNotExist(err) {
		t.Fatal("MFE_RETRAIN=1 kept the saved runs")
	}
	t.Setenv(RetrainEnv, "")
	// Not while a run writes there: neither seed 1 nor the sweep over seeds.
	saveSeeds()
	for _, d := range []string{top, filepath.Join(top, "seed-1")} {
		lock, err := rundir.LockRun(d)
		if err != nil {
			t.Fatal(err)
		}
		var le *rundir.LockedError
		if _, err := RunDir(name, true); !errors.As(err, &le) {
			t.Errorf("retrain while %s is held: err = %v, want a *rundir.LockedError", d, err)
		}
		lock.Release()
		if _, err := os.Stat(filepath.Join(top, "seed-2")); err != nil {
			t.Fatalf("the refused retrain deleted a run: %v", err)
		}
	}
	// Under GoNB (a kernel temporary directory), once per session: the
	// run the first cell retrains stays for the later cells.
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	if _, err := RunDir(name, true); err != nil {
		t.Fatal(err)
	}
	saveSeeds()
	if _, err := RunDir(name, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(top); err != nil {
		t.Fatal("a second retrain in the same kernel session deleted the run the first one trained")
	}
	t.Setenv("GONB_TMP_DIR", t.TempDir()) // a new session retrains again
	if _, err := RunDir(name, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(top); !os.IsNotExist(err) {
		t.Fatal("retrain in a new kernel session kept the saved runs")
	}
	t.Setenv("GONB_DIR", "/")
	if _, err := RepoRoot(); err == nil {
		t.Error("RepoRoot from / found a repository")
	}
}

type fakeConfig struct{ Epochs int }

func (c fakeConfig) Validate() error { return nil }

// fakeRuns are the runs the fake method was asked for.
var fakeRuns []mfe.Run

// The fake method solves both regimes with the exact control, in no time,
// and refuses the capped model with the cap 2 before saving anything.
func init() {
	mfe.Register(mfe.Spec[fakeConfig]{MethodName: "notebook-fake", MethodTitle: "Fake", Rank: 1000,
		Solves:  []mfe.Regime{mfe.MFG, mfe.MFC},
		Models:  []string{mfe.ModelCapped},
		Profile: func(p mfe.Profile) (fakeConfig, error) { return fakeConfig{Epochs: len(p)}, nil },
		TrainFunc: func(ctx context.Context, run mfe.Run, cfg fakeConfig) (*mfe.Result, error) {
			fakeRuns = append(fakeRuns, run)
			if run.Model.AMax == 2 {
				return nil, errors.New("notebook-fake: refuses the cap 2") // a model the method cannot solve
			}
			c, err := eval.ExactControl(run.Params, run.Regime)
			if err != nil {
				return nil, err
			}
			res := &mfe.Result{Method: "notebook-fake", Regime: run.Regime, Params: run.Params, Profile: run.Profile,
				Seed: run.Seed, Config: cfg, Control: c, WallTime: 1,
				Metrics: mfe.Metrics{ControlRel: 0.01, Exploitability: mfe.Float(1e-3)}}
			for e := 1; e <= cfg.Epochs; e++ {
				res.History.Epoch = append(res.History.Epoch, e)
				res.History.Loss = append(res.History.Loss, 1/float64(e))
			}
			// A finished checkpoint, which the next run reloads.
			if run.Checkpoint != "" {
				if err := os.MkdirAll(run.Checkpoint, 0o755); err != nil {
					return nil, err
				}
				check := rundir.NewControlCheck(run.Params.T, c, "go")
				if err := rundir.CommitCheckpoint(run.Checkpoint, []byte(`{}`), []byte(`{}`), nil, check); err != nil {
					return nil, err
				}
			}
			return res, nil
		}})
}

// TestRun: the load-or-train step goes through the registry, checkpoints
// in the run directory and saves the run for the comparison.
func TestRun(t *testing.T) {
	root := fakeRepo(t)
	fakeRuns = nil
	var res *mfe.Result
	out := stdout(t, func() {
		var err error
		if res, err = Run("notebook-fake", "", false); err != nil {
			t.Fatal(err)
		}
	})
	top := filepath.Join(root, "notebooks", "results", rundir.Name("notebook-fake", mfe.MFG, mfe.Quick))
	dir := rundir.SeedDir(top, 1)
	// What Run says: trained, then reloaded, the run directory relative to
	// the repository, and the configuration.
	if want := "Fake, mean-field game, profile quick, seed 1: trained in 1 s, saved in notebooks/results/notebook-fake-mfg-quick/seed-1\nconfiguration: Epochs = 5\n"; out != want {
		t.Errorf("Run printed %q, want %q", out, want)
	}
	out = stdout(t, func() {
		if _, err := Run("notebook-fake", "", false); err != nil {
			t.Fatal(err)
		}
	})
	if want := "Fake, mean-field game, profile quick, seed 1: reloaded from notebooks/results/notebook-fake-mfg-quick/seed-1 (trained earlier, in 1 s)\n"; !strings.HasPrefix(out, want) {
		t.Errorf("Run of a finished run printed %q, want it to start %q", out, want)
	}
	fakeRuns = fakeRuns[:1]
	if len(fakeRuns) != 1 {
		t.Fatalf("%d runs", len(fakeRuns))
	}
	if r := fakeRuns[0]; r.Regime != mfe.MFG || r.Profile != mfe.Quick || r.Seed != 1 || r.Params != mfe.Reference() ||
		r.Checkpoint != filepath.Join(dir, rundir.CheckpointDir) || r.Progress == nil {
		t.Errorf("run %+v", r)
	}
	runs, _, err := rundir.LoadRuns(filepath.Join(root, "notebooks", "results"), mfe.Quick)
	if err != nil || len(runs) != 1 || runs[0].Method != "notebook-fake" || runs[0].Metrics.ControlRel != res.Metrics.ControlRel {
		t.Fatalf("saved runs %v, err %v", runs, err)
	}
	for _, f := range []string{rundir.ControlFile, "control.png", "training.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// The summary over the saved seeds: seed 1, then seed 2 copied in.
	sum, err := Summary("notebook-fake", "")
	if err != nil || !reflect.DeepEqual(sum.Seeds, []uint64{1}) || sum.Metrics["control_rel"].N != 1 {
		t.Fatalf("Summary: %+v, %v", sum, err)
	}
	seed2 := *res
	seed2.Seed = 2
	seed2.Metrics = mfe.Metrics{ControlRel: 0.03, Exploitability: mfe.Float(3e-3)}
	if err := rundir.Write(rundir.SeedDir(top, 2), &seed2); err != nil {
		t.Fatal(err)
	}
	if sum, err = Summary("notebook-fake", mfe.MFG); err != nil || !reflect.DeepEqual(sum.Seeds, []uint64{1, 2}) {
		t.Fatalf("Summary over two seeds: %+v, %v", sum, err)
	}
	// Seed 1's headline beside the seeds' mean ± sd: 0.01 and 0.03 have
	// mean 0.02 and sample sd 0.0141.
	header, rows, err := SeedRows(res)
	want := [][]string{{"Fake, mean-field game", "1.00e-02", "2.00e-02 ± 1.41e-02 (2 seeds)", "1.00e-03", "2.00e-03 ± 1.41e-03 (2 seeds)"}}
	if err != nil || len(header) != len(want[0]) || !reflect.DeepEqual(rows, want) {
		t.Errorf("SeedRows = %v, %v, %v; want the rows %v", header, rows, err, want)
	}
	if _, err := Summary("notebook-fake", mfe.MFC); err == nil {
		t.Error("Summary of a run never saved succeeded")
	}
	// A run directory another run writes (mfe train, another notebook) is
	// refused at once, untrained, as is retraining it.
	lock, err := rundir.LockRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	var le *rundir.LockedError
	if _, err := Run("notebook-fake", "", false); !errors.As(err, &le) || le.PID != os.Getpid() || len(fakeRuns) != 1 {
		t.Errorf("held run directory: err = %v, %d runs; want a *rundir.LockedError naming this process and no run", err, len(fakeRuns))
	}
	if _, err := Run("notebook-fake", "", true); !errors.As(err, &le) {
		t.Errorf("retraining a held run directory: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, rundir.ResultFile)); err != nil {
		t.Errorf("the refused retrain deleted the run: %v", err)
	}
	lock.Release()
	if _, err := Run("notebook-fake", mfe.MFC, false); err != nil {
		t.Fatal(err)
	}
	if fakeRuns[1].Regime != mfe.MFC {
		t.Errorf("regime %s, want mfc", fakeRuns[1].Regime)
	}
	if _, err := Run("no-such-method", "", false); err == nil {
		t.Error("an unknown method was trained")
	}
	t.Setenv(ProfileEnv, "huge")
	if _, err := Run("notebook-fake", "", false); err == nil {
		t.Error("an unknown profile was trained")
	}
	if m := Method("notebook-fake"); m.Title() != "Fake" {
		t.Errorf("Method: %v", m.Title())
	}
}

// stdout returns what f writes to os.Stdout.
func stdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = w
	done := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		done <- b
	}()
	defer func() { os.Stdout = saved }()
	f()
	w.Close()
	return string(<-done)
}

// TestConfigText: a configuration's JSON keys and values in its order,
// arrays and strings written plainly, empty strings and nulls left out.
func TestConfigText(t *testing.T) {
	type cfg struct {
		N          int       `json:"n"`
		Hidden     []int     `json:"hidden"`
		Activation string    `json:"activation"`
		LR         float64   `json:"lr"`
		Scheme     string    `json:"scheme"`
		Extra      *struct{} `json:"extra"`
		Moment     bool      `json:"moment_match"`
	}
	got, err := ConfigText(cfg{N: 2000, Hidden: []int{64, 64}, LR: 1e-5, Scheme: "heun", Moment: true})
	want := "n = 2000, hidden = [64, 64], lr = 0.00001, scheme = heun, moment_match = true"
	if err != nil || got != want {
		t.Errorf("ConfigText = %q, %v; want %q", got, err, want)
	}
	if _, err := ConfigText(3); err == nil {
		t.Error("ConfigText of a number: no error")
	}
}

// TestControlErrorRows: the largest error of a control off the exact one
// by 0.1 x, over the population's range at t = 0, N(0.5, 0.3²): x from
// -0.4 to 1.4, the largest error 0.14 at its right end.
func TestControlErrorRows(t *testing.T) {
	p := mfe.Reference()
	ex, err := eval.ExactControl(p, mfe.MFG)
	if err != nil {
		t.Fatal(err)
	}
	off := mfe.ControlFunc(func(tt, x float64) float64 {
		a := []float64{0}
		ex.Eval(tt, []float64{x}, a)
		return a[0] + 0.1*x
	})
	res := &mfe.Result{Method: "m", Regime: mfe.MFG, Params: p, Control: off}
	_, rows, err := ControlErrorRows(res, []float64{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !reflect.DeepEqual(rows[0][:4], []string{"0", "-0.40 to 1.40", "0.14", "1.40"}) {
		t.Errorf("rows %v, want t = 0 over -0.40 to 1.40 with 0.14 at 1.40 first", rows)
	}
	if _, _, err := ControlErrorRows(&mfe.Result{Method: "m", Regime: mfe.MFG, Params: p}, []float64{0}); err == nil {
		t.Error("a run without a control: no error")
	}
}

// TestSeedNote: nothing within one sd of the seeds' mean or for one seed,
// how far and on which side beyond.
func TestSeedNote(t *testing.T) {
	s := rundir.NewStat([]float64{0.022, 0.03, 0.058}) // mean 0.0367, sd 0.0189
	for _, c := range []struct {
		v    float64
		want string
	}{{0.03, ""}, {0.01, " (seed 1 lies 1.4 sd below the seeds' mean)"}, {0.07, " (seed 1 lies 1.8 sd above the seeds' mean)"}} {
		if got := SeedNote(c.v, s); got != c.want {
			t.Errorf("SeedNote(%g) = %q, want %q", c.v, got, c.want)
		}
	}
	if got := SeedNote(1, rundir.NewStat([]float64{0.02})); got != "" {
		t.Errorf("one seed: %q", got)
	}
}

// TestRelPath: inside the repository relative to its root, outside as given.
func TestRelPath(t *testing.T) {
	t.Setenv("GONB_DIR", "")
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if got := RelPath(filepath.Join(root, "notebooks", "results")); got != "notebooks/results" {
		t.Errorf("RelPath of the results directory = %q", got)
	}
	outside := filepath.Dir(root)
	if got := RelPath(outside); got != outside {
		t.Errorf("RelPath(%s) = %q, want it unchanged", outside, got)
	}
}
