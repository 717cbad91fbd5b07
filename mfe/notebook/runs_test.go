package notebook

import (
	"os"
	"path/filepath"
	"testing"
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
