package nettrain

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// lineConfig configures lineMethod.
type lineConfig struct {
	Epochs int `json:"epochs"`
}

func (lineConfig) Validate() error { return nil }

// lineMethod learns a linear feedback alpha(t, x) = w x + b by Adam steps
// towards noisy targets (w = -2, b = 0): a network method in miniature,
// with variables, optimizer moments and random-number state to checkpoint.
var lineMethod = Method[lineConfig]{
	Name: "line", Regimes: []mfe.Regime{mfe.MFG}, CheckpointEvery: 2,
	Build: func(env Env, cfg lineConfig) (*Job, error) {
		vars := func(scope *model.Scope, g *Graph) (w, b *Node) {
			s := scope.In("line")
			return s.VariableWithValue("w", float32(0)).NodeValue(g), s.VariableWithValue("b", float32(1)).NodeValue(g)
		}
		step, err := AdamStep(env, 0.1, 0.01, 0, cfg.Epochs, func(scope *model.Scope, g *Graph) *Node {
			w, b := vars(scope, g)
			noise := Normal(scope, g, shapes.Make(dtypes.Float32, 2), false)
			target := Add(MulScalar(noise, 0.1), Const(g, []float32{-2, 0}))
			return ReduceAllSum(Square(Sub(Stack([]*Node{w, b}, 0), target)))
		})
		if err != nil {
			return nil, err
		}
		ctl, err := NewNetControl(env.Backend, env.Store, func(scope *model.Scope, t, x *Node) *Node {
			w, b := vars(scope, x.Graph())
			return Add(Mul(x, w), b)
		})
		if err != nil {
			return nil, err
		}
		return &Job{Epochs: cfg.Epochs, Step: step, Control: ctl}, nil
	},
}

func trainLine(ctx context.Context, dir string, adopt bool, pr mfe.Progress) (*mfe.Result, error) {
	run := mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 3, Checkpoint: dir, Progress: pr, AdoptLegacy: adopt}
	return Train(ctx, lineMethod, run, lineConfig{Epochs: 6})
}

// stopAt cancels a run after epoch stop; with fail, it fails the test if
// the run trains at all.
type stopAt struct {
	t      *testing.T
	stop   int
	cancel context.CancelFunc
}

func (s stopAt) Update(step, _ int, _ map[string]float64) {
	if s.cancel == nil {
		s.t.Errorf("a checkpoint that should be refused or reloaded trained (epoch %d)", step)
		return
	}
	if step == s.stop {
		s.cancel()
	}
}
func (stopAt) Done() {}

// savedRuns trains the line method once to the end and once interrupted
// after epoch 3, each in its checkpoint directory, and returns a function
// that copies either into a fresh directory three levels down a new
// temporary root (so that "../../../x" from it stays inside the root).
func savedRuns(t *testing.T) (copyRun func(finished bool) (root, dir string), whole *mfe.Result) {
	t.Helper()
	base := t.TempDir()
	fin, part := filepath.Join(base, "finished"), filepath.Join(base, "interrupted")
	whole, err := trainLine(context.Background(), fin, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := trainLine(ctx, part, false, stopAt{t: t, stop: 3, cancel: cancel}); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	return func(finished bool) (string, string) {
		src := part
		if finished {
			src = fin
		}
		root := t.TempDir()
		dir := filepath.Join(root, "a", "b", "checkpoint")
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
		return root, dir
	}, whole
}

// varsDir returns the variables' directory that dir's state.json names.
func varsDir(t *testing.T, dir string) string {
	t.Helper()
	var st State
	if err := rundir.ReadJSON(filepath.Join(dir, rundir.StateFile), &st); err != nil {
		t.Fatal(err)
	}
	return st.Variables
}

// refused fails t unless the run in dir is refused, without training, by a
// *rundir.CheckpointError whose message names every one of words.
func refused(t *testing.T, what, dir string, words ...string) {
	t.Helper()
	res, err := trainLine(context.Background(), dir, false, stopAt{t: t})
	var ce *rundir.CheckpointError
	if !errors.As(err, &ce) || res != nil {
		t.Errorf("%s: result %v, err = %v; want no result and a *rundir.CheckpointError", what, res, err)
		return
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %q does not name %q", what, err, w)
		}
	}
}

