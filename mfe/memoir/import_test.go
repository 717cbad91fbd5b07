package memoir

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/directmfc"
)

func TestThinResult(t *testing.T) {
	n := 1000
	h := map[string]any{"epoch": seq(n), "loss": seq(n), "eval_epoch": seq(10), "control_mse": seq(10),
		"extra": map[string]any{"hjb": seq(n), "grid": seq(7)}}
	b, _ := json.Marshal(map[string]any{"method": "x", "wall_time_s": 1.25, "history": h})
	out, err := thinResult(b, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Method  string  `json:"method"`
		Wall    float64 `json:"wall_time_s"`
		History struct {
			Epoch      []float64            `json:"epoch"`
			Loss       []float64            `json:"loss"`
			ControlMSE []float64            `json:"control_mse"`
			Extra      map[string][]float64 `json:"extra"`
		} `json:"history"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	hh := got.History
	if got.Method != "x" || got.Wall != 1.25 {
		t.Errorf("top-level fields changed: %+v", got)
	}
	if len(hh.Epoch) != 100 || len(hh.Loss) != 100 || len(hh.Extra["hjb"]) != 100 {
		t.Errorf("thinned lengths %d %d %d, want 100", len(hh.Epoch), len(hh.Loss), len(hh.Extra["hjb"]))
	}
	if hh.Epoch[0] != 0 || hh.Epoch[99] != float64(n-1) {
		t.Errorf("thinning lost the first or last epoch: %v … %v", hh.Epoch[0], hh.Epoch[99])
	}
	if len(hh.ControlMSE) != 10 || len(hh.Extra["grid"]) != 7 {
		t.Errorf("short series were thinned: %d %d", len(hh.ControlMSE), len(hh.Extra["grid"]))
	}
}

func seq(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i)
	}
	return s
}

// TestImportValueNeverTrains: the actor–critic's value is imported from a
// finished checkpoint only; a run directory without one is refused, and
// nothing is trained or written into it.
func TestImportValueNeverTrains(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	res := &mfe.Result{Method: actorcritic.Method, Regime: mfe.MFG, Params: mfe.Reference(), Profile: mfe.Quick, Seed: 1,
		Config: map[string]any{"episodes": 3}}
	if err := rundir.WriteJSON(filepath.Join(src, rundir.ResultFile), res); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadDir(src)
	err := importValue(src, dst)
	if err == nil || !strings.Contains(err.Error(), "no finished run") {
		t.Fatalf("importValue of a run without a checkpoint: %v", err)
	}
	after, _ := os.ReadDir(src)
	if len(after) != len(before) {
		t.Errorf("the run directory gained files: %d before, %d after", len(before), len(after))
	}
}

// TestReloadDerivedSizes: a finished run whose result.json records a size
// derived from the run beside its settings (direct MFC's rollout_steps at
// T = 2) reloads: reload passes the settings back and leaves the derived
// size to training, whose key check accepts the checkpoint.
func TestReloadDerivedSizes(t *testing.T) {
	m, err := mfe.LookupMethod(directmfc.Method)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := directmfc.ProfileConfig(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Epochs, cfg.EvalEvery = 2, 0
	p := mfe.Reference()
	p.T, p.Gamma = 2, 1 // gamma = 1.75 has no MFC solution at T = 2
	dir := t.TempDir()
	run := mfe.Run{Params: p, Regime: mfe.MFC, Profile: mfe.Quick, Seed: 1, Checkpoint: filepath.Join(dir, rundir.CheckpointDir)}
	trained, err := m.Train(context.Background(), run, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := rundir.Write(dir, trained); err != nil {
		t.Fatal(err)
	}
	saved, err := rundir.ReadResult(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := saved.Config.(map[string]any)["rollout_steps"]; !ok {
		t.Fatalf("result.json's config %v records no rollout_steps", saved.Config)
	}
	// The profile's epochs are not the run's: reload must take them from
	// the result, as every other setting.
	got, err := reload(context.Background(), dir, saved)
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	if got.Metrics.ControlRel != trained.Metrics.ControlRel {
		t.Errorf("reloaded control_rel %v, trained %v", got.Metrics.ControlRel, trained.Metrics.ControlRel)
	}
}
