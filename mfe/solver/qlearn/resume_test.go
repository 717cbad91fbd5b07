package qlearn

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// cancelAt cancels the run at the first progress report at or after
// episode stop.
type cancelAt struct {
	stop   int
	cancel context.CancelFunc
}

func (c *cancelAt) Update(step, _ int, _ map[string]float64) {
	if c.cancel != nil && step >= c.stop {
		c.cancel()
		c.cancel = nil
	}
}
func (*cancelAt) Done() {}

// failUpdate fails the test if the run reports any training progress.
type failUpdate struct{ t *testing.T }

func (f failUpdate) Update(step, _ int, _ map[string]float64) {
	f.t.Errorf("a finished run trained again (progress at episode %d)", step)
}
func (failUpdate) Done() {}

// resumeConfigs are the quick profile (window fit, three levels) and the
// memoir's algorithm (uniform grid, one level, nearest rounding, private
// reward), shrunk to 60,000 episodes.
func resumeConfigs(t *testing.T) map[string]Config {
	out := map[string]Config{}
	for _, prof := range []mfe.Profile{mfe.Quick, mfe.Memoir} {
		cfg, err := ProfileConfig(prof)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Episodes, cfg.Batch, cfg.Checkpoints, cfg.EvalN = 60_000, 2_000, 10, 200
		out[string(prof)] = cfg
	}
	return out
}

// sameRun fails t unless got has the tables, history and metrics of want,
// bit for bit.
func sameRun(t *testing.T, what string, got, want *mfe.Result) {
	t.Helper()
	if !reflect.DeepEqual(got.History, want.History) {
		t.Errorf("%s: history differs from the uninterrupted run's:\n got  %v\n want %v", what, got.History.Loss, want.History.Loss)
	}
	if !reflect.DeepEqual(got.Metrics, want.Metrics) {
		t.Errorf("%s: metrics %+v, uninterrupted %+v", what, got.Metrics, want.Metrics)
	}
	if !reflect.DeepEqual(got.Control, want.Control) {
		g, w := got.Control.(*Tables), want.Control.(*Tables)
		t.Errorf("%s: tables differ from the uninterrupted run's (episodes %d/%d, level %d/%d, abar %v / %v)",
			what, g.Episodes, w.Episodes, g.Level, w.Level, g.Abar, w.Abar)
	}
	if !reflect.DeepEqual(got.Config, want.Config) {
		t.Errorf("%s: config %+v, want %+v", what, got.Config, want.Config)
	}
}

// TestResume: a run interrupted twice (at the end of the first level's
// 15,000 episodes, before the next level's re-centring, then in the middle
// of the last level), each time resumed from its checkpoint, ends with the
// uninterrupted run's tables, history and metrics bit for bit, for both
// regimes with the window fit and for the MFG on the uniform grid; the finished
// checkpoint is then reloaded without training.
func TestResume(t *testing.T) {
	p := mfe.Reference()
	for name, cfg := range resumeConfigs(t) {
		regimes := []mfe.Regime{mfe.MFG, mfe.MFC}
		if name == "memoir" {
			regimes = regimes[:1] // the MFC's private reward is the MFG's code path
		}
		for _, r := range regimes {
			t.Run(name+"/"+string(r), func(t *testing.T) {
				whole, err := Train(context.Background(), mfe.Run{Params: p, Regime: r, Seed: 5}, cfg)
				if err != nil {
					t.Fatal(err)
				}
				dir := t.TempDir()
				run := mfe.Run{Params: p, Regime: r, Seed: 5, Checkpoint: dir, CheckpointEvery: 7_000} // not a multiple of the batch
				stops := []int{15_000, 38_000}
				if name == "memoir" {
					stops = []int{14_000, 38_000}
				}
				for k, stop := range stops {
					ctx, cancel := context.WithCancel(context.Background())
					run.Progress = &cancelAt{stop: stop, cancel: cancel}
					part, err := Train(ctx, run, cfg)
					cancel()
					if !errors.Is(err, context.Canceled) {
						t.Fatalf("interruption %d: err = %v, want context.Canceled", k+1, err)
					}
					if got := part.Control.(*Tables).Episodes; got != stop {
						t.Fatalf("interruption %d: stopped after %d episodes, want %d", k+1, got, stop)
					}
					if n, want := len(part.History.Epoch), stop/(cfg.Episodes/cfg.Checkpoints); n != want {
						t.Errorf("interruption %d: %d history records, want %d", k+1, n, want)
					}
				}
				run.Progress, run.CheckpointEvery = nil, 5_000 // not part of the run's identity
				resumed, err := Train(context.Background(), run, cfg)
				if err != nil {
					t.Fatal(err)
				}
				sameRun(t, "resumed", resumed, whole)

				run.Progress = failUpdate{t}
				loaded, err := Train(context.Background(), run, cfg)
				if err != nil {
					t.Fatal(err)
				}
				sameRun(t, "reloaded", loaded, whole)

				entries, _ := os.ReadDir(dir)
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				if want := []string{rundir.ManifestFile, stateFile}; !reflect.DeepEqual(names, want) {
					t.Errorf("checkpoint directory holds %v, want only %v", names, want)
				}
			})
		}
	}
}

