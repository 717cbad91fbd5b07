package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sweep"
)

// TestSweep sweeps Q-learning's quick profile over the four pinned sets of
// draw seed 1 (two of which have no MFC solution), checks every row, and
// that a second sweep reloads the finished runs.
func TestSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("trains six quick runs")
	}
	dir := t.TempDir()
	args := []string{"sweep", "-sets", "4", "-methods", "q-learning", "-profile", "quick", "-quiet", "-out", dir}
	code, stdout, stderr := runCLI(args...)
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	f, err := sweep.ReadFile(filepath.Join(dir, "sweep.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Sets) != 4 || len(f.Rows) != 8 {
		t.Fatalf("%d sets and %d rows, want 4 and 8", len(f.Sets), len(f.Rows))
	}
	runs := 0
	for _, r := range f.Rows {
		switch {
		case r.Metrics != nil:
			runs++
			// The quick profile is four times cheaper than the default; a
			// broken Q update leaves control_rel near 1.
			if r.Metrics.ControlRel > 0.5 {
				t.Errorf("set %d %s: control_rel %.3g > 0.5", r.Set, r.Regime, r.Metrics.ControlRel)
			}
			if _, err := os.Stat(filepath.Join(r.Dir, "result.json")); err != nil {
				t.Errorf("set %d %s: %v", r.Set, r.Regime, err)
			}
		case !strings.Contains(r.Note, "no solution"):
			t.Errorf("set %d %s: no run and note %q", r.Set, r.Regime, r.Note)
		}
	}
	if runs != 6 {
		t.Errorf("%d runs, want 6 (sets 1 and 2 of draw seed 1 have no MFC solution)", runs)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "sweep.md"))
	if !strings.Contains(string(md), "| 3 | MF Q-learning | mfc |") {
		t.Errorf("sweep.md lacks set 3's MFC row:\n%s", md)
	}
	code, stdout, stderr = runCLI(args...)
	if code != 0 || !strings.Contains(stdout, "set 3 q-learning mfc") {
		t.Fatalf("second sweep: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

func TestSweepBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"-sets", "3"}, "-sets"},
		{[]string{"-methods", "q-learning,nope"}, "-methods"},
		{[]string{"-profile", "huge"}, "-profile"},
		{[]string{"-backend", "bogus"}, "-backend"},
	} {
		code, _, stderr := runCLI(append([]string{"sweep", "-out", t.TempDir()}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.flag) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line naming %s", tc.args, code, stderr, tc.flag)
		}
	}
}
