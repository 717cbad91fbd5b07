package main

import (
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

func runNplayerJSON(t *testing.T, args ...string) nplayerOutput {
	t.Helper()
	code, out, errs := runCLI(append([]string{"nplayer", "-json"}, args...)...)
	if code != 0 || errs != "" {
		t.Fatalf("%v: exit %d, stderr %q", args, code, errs)
	}
	var o nplayerOutput
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("%v: %v in %q", args, err, out)
	}
	return o
}

func TestNplayerTable(t *testing.T) {
	code, out, errs := runCLI("nplayer", "-n", "10,100", "-seeds", "4", "-steps", "50")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(strings.TrimSpace(lines[2]), "10 ") ||
		!strings.HasPrefix(strings.TrimSpace(lines[3]), "100 ") || !strings.HasPrefix(strings.TrimSpace(lines[4]), "inf") {
		t.Errorf("table:\n%s", out)
	}
}

// TestNplayerJSON: the exact MFG control's gap and exact Nash gap fall with
// N, the zero control's Nash gap stays (its flow is 0), and the parameters
// flags reach the game.
func TestNplayerJSON(t *testing.T) {
	mfg := runNplayerJSON(t, "-n", "10,1000", "-seeds", "8", "-steps", "50")
	if len(mfg.Gaps) != 2 || mfg.Nash == nil || mfg.Control != "exact-mfg" || !mfg.Params.Equal(mfe.Reference()) {
		t.Fatalf("output %+v", mfg)
	}
	if g := mfg.Gaps; !(g[1].Mean < g[0].Mean/10) || !(*g[1].Nash < *g[0].Nash/10) || math.Abs(mfg.Nash.Limit) > 1e-10 {
		t.Errorf("MFG gaps %+v, Nash %+v", g, *mfg.Nash)
	}
	zero := runNplayerJSON(t, "-control", "zero", "-n", "10,1000", "-seeds", "8", "-steps", "50", "-gamma", "1")
	if zero.Params.Gamma != 1 || zero.Nash == nil || zero.Nash.Slope != 0 || !(zero.Nash.Limit > 0.1) {
		t.Errorf("zero control: %+v", zero)
	}
}

// TestNplayerResult: a trained run's control.json (here the exact MFG
// control written the way `mfe train` writes it) drives the game with the
// run's parameters; explicit parameter flags override them.
func TestNplayerResult(t *testing.T) {
	p := mfe.Reference()
	p.Gamma = 1
	dir := t.TempDir()
	res := &mfe.Result{Method: "exact", Regime: mfe.MFG, Params: p, Control: exact.MustMFG(p).Control()}
	if err := rundir.Write(dir, res); err != nil {
		t.Fatal(err)
	}
	args := []string{"-n", "20", "-seeds", "4", "-steps", "50"}
	grid := runNplayerJSON(t, append(args, "-result", dir)...)
	ex := runNplayerJSON(t, append(args, "-gamma", "1")...)
	if grid.Control != "result" || grid.Nash != nil || grid.Params.Gamma != 1 || len(grid.Notes) == 0 {
		t.Fatalf("result control: %+v", grid)
	}
	if d := math.Abs(grid.Gaps[0].Mean - ex.Gaps[0].Mean); d > 0.2*ex.Gaps[0].Mean {
		t.Errorf("grid control gap %v, exact control %v", grid.Gaps[0].Mean, ex.Gaps[0].Mean)
	}
	over := runNplayerJSON(t, append(args, "-result", dir, "-sigma", "0.1")...)
	if over.Params.Sigma != 0.1 || over.Params.Gamma != 1 {
		t.Errorf("parameters %+v, want the run's with sigma = 0.1", over.Params)
	}
}

func TestNplayerBadInput(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]string{
		"n":        {"-n", "1"},
		"n ":       {"-n", "10,abc"},
		"n  ":      {"-n", "1000000", "-steps", "1000"},
		"seeds":    {"-seeds", "1"},
		"steps":    {"-steps", "0"},
		"steps ":   {"-ca", "1e-3", "-steps", "100"},
		"control":  {"-control", "nope"},
		"result":   {"-control", "result"},
		"result ":  {"-result", filepath.Join(dir, "missing")},
		"ca":       {"-ca", "0"},
		"control ": {"-T", "2", "-control", "exact-mfc"},
		"result  ": {"-control", "zero", "-result", dir},
	}
	for flag, args := range cases {
		flag = strings.TrimSpace(flag)
		code, out, errs := runCLI(append([]string{"nplayer"}, args...)...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "-"+flag) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line naming -%s", args, code, out, errs, flag)
		}
	}
}

// FuzzNplayerArgs parses and validates any `mfe nplayer` argument list
// without running the game: it must give a runnable job within the work
// bounds, or a usage error of one line naming a flag (or the stray
// argument), or help; never panic.
func FuzzNplayerArgs(f *testing.F) {
	for _, s := range []string{
		"", "-n 10,100,1000 -seeds 32", "-n 1", "-n 2,,3", "-n -5", "-n 99999999999999999999",
		"-seeds 0", "-steps 1000000 -n 1000000", "-control zero", "-control exact-mfc -T 2",
		"-control result", "-result /nonexistent", "-ca 1e-20", "-ca 1e-3 -steps 300", "-h", "extra",
		"-seed -1", "-json -n 2 -seeds 2 -steps 1",
	} {
		f.Add(s)
	}
	names := map[string]bool{"n": true, "seeds": true, "steps": true, "seed": true, "control": true, "result": true, "json": true}
	for _, n := range paramNames {
		names[n] = true
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		if len(args) > 40 {
			return
		}
		var out strings.Builder
		job, err := parseNplayer(args, &out)
		var ue usageError
		switch {
		case err == nil:
			if job.control == nil || len(job.ns) == 0 || job.cfg.Seeds < 2 || job.params.Validate() != nil {
				t.Fatalf("%q: job %+v", args, job)
			}
			work := 0.0
			for _, n := range job.ns {
				if n < 2 || float64(n)*float64(job.cfg.Steps+1) > maxPathValues {
					t.Fatalf("%q: N = %d with %d steps", args, n, job.cfg.Steps)
				}
				work += float64(n) * float64(job.cfg.Steps) * float64(job.cfg.Seeds)
			}
			if work > maxWork {
				t.Fatalf("%q: work %v", args, work)
			}
		case err == errHelp:
		case errors.As(err, &ue):
			msg := ue.msg
			if strings.Contains(msg, "\n") {
				t.Fatalf("%q: message %q is not one line", args, msg)
			}
			if strings.Contains(msg, "unexpected argument") || strings.Contains(msg, "bad flag syntax") ||
				strings.Contains(msg, "flag provided but not defined") {
				return
			}
			for _, m := range flagRef.FindAllStringSubmatch(msg, -1) {
				if names[m[1]] {
					return
				}
			}
			t.Fatalf("%q: %q names no flag", args, msg)
		default:
			t.Fatalf("%q: not a usage error: %v", args, err)
		}
	})
}
