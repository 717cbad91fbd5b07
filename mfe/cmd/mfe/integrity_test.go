package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// crashEnv set to 1 registers the method "crash", whose training panics,
// in a child process of TestCrashExit only: the other tests never see it.
const crashEnv = "MFE_TEST_CRASH"

func init() {
	if os.Getenv(crashEnv) != "1" {
		return
	}
	mfe.Register(mfe.Spec[fakeConfig]{
		MethodName: "crash", MethodTitle: "Crash", Rank: 99, Solves: []mfe.Regime{mfe.MFG},
		Profile: func(mfe.Profile) (fakeConfig, error) { return fakeConfig{Epochs: 1}, nil },
		TrainFunc: func(_ context.Context, run mfe.Run, _ fakeConfig) (*mfe.Result, error) {
			grid := []int{1, 2}
			i := -int(run.Seed) // the index out of range [-9223372036854775808], in miniature
			return nil, fmt.Errorf("unreachable %d", grid[i])
		},
	})
}

// TestCrashExit: an internal error (a panic) in `mfe train` exits with
// status 1, not 2, printing one line that names the file holding the full
// trace, which is there.
func TestCrashExit(t *testing.T) {
	if os.Getenv(crashEnv) == "1" {
		os.Args = []string{"mfe", "train", "-method", "crash", "-quiet", "-seed", "5", "-out", os.Getenv("MFE_TEST_OUT")}
		main()
		return
	}
	tmp := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashExit$")
	cmd.Env = append(os.Environ(), crashEnv+"=1", "TMPDIR="+tmp, "MFE_TEST_OUT="+filepath.Join(tmp, "out"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1; stderr:\n%s", err, stderr.String())
	}
	errs := stderr.String()
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	last := lines[len(lines)-1]
	if !strings.Contains(last, "internal error: runtime error: index out of range [-5]") || strings.Contains(errs, "goroutine ") {
		t.Fatalf("stderr %q, want one line naming the panic, and no trace", errs)
	}
	i := strings.Index(last, tmp)
	if i < 0 {
		t.Fatalf("stderr %q names no trace file in $TMPDIR (%s)", last, tmp)
	}
	trace, err := os.ReadFile(strings.TrimSpace(last[i:]))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(trace, []byte("goroutine ")) || !bytes.Contains(trace, []byte("integrity_test.go")) {
		t.Errorf("trace file:\n%s", trace)
	}
	for _, l := range lines[:len(lines)-1] {
		if !strings.HasPrefix(l, "mfe: training crash") {
			t.Errorf("stderr line %q", l)
		}
	}
}

// TestTrainLock: a second run into a run directory held by another exits
// with status 1 at once, naming the holder's process ID, and writes
// nothing.
func TestTrainLock(t *testing.T) {
	dir := t.TempDir()
	lock, err := rundir.LockRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, out, errs := runCLI("train", "-method", fakeMethod, "-quiet", "-out", dir)
	if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, fmt.Sprintf("in use by process %d", os.Getpid())) {
		t.Errorf("held directory: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, rundir.ResultFile)); !os.IsNotExist(err) {
		t.Errorf("the refused run wrote result.json: %v", err)
	}
	lock.Release()
	if code, _, errs := runCLI("train", "-method", fakeMethod, "-quiet", "-out", dir); code != 0 {
		t.Errorf("released directory: exit %d, stderr %q", code, errs)
	}
}

// TestTrainFresh: -fresh checks the flags and the backend before it
// touches anything (-backend bogus exits 2 with the checkpoint intact),
// then removes the files mfe wrote in the checkpoint, and only those.
func TestTrainFresh(t *testing.T) {
	orig := os.Getenv(backend.EnvVar)
	t.Setenv(backend.EnvVar, orig) // -backend sets it; restored after the test
	dir := t.TempDir()
	ck := filepath.Join(dir, rundir.CheckpointDir)
	files := map[string]string{
		rundir.StateFile:    "{}",
		rundir.ManifestFile: "{}",
		"vars-000004/a.bin": "w",
		"notes.txt":         "the user's",
	}
	for name, data := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(ck, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ck, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"-backend", "bogus"},
		{"-profile", "huge"},
		{"-gamma", "-1"},
		{"-adopt-legacy"},
		{"-reevaluate"},
	} {
		code, _, errs := runCLI(append([]string{"train", "-method", fakeMethod, "-quiet", "-out", dir, "-fresh"}, args...)...)
		os.Setenv(backend.EnvVar, orig)
		if code != 2 || strings.Count(errs, "\n") != 1 {
			t.Errorf("-fresh %v: exit %d, stderr %q; want 2 and one line", args, code, errs)
		}
		for name := range files {
			if _, err := os.Stat(filepath.Join(ck, name)); err != nil {
				t.Errorf("-fresh %v removed %s: %v", args, name, err)
			}
		}
	}
	if code, _, errs := runCLI("train", "-method", fakeMethod, "-quiet", "-out", dir, "-fresh"); code != 0 {
		t.Fatalf("-fresh: exit %d, stderr %q", code, errs)
	}
	entries, _ := os.ReadDir(ck)
	if len(entries) != 1 || entries[0].Name() != "notes.txt" {
		t.Errorf("after -fresh the checkpoint holds %v, want only the user's notes.txt", entries)
	}
}

// TestTrainCheckpointIntegrity: the case through the command line.
// A finished run whose variables were deleted is refused (status 1, one
// line naming them) and its control.json is left as it was; every file the
// run wrote is readable by the group (0644).
func TestTrainCheckpointIntegrity(t *testing.T) {
	dir := t.TempDir()
	args := []string{"train", "-method", "fbsde", "-regime", "mfc", "-profile", "quick", "-quiet", "-out", dir}
	if code, _, errs := runCLI(args...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.Name() == rundir.LockFile {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := os.FileMode(0o644)
		if d.IsDir() {
			want = 0o755
			if path == dir {
				return nil // the test's temporary directory
			}
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	control, err := os.ReadFile(filepath.Join(dir, rundir.ControlFile))
	if err != nil {
		t.Fatal(err)
	}
	vars, _ := filepath.Glob(filepath.Join(dir, rundir.CheckpointDir, rundir.VarsPrefix+"*"))
	if len(vars) != 1 {
		t.Fatalf("variables directories %v, want one", vars)
	}
	if err := os.RemoveAll(vars[0]); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(args...)
	lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	last := lines[len(lines)-1]
	if code != 1 || out != "" || !strings.Contains(last, filepath.Base(vars[0])+"/") || !strings.Contains(last, "missing") {
		t.Errorf("variables deleted: exit %d, stdout %q, stderr %q; want 1 and a line naming %s", code, out, errs, filepath.Base(vars[0]))
	}
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "mfe: resuming from") || !strings.HasPrefix(lines[1], "mfe: training fbsde") {
		t.Errorf("stderr %q: want the resuming and training lines, then one error line", errs)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, rundir.ControlFile)); !bytes.Equal(again, control) {
		t.Error("the refused run overwrote control.json")
	}
}
