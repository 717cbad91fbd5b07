// Package resumetest checks that a solver's training run, interrupted and
// resumed from its checkpoint, ends exactly where an uninterrupted run with
// the same seed ends.
package resumetest

import (
	"context"
	"errors"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// cancelAt cancels a run after the given epoch.
type cancelAt struct {
	epoch  int
	cancel context.CancelFunc
}

func (c cancelAt) Update(step, _ int, _ map[string]float64) {
	if step == c.epoch {
		c.cancel()
	}
}
func (cancelAt) Done() {}

// Check trains run (regime, seed, checkpoint interval; Check sets the
// checkpoint directory and the progress) with configuration cfg by train:
// once without interruption; once interrupted after epoch stopAt, then
// resumed; then loads the finished checkpoint; then asks for a run with
// other parameters q in the same directory. It fails t unless the resumed
// run has the same loss history, final metrics and control as the
// uninterrupted one, the finished checkpoint is loaded without training,
// and the other parameters are refused with a *mfe.MismatchError.
func Check[C mfe.Config](t *testing.T, train func(context.Context, mfe.Run, C) (*mfe.Result, error), cfg C, run mfe.Run, q mfe.Params, stopAt int) {
	t.Helper()
	p := run.Params
	trainAt := func(ctx context.Context, p mfe.Params, dir string, pr mfe.Progress) (*mfe.Result, error) {
		r := run
		r.Params, r.Checkpoint, r.Progress = p, dir, pr
		return train(ctx, r, cfg)
	}
	whole, err := trainAt(context.Background(), p, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	part, err := trainAt(ctx, p, dir, cancelAt{epoch: stopAt, cancel: cancel})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: err = %v, want context.Canceled", err)
	}
	if n := len(part.History.Loss); n != stopAt {
		t.Errorf("interrupted run kept %d epochs of history, want %d", n, stopAt)
	}
	resumed, err := trainAt(context.Background(), p, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(resumed.History.Loss) != len(whole.History.Loss) {
		t.Fatalf("resumed history has %d epochs, uninterrupted %d", len(resumed.History.Loss), len(whole.History.Loss))
	}
	for i, l := range whole.History.Loss {
		if resumed.History.Loss[i] != l {
			t.Fatalf("epoch %d: loss %v resumed, %v uninterrupted", i+1, resumed.History.Loss[i], l)
		}
	}
	if resumed.Metrics.ControlMSE != whole.Metrics.ControlMSE {
		t.Errorf("final control_mse %v resumed, %v uninterrupted", resumed.Metrics.ControlMSE, whole.Metrics.ControlMSE)
	}

	loaded, err := trainAt(context.Background(), p, dir, cancelAt{epoch: 1, cancel: func() { t.Error("a finished run trained again") }})
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Metrics.ControlMSE != whole.Metrics.ControlMSE {
		t.Errorf("loaded control_mse %v, want %v", loaded.Metrics.ControlMSE, whole.Metrics.ControlMSE)
	}
	xs := []float64{-0.5, 0.3, 1.7}
	got, want := make([]float64, len(xs)), make([]float64, len(xs))
	for _, tm := range []float64{0, 0.5 * p.T} {
		loaded.Control.Eval(tm, xs, got)
		whole.Control.Eval(tm, xs, want)
		for i := range xs {
			if got[i] != want[i] {
				t.Errorf("control(%v, %v): loaded %v, trained %v", tm, xs[i], got[i], want[i])
			}
		}
	}

	_, err = trainAt(context.Background(), q, dir, nil)
	var mm *mfe.MismatchError
	if !errors.As(err, &mm) {
		t.Errorf("checkpoint of other parameters: err = %v, want a *mfe.MismatchError", err)
	}
}
