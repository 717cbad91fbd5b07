package qlearn

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// TestBudgetRefusal: parameters whose state grid exceeds the memory budget
// are refused before anything is allocated, with a *mfe.BudgetError naming
// the parameters that make the grid large. Before the estimate, T = 100 and
// ca = 0.01 panicked (the grid's size overflowed an int) and T = 10,
// gamma = 20, x0-mean = 1e9 and sigma = 1e4 exhausted the machine's memory.
func TestBudgetRefusal(t *testing.T) {
	t.Setenv(mfe.MemoryBudgetEnv, "1GiB")
	cfg, err := ProfileConfig(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(p *mfe.Params)) mfe.Params { p := mfe.Reference(); f(&p); return p }
	cases := []struct {
		p     mfe.Params
		names []string // what the message must name
	}{
		{with(func(p *mfe.Params) { p.T = 100 }), []string{"gamma T/ca = 175", "x0-mean"}},
		{with(func(p *mfe.Params) { p.Ca = 0.01 }), []string{"gamma T/ca = 175", "x0-mean"}},
		{with(func(p *mfe.Params) { p.T = 10 }), []string{"gamma T/ca = 17.5"}},
		{with(func(p *mfe.Params) { p.Gamma = 20 }), []string{"gamma T/ca = 20"}},
		{with(func(p *mfe.Params) { p.X0Mean = 1e9 }), []string{"x0-mean = 1e+09"}},
		{with(func(p *mfe.Params) { p.Sigma = 1e4 }), []string{"sigma = 10000"}},
		{with(func(p *mfe.Params) { p.Sigma = 1e5 }), []string{"sigma = 100000"}},
	}
	for _, c := range cases {
		for _, ck := range []string{"", t.TempDir()} {
			_, err := Train(context.Background(), mfe.Run{Params: c.p, Regime: mfe.MFG, Seed: 1, Checkpoint: ck}, cfg)
			var be *mfe.BudgetError
			if !errors.As(err, &be) {
				t.Fatalf("%+v: %v, want a *mfe.BudgetError", c.p, err)
			}
			for _, want := range append(c.names, "q-learning: the Q table", "1 GiB", mfe.MemoryBudgetEnv) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%+v: %q does not say %q", c.p, err, want)
				}
			}
		}
	}
	// The quick profile at the reference parameters needs far less.
	run := mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Checkpoint: t.TempDir()}
	if e := cfg.Memory(run); !(e.Bytes < 100<<20) {
		t.Errorf("reference quick run: estimate %s, want under 100 MiB", mfe.FormatSize(e.Bytes))
	}
}

// TestMemoryEstimate: the estimate covers the learner's tables (a
// checkpointed run more, for their encoding), and names a set state range,
// a fine action grid and sizes beyond any index as such.
func TestMemoryEstimate(t *testing.T) {
	cfg, err := ProfileConfig(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	p := mfe.Reference()
	p.Sigma = 30
	l, err := newLearner(mfemodel.LQ{P: p}, mfe.MFG, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	st, err := l.State()
	if err != nil {
		t.Fatal(err)
	}
	tables := float64(len(st.Q)*8 + len(st.Visits)*4 + len(st.Center)*(8+4+8+4*8))
	plain, ck := cfg.Memory(mfe.Run{Params: p}), cfg.Memory(mfe.Run{Params: p, Checkpoint: "ck"})
	fixed := fixedBytes + eval.Memory(p, eval.Default)
	if grow, growCk := plain.Bytes-fixed, ck.Bytes-fixed; !(grow > 3*tables && growCk > 2*grow) {
		t.Errorf("estimates %s, %s (checkpointed) for %s of tables", mfe.FormatSize(plain.Bytes), mfe.FormatSize(ck.Bytes), mfe.FormatSize(tables))
	}
	set := cfg
	set.XMin, set.XMax, set.DX = -1e6, 1e6, 1e-3
	if e := set.Memory(mfe.Run{Params: mfe.Reference()}); !strings.Contains(e.Cause, "[x_min, x_max] = [-1e+06, 1e+06]") {
		t.Errorf("set range: cause %q", e.Cause)
	}
	mem, err := ProfileConfig(mfe.Memoir)
	if err != nil {
		t.Fatal(err)
	}
	mem.AMin, mem.AMax, mem.DA = 0, 0, 1e-9 // the action range derived, a fine grid
	if e := mem.Memory(mfe.Run{Params: mfe.Reference()}); !strings.Contains(e.Cause, "action grid") {
		t.Errorf("fine action grid: cause %q", e.Cause)
	}
	huge := mfe.Reference()
	huge.T, huge.X0Mean = 1000, -1
	if e := cfg.Memory(mfe.Run{Params: huge}); !math.IsInf(e.Bytes, 1) {
		t.Errorf("a grid of exp(1750) states: estimate %v, want +Inf", e.Bytes)
	}
}
