package report

import (
	"math"
	"strconv"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// TestErrorByTimeRows checks the rows against the history they come from
// and the exact control's RMS against its closed form for an affine control
// a x + b under N(m, s^2): sqrt((a m + b)^2 + a^2 s^2).
func TestErrorByTimeRows(t *testing.T) {
	p := mfe.Reference()
	ts, _ := mfe.StandardGrid(p.T)
	rel := make([]float64, len(ts))
	for i := range rel {
		rel[i] = 0.001 * float64(i+1)
	}
	res := &mfe.Result{Params: p, Regime: mfe.MFC,
		History: mfe.History{Extra: map[mfe.HistoryKey][]float64{mfe.KeyTimes: ts, mfe.KeyControlRelByTime: rel}}}
	_, rows := ErrorByTimeRows(res)
	if len(rows) != len(ts) {
		t.Fatalf("%d rows, want %d", len(rows), len(ts))
	}
	m := exact.MustMFC(p)
	for i, tt := range ts {
		L := m.LawX(tt)
		a := m.Alpha(tt, 1) - m.Alpha(tt, 0)
		want := math.Sqrt(math.Pow(m.Alpha(tt, L.Mean), 2) + a*a*L.Std()*L.Std())
		got, err := strconv.ParseFloat(rows[i][2], 64)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 5e-3*want { // printed to 3 significant digits
			t.Errorf("t = %v: RMS exact control %v, want %.4g", tt, got, want)
		}
		if r, _ := strconv.ParseFloat(rows[i][1], 64); math.Abs(r-rel[i]) > 1e-3*rel[i] {
			t.Errorf("t = %v: control_rel %v, want %v", tt, r, rel[i])
		}
	}
	if _, rows := ErrorByTimeRows(&mfe.Result{Params: p, Regime: mfe.MFC}); rows != nil {
		t.Errorf("a result without the series gave %d rows", len(rows))
	}
}
