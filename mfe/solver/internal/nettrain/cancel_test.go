package nettrain

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// TestCancelInEvaluation: a run cancelled once its training is done, in
// its final evaluation, returns context.Canceled without metrics and is
// saved unfinished, to be resumed; the rerun trains nothing, evaluates,
// and ends with the metrics and history of an uninterrupted run, bit for
// bit.
func TestCancelInEvaluation(t *testing.T) {
	base := t.TempDir()
	whole, err := trainLine(context.Background(), filepath.Join(base, "whole"), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "cancelled")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := trainLine(ctx, dir, false, stopAt{t: t, stop: 6, cancel: cancel}) // 6: the last epoch
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled in the final evaluation: err = %v, want context.Canceled", err)
	}
	if res == nil || res.Metrics.ControlMSE != 0 || res.Metrics.Exploitability != nil {
		t.Errorf("cancelled in the final evaluation: result %+v, want one without metrics", res)
	}
	var st State
	if err := rundir.ReadJSON(filepath.Join(dir, rundir.StateFile), &st); err != nil {
		t.Fatal(err)
	}
	if st.Finished || st.Metrics != nil || st.Epoch != 6 {
		t.Errorf("saved state: finished %v, metrics %v, epoch %d; want unfinished at epoch 6, without metrics", st.Finished, st.Metrics, st.Epoch)
	}
	again, err := trainLine(context.Background(), dir, false, stopAt{t: t}) // fails the test if it trains
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Metrics, whole.Metrics) || !reflect.DeepEqual(again.History, whole.History) {
		t.Errorf("resumed run: metrics %+v, want %+v (history equal: %v)", again.Metrics, whole.Metrics, reflect.DeepEqual(again.History, whole.History))
	}
}
