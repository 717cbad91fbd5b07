package report

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/dgm"
)

func TestMeanSD(t *testing.T) {
	s := rundir.NewStat([]float64{1e-3, 2e-3, 3e-3}) // mean 2e-3, sd 1e-3
	for _, c := range []struct {
		got, want string
	}{
		{MeanSD(s, "%.2e"), "2.00e-03 ± 1.00e-03"},
		{MeanSDSeeds(s, "%.2e"), "2.00e-03 ± 1.00e-03 (3 seeds)"},
		{MeanSD(rundir.NewStat([]float64{0.5}), "%.3g"), "0.5"},
		{MeanSDSeeds(rundir.NewStat([]float64{0.5}), "%.3g"), "0.5 (1 seed)"},
		{MeanSD(rundir.Stat{}, "%.3g"), "–"},
		{MeanSDSeeds(rundir.Stat{}, "%.3g"), "–"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestSummaryRows: one row per summary, each metric as mean ± sd over the
// seeds, the gap with its mean Monte-Carlo standard error, and the count
// where a metric covers fewer seeds than the row.
func TestSummaryRows(t *testing.T) {
	run := func(seed uint64, r mfe.Regime, rel, gap, wall float64) *mfe.Result {
		res := &mfe.Result{Method: "m", Regime: r, Params: mfe.Reference(), Profile: mfe.Default, Seed: seed, WallTime: wall,
			Metrics: mfe.Metrics{ControlRel: rel}}
		if r == mfe.MFG {
			res.Metrics.Exploitability, res.Metrics.ExploitabilitySE = mfe.Float(gap), mfe.Float(gap/10)
		} else {
			res.Metrics.SocialGap = mfe.Float(gap)
		}
		return res
	}
	mfg := []*mfe.Result{run(1, mfe.MFG, 0.01, 1e-4, 10), run(2, mfe.MFG, 0.03, 3e-4, 30), run(3, mfe.MFG, 0.02, 2e-4, 20)}
	mfg[0].Metrics.ValueRel = mfe.Float(0.5)
	a, err := rundir.Summarize(mfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := rundir.Summarize([]*mfe.Result{run(7, mfe.MFC, 0.04, 4e-4, 40)})
	if err != nil {
		t.Fatal(err)
	}
	h, rows := SummaryRows(a, b)
	want := [][]string{
		{"m", "mfg", "default", "3 (1, 2, 3)", "2.00e-02 ± 1.00e-02", "2.00e-04 ± 1.00e-04 (2.0e-05)", "5.00e-01 (1 seed)", "20.0 ± 10.0"},
		{"m", "mfc", "default", "1 (7)", "4.00e-02", "4.00e-04", "–", "40.0"},
	}
	if len(h) != len(want[0]) || !reflect.DeepEqual(rows, want) {
		t.Errorf("header %v\nrows %q\nwant %q", h, rows, want)
	}
}

func TestSeparation(t *testing.T) {
	st := func(x ...float64) rundir.Stat { return rundir.NewStat(x) }
	for _, c := range []struct {
		a, b rundir.Stat
		want string
	}{
		{st(1, 2, 3), st(1.5, 2.5, 3.5), "within the seeds' spread"}, // 0.5 apart, sds 1 + 1
		{st(10, 11, 12), st(1, 2, 3), "4.5× the seeds' spread"},      // 9 apart, sds 1 + 1
		{st(500, 501, 502), st(1, 2, 3), "250× the seeds' spread"},   // 499 apart, sds 1 + 1
		{st(1, 1), st(2, 2), "the seeds do not spread"},
		{st(1), st(1, 2), "one seed"},
	} {
		if got := Separation(c.a, c.b); got != c.want {
			t.Errorf("Separation(%v, %v) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

// TestModelRows: a row per run on a model without a closed form, the
// reference named once in the header when the runs share it, the
// method's target there where it states one.
func TestModelRows(t *testing.T) {
	capped := mfe.ModelSpec{Name: mfe.ModelCapped, AMax: 1}
	ref := "finite-difference (default profile)"
	sums := []*rundir.Summary{
		{Method: dgm.Method, Regime: mfe.MFG, Model: capped, Reference: ref, Seeds: []uint64{1, 2},
			Metrics: map[string]rundir.Stat{"control_rel": rundir.NewStat([]float64{0.01, 0.03})}},
		{Method: "no-such-method", Regime: mfe.MFC, Model: capped, Reference: ref, Seeds: []uint64{1},
			Metrics: map[string]rundir.Stat{"control_rel": rundir.NewStat([]float64{0.2})}},
	}
	header, rows := ModelRows(sums...)
	m, err := mfe.LookupMethod(dgm.Method)
	if err != nil {
		t.Fatal(err)
	}
	target, _ := mfe.ModelTarget(m, capped)
	want := [][]string{
		{mfe.MethodTitle(dgm.Method), "MFG", "capped (amax = 1)", "2", "0.02 ± 0.014", "0.03", fmt.Sprintf("%g", target)},
		{"no-such-method", "MFC", "capped (amax = 1)", "1", "0.2", "0.2", "–"},
	}
	if header[4] != "control_rel against "+ref || !reflect.DeepEqual(rows, want) {
		t.Errorf("ModelRows = %q, %q; want rows %q", header, rows, want)
	}
}
