package notebook

import (
	"context"
	"errors"
	"os"
	"path/filepath"
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
	dir, err := RunDir(name, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "notebooks", "results", name+"-quick"); dir != want {
		t.Fatalf("RunDir = %s, want %s", dir, want)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := RunDir(name, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal("RunDir(retrain=false) deleted the saved run")
	}
	t.Setenv(RetrainEnv, "1")
	if _, err := RunDir(name, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("MFE_RETRAIN=1 kept the saved run")
	}
	// Under GoNB (a kernel temporary directory), once per session: the
	// run the first cell retrains stays for the later cells.
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	if _, err := RunDir(name, true); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := RunDir(name, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal("a second retrain in the same kernel session deleted the run the first one trained")
	}
	t.Setenv("GONB_TMP_DIR", t.TempDir()) // a new session retrains again
	if _, err := RunDir(name, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("retrain in a new kernel session kept the saved run")
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

// The fake method solves both regimes with the exact control, in no time.
func init() {
	mfe.Register(mfe.Spec[fakeConfig]{MethodName: "notebook-fake", MethodTitle: "Fake", Rank: 1000,
		Solves:  []mfe.Regime{mfe.MFG, mfe.MFC},
		Profile: func(p mfe.Profile) (fakeConfig, error) { return fakeConfig{Epochs: len(p)}, nil },
		TrainFunc: func(ctx context.Context, run mfe.Run, cfg fakeConfig) (*mfe.Result, error) {
			fakeRuns = append(fakeRuns, run)
			c, err := eval.ExactControl(run.Params, run.Regime)
			if err != nil {
				return nil, err
			}
			res := &mfe.Result{Method: "notebook-fake", Regime: run.Regime, Params: run.Params, Profile: run.Profile,
				Seed: run.Seed, Config: cfg, Control: c, WallTime: 1}
			for e := 1; e <= cfg.Epochs; e++ {
				res.History.Epoch = append(res.History.Epoch, e)
				res.History.Loss = append(res.History.Loss, 1/float64(e))
			}
			return res, nil
		}})
}

// TestRun: the load-or-train step goes through the registry, checkpoints
// in the run directory and saves the run for the comparison.
func TestRun(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module "+modulePath+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GONB_DIR", filepath.Join(root, "notebooks"))
	t.Setenv("GONB_TMP_DIR", "")
	t.Setenv(ProfileEnv, "quick")
	t.Setenv(RetrainEnv, "")
	fakeRuns = nil
	res, err := Run("notebook-fake", "", false)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "notebooks", "results", rundir.Name("notebook-fake", mfe.MFG, mfe.Quick))
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
