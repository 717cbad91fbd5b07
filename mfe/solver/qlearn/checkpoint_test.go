package qlearn

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// TestCheckpointIntegrity: a finished run's checkpoint with state.json
// truncated or altered, or a manifest whose control check the tables do not
// give, is refused naming the file, without training; without its
// manifest it is refused unless adopted, and adopted only if its tables
// reproduce its stored metrics.
func TestCheckpointIntegrity(t *testing.T) {
	cfg := resumeConfigs(t)["quick"]
	cfg.Episodes, cfg.Checkpoints = 4_000, 2
	base := t.TempDir()
	train := func(dir string, adopt bool) (*mfe.Result, error) {
		return Train(context.Background(), mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 5, Checkpoint: dir,
			Progress: failUpdate{t}, AdoptLegacy: adopt}, cfg)
	}
	whole, err := Train(context.Background(), mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 5, Checkpoint: base}, cfg)
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
	state := func(dir string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, stateFile))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	refused := func(what, dir string, words ...string) {
		t.Helper()
		res, err := train(dir, false)
		var ce *rundir.CheckpointError
		if !errors.As(err, &ce) || res != nil {
			t.Errorf("%s: result %v, err = %v; want no result and a *rundir.CheckpointError", what, res, err)
			return
		}
		for _, w := range words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", what, err, w)
			}
		}
	}

	if res, err := train(copyRun(), false); err != nil || res.Metrics.ControlMSE != whole.Metrics.ControlMSE {
		t.Fatalf("intact: %v, %v", res, err)
	}
	dir := copyRun()
	b := state(dir)
	if err := os.WriteFile(filepath.Join(dir, stateFile), b[:len(b)-100], 0o644); err != nil {
		t.Fatal(err)
	}
	refused("truncated", dir, stateFile, "truncated")
	dir = copyRun()
	b = state(dir)
	i := bytes.Index(b, []byte(`"q":[`)) + 6
	b[i] = map[bool]byte{true: '1', false: '2'}[b[i] != '1']
	if err := os.WriteFile(filepath.Join(dir, stateFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	refused("altered", dir, stateFile, "altered")

	dir = copyRun()
	_, m, err := rundir.OpenCheckpoint(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	m.Check.Alpha[7] += 0.01
	if err := rundir.CommitCheckpoint(dir, m.Key, state(dir), nil, m.Check); err != nil {
		t.Fatal(err)
	}
	refused("control check", dir, "another control")

	// Without a manifest.
	dir = copyRun()
	if err := os.Remove(filepath.Join(dir, rundir.ManifestFile)); err != nil {
		t.Fatal(err)
	}
	var le *rundir.LegacyError
	if _, err := train(dir, false); !errors.As(err, &le) {
		t.Errorf("no manifest: err = %v, want a *rundir.LegacyError", err)
	}
	b = state(dir)
	i = bytes.LastIndex(b, []byte(`"control_mse":`)) // the metrics', after the history's
	forged := append(append(b[:i:i], `"control_mse":1e-9,"was":`...), b[i+len(`"control_mse":`):]...)
	if err := os.WriteFile(filepath.Join(dir, stateFile), forged, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := train(dir, true); err == nil || !strings.Contains(err.Error(), "do not reproduce its stored metrics") {
		t.Errorf("adopting metrics not its own: err = %v", err)
	}
	dir = copyRun()
	if err := os.Remove(filepath.Join(dir, rundir.ManifestFile)); err != nil {
		t.Fatal(err)
	}
	if res, err := train(dir, true); err != nil || res.Metrics.ControlMSE != whole.Metrics.ControlMSE {
		t.Fatalf("adopted: %v, %v", res, err)
	}
	if _, err := train(dir, false); err != nil {
		t.Errorf("reload after adoption: %v", err)
	}
}
