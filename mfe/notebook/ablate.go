package notebook

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// AblationsDir is the folder of the results directory (ResultsDir) that
// holds the saved runs of the notebooks' ablations, one folder per
// method, regime, profile and variant:
// ablations/METHOD-REGIME-PROFILE/VARIANT/seed-N.
const AblationsDir = "ablations"

var variantName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Ablate is the load-or-train step of one row of an ablation table: the
// registered method named method, in regime r, at the reference parameters
// and the profile Profile(), with the configuration cfg (the profile's with
// some settings changed), once per seed. Each run is checkpointed in
// ablations/METHOD-REGIME-PROFILE/VARIANT/seed-N of the results directory
// (variant: lower-case letters, digits and dashes), where a finished run is
// reloaded without training, verified as Run verifies the method's saved
// run, and a run saved with another configuration is refused (an
// *mfe.MismatchError naming what differs). A cfg equal to the profile's
// configuration is the method's own saved run of that seed,
// METHOD-REGIME-PROFILE/seed-N, which `mfe train -seeds` and Run write.
// With retrain, or MFE_RETRAIN=1 (the main job's retraining), the
// variant's saved runs are deleted first, once per kernel session.
//
// It prints one line per seed saying whether the run was reloaded (and
// how long it had taken) or trained now.
func Ablate(method string, r mfe.Regime, variant string, cfg mfe.Config, seeds []uint64, retrain bool) ([]*mfe.Result, error) {
	if !variantName.MatchString(variant) {
		return nil, fmt.Errorf("ablation variant %q: want lower-case letters, digits and dashes", variant)
	}
	m, r, prof, base, err := profileRun(method, r)
	if err != nil {
		return nil, err
	}
	same, err := sameConfig(base, cfg)
	if err != nil {
		return nil, err
	}
	results, err := ResultsDir()
	if err != nil {
		return nil, err
	}
	name := rundir.Name(m.Name(), r, prof)
	top := filepath.Join(results, AblationsDir, name, variant)
	if same {
		top = filepath.Join(results, name)
		if retrain || strings.TrimSpace(os.Getenv(RetrainEnv)) == "1" {
			// The method's own runs are retrained by its notebook and the
			// main job, not by an ablation table.
			retrain = false
		}
	}
	if retrain || strings.TrimSpace(os.Getenv(RetrainEnv)) == "1" {
		if _, err := forgetOnce(top, top, AblationsDir+"-"+name+"-"+variant); err != nil {
			return nil, err
		}
	}
	return seedRuns(m, top, variant, mfe.Run{Params: mfe.Reference(), Regime: r, Profile: prof}, cfg, seeds)
}

// RunModel is the load-or-train step of a method on a model other than
// the LQ one: the registered method named method, in regime r, on the
// model spec at the reference parameters, with the configuration of the
// profile Profile(), once per seed, each run checkpointed in
// METHOD-REGIME-PROFILE-SUFFIX/seed-N of the results directory (SUFFIX
// from spec.RunSuffix, as `mfe train -model ... -seeds` names its
// directory) and reloaded from there when finished. It prints a line per
// seed, as Ablate does.
func RunModel(method string, r mfe.Regime, spec mfe.ModelSpec, seeds []uint64) ([]*mfe.Result, error) {
	m, r, prof, cfg, err := profileRun(method, r)
	if err != nil {
		return nil, err
	}
	results, err := ResultsDir()
	if err != nil {
		return nil, err
	}
	top := filepath.Join(results, rundir.Name(m.Name(), r, prof)+spec.RunSuffix())
	return seedRuns(m, top, spec.String(), mfe.Run{Params: mfe.Reference(), Regime: r, Profile: prof, Model: spec}, cfg, seeds)
}

