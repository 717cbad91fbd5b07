package rundir

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

type fakeConfig struct{}

func (fakeConfig) Validate() error { return nil }

// Three methods registered in this test binary only, in the order second,
// first, third by Order.
func init() {
	for _, m := range []struct {
		name    string
		order   int
		regimes []mfe.Regime
	}{
		{"rundir-first", 2, []mfe.Regime{mfe.MFC}},
		{"rundir-second", 1, []mfe.Regime{mfe.MFG, mfe.MFC}},
		{"rundir-third", 3, []mfe.Regime{mfe.MFG}},
	} {
		mfe.Register(mfe.Spec[fakeConfig]{MethodName: m.name, MethodTitle: m.name, Rank: m.order, Solves: m.regimes,
			Profile: func(mfe.Profile) (fakeConfig, error) { return fakeConfig{}, nil },
			TrainFunc: func(context.Context, mfe.Run, fakeConfig) (*mfe.Result, error) {
				return nil, errors.New("not trained in this test")
			}})
	}
}

func TestWriteJSONAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b.json")
	if err := WriteJSON(path, map[string]int{"x": 1}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "{\n  \"x\": 1\n}\n" {
		t.Fatalf("file %q, err %v", b, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("%v, %v; want mode 0644 (readable by the group, like any tool's output)", fi, err)
	}
	var v map[string]int
	if err := ReadJSON(path, &v); err != nil || v["x"] != 1 {
		t.Fatalf("ReadJSON: %v, %v", v, err)
	}
	if err := WriteJSON(path, func() {}); err == nil {
		t.Error("a function was encoded")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ReadJSON(path, &v); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("ReadJSON of a broken file: %v", err)
	}
}

// TestWriteRead writes a run whose control is the exact MFG control and
// reads it back.
func TestWriteRead(t *testing.T) {
	p := mfe.Reference()
	res := &mfe.Result{Method: "rundir-third", Regime: mfe.MFG, Params: p, Profile: mfe.Quick,
		Control: exact.MustMFG(p).Control(), Metrics: mfe.Metrics{ControlRel: 0.5}}
	dir := filepath.Join(t.TempDir(), Name(res.Method, res.Regime, res.Profile))
	if err := Write(dir, res); err != nil {
		t.Fatal(err)
	}
	got, err := ReadResult(dir)
	if err != nil || got.Method != res.Method || got.Metrics.ControlRel != 0.5 || got.Profile != mfe.Quick {
		t.Fatalf("ReadResult: %+v, %v", got, err)
	}
	g, err := ReadControlGrid(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.T) != 11 || len(g.X) != 15 || len(g.Alpha) != 11 || len(g.Alpha[0]) != 15 {
		t.Fatalf("control.json grid %dx%d", len(g.Alpha), len(g.X))
	}
	if !reflect.DeepEqual(g.Alpha, g.Exact) {
		t.Error("the exact control saved as the learned one differs from the exact one")
	}
	// A run without a control has no control.json.
	res.Control = nil
	dir = t.TempDir()
	if err := Write(dir, res); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ControlFile)); !os.IsNotExist(err) {
		t.Errorf("control.json without a control: %v", err)
	}
}

