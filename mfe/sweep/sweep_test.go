package sweep

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	_ "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/all"
)

func TestDefaultBoxContainsReference(t *testing.T) {
	b := DefaultBox()
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if !b.Contains(mfe.Reference()) {
		t.Errorf("the default box %+v misses the reference parameters", b)
	}
}

func TestDraw(t *testing.T) {
	b := DefaultBox()
	sets, err := b.Draw(8, 1)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := b.Draw(8, 1)
	other, _ := b.Draw(8, 2)
	if len(sets) != 8 {
		t.Fatalf("%d sets, want 8", len(sets))
	}
	same := 0
	for i, p := range sets {
		if err := p.Validate(); err != nil {
			t.Errorf("set %d: %v", i, err)
		}
		if !b.Contains(p) {
			t.Errorf("set %d = %+v is outside the box", i, p)
		}
		if p != again[i] {
			t.Errorf("set %d differs between two draws with seed 1: %+v, %+v", i, p, again[i])
		}
		if p == other[i] {
			same++
		}
		if p.T != round3(p.T) || p.Gamma != round3(p.Gamma) || p.X0Mean != round3(p.X0Mean) {
			t.Errorf("set %d = %+v not rounded to three digits", i, p)
		}
	}
	if same == len(sets) {
		t.Error("seeds 1 and 2 draw the same sets")
	}
	if sets[0].T != b.T.Max || sets[1].Sigma != b.Sigma.Min || sets[2].X0Std != b.X0Std.Min || !(sets[3].Gamma < sets[3].Cg) {
		t.Errorf("corners not pinned: T %v, sigma %v, x0-std %v, gamma %v vs cg %v",
			sets[0].T, sets[1].Sigma, sets[2].X0Std, sets[3].Gamma, sets[3].Cg)
	}
	gammaAbove := false
	for _, p := range sets {
		gammaAbove = gammaAbove || p.Gamma > p.Cg
	}
	if !gammaAbove {
		t.Error("no set with gamma > cg")
	}
}

func TestDrawRefuses(t *testing.T) {
	b := DefaultBox()
	if _, err := b.Draw(MinSets-1, 1); err == nil {
		t.Error("Draw(3) made fewer sets than the pinned corners")
	}
	b.Ca = Range{0, 1}
	if _, err := b.Draw(8, 1); err == nil || !strings.Contains(err.Error(), "ca") {
		t.Errorf("a box reaching ca = 0: err %v, want one naming ca", err)
	}
	b = DefaultBox()
	b.T = Range{2, 1}
	if err := b.Validate(); err == nil || !strings.Contains(err.Error(), "T") {
		t.Errorf("an empty range of T: err %v, want one naming T", err)
	}
}

func TestPlanAndRows(t *testing.T) {
	sets, _ := DefaultBox().Draw(4, 3)
	var methods []mfe.Method
	for _, name := range []string{"q-learning", "dgm"} {
		m, err := mfe.LookupMethod(name)
		if err != nil {
			t.Fatal(err)
		}
		methods = append(methods, m)
	}
	jobs := Plan(sets, methods, "out")
	// q-learning solves mfg and mfc, dgm mfg: three runs per set.
	if len(jobs) != 3*len(sets) {
		t.Fatalf("%d jobs, want %d", len(jobs), 3*len(sets))
	}
	if j := jobs[4]; j.Set != 1 || j.Method != "q-learning" || j.Regime != mfe.MFC || j.Dir != filepath.Join("out", "set-1", "q-learning-mfc") {
		t.Errorf("job 4 = %+v", j)
	}
	res := &mfe.Result{Metrics: mfe.Metrics{ControlRel: 0.05, Exploitability: mfe.Float(1e-4), ExploitabilitySE: mfe.Float(1e-6)}, WallTime: 20}
	res.History.Extra = map[mfe.HistoryKey][]float64{mfe.KeyControlRelByTime: {0.07, 0.03, 0.08, 0.02}}
	met := NewRow(jobs[0], res, "")
	if met.Target != 0.1 || !met.Met() || met.WorstTime != 0.08 {
		t.Errorf("q-learning at control_rel 0.05, 0.08 at worst: target %v, met %v, worst %v; want 0.1, true, 0.08", met.Target, met.Met(), met.WorstTime)
	}
	res.Metrics.ControlRel = 0.2
	if missed := NewRow(jobs[0], res, ""); missed.Met() {
		t.Error("control_rel 0.2 met the target 0.1")
	}
	none := NewRow(jobs[1], nil, "no MFC solution")
	if none.Met() {
		t.Error("a row without a run met its target")
	}
	md := Markdown(sets, []Row{met, none})
	for _, want := range []string{"| 0 | 2 |", "| 0.05 | 0.1 | yes | 0.08 | 0.0001 ± 1.0e-06 | 20 |", "no MFC solution"} {
		if !strings.Contains(md, want) {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
}

func TestSolvable(t *testing.T) {
	j := Job{Params: mfe.Reference(), Regime: mfe.MFC}
	if ok, err := j.Solvable(); !ok || err != nil {
		t.Errorf("reference MFC: solvable %v, err %v", ok, err)
	}
	// A strong impact and long horizon with no penalties blows the MFC up.
	j.Params.Gamma, j.Params.T, j.Params.CX, j.Params.Cg = 20, 10, 0, 0
	if ok, err := j.Solvable(); ok || err != nil {
		t.Errorf("blown-up MFC: solvable %v, err %v; want false, nil", ok, err)
	}
}
