package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// TestTrainModelBadInput: an unknown model, -amax without -model capped
// and a cap that is not finite and positive exit 2 with one line naming the
// flag, before any training. (Every registered method takes the capped
// model; mfe's TestTakesModel checks the refusal of a model a method does
// not take.)
func TestTrainModelBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		flag string
		says string
	}{
		{[]string{"-method", "direct-mfc", "-model", "quartic"}, "-model", "want lq or capped"},
		{[]string{"-method", "direct-mfc", "-amax", "2"}, "-amax", "not of -model lq"},
		{[]string{"-method", "finite-difference", "-model", "lq", "-amax", "1"}, "-amax", "not of -model lq"},
		{[]string{"-method", "direct-mfc", "-model", "capped", "-amax", "0"}, "-amax", "must be finite and > 0"},
		{[]string{"-method", "direct-mfc", "-model", "capped", "-amax", "-1"}, "-amax", "must be finite and > 0"},
		{[]string{"-method", "finite-difference", "-model", "capped", "-amax", "NaN"}, "-amax", "must be finite and > 0"},
		{[]string{"-method", "finite-difference", "-model", "capped", "-amax", "+Inf"}, "-amax", "must be finite and > 0"},
		{[]string{"-method", "finite-difference", "-model", "capped", "-amax", "one"}, "-amax", "invalid value"},
	} {
		code, out, errs := runCLI(append([]string{"train", "-profile", "quick", "-quiet", "-out", t.TempDir()}, tc.args...)...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "flag "+tc.flag) || !strings.Contains(errs, tc.says) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line naming %s and saying %q", tc.args, code, out, errs, tc.flag, tc.says)
		}
	}
}

// TestTrainCapped trains the finite-difference solver's quick profile on the
// capped model through the command line: result.json records the model
// and the reference its metrics are measured against, control.json keeps
// its layout (that of an LQ run), and the run directory is refused to a run
// of the LQ model or of another cap (exit 1), not resumed.
func TestTrainCapped(t *testing.T) {
	if testing.Short() {
		t.Skip("solves the capped model at the memoir profile (its reference)")
	}
	dir := t.TempDir()
	args := []string{"train", "-method", "finite-difference", "-regime", "mfg", "-profile", "quick", "-quiet", "-out", dir}
	code, out, errs := runCLI(append(args, "-model", "capped", "-amax", "1")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "capped (amax = 1)") || !strings.Contains(out, "against finite-difference (memoir profile)") {
		t.Errorf("stdout %q", out)
	}
	var res mfe.Result
	if err := rundir.ReadJSON(filepath.Join(dir, "result.json"), &res); err != nil {
		t.Fatal(err)
	}
	if want := (mfe.ModelSpec{Name: "capped", AMax: 1}); res.Model != want || res.Metrics.Reference == "" || !(res.Metrics.ControlRel < 1e-2) {
		t.Errorf("result.json: model %+v, metrics %+v", res.Model, res.Metrics)
	}
	b, err := os.ReadFile(filepath.Join(dir, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"model": {`) || !strings.Contains(string(b), `"amax": 1`) {
		t.Errorf("result.json does not record the model: %.400s", b)
	}
	var g rundir.ControlGrid
	if err := rundir.ReadJSON(filepath.Join(dir, "control.json"), &g); err != nil {
		t.Fatal(err)
	}
	xs, err := rundir.GridX(res.Params, res.Regime)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.T) != 11 || !slices.Equal(g.X, xs) || len(g.Alpha) != 11 || len(g.Alpha[0]) != len(xs) || len(g.Exact) != 11 {
		t.Errorf("control.json grid %dx%d, want 11x%d on rundir.GridX", len(g.Alpha), len(g.X), len(xs))
	}
	for _, row := range g.Alpha {
		for _, a := range row {
			if a < -1 || a > 1 {
				t.Fatalf("control.json: alpha %g beyond the cap", a)
			}
		}
	}
	for _, other := range [][]string{{}, {"-model", "capped", "-amax", "2"}} {
		code, _, errs := runCLI(append(args, other...)...)
		if code != 1 || !strings.Contains(errs, "saved for another run") || !strings.Contains(errs, "model") {
			t.Errorf("%v on a capped run's directory: exit %d, stderr %q", other, code, errs)
		}
	}
}
