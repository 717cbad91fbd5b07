package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// cancelOn is a writer that cancels a context when it is written word.
type cancelOn struct {
	bytes.Buffer
	word   string
	cancel context.CancelFunc
}

func (w *cancelOn) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(w.word)) {
		w.cancel()
	}
	return w.Buffer.Write(p)
}

// TestTrainCancelledInEvaluation: `mfe train` interrupted once training is
// done, in its final evaluation (the context is cancelled when the
// progress line of the last epoch, always printed, reaches 100%), exits
// with status 1 saying it was interrupted and how to resume, prints no
// metrics and leaves the run unfinished; the same command then resumes it
// (nothing left to train), evaluates and succeeds. `-reevaluate` of the
// finished run interrupted at once changes nothing.
func TestTrainCancelledInEvaluation(t *testing.T) {
	dir := t.TempDir()
	args := []string{"train", "-method", "fbsde", "-regime", "mfc", "-profile", "quick", "-out", dir}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout bytes.Buffer
	stderr := &cancelOn{word: "100%", cancel: cancel}
	code := run(ctx, args, &stdout, stderr)
	errs := strings.TrimSuffix(stderr.String(), "\n")
	last := errs[strings.LastIndex(errs, "\n")+1:]
	if code != 1 || stdout.Len() != 0 || !strings.HasPrefix(last, "mfe: interrupted;") || !strings.HasSuffix(last, "run the same command again to resume") {
		t.Fatalf("cancelled in the final evaluation: exit %d, stdout %q, stderr %q; want 1 and the interruption", code, stdout.String(), errs)
	}
	state := filepath.Join(dir, rundir.CheckpointDir, rundir.StateFile)
	var st struct {
		Finished bool            `json:"finished"`
		Metrics  json.RawMessage `json:"metrics"`
	}
	if err := rundir.ReadJSON(state, &st); err != nil {
		t.Fatal(err)
	}
	if st.Finished || st.Metrics != nil {
		t.Errorf("the interrupted run was saved finished (%v) or with metrics (%s)", st.Finished, st.Metrics)
	}
	quiet := append(args, "-quiet")
	code, out, errs := runCLI(quiet...)
	if code != 0 || !strings.Contains(out, "social-cost gap") || !strings.Contains(errs, "mfe: resuming from") {
		t.Fatalf("rerun: exit %d, stdout %q, stderr %q; want it resumed and finished", code, out, errs)
	}
	var res mfe.Result
	if err := rundir.ReadJSON(filepath.Join(dir, rundir.ResultFile), &res); err != nil {
		t.Fatal(err)
	}
	if res.Metrics.SocialGap == nil {
		t.Errorf("rerun: result.json without the social-cost gap: %+v", res.Metrics)
	}

	before := map[string][]byte{}
	for _, f := range []string{state, filepath.Join(dir, rundir.ResultFile)} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		before[f] = b
	}
	done, stop := context.WithCancel(t.Context())
	stop()
	var o, e bytes.Buffer
	code = run(done, append(quiet, "-reevaluate"), &o, &e)
	if code != 1 || o.Len() != 0 || !strings.Contains(e.String(), "is unchanged") {
		t.Errorf("-reevaluate interrupted: exit %d, stdout %q, stderr %q; want 1 and the interruption", code, o.String(), e.String())
	}
	for f, b := range before {
		if again, _ := os.ReadFile(f); !bytes.Equal(again, b) {
			t.Errorf("-reevaluate interrupted changed %s", f)
		}
	}
}
