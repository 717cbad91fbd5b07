package rundir

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// commitSample commits a checkpoint in a new directory: state.json and two
// files in vars-000004/, with a control check.
func commitSample(t *testing.T) (dir string, state []byte, check *ControlCheck) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "checkpoint")
	if err := os.MkdirAll(filepath.Join(dir, "vars-000004"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"a.bin": "weights", "a.json": "{}"} {
		if err := os.WriteFile(filepath.Join(dir, "vars-000004", name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := mfe.Reference()
	check = NewControlCheck(p.T, exact.MustMFG(p).Control(), "test")
	state = []byte(`{"epoch": 4, "variables": "vars-000004"}` + "\n")
	files := []string{"vars-000004/a.bin", "vars-000004/a.json"}
	if err := CommitCheckpoint(dir, json.RawMessage(`{"seed":1}`), state, files, check); err != nil {
		t.Fatal(err)
	}
	return dir, state, check
}

// wantCheckpointError fails t unless err is a *CheckpointError about file
// whose message contains every one of words.
func wantCheckpointError(t *testing.T, what string, err error, file string, words ...string) {
	t.Helper()
	var ce *CheckpointError
	if !errors.As(err, &ce) {
		t.Errorf("%s: err = %v, want a *CheckpointError", what, err)
		return
	}
	if ce.File != file {
		t.Errorf("%s: the error names %q, want %q (%v)", what, ce.File, file, err)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %q does not say %q", what, err, w)
		}
	}
}

// TestCheckpointManifest: a committed checkpoint opens with its state and
// manifest; one with a listed file missing, truncated or altered, or with
// an unlisted file in a verified directory, is refused naming the file.
func TestCheckpointManifest(t *testing.T) {
	dir, state, check := commitSample(t)
	got, m, err := OpenCheckpoint(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	var key bytes.Buffer
	if err := json.Compact(&key, m.Key); err != nil {
		t.Fatal(err)
	}
	if string(got) != string(state) || key.String() != `{"seed":1}` || len(m.Files) != 3 {
		t.Fatalf("state %q, manifest %+v", got, m)
	}
	if !reflect.DeepEqual(m.Check, check) {
		t.Errorf("control check %+v, want %+v", m.Check, check)
	}
	if err := m.VerifyDir(dir, "vars-000004"); err != nil {
		t.Errorf("VerifyDir: %v", err)
	}
	if under := m.Under("vars-000004"); len(under) != 2 {
		t.Errorf("Under: %v", under)
	}
	for _, name := range []string{ManifestFile, StateFile} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != FileMode {
			t.Errorf("%s: %v, %v; want mode %v", name, fi, err, os.FileMode(FileMode))
		}
	}

	damage := []struct {
		name, file string
		do         func(dir string) error
		words      []string
	}{
		{"missing variables", "vars-000004/a.bin", func(d string) error { return os.RemoveAll(filepath.Join(d, "vars-000004")) }, []string{"missing"}},
		{"truncated", "vars-000004/a.bin", func(d string) error { return os.Truncate(filepath.Join(d, "vars-000004/a.bin"), 3) }, []string{"truncated"}},
		{"altered", "vars-000004/a.json", func(d string) error { return os.WriteFile(filepath.Join(d, "vars-000004/a.json"), []byte("[]"), 0o644) }, []string{"altered"}},
		{"state altered", StateFile, func(d string) error { return os.WriteFile(filepath.Join(d, StateFile), []byte("{}"), 0o644) }, []string{"truncated or altered"}},
		{"state missing", StateFile, func(d string) error { return os.Remove(filepath.Join(d, StateFile)) }, []string{"missing"}},
		{"manifest broken", ManifestFile, func(d string) error { return os.WriteFile(filepath.Join(d, ManifestFile), []byte("{"), 0o644) }, []string{"unreadable"}},
		{"file made a link", "vars-000004/a.bin", func(d string) error {
			p := filepath.Join(d, "vars-000004/a.bin")
			outside := filepath.Join(filepath.Dir(d), "outside.bin")
			if err := os.Rename(p, outside); err != nil {
				return err
			}
			return os.Symlink(outside, p)
		}, []string{"symbolic link"}},
		{"directory made a link", "vars-000004/a.bin", func(d string) error {
			p := filepath.Join(d, "vars-000004")
			outside := filepath.Join(filepath.Dir(d), "outside")
			if err := os.Rename(p, outside); err != nil {
				return err
			}
			return os.Symlink(outside, p)
		}, []string{"symbolic link"}},
	}
	for _, tc := range damage {
		dir, _, _ := commitSample(t)
		if err := tc.do(dir); err != nil {
			t.Fatal(err)
		}
		_, _, err := OpenCheckpoint(dir, false)
		wantCheckpointError(t, tc.name, err, tc.file, append(tc.words, dir)...)
	}

	// A file dropped into the variables' directory is refused by VerifyDir.
	dir, _, _ = commitSample(t)
	if err := os.WriteFile(filepath.Join(dir, "vars-000004", "b.bin"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, m, err = OpenCheckpoint(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wantCheckpointError(t, "unlisted file", m.VerifyDir(dir, "vars-000004"), "vars-000004/b.bin", "not listed")
	wantCheckpointError(t, "empty directory", m.VerifyDir(dir, "vars-000009"), "vars-000009", "lists no file")
}

// TestCheckpointInterruptedSave: a save interrupted after its manifest,
// before its state.json was renamed into place, is completed on opening;
// one interrupted before its manifest leaves the previous checkpoint.
func TestCheckpointInterruptedSave(t *testing.T) {
	dir, state, _ := commitSample(t)
	if err := os.Rename(filepath.Join(dir, StateFile), filepath.Join(dir, pendingState)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, StateFile), []byte(`{"epoch": 2}`), 0o644); err != nil { // the previous state
		t.Fatal(err)
	}
	got, _, err := OpenCheckpoint(dir, false)
	if err != nil || string(got) != string(state) {
		t.Fatalf("state %q, err %v; want %q", got, err, state)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, StateFile)); string(b) != string(state) {
		t.Errorf("state.json %q after completing the save, want %q", b, state)
	}
	if _, err := os.Stat(filepath.Join(dir, pendingState)); !os.IsNotExist(err) {
		t.Errorf("the pending state stayed: %v", err)
	}
	// Before the manifest: a pending state that the manifest does not list
	// changes nothing.
	if err := os.WriteFile(filepath.Join(dir, pendingState), []byte(`{"epoch": 6}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _, err := OpenCheckpoint(dir, false); err != nil || string(got) != string(state) {
		t.Errorf("with a pending state of an unfinished save: state %q, err %v", got, err)
	}
}

// TestCheckpointLegacy: no manifest and no state is no checkpoint; a
// state.json without a manifest is refused with a *LegacyError unless
// asked for, then returned unverified.
func TestCheckpointLegacy(t *testing.T) {
	dir := t.TempDir()
	if s, m, err := OpenCheckpoint(dir, false); s != nil || m != nil || err != nil {
		t.Errorf("empty directory: %q %v %v", s, m, err)
	}
	if s, m, err := OpenCheckpoint(filepath.Join(dir, "absent"), false); s != nil || m != nil || err != nil {
		t.Errorf("absent directory: %q %v %v", s, m, err)
	}
	if err := os.WriteFile(filepath.Join(dir, StateFile), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	var le *LegacyError
	if _, _, err := OpenCheckpoint(dir, false); !errors.As(err, &le) || !strings.Contains(err.Error(), "-adopt-legacy") {
		t.Errorf("state without manifest: err = %v, want a *LegacyError naming -adopt-legacy", err)
	}
	if s, m, err := OpenCheckpoint(dir, true); string(s) != "{}" || m != nil || err != nil {
		t.Errorf("legacy read: %q %v %v", s, m, err)
	}
}

// TestLocalPath: paths inside a checkpoint stay inside it.
func TestLocalPath(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "../../../etc", "/etc", "a/../../b", "link", "link/x"} {
		if p, err := LocalPath(dir, bad); err == nil {
			t.Errorf("LocalPath(%q) = %s, want an error", bad, p)
		}
	}
	for _, good := range []string{"vars-000001", "a/b", "missing/x"} {
		if p, err := LocalPath(dir, good); err != nil || p != filepath.Join(dir, good) {
			t.Errorf("LocalPath(%q) = %s, %v", good, p, err)
		}
	}
}

// TestRemoveCheckpoint: the project's files go, a user's file stays (and
// so its directory); a checkpoint of only the project's files goes whole.
func TestRemoveCheckpoint(t *testing.T) {
	dir, _, _ := commitSample(t)
	for _, d := range []string{"vars-000002", ".vars-tmp123"} { // left by an interrupted save
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := RemoveCheckpoint(dir); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "notes.txt" {
		t.Errorf("left %v, want only notes.txt", entries)
	}
	dir, _, _ = commitSample(t)
	if err := RemoveCheckpoint(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("checkpoint of project files only: %v, want it removed", err)
	}
	if err := RemoveCheckpoint(dir); err != nil {
		t.Errorf("no checkpoint: %v", err)
	}
}

// TestControlCheck: the same control passes, one off by more than the
// tolerance fails naming the point, and non-finite values survive JSON.
func TestControlCheck(t *testing.T) {
	p := mfe.Reference()
	ex := exact.MustMFG(p).Control()
	saved := NewControlCheck(p.T, ex, "test")
	if len(saved.Alpha) != 11*15 {
		t.Fatalf("%d values, want 11 × 15", len(saved.Alpha))
	}
	if err := saved.Compare(NewControlCheck(p.T, ex, "other"), p.T); err != nil {
		t.Errorf("same control: %v", err)
	}
	scale := 0.0
	for _, v := range saved.Alpha {
		scale = math.Max(scale, math.Abs(v))
	}
	near := NewControlCheck(p.T, ex, "other")
	near.Alpha[20] += 0.5 * CheckTolerance * scale
	if err := saved.Compare(near, p.T); err != nil {
		t.Errorf("within the tolerance: %v", err)
	}
	off := NewControlCheck(p.T, ex, "other")
	off.Alpha[20] += 2 * CheckTolerance * scale // t = 0.1, x = -0.25
	if err := saved.Compare(off, p.T); err == nil || !strings.Contains(err.Error(), "t = 0.1, x = -0.25") {
		t.Errorf("off by twice the tolerance: %v", err)
	}
	off.Alpha[20] = math.NaN()
	if err := saved.Compare(off, p.T); err == nil {
		t.Error("NaN against a number passed")
	}
	saved.Alpha[3], saved.Alpha[4] = math.NaN(), math.Inf(-1)
	b, err := json.Marshal(saved)
	if err != nil {
		t.Fatal(err)
	}
	var back ControlCheck
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(back.Alpha[3]) || !math.IsInf(back.Alpha[4], -1) || back.Alpha[5] != saved.Alpha[5] {
		t.Errorf("decoded %v", back.Alpha[:6])
	}
	if err := saved.Compare(&back, p.T); err != nil {
		t.Errorf("after JSON: %v", err)
	}
}

// TestLockRun: a second LockRun of a held directory fails at once naming
// the holder's process ID; after Release it succeeds.
func TestLockRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	l, err := LockRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockRun(dir)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != os.Getpid() || !strings.Contains(err.Error(), "process "+itoa(os.Getpid())) {
		t.Fatalf("second lock: err = %v, want a *LockedError naming process %d", err, os.Getpid())
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := LockRun(dir)
	if err != nil {
		t.Fatalf("after Release: %v", err)
	}
	l2.Release()
	if fi, err := os.Stat(filepath.Join(dir, LockFile)); err != nil || fi.Mode().Perm() != FileMode {
		t.Errorf("lock file: %v, %v", fi, err)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
