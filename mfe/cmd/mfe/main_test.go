package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestAnalyticContract(t *testing.T) {
	code, out, errs := runCLI("analytic", "-nt", "4", "-x", "-1:1:0.5", "-gamma", "1")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"params", "t", "x", "mfg", "mfc"} {
		if _, ok := got[k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	var params map[string]float64
	json.Unmarshal(got["params"], &params)
	for _, k := range []string{"T", "sigma", "gamma", "ca", "cx", "cg", "x0-mean", "x0-std"} {
		if _, ok := params[k]; !ok {
			t.Errorf("params lacks %q", k)
		}
	}
	var a analyticOutput
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if len(a.T) != 5 || a.T[4] != 1 || len(a.X) != 5 || a.X[0] != -1 || a.X[4] != 1 {
		t.Fatalf("grid t=%v x=%v", a.T, a.X)
	}
	p := mfe.Reference()
	p.Gamma = 1
	m := exact.MustMFG(p)
	c := exact.MustMFC(p)
	for i, ti := range a.T {
		if len(a.MFG.Alpha[i]) != len(a.X) || len(a.MFG.Value[i]) != len(a.X) || len(a.MFC.Alpha[i]) != len(a.X) {
			t.Fatalf("row %d has the wrong length", i)
		}
		for j, xj := range a.X {
			check(t, "mfg alpha", a.MFG.Alpha[i][j], m.Alpha(ti, xj))
			check(t, "mfg value", a.MFG.Value[i][j], m.Value(ti, xj))
			check(t, "mfc alpha", a.MFC.Alpha[i][j], c.Alpha(ti, xj))
		}
		check(t, "mean_x", a.MFG.MeanX[i], m.E(ti))
		check(t, "mean_alpha", a.MFG.MeanAlpha[i], m.DE(ti))
		check(t, "mfc mean_x", a.MFC.MeanX[i], c.XBar(ti))
	}
	if len(a.MFG.VarX) != 5 || len(a.MFG.VarAlpha) != 5 {
		t.Fatal("variance paths have the wrong length")
	}
}

func check(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestAnalyticBadInput(t *testing.T) {
	cases := map[string][]string{
		"sigma":   {"-sigma", "-1"},
		"ca":      {"-ca", "0"},
		"T":       {"-T", "NaN"},
		"cg":      {"-cg", "Inf"},
		"x0-std":  {"-x0-std", "-0.1"},
		"x0-mean": {"-x0-mean", "abc"},
		"nt":      {"-nt", "0"},
		"x":       {"-x", "2:1:0.5"},
		"bogus":   {"-bogus", "1"},
	}
	for flag, args := range cases {
		code, out, errs := runCLI(append([]string{"analytic"}, args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" {
			t.Errorf("%v: stdout %q, want nothing", args, out)
		}
		if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "-"+flag) {
			t.Errorf("%v: stderr %q, want one line naming -%s", args, errs, flag)
		}
	}
}

func TestTrainBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"-method", "nope"},
		{"-method", "direct-mfc", "-regime", "mfg"},
		{"-method", "dgm", "-regime", "mfc"},
		{"-method", "fbsde", "-profile", "huge"},
		{"-method", "fbsde", "-ca", "-1"},
		{"-method", "fbsde", "-set", "epochs=10"}, // no -out
		{"-method", "fbsde", "-set", "epochs", "-out", t.TempDir()},
		{"-method", "fbsde", "-set", "epoch=10", "-out", t.TempDir()},
		{"-method", "fbsde", "-set", "epochs=0", "-out", t.TempDir()},
		{"-method", "fbsde", "-set", "epochs=ten", "-out", t.TempDir()},
		{"-method", "fbsde", "-set", "epochs=10", "-set", "epochs=20", "-out", t.TempDir()},
	} {
		code, out, errs := runCLI(append([]string{"train"}, args...)...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

// TestTrainWritesRun trains the quick FBSDE profile through the command line
// and checks the files that the README's section "Command line" lists.
func TestTrainWritesRun(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("train", "-method", "fbsde", "-regime", "mfc", "-profile", "quick", "-quiet", "-out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "control_rel") {
		t.Errorf("stdout %q", out)
	}
	var res mfe.Result
	if err := rundir.ReadJSON(filepath.Join(dir, "result.json"), &res); err != nil {
		t.Fatal(err)
	}
	if res.Method != "fbsde" || res.Regime != mfe.MFC || res.Profile != "quick" || res.Metrics.SocialGap == nil || res.History.Len() == 0 {
		t.Errorf("result.json: %+v", res)
	}
	var g struct {
		T, X  []float64
		Alpha [][]float64
	}
	if err := rundir.ReadJSON(filepath.Join(dir, "control.json"), &g); err != nil {
		t.Fatal(err)
	}
	// The standard grid's 15 x, continued where the MFC population goes
	// (rundir.GridX).
	xs, err := rundir.GridX(res.Params, res.Regime)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.T) != 11 || len(xs) <= 15 || !slices.Equal(g.X, xs) || len(g.Alpha) != 11 || len(g.Alpha[0]) != len(xs) {
		t.Errorf("control.json grid %dx%d, want 11x%d on rundir.GridX", len(g.Alpha), len(g.X), len(xs))
	}
	for _, f := range []string{"control.png", "training.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}

	// The same command again reloads the finished run from OUT/checkpoint:
	// same result, no training.
	code, again, errs := runCLI("train", "-method", "fbsde", "-regime", "mfc", "-profile", "quick", "-quiet", "-out", dir)
	if code != 0 || !strings.Contains(errs, "resuming from") {
		t.Fatalf("second run: exit %d: %s", code, errs)
	}
	var res2 mfe.Result
	if err := rundir.ReadJSON(filepath.Join(dir, "result.json"), &res2); err != nil {
		t.Fatal(err)
	}
	if res2.Metrics.ControlMSE != res.Metrics.ControlMSE || res2.History.Len() != res.History.Len() {
		t.Errorf("reloaded run differs: %+v vs %+v (stdout %q then %q)", res2.Metrics, res.Metrics, out, again)
	}
	// Other parameters in the same directory are refused, with a clear message.
	code, _, errs = runCLI("train", "-method", "fbsde", "-regime", "mfc", "-profile", "quick", "-quiet", "-out", dir, "-gamma", "1")
	if code != 1 || !strings.Contains(errs, "saved for another run") {
		t.Errorf("other parameters: exit %d, stderr %q", code, errs)
	}
	// -fresh trains again.
	code, _, errs = runCLI("train", "-method", "fbsde", "-regime", "mfc", "-profile", "quick", "-quiet", "-out", dir, "-gamma", "1", "-fresh")
	if code != 0 {
		t.Errorf("-fresh: exit %d, stderr %q", code, errs)
	}
	// A changed setting is another run: refused in the profile's directory,
	// trained into its own, and recorded in its result.
	code, _, errs = runCLI("train", "-method", "fbsde", "-regime", "mfc", "-profile", "quick", "-quiet", "-out", dir, "-gamma", "1", "-set", "epochs=20")
	if code != 1 || !strings.Contains(errs, "saved for another run") {
		t.Errorf("-set into the profile's run: exit %d, stderr %q", code, errs)
	}
	dir2 := t.TempDir()
	code, _, errs = runCLI("train", "-method", "fbsde", "-regime", "mfc", "-profile", "quick", "-quiet", "-out", dir2, "-set", "epochs=20", "-set", "eval_every=10")
	if code != 0 {
		t.Fatalf("-set: exit %d, stderr %q", code, errs)
	}
	var set struct {
		Config struct {
			Epochs    int `json:"epochs"`
			EvalEvery int `json:"eval_every"`
		}
	}
	if err := rundir.ReadJSON(filepath.Join(dir2, "result.json"), &set); err != nil {
		t.Fatal(err)
	}
	if set.Config.Epochs != 20 || set.Config.EvalEvery != 10 {
		t.Errorf("-set epochs=20 -set eval_every=10: result.json config %+v", set.Config)
	}
}
