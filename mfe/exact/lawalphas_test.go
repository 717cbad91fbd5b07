package exact

import (
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// TestLawAlphas: LawAlphas is LawAlpha time by time where the quadratures
// resolve the rates (the reference parameters); where they would be capped
// it sweeps once (Paths), with finite laws.
func TestLawAlphas(t *testing.T) {
	ts := mfe.TimeGrid(1, 50)[:50]
	m := MustMFG(mfe.Reference())
	got, err := m.LawAlphas(ts)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range ts {
		if got[i] != m.LawAlpha(s) {
			t.Errorf("reference, t = %v: %+v, LawAlpha %+v", s, got[i], m.LawAlpha(s))
		}
	}
	stiff := MustMFG(mfe.Params{T: 9, Sigma: 8e5, Gamma: 7424, Ca: 1.0 / 7, CX: 105, Cg: 8.7, X0Mean: 0.125, X0Std: 0.3})
	ts = mfe.TimeGrid(9, 100)[:100]
	got, err = stiff.LawAlphas(ts)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range got {
		if math.IsNaN(l.Mean) || math.IsInf(l.Mean, 0) || !(l.Var >= 0) || math.IsInf(l.Var, 0) {
			t.Fatalf("stiff, t = %v: %+v", ts[i], l)
		}
	}
	if _, err := m.LawAlphas([]float64{0.5, 0.2}); err == nil {
		t.Error("decreasing times: no error")
	}
}
