package nettrain

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// tamperMetrics changes the final metrics stored in the checkpoint in dir
// with change and commits the checkpoint again, its manifest rewritten
// with the same files and control check: a run whose stored metrics are
// not those its weights give, as a run evaluated by older code is.
func tamperMetrics(t *testing.T, dir string, change func(*mfe.Metrics)) {
	t.Helper()
	b, man, err := rundir.OpenCheckpoint(dir, false)
	if err != nil || man == nil {
		t.Fatalf("opening %s: %v", dir, err)
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	change(st.Metrics)
	if b, err = json.MarshalIndent(st, "", "  "); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range man.Files {
		if f.Path != rundir.StateFile {
			files = append(files, f.Path)
		}
	}
	if err := rundir.CommitCheckpoint(dir, man.Key, append(b, '\n'), files, man.Check); err != nil {
		t.Fatal(err)
	}
}

func reevaluateLine(dir string, got *[2]mfe.Metrics, pr mfe.Progress) (*mfe.Result, error) {
	run := mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 3, Checkpoint: dir, Progress: pr,
		Reevaluate: func(old, new mfe.Metrics) { got[0], got[1] = old, new }}
	return Train(context.Background(), lineMethod, run, lineConfig{Epochs: 6})
}

// TestReevaluate: a finished run whose stored exploitability is not what
// the evaluation gives has it replaced, without training, in the result and
// in the checkpoint, which then reloads (its manifest valid) with the new
// metrics; a run whose stored control_mse its weights do not give, an
// unfinished run and a directory without a run are refused.
func TestReevaluate(t *testing.T) {
	copyRun, whole := savedRuns(t)
	_, dir := copyRun(true)
	tamperMetrics(t, dir, func(m *mfe.Metrics) { m.Exploitability, m.ExploitabilitySE = mfe.Float(-1), nil })
	if res, err := trainLine(context.Background(), dir, false, stopAt{t: t}); err != nil || *res.Metrics.Exploitability != -1 {
		t.Fatalf("tampered run reloads with %v, err = %v; want exploitability -1", res, err)
	}
	var got [2]mfe.Metrics
	res, err := reevaluateLine(dir, &got, stopAt{t: t})
	if err != nil {
		t.Fatal(err)
	}
	want := *whole.Metrics.Exploitability
	if *got[0].Exploitability != -1 || *got[1].Exploitability != want || got[1].ExploitabilitySE == nil ||
		*got[1].ExploitabilitySE != *whole.Metrics.ExploitabilitySE {
		t.Errorf("reported old %v, new %v; want -1 and %g ± %g", got[0].Exploitability, got[1].Exploitability, want, *whole.Metrics.ExploitabilitySE)
	}
	if *res.Metrics.Exploitability != want || res.Metrics.ControlMSE != whole.Metrics.ControlMSE {
		t.Errorf("re-evaluated result: %+v, want %+v", res.Metrics, whole.Metrics)
	}
	again, err := trainLine(context.Background(), dir, false, stopAt{t: t})
	if err != nil {
		t.Fatalf("reloading the re-evaluated run: %v", err)
	}
	if *again.Metrics.Exploitability != want || *again.Metrics.ExploitabilitySE != *whole.Metrics.ExploitabilitySE {
		t.Errorf("reloaded exploitability %g ± %g, want %g", *again.Metrics.Exploitability, *again.Metrics.ExploitabilitySE, want)
	}

	_, dir = copyRun(true)
	tamperMetrics(t, dir, func(m *mfe.Metrics) { m.ControlMSE *= 1.01 })
	if _, err := reevaluateLine(dir, &got, stopAt{t: t}); err == nil || !strings.Contains(err.Error(), "control_mse stored") {
		t.Errorf("re-evaluating a run whose control_mse changed: err = %v, want a refusal naming both values", err)
	}

	_, dir = copyRun(false)
	if _, err := reevaluateLine(dir, &got, stopAt{t: t}); err == nil || !strings.Contains(err.Error(), "unfinished") {
		t.Errorf("re-evaluating an unfinished run: err = %v, want a refusal", err)
	}
	if _, err := reevaluateLine(t.TempDir(), &got, stopAt{t: t}); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("re-evaluating an empty directory: err = %v, want a refusal", err)
	}
}