// seedRuns trains (or reloads) run with cfg for each seed in
// top/seed-N, printing for each the label, the seed and whether it was
// reloaded or trained.
func seedRuns(m mfe.Method, top, label string, run mfe.Run, cfg mfe.Config, seeds []uint64) ([]*mfe.Result, error) {
	var out []*mfe.Result
	for _, seed := range seeds {
		dir := rundir.SeedDir(top, seed)
		run.Seed = seed
		run.Progress = NewProgress(fmt.Sprintf("%s (%s), %s, seed %d", m.Title(), run.Regime, label, seed))
		res, reloaded, err := loadOrTrain(m, dir, run, cfg, writeResult)
		if err != nil {
			return nil, err
		}
		what := fmt.Sprintf("trained in %.0f s, saved in %s", res.WallTime, RelPath(dir))
		if reloaded {
			what = fmt.Sprintf("reloaded from %s (trained earlier, in %.0f s)", RelPath(dir), res.WallTime)
		}
		fmt.Printf("%s, seed %d: %s\n", label, seed, what)
		out = append(out, res)
	}
	return out, nil
}

// loadOrTrain trains (or, from a finished checkpoint, reloads) run with
// cfg checkpointed in dir, holding dir while it does, then has write save
// the result there; it reports whether the run was reloaded. A run refused
// before it saved anything (a model the method cannot solve, say) leaves
// no directory behind that was not there before: dir, and its parent when
// that is left empty.
func loadOrTrain(m mfe.Method, dir string, run mfe.Run, cfg mfe.Config, write func(dir string, res *mfe.Result, reloaded bool) error) (*mfe.Result, bool, error) {
	existed, parentExisted := fileExists(dir), fileExists(filepath.Dir(dir))
	res, reloaded, err := lockedTrain(m, dir, run, cfg, write)
	if err != nil && !existed && !fileExists(filepath.Join(dir, rundir.CheckpointDir)) && !fileExists(filepath.Join(dir, rundir.ResultFile)) {
		os.RemoveAll(dir)
		if !parentExisted {
			os.Remove(filepath.Dir(dir)) // only if empty
		}
	}
	return res, reloaded, err
}

// lockedTrain is loadOrTrain's work, holding dir.
func lockedTrain(m mfe.Method, dir string, run mfe.Run, cfg mfe.Config, write func(dir string, res *mfe.Result, reloaded bool) error) (*mfe.Result, bool, error) {
	lock, err := rundir.LockRun(dir)
	if err != nil {
		return nil, false, err
	}
	defer lock.Release()
	run.Checkpoint = filepath.Join(dir, rundir.CheckpointDir)
	reloaded := Finished(run.Checkpoint)
	res, err := m.Train(context.Background(), run, cfg)
	if err != nil {
		return nil, false, err
	}
	if err := write(dir, res, reloaded); err != nil {
		return nil, false, err
	}
	return res, reloaded, nil
}

// writeResult writes a seed's result.json and control.json (rundir.Write)
// unless the run was reloaded and they are there.
func writeResult(dir string, res *mfe.Result, reloaded bool) error {
	if reloaded && fileExists(filepath.Join(dir, rundir.ResultFile)) {
		return nil
	}
	return rundir.Write(dir, res)
}

// forgetOnce deletes the saved runs in top (removeRuns, holding top and
// the run directory dir in it) once per GoNB kernel session — a marker
// named key in $GONB_TMP_DIR remembers it — and at every call outside
// GoNB; it reports whether it deleted them.
func forgetOnce(top, dir, key string) (bool, error) {
	marker := ""
	if tmp := os.Getenv("GONB_TMP_DIR"); tmp != "" {
		marker = filepath.Join(tmp, "mfe-retrained", key)
		if _, err := os.Stat(marker); err == nil {
			return false, nil // forgotten earlier in this kernel session
		}
	}
	if err := removeRuns(top, dir); err != nil {
		return false, err
	}
	if marker != "" {
		if err := os.MkdirAll(filepath.Dir(marker), 0o755); err != nil {
			return false, err
		}
		if err := os.WriteFile(marker, nil, 0o644); err != nil {
			return false, err
		}
	}
	return true, nil
}

// sameConfig reports whether two configurations have the same JSON.
func sameConfig(a, b mfe.Config) (bool, error) {
	ja, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	jb, err := json.Marshal(b)
	if err != nil {
		return false, err
	}
	return string(ja) == string(jb), nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
