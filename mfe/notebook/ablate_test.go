package notebook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// TestAblate: a variant's seeds are trained into
// ablations/METHOD-REGIME-PROFILE/VARIANT/seed-N and reloaded from there; the
// profile's own configuration is the method's saved runs; retraining forgets
// the variant's runs only; a bad variant name is refused.
func TestAblate(t *testing.T) {
	root := fakeRepo(t)
	results := filepath.Join(root, "notebooks", "results")
	name := rundir.Name("notebook-fake", mfe.MFC, mfe.Quick)
	variant := fakeConfig{Epochs: 2} // the quick profile's has 5
	fakeRuns = nil

	out := stdout(t, func() {
		res, err := Ablate("notebook-fake", mfe.MFC, "two-epochs", variant, []uint64{1, 2}, false)
		if err != nil || len(res) != 2 || res[1].Seed != 2 || res[0].Config != variant {
			t.Fatalf("Ablate = %v, %v", res, err)
		}
	})
	want := "two-epochs, seed 1: trained in 1 s, saved in notebooks/results/ablations/notebook-fake-mfc-quick/two-epochs/seed-1\n" +
		"two-epochs, seed 2: trained in 1 s, saved in notebooks/results/ablations/notebook-fake-mfc-quick/two-epochs/seed-2\n"
	if out != want {
		t.Errorf("Ablate printed %q, want %q", out, want)
	}
	for _, seed := range []uint64{1, 2} {
		dir := rundir.SeedDir(filepath.Join(results, AblationsDir, name, "two-epochs"), seed)
		if r := fakeRuns[seed-1]; r.Seed != seed || r.Checkpoint != filepath.Join(dir, rundir.CheckpointDir) || r.Regime != mfe.MFC {
			t.Errorf("run %d: %+v", seed, r)
		}
		if _, err := rundir.ReadResult(dir); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
	}
	// Reloaded, the next time.
	out = stdout(t, func() {
		if _, err := Ablate("notebook-fake", mfe.MFC, "two-epochs", variant, []uint64{1}, false); err != nil {
			t.Fatal(err)
		}
	})
	if !strings.HasPrefix(out, "two-epochs, seed 1: reloaded from notebooks/results/ablations/notebook-fake-mfc-quick/two-epochs/seed-1") {
		t.Errorf("second Ablate printed %q", out)
	}
	// The profile's configuration: the method's own runs.
	fakeRuns = nil
	stdout(t, func() {
		if _, err := Ablate("notebook-fake", mfe.MFC, "default", fakeConfig{Epochs: 5}, []uint64{3}, true); err != nil {
			t.Fatal(err)
		}
	})
	if len(fakeRuns) != 1 || fakeRuns[0].Checkpoint != filepath.Join(results, name, "seed-3", rundir.CheckpointDir) {
		t.Errorf("the profile's configuration ran %+v, want the method's seed-3 run", fakeRuns)
	}
	// Retraining forgets the variant's runs, not the method's.
	t.Setenv(RetrainEnv, "1")
	fakeRuns = nil
	stdout(t, func() {
		if _, err := Ablate("notebook-fake", mfe.MFC, "two-epochs", variant, []uint64{1}, false); err != nil {
			t.Fatal(err)
		}
	})
	if len(fakeRuns) != 1 {
		t.Errorf("retrain: %d runs, want 1", len(fakeRuns))
	}
	if _, err := os.Stat(filepath.Join(results, AblationsDir, name, "two-epochs", "seed-2")); !os.IsNotExist(err) {
		t.Errorf("retrain kept seed 2 of the variant: %v", err)
	}
	if _, err := os.Stat(filepath.Join(results, name, "seed-3", rundir.ResultFile)); err != nil {
		t.Errorf("retraining a variant touched the method's run: %v", err)
	}
	for _, bad := range []string{"", "Two", "../x", "a b"} {
		if _, err := Ablate("notebook-fake", mfe.MFC, bad, variant, []uint64{1}, false); err == nil {
			t.Errorf("variant %q accepted", bad)
		}
	}
}

// TestRunModel: a method's runs on the capped model go to
// METHOD-REGIME-PROFILE-capped-amaxA/seed-N, with the model in the run, and
// are reloaded from there; a run the method refuses leaves nothing behind.
func TestRunModel(t *testing.T) {
	root := fakeRepo(t)
	spec := mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 1}
	fakeRuns = nil
	out := stdout(t, func() {
		if _, err := RunModel("notebook-fake", mfe.MFC, spec, []uint64{1}); err != nil {
			t.Fatal(err)
		}
	})
	dir := filepath.Join(root, "notebooks", "results", "notebook-fake-mfc-quick-capped-amax1", "seed-1")
	if len(fakeRuns) != 1 || fakeRuns[0].Model != spec || fakeRuns[0].Checkpoint != filepath.Join(dir, rundir.CheckpointDir) {
		t.Fatalf("runs %+v", fakeRuns)
	}
	if want := "capped (amax = 1), seed 1: trained in 1 s, saved in notebooks/results/notebook-fake-mfc-quick-capped-amax1/seed-1\n"; out != want {
		t.Errorf("RunModel printed %q, want %q", out, want)
	}
	out = stdout(t, func() {
		if _, err := RunModel("notebook-fake", mfe.MFC, spec, []uint64{1}); err != nil {
			t.Fatal(err)
		}
	})
	if !strings.Contains(out, "reloaded from notebooks/results/notebook-fake-mfc-quick-capped-amax1/seed-1") {
		t.Errorf("second RunModel printed %q", out)
	}
	// A model the method refuses leaves no directory behind.
	if _, err := RunModel("notebook-fake", mfe.MFC, mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 2}, []uint64{1}); err == nil {
		t.Fatal("RunModel of a refused model succeeded")
	}
	if _, err := os.Stat(filepath.Join(root, "notebooks", "results", "notebook-fake-mfc-quick-capped-amax2")); !os.IsNotExist(err) {
		t.Errorf("a refused run left its directory: %v", err)
	}
}

// fakeRepo makes a repository root of the mfe module in a temporary
// directory, as GoNB would start a kernel in its notebooks folder, at the
// quick profile with no retraining, and returns the root.
func fakeRepo(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module "+modulePath+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GONB_DIR", filepath.Join(root, "notebooks"))
	t.Setenv("GONB_TMP_DIR", "")
	t.Setenv(ProfileEnv, "quick")
	t.Setenv(RetrainEnv, "")
	return root
}