// TestResumeMismatch: a checkpoint is refused, with an error that says
// what differs, for another seed, regime, parameter or configuration; the
// checkpoint settings themselves are not part of the run.
func TestResumeMismatch(t *testing.T) {
	cfg := resumeConfigs(t)["quick"]
	cfg.Episodes, cfg.Checkpoints = 4_000, 2
	p := mfe.Reference()
	dir := t.TempDir()
	c := cfg
	ctx, cancel := context.WithCancel(context.Background())
	run := mfe.Run{Params: p, Regime: mfe.MFG, Seed: 5, Checkpoint: dir, Progress: &cancelAt{stop: 2_000, cancel: cancel}}
	if _, err := Train(ctx, run, c); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: err = %v", err)
	}
	cancel()
	q := p
	q.Gamma = 1
	other := c
	other.Episodes = 5_000
	for _, tc := range []struct {
		name string
		p    mfe.Params
		r    mfe.Regime
		cfg  Config
		seed uint64
		want string
	}{
		{"seed", p, mfe.MFG, c, 6, "seed: saved 5, requested 6"},
		{"regime", p, mfe.MFC, c, 5, "regime: saved mfg, requested mfc"},
		{"params", q, mfe.MFG, c, 5, "params.gamma: saved 1.75, requested 1"},
		{"config", p, mfe.MFG, other, 5, "config.episodes: saved 4000, requested 5000"},
	} {
		_, err := Train(context.Background(), mfe.Run{Params: tc.p, Regime: tc.r, Seed: tc.seed, Checkpoint: dir}, tc.cfg)
		var mm *mfe.MismatchError
		if !errors.As(err, &mm) {
			t.Errorf("%s: err = %v, want a *mfe.MismatchError", tc.name, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "saved for another run") || !strings.Contains(msg, tc.want) ||
			len(mm.Differs) != 1 {
			t.Errorf("%s: message %q, want one difference %q", tc.name, msg, tc.want)
		}
	}
	res, err := Train(context.Background(), mfe.Run{Params: p, Regime: mfe.MFG, Seed: 5, Checkpoint: dir, CheckpointEvery: 1_000}, c)
	if err != nil {
		t.Fatalf("same run, other checkpoint interval: %v", err)
	}
	if n := res.Control.(*Tables).Episodes; n != cfg.Episodes {
		t.Errorf("resumed run trained %d episodes, want %d", n, cfg.Episodes)
	}
}

// TestCheckpointFloats: the checkpoint's floats keep every value bit for
// bit, non-finite ones included (a degenerate run's history holds +Inf),
// and nil apart from empty.
func TestCheckpointFloats(t *testing.T) {
	in := struct {
		A, B, C floats
		S, N    float
	}{
		A: floats{0, math.Copysign(0, -1), 0.1, 1.0 / 3, math.SmallestNonzeroFloat64, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), -2.5e-300},
		B: floats{},
		S: float(math.Inf(1)),
		N: float(math.NaN()),
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		A, B, C floats
		S, N    float
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if len(out.A) != len(in.A) || out.B == nil || len(out.B) != 0 || out.C != nil {
		t.Fatalf("%s decoded as %v", b, out)
	}
	for i, v := range in.A {
		if math.Float64bits(out.A[i]) != math.Float64bits(v) {
			t.Errorf("value %d: %v decoded as %v (%s)", i, v, out.A[i], b)
		}
	}
	if !math.IsInf(float64(out.S), 1) || !math.IsNaN(float64(out.N)) {
		t.Errorf("scalars %v %v decoded as %v %v (%s)", in.S, in.N, out.S, out.N, b)
	}
}
