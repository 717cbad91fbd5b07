package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/memoir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// writeExactRun writes a run directory whose "learned" control is the
// exact one, so that every error the figures report must vanish.
func writeExactRun(t *testing.T, dir, method string, r mfe.Regime, p mfe.Params) {
	t.Helper()
	var c mfe.Control
	if r == mfe.MFG {
		c = exact.MustMFG(p).Control()
	} else {
		c = exact.MustMFC(p).Control()
	}
	res := &mfe.Result{Method: method, Regime: r, Params: p, Profile: "quick", Backend: "test", Seed: 3,
		Config:   map[string]any{"epochs": 2, "lr": 0.001, "scheme": "heun"},
		History:  mfe.History{Epoch: []int{1, 2}, Loss: []float64{1, 0.5}, EvalEpoch: []int{2}, ControlMSE: []float64{1e-4}, ControlMSEStd: []float64{1e-4}},
		Metrics:  mfe.Metrics{ControlMSE: 1e-8, ControlRel: 1e-4, Exploitability: mfe.Float(2e-7)},
		WallTime: 12.5, EpochTime: 0.5, Control: c}
	if err := report.WriteRun(dir, res); err != nil {
		t.Fatal(err)
	}
}

func TestFiguresFromRuns(t *testing.T) {
	p := mfe.Reference()
	data, out := t.TempDir(), t.TempDir()
	writeExactRun(t, filepath.Join(data, "runs", "fbsde-mfg"), "fbsde", mfe.MFG, p)
	writeExactRun(t, filepath.Join(data, "runs", "fbsde-mfg@other"), "fbsde", mfe.MFG, p)
	writeExactRun(t, filepath.Join(data, "runs", "direct-mfc-mfc"), "direct-mfc", mfe.MFC, p)
	vdir := filepath.Join(data, "variants", "fbsde-mfg-euler")
	writeExactRun(t, vdir, "fbsde", mfe.MFG, p)
	if err := rundir.WriteJSON(filepath.Join(vdir, "variant.json"), memoir.Ablation{Label: "euler", Set: map[string]string{"scheme": "euler"}}); err != nil {
		t.Fatal(err)
	}
	// Ablations at another profile than the reported run compare with a
	// base variant of their own profile.
	for name, set := range map[string]map[string]string{"direct-mfc-mfc--base": {}, "direct-mfc-mfc--euler": {"scheme": "euler"}} {
		dir := filepath.Join(data, "variants", name)
		writeExactRun(t, dir, "direct-mfc", mfe.MFC, p)
		var res map[string]any
		if err := rundir.ReadJSON(filepath.Join(dir, "result.json"), &res); err != nil {
			t.Fatal(err)
		}
		res["profile"] = "default"
		if len(set) > 0 {
			res["metrics"].(map[string]any)["control_rel"] = 5e-4
		}
		if err := rundir.WriteJSON(filepath.Join(dir, "result.json"), res); err != nil {
			t.Fatal(err)
		}
		if err := rundir.WriteJSON(filepath.Join(dir, "variant.json"), memoir.Ablation{Label: name, Set: set}); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCLI("figures", "-runs", data, "-out", out, "-sim-n", "2000",
		"-expect", "direct-mfc:mfc,fbsde:mfg,nosuch:mfg")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "3 runs (2 of 3 expected), 3 variants") {
		t.Errorf("summary %q", stdout)
	}
	for _, f := range []string{"exact.tex", "exact-table.tex", "mc-check.tex", "metrics.tex", "results.tex", "backends.tex",
		"error-by-time.tex", "variants.tex", "commands.tex", "run-fbsde-mfg.tex", "run-direct-mfc-mfc.tex", "run-nosuch-mfg.tex",
		"exact-controls.png", "density-mfc.png", "fbsde-mfg-control.png", "fbsde-mfg-training.png", "error-by-time.png", "accuracy-time.png"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty", f)
		}
	}
	read := func(name string) string {
		b, _ := os.ReadFile(filepath.Join(out, name))
		return string(b)
	}
	if s := read("run-nosuch-mfg.tex"); !strings.Contains(s, `\notrun`) || !strings.Contains(s, "solver not present") {
		t.Errorf("missing solver not marked: %q", s)
	}
	if s := read("results.tex"); !strings.Contains(s, `\ensuremath{1.0\times10^{-4}}`) || !strings.Contains(s, `\ensuremath{2.0\times10^{-7}}`) {
		t.Errorf("results table lacks the run's metrics:\n%s", s)
	}
	// The "learned" control is the exact one: the error by time is zero.
	for _, line := range strings.Split(read("error-by-time.tex"), "\n") {
		if strings.HasPrefix(line, "Deep MKV") || strings.HasPrefix(line, "Direct") {
			for _, cell := range strings.Split(strings.TrimSuffix(line, ` \\`), " & ")[2:] {
				if cell != "\\ensuremath{0}" {
					t.Errorf("error-by-time of an exact run: %q", line)
					break
				}
			}
		}
	}
	if s := read("backends.tex"); strings.Count(s, "Deep MKV FBSDE") != 2 {
		t.Errorf("backends table should list both FBSDE runs:\n%s", s)
	}
	if s := read("variants.tex"); !strings.Contains(s, `\texttt{scheme=euler}`) || !strings.Contains(s, "this implementation") {
		t.Errorf("variants table:\n%s", s)
	}
	if s := read("metrics.tex"); !strings.Contains(s, `\mfedefmetric{variant-direct-mfc-mfc--euler}{ratio}{\ensuremath{5.0}}`) ||
		strings.Contains(s, `variant-direct-mfc-mfc--base}{ratio}`) || strings.Contains(s, `variant-fbsde-mfg-euler}{ratio}{\ensuremath{1.0}}`) == false {
		t.Errorf("variant ratios (to the base of the same profile):\n%s", s)
	}
	if s := read("commands.tex"); !strings.Contains(s, "mfe train -method fbsde -regime mfg -profile quick -seed 3 -out") ||
		!strings.Contains(s, "mfe figures variant -method fbsde") {
		t.Errorf("commands:\n%s", s)
	}
	// The exact macros hold the memoir's reference numbers: the parameters and
	// the exact controls at (0, mu0).
	if s := read("exact.tex"); !strings.Contains(s, `\newcommand{\exMFGalphaZero}{\ensuremath{-1.155}}`) ||
		!strings.Contains(s, `\newcommand{\exMFCalphaZero}{\ensuremath{1.086}}`) || !strings.Contains(s, `\newcommand{\pGamma}{\ensuremath{1.75}}`) {
		t.Errorf("exact.tex:\n%s", s)
	}
}

