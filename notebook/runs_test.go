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
	if want := filepath.Join(root, "results", name+"-quick"); dir != want {
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
	t.Setenv("GONB_DIR", "/")
	if _, err := RepoRoot(); err == nil {
		t.Error("RepoRoot from / found a repository")
	}
}