// TestCheckpointIntegrity: the cases of a damaged checkpoint, finished and
// interrupted, are refused naming the file, never trained from fresh
// weights; intact ones reload and resume.
func TestCheckpointIntegrity(t *testing.T) {
	copyRun, whole := savedRuns(t)

	// Intact: the finished run reloads with its metrics, the interrupted one
	// resumes to the uninterrupted end.
	_, dir := copyRun(true)
	got, err := trainLine(context.Background(), dir, false, stopAt{t: t})
	if err != nil || got.Metrics.ControlMSE != whole.Metrics.ControlMSE {
		t.Fatalf("intact finished run: %v, %v", got, err)
	}
	_, dir = copyRun(false)
	got, err = trainLine(context.Background(), dir, false, nil)
	if err != nil || got.Metrics.ControlMSE != whole.Metrics.ControlMSE {
		t.Fatalf("intact interrupted run: %v, %v", got, err)
	}

	for _, finished := range []bool{true, false} {
		name := map[bool]string{true: "finished", false: "interrupted"}[finished]
		// The variables deleted: the silent fresh start.
		_, dir := copyRun(finished)
		vars := varsDir(t, dir)
		if err := os.RemoveAll(filepath.Join(dir, vars)); err != nil {
			t.Fatal(err)
		}
		refused(t, name+": variables deleted", dir, vars+"/", "missing")
		if _, err := os.Stat(filepath.Join(dir, vars)); !os.IsNotExist(err) {
			t.Errorf("%s: the refused load created %s", name, vars)
		}

		// A variables file truncated, or altered in place.
		for _, how := range []string{"truncated", "altered"} {
			_, dir := copyRun(finished)
			files, err := rundir.ListFiles(dir, varsDir(t, dir))
			if err != nil {
				t.Fatal(err)
			}
			var bin string
			for _, f := range files {
				if strings.HasSuffix(f, ".bin") {
					bin = f
				}
			}
			path := filepath.Join(dir, bin)
			b, err := os.ReadFile(path)
			if err != nil || bin == "" {
				t.Fatalf("no variables file in %v: %v", files, err)
			}
			if how == "truncated" {
				b = b[:len(b)/2]
			} else {
				b[len(b)-3] ^= 0x40
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			refused(t, name+": variables "+how, dir, bin, how)
		}
	}

	// state.json naming variables outside the checkpoint, with a manifest
	// made to match: refused, and nothing created outside.
	root, dir := copyRun(true)
	b, err := os.ReadFile(filepath.Join(dir, rundir.StateFile))
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	_, m, err := rundir.OpenCheckpoint(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	files := m.Under(varsDir(t, dir))
	for _, bad := range []string{"../../../etc", "/etc"} {
		st["variables"] = bad
		forged, _ := json.Marshal(st)
		if err := rundir.CommitCheckpoint(dir, m.Key, forged, files, m.Check); err != nil {
			t.Fatal(err)
		}
		refused(t, "variables "+bad, dir, "leads out of the checkpoint")
		if _, err := os.Stat(filepath.Join(root, "etc")); !os.IsNotExist(err) {
			t.Errorf("variables %s: %v, want nothing created outside the checkpoint", bad, err)
		}
	}

	// A manifest whose control check the weights do not give (as a variable
	// lost in loading would): refused.
	_, dir = copyRun(true)
	_, m, err = rundir.OpenCheckpoint(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	state, _ := os.ReadFile(filepath.Join(dir, rundir.StateFile))
	m.Check.Alpha[40] += 0.01
	if err := rundir.CommitCheckpoint(dir, m.Key, state, m.Under(varsDir(t, dir)), m.Check); err != nil {
		t.Fatal(err)
	}
	refused(t, "control check", dir, "another control", varsDir(t, dir))
}

// TestCheckpointLegacy: a checkpoint without a manifest is refused; asked
// to adopt it, a finished run whose weights reproduce its metrics is
// reloaded and given its manifest, one whose stored metrics are not its
// weights' is refused, and an interrupted one is refused.
func TestCheckpointLegacy(t *testing.T) {
	copyRun, whole := savedRuns(t)
	_, dir := copyRun(true)
	if err := os.Remove(filepath.Join(dir, rundir.ManifestFile)); err != nil {
		t.Fatal(err)
	}
	var le *rundir.LegacyError
	if _, err := trainLine(context.Background(), dir, false, stopAt{t: t}); !errors.As(err, &le) {
		t.Fatalf("no manifest: err = %v, want a *rundir.LegacyError", err)
	}
	got, err := trainLine(context.Background(), dir, true, stopAt{t: t})
	if err != nil || !reflect.DeepEqual(got.Metrics, whole.Metrics) {
		t.Fatalf("adopted: %+v, %v; want the metrics %+v", got, err, whole.Metrics)
	}
	if _, err := trainLine(context.Background(), dir, false, stopAt{t: t}); err != nil {
		t.Errorf("reload after adoption: %v", err)
	}

	// Stored metrics that are not the weights'.
	_, dir = copyRun(true)
	if err := os.Remove(filepath.Join(dir, rundir.ManifestFile)); err != nil {
		t.Fatal(err)
	}
	var st State
	if err := rundir.ReadJSON(filepath.Join(dir, rundir.StateFile), &st); err != nil {
		t.Fatal(err)
	}
	st.Metrics.ControlMSE *= 1.001
	if err := rundir.WriteJSON(filepath.Join(dir, rundir.StateFile), st); err != nil {
		t.Fatal(err)
	}
	if _, err := trainLine(context.Background(), dir, true, stopAt{t: t}); err == nil || !strings.Contains(err.Error(), "do not reproduce its stored metrics") {
		t.Errorf("adopting other metrics: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, rundir.ManifestFile)); !os.IsNotExist(err) {
		t.Errorf("a refused adoption wrote a manifest: %v", err)
	}

	_, dir = copyRun(false)
	if err := os.Remove(filepath.Join(dir, rundir.ManifestFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := trainLine(context.Background(), dir, true, stopAt{t: t}); err == nil || !strings.Contains(err.Error(), "interrupted run saved without a manifest") {
		t.Errorf("adopting an interrupted run: err = %v", err)
	}
}

// TestCheckpointSameEpoch: a run interrupted right after a periodic save
// saves the same epoch again under a new name (the checkpoint in place
// stays whole until the new manifest is written) and resumes.
func TestCheckpointSameEpoch(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := trainLine(ctx, dir, false, stopAt{t: t, stop: 2, cancel: cancel}); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	if v := varsDir(t, dir); v != "vars-000002-1" {
		t.Errorf("variables in %s, want vars-000002-1 (vars-000002 was the periodic save's)", v)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("checkpoint holds %v, want the manifest, state.json and one variables directory", entries)
	}
	for _, e := range entries {
		if fi, err := os.Stat(filepath.Join(dir, e.Name())); err != nil || e.IsDir() && fi.Mode().Perm() != 0o755 || !e.IsDir() && fi.Mode().Perm() != rundir.FileMode {
			t.Errorf("%s: %v, %v; want mode 0755 for a directory, 0644 for a file", e.Name(), fi, err)
		}
	}
	if _, err := trainLine(context.Background(), dir, false, nil); err != nil {
		t.Fatal(err)
	}
}