func TestFiguresRejects(t *testing.T) {
	p := mfe.Reference()
	data := t.TempDir()
	writeExactRun(t, filepath.Join(data, "runs", "fbsde-mfc"), "fbsde", mfe.MFG, p)
	if code, _, stderr := runCLI("figures", "-runs", data, "-out", t.TempDir(), "-sim-n", "2000"); code != 1 || !strings.Contains(stderr, "name it fbsde-mfg") {
		t.Errorf("misnamed run: exit %d, %q", code, stderr)
	}
	data = t.TempDir()
	q := p
	q.Gamma = 1
	writeExactRun(t, filepath.Join(data, "runs", "fbsde-mfg"), "fbsde", mfe.MFG, q)
	if code, _, stderr := runCLI("figures", "-runs", data, "-out", t.TempDir(), "-sim-n", "2000"); code != 1 || !strings.Contains(stderr, "parameters") {
		t.Errorf("other parameters: exit %d, %q", code, stderr)
	}
	for _, args := range [][]string{
		{"figures", "-expect", "fbsde"},
		{"figures", "-sim-n", "10"},
		{"figures", "import", "onlyone"},
		{"figures", "variant", "-method", "nosuch"},
		{"figures", "variant", "-method", "fbsde", "-set", "scheme=euler", "-out", "d"},
		{"figures", "variant", "-method", "fbsde", "-set", "nosuch=1", "-label", "x", "-out", t.TempDir()},
	} {
		if code, stdout, stderr := runCLI(args...); code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}
