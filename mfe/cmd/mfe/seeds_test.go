package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// TestTrainSeeds trains the quick Q-learning profile (plain Go, seconds)
// with two seeds through the command line: two run directories and their
// summary; the same command again reloads both; each seed directory is
// the run `mfe train -seed N -out DIR/seed-N` reloads; mfe summary writes
// the same summary again.
func TestTrainSeeds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs")
	args := []string{"train", "-method", "q-learning", "-regime", "mfg", "-profile", "quick", "-quiet", "-seeds", "1,2", "-out", dir}
	code, out, errs := runCLI(args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[0], "wrote "+rundir.SeedDir(dir, 1)) ||
		!strings.HasSuffix(lines[1], "wrote "+rundir.SeedDir(dir, 2)) ||
		!strings.Contains(lines[2], "seeds 1, 2, mean ± sd: control_mse ") || !strings.Contains(lines[2], " ± ") ||
		!strings.HasSuffix(lines[2], "wrote "+filepath.Join(dir, rundir.SummaryFile)) {
		t.Errorf("stdout: a line per seed, then the summary's; got\n%s", out)
	}
	var res [2]*mfe.Result
	for i := range res {
		r, err := rundir.ReadResult(rundir.SeedDir(dir, uint64(i+1)))
		if err != nil {
			t.Fatal(err)
		}
		if r.Seed != uint64(i+1) || r.Method != "q-learning" || r.Profile != mfe.Quick {
			t.Errorf("seed-%d/result.json: %s %s seed %d", i+1, r.Method, r.Profile, r.Seed)
		}
		res[i] = r
	}
	sum, err := rundir.LoadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sum.Seeds, []uint64{1, 2}) || sum.Method != "q-learning" || sum.Regime != mfe.MFG ||
		sum.Profile != mfe.Quick || sum.Params != mfe.Reference() || len(sum.WallTime) != 2 {
		t.Errorf("summary %+v", sum)
	}
	for _, name := range []string{"control_mse", "control_rel", "exploitability", "exploitability_se"} {
		s, ok := sum.Metrics[name]
		if !ok || s.N != 2 || !(s.SD > 0) || !(s.Min <= s.Mean && s.Mean <= s.Max) || s.Min == s.Max {
			t.Errorf("%s: %+v; want n 2, sd > 0, min < max, the mean between them", name, s)
		}
	}
	if s := sum.Metrics["control_mse"]; s.Min != min(res[0].Metrics.ControlMSE, res[1].Metrics.ControlMSE) ||
		s.Max != max(res[0].Metrics.ControlMSE, res[1].Metrics.ControlMSE) {
		t.Errorf("control_mse %+v, seeds' %g and %g", s, res[0].Metrics.ControlMSE, res[1].Metrics.ControlMSE)
	}
	first, err := os.ReadFile(filepath.Join(dir, rundir.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}

	// Again: both seeds reload, the summary is the same.
	code, again, errs := runCLI(args...)
	if code != 0 || strings.Count(errs, "mfe: resuming from") != 2 {
		t.Fatalf("second run: exit %d, stderr %q", code, errs)
	}
	if second, _ := os.ReadFile(filepath.Join(dir, rundir.SummaryFile)); string(second) != string(first) || again != out {
		t.Errorf("the reloaded seeds changed the output:\n%s\nthen\n%s", out, again)
	}
	// A seed directory is an ordinary run directory.
	code, one, errs := runCLI("train", "-method", "q-learning", "-regime", "mfg", "-profile", "quick", "-quiet", "-seed", "2",
		"-out", rundir.SeedDir(dir, 2))
	if code != 0 || !strings.Contains(errs, "resuming from") || one != lines[1]+"\n" {
		t.Errorf("mfe train -seed 2 -out DIR/seed-2: exit %d, stdout %q (want %q), stderr %q", code, one, lines[1]+"\n", errs)
	}
	// mfe summary rewrites the same summary.json.
	if err := os.Remove(filepath.Join(dir, rundir.SummaryFile)); err != nil {
		t.Fatal(err)
	}
	code, sout, errs := runCLI("summary", dir)
	if code != 0 || !strings.HasSuffix(sout, lines[2]+"\n") || strings.Count(sout, "\n") != 3 {
		t.Errorf("mfe summary: exit %d, stdout %q, stderr %q", code, sout, errs)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, rundir.SummaryFile)); string(b) != string(first) {
		t.Errorf("mfe summary wrote\n%s\nnot\n%s", b, first)
	}
}

// TestTrainSeedsBadInput: a bad -seeds, or -seeds with -seed, is one line
// naming the flag, exit 2, before any directory is made.
func TestTrainSeedsBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"-seeds", ""}, "-seeds"},
		{[]string{"-seeds", "1,,2"}, "-seeds"},
		{[]string{"-seeds", "1,a"}, "-seeds"},
		{[]string{"-seeds", "-1"}, "-seeds"},
		{[]string{"-seeds", "1.5"}, "-seeds"},
		{[]string{"-seeds", "2,1,2"}, "-seeds"},
		{[]string{"-seeds", "99999999999999999999"}, "-seeds"},
		{[]string{"-seed", "1", "-seeds", "1,2"}, "-seed and -seeds"},
	} {
		out := filepath.Join(t.TempDir(), "runs")
		args := append([]string{"train", "-method", "q-learning", "-profile", "quick", "-out", out}, c.args...)
		code, stdout, errs := runCLI(args...)
		if code != 2 || stdout != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.flag) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line naming %s", c.args, code, stdout, errs, c.flag)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: made %s", c.args, out)
		}
	}
}

func TestSummaryBadInput(t *testing.T) {
	empty := t.TempDir()
	for _, args := range [][]string{{}, {empty, empty}, {empty}, {filepath.Join(empty, "absent")}, {"-x", empty},
		{"-table", "-profile", "huge", empty}, {"-table", empty}, {"-table", "-models", empty}} {
		code, stdout, errs := runCLI(append([]string{"summary"}, args...)...)
		if code != 2 || stdout != "" || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "mfe summary: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line", args, code, stdout, errs)
		}
	}
	if code, stdout, _ := runCLI("summary", "-h"); code != 0 || !strings.Contains(stdout, "mfe summary [-table [-profile P] [-models]] DIR") {
		t.Errorf("-h: exit %d, stdout %q", code, stdout)
	}
}
