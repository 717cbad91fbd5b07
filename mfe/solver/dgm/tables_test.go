package dgm

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// TestTabulateBounded: a tabulated control asked for more times than
// maxTables keeps only the latest maxTables tables (a simulation of 10,000
// steps held 10,000 of FinalTable points, 160 MB), and a time asked for
// again is tabulated again, to the same values.
func TestTabulateBounded(t *testing.T) {
	env, err := nettrain.NewEnv(mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := ProfileConfig(mfe.Quick)
	s, err := newSolver(env, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tab := s.control.Tabulate(TrainTable).(*tabulated)
	x := []float64{-1, 0.25, 2}
	first, again := make([]float64, len(x)), make([]float64, len(x))
	out := make([]float64, len(x))
	n := maxTables + 100
	for i := range n {
		tm := float64(i) / float64(n)
		tab.Eval(tm, x, out)
		if i == 0 {
			copy(first, out)
		}
	}
	if len(tab.tables) != maxTables || len(tab.order) != maxTables {
		t.Fatalf("%d times asked for: %d tables, %d in order; want %d", n, len(tab.tables), len(tab.order), maxTables)
	}
	if _, ok := tab.tables[0]; ok {
		t.Fatal("the oldest table kept")
	}
	tab.Eval(0, x, again)
	for i := range x {
		if again[i] != first[i] {
			t.Errorf("x = %v: %v the first time, %v again", x[i], first[i], again[i])
		}
	}
}
