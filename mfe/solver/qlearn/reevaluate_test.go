package qlearn

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// TestReevaluate: a finished run whose stored exploitability is not what
// the evaluation gives has it replaced, without training, in the result and
// in the checkpoint, which then reloads (its manifest valid) with the new
// metrics; a run whose stored control_rel its tables do not give and an
// unfinished run are refused.
func TestReevaluate(t *testing.T) {
	cfg := resumeConfigs(t)["quick"]
	cfg.Episodes, cfg.Checkpoints = 4_000, 2
	run := func(dir string, pr mfe.Progress, re func(old, new mfe.Metrics)) (*mfe.Result, error) {
		return Train(context.Background(), mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 5, Checkpoint: dir,
			Progress: pr, CheckpointEvery: 1_000, Reevaluate: re}, cfg)
	}
	base := t.TempDir()
	whole, err := run(base, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	copyRun := func() string {
		dir := filepath.Join(t.TempDir(), "checkpoint")
		if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	// tamper changes the stored metrics and commits the checkpoint again,
	// with the same control check.
	tamper := func(dir string, change func(*mfe.Metrics)) {
		b, man, err := rundir.OpenCheckpoint(dir, false)
		if err != nil || man == nil {
			t.Fatalf("opening %s: %v", dir, err)
		}
		var st checkpointState
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		change(st.Metrics)
		if b, err = json.Marshal(st); err != nil {
			t.Fatal(err)
		}
		if err := rundir.CommitCheckpoint(dir, man.Key, append(b, '\n'), nil, man.Check); err != nil {
			t.Fatal(err)
		}
	}
	want, wantSE := *whole.Metrics.Exploitability, *whole.Metrics.ExploitabilitySE

	dir := copyRun()
	tamper(dir, func(m *mfe.Metrics) { m.Exploitability, m.ExploitabilitySE = mfe.Float(-1), nil })
	var old, new mfe.Metrics
	res, err := run(dir, failUpdate{t}, func(o, n mfe.Metrics) { old, new = o, n })
	if err != nil {
		t.Fatal(err)
	}
	if *old.Exploitability != -1 || *new.Exploitability != want || *new.ExploitabilitySE != wantSE {
		t.Errorf("reported old %v, new %v; want -1 and %g ± %g", old.Exploitability, new.Exploitability, want, wantSE)
	}
	if *res.Metrics.Exploitability != want || res.Metrics.ControlRel != whole.Metrics.ControlRel {
		t.Errorf("re-evaluated result: %+v, want %+v", res.Metrics, whole.Metrics)
	}
	again, err := run(dir, failUpdate{t}, nil)
	if err != nil {
		t.Fatalf("reloading the re-evaluated run: %v", err)
	}
	if *again.Metrics.Exploitability != want || *again.Metrics.ExploitabilitySE != wantSE {
		t.Errorf("reloaded exploitability %g ± %g, want %g ± %g", *again.Metrics.Exploitability, *again.Metrics.ExploitabilitySE, want, wantSE)
	}

	dir = copyRun()
	tamper(dir, func(m *mfe.Metrics) { m.ControlRel *= 1.01 })
	if _, err := run(dir, failUpdate{t}, func(mfe.Metrics, mfe.Metrics) {}); err == nil || !strings.Contains(err.Error(), "control_rel stored") {
		t.Errorf("re-evaluating a run whose control_rel changed: err = %v, want a refusal naming both values", err)
	}

	// An interrupted run: cancelled after its first checkpoint.
	part := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = Train(ctx, mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 5, Checkpoint: part, CheckpointEvery: 1_000,
		Progress: &cancelAt{stop: 2_000, cancel: cancel}}, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	if _, err := run(part, failUpdate{t}, func(mfe.Metrics, mfe.Metrics) {}); err == nil || !strings.Contains(err.Error(), "unfinished") {
		t.Errorf("re-evaluating an unfinished run: err = %v, want a refusal", err)
	}
}
