package report

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/mf-optimal-execution/mfe"
)

func TestLoadRuns(t *testing.T) {
	dir := t.TempDir()
	save := func(name, method string, r mfe.Regime, rel float64) {
		res := &mfe.Result{Method: method, Regime: r, Params: mfe.Reference(), Profile: "quick", WallTime: 10 * rel,
			Metrics: mfe.Metrics{ControlRel: rel, Exploitability: mfe.Float(rel / 10)}}
		if err := mfe.WriteJSON(filepath.Join(dir, name, "result.json"), res); err != nil {
			t.Fatal(err)
		}
	}
	save("fbsde-mfc-quick", "fbsde", mfe.MFC, 0.02)
	save("fbsde-mfg-quick", "fbsde", mfe.MFG, 0.01)
	save("direct-mfc-mfc-quick", "direct-mfc", mfe.MFC, 0.03)
	save("dgm-mfg-default", "dgm", mfe.MFG, 0.04) // another profile
	runs, missing, err := LoadRuns(dir, "quick")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		got = append(got, r.Method+" "+string(r.Regime))
	}
	if want := []string{"direct-mfc mfc", "fbsde mfg", "fbsde mfc"}; !reflect.DeepEqual(got, want) {
		t.Errorf("runs %v, want %v", got, want)
	}
	if want := []string{"dgm", "q-learning", "actor-critic"}; !reflect.DeepEqual(missing, want) {
		t.Errorf("missing %v, want %v", missing, want)
	}
	h, rows := ComparisonRows(runs...)
	if len(rows) != 3 || len(rows[0]) != len(h) || rows[1][4] != "1.00e-02" || rows[1][5] != "1.00e-03" {
		t.Errorf("rows %v", rows)
	}
	if _, err := AccuracyFigure(runs...); err != nil {
		t.Error(err)
	}
}