func TestLoadRuns(t *testing.T) {
	dir := t.TempDir()
	p := mfe.Reference()
	save := func(method string, r mfe.Regime, prof mfe.Profile) {
		res := &mfe.Result{Method: method, Regime: r, Params: p, Profile: prof, Control: exact.MustMFG(p).Control()}
		if err := Write(filepath.Join(dir, Name(method, r, prof)), res); err != nil {
			t.Fatal(err)
		}
	}
	save("rundir-first", mfe.MFC, mfe.Quick)
	save("rundir-second", mfe.MFC, mfe.Quick)
	save("rundir-second", mfe.MFG, mfe.Quick)
	save("gone", mfe.MFG, mfe.Quick) // a method this build lacks
	save("rundir-third", mfe.MFG, mfe.Default)
	if err := os.MkdirAll(filepath.Join(dir, "training-quick"), 0o755); err != nil { // no result.json yet
		t.Fatal(err)
	}
	runs, missing, err := LoadRuns(dir, mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		got = append(got, r.Method+" "+string(r.Regime))
	}
	want := []string{"rundir-second mfg", "rundir-second mfc", "rundir-first mfc", "gone mfg"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("runs %v, want %v", got, want)
	}
	if want := []string{"rundir-third mfg"}; !reflect.DeepEqual(missing, want) {
		t.Errorf("missing %v, want %v", missing, want)
	}
	grids, err := LoadControlGrids(dir, mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, g := range grids {
		got = append(got, g.Method+" "+string(g.Regime))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("grids %v, want %v", got, want)
	}

	// No results directory is no run, not an error.
	runs, missing, err = LoadRuns(filepath.Join(dir, "absent"), mfe.Quick)
	all := []string{"rundir-second mfg", "rundir-second mfc", "rundir-first mfc", "rundir-third mfg"}
	if err != nil || len(runs) != 0 || !reflect.DeepEqual(missing, all) {
		t.Errorf("absent: runs %v, missing %v, err %v", runs, missing, err)
	}
	grids, err = LoadControlGrids(filepath.Join(dir, "absent"), mfe.Quick)
	if err != nil || len(grids) != 0 {
		t.Errorf("absent: grids %v, err %v", grids, err)
	}
}

// TestNoPlotting: computation never imports plotting.
func TestNoPlotting(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "gonum.org/v1/plot") || strings.HasSuffix(pkg, "/mfe/figure") {
			t.Errorf("rundir imports %s", pkg)
		}
	}
}

// TestGridX checks control.json's x points at the reference parameters:
// the standard grid's for the MFG, whose population (mean ± 3 sd of the
// exact law of X_t) stays within it, and continued at its step to 3.75
// for the MFC, whose population reaches 3.72 at T; every time's
// population range lies within them.
func TestGridX(t *testing.T) {
	p := mfe.Reference()
	ts, std := mfe.StandardGrid(p.T)
	for _, c := range []struct {
		r  mfe.Regime
		hi float64
	}{{mfe.MFG, 2}, {mfe.MFC, 3.75}} {
		x, err := GridX(p, c.r)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(x[:len(std)], std) || x[len(x)-1] != c.hi {
			t.Errorf("%s: x = %v, want the standard grid's continued to %g", c.r, x, c.hi)
		}
		for i := 1; i < len(x); i++ {
			if d := x[i] - x[i-1]; math.Abs(d-0.25) > 1e-12 {
				t.Errorf("%s: step %g at x = %g", c.r, d, x[i])
			}
		}
		law, _ := eval.LawX(p, c.r)
		for _, tt := range ts {
			l := law(tt)
			if lo, hi := l.Mean-GridReach*l.Std(), l.Mean+GridReach*l.Std(); lo < x[0] || hi > x[len(x)-1] {
				t.Errorf("%s: the population at t = %g, [%.3g, %.3g], leaves x ∈ [%g, %g]", c.r, tt, lo, hi, x[0], x[len(x)-1])
			}
		}
	}
}

// TestGridControlReference: control.json sets a run's reference control
// (mfe.Result.Reference, a model without a closed form) beside the learned
// one in place of the exact control, and the exact one otherwise.
func TestGridControlReference(t *testing.T) {
	p := mfe.Reference()
	learned := mfe.ControlFunc(func(t, x float64) float64 { return -x })
	ref := mfe.ControlFunc(func(t, x float64) float64 { return math.Max(-1, math.Min(1, -2*x)) })
	res := &mfe.Result{Method: "direct-mfc", Regime: mfe.MFC, Params: p, Control: learned, Reference: ref,
		Model: mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 1}}
	g, err := GridControl(res)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range g.T {
		for k, x := range g.X {
			if want := ref(tt, x); g.Exact[i][k] != want {
				t.Fatalf("exact_alpha(%g, %g) = %g, want the reference's %g", tt, x, g.Exact[i][k], want)
			}
		}
	}
	res.Reference = nil
	if g, err = GridControl(res); err != nil {
		t.Fatal(err)
	}
	ex, _ := eval.ExactControl(p, mfe.MFC)
	want := make([]float64, len(g.X))
	ex.Eval(g.T[0], g.X, want)
	for k := range want {
		if g.Exact[0][k] != want[k] {
			t.Fatalf("without a reference, exact_alpha(0, %g) = %g, want the exact %g", g.X[k], g.Exact[0][k], want[k])
		}
	}
}
