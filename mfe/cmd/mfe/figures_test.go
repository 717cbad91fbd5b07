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
	// The reported direct-MFC run's spread over seeds 3 and 4, and two
	// ablations of it: one with another scheme over seeds 1 and 2, and one
	// of a single seed that the table shows without a comparison.
	sum := func(seeds []uint64, rels []float64, scheme string) *rundir.Summary {
		return &rundir.Summary{Method: "direct-mfc", Regime: mfe.MFC, Profile: "quick", Params: p, Seeds: seeds, WallTime: []float64{1, 1},
			Config:  map[string]any{"epochs": 2.0, "lr": 0.001, "scheme": scheme},
			Metrics: map[string]rundir.Stat{"control_rel": rundir.NewStat(rels)}}
	}
	if err := rundir.WriteSummary(filepath.Join(data, "runs", "direct-mfc-mfc"), sum([]uint64{3, 4}, []float64{1e-4, 1.2e-4}, "heun")); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*rundir.Summary{
		"direct-mfc-mfc--euler":  sum([]uint64{1, 2}, []float64{5e-4, 6.0e-4}, "euler"),
		"direct-mfc-mfc--seeded": sum([]uint64{1, 2}, []float64{1.1e-4, 1.1e-4}, "heun"),
	} {
		if err := rundir.WriteSummary(filepath.Join(data, memoir.AblationsDir, name), s); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCLI("figures", "-runs", data, "-out", out, "-sim-n", "2000",
		"-expect", "direct-mfc:mfc,fbsde:mfg,nosuch:mfg")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "3 runs (2 of 3 expected), 2 ablations") {
		t.Errorf("summary %q", stdout)
	}
	for _, f := range []string{"exact.tex", "exact-table.tex", "mc-check.tex", "metrics.tex", "results.tex", "backends.tex",
		"error-by-time.tex", "ablations.tex", "commands.tex", "run-fbsde-mfg.tex", "run-direct-mfc-mfc.tex", "run-nosuch-mfg.tex",
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
	if s := read("ablations.tex"); !strings.Contains(s, `\texttt{scheme~=~euler}`) || !strings.Contains(s, "the method & none") ||
		!strings.Contains(s, `\ensuremath{5.2}$\times$`) || !strings.Contains(s, "& within") {
		t.Errorf("ablations table:\n%s", s)
	}
	// Euler's mean is 5 times the method's, 5.2 times the sum of the two
	// standard deviations; the other row is within them.
	if s := read("metrics.tex"); !strings.Contains(s, `\mfedefmetric{ablation-direct-mfc-mfc--euler}{ratio}{\ensuremath{5.0}}`) ||
		!strings.Contains(s, `\mfedefmetric{ablation-direct-mfc-mfc--euler}{separation}{5.2$\times$ the seeds' spread}`) ||
		!strings.Contains(s, `\mfedefmetric{ablation-direct-mfc-mfc--seeded}{separation}{within the seeds' spread}`) {
		t.Errorf("ablation macros:\n%s", s)
	}
	if s := read("commands.tex"); !strings.Contains(s, "mfe train -method fbsde -regime mfg -profile quick -seed 3 -out") {
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
	} {
		if code, stdout, stderr := runCLI(args...); code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}
