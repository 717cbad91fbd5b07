package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/progress"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

func listMethods(w io.Writer) error {
	for _, m := range mfe.Methods() {
		fmt.Fprintf(w, "%-14s %-8s %s\n", m.Name(), regimeWords(m.Regimes()), m.Title())
	}
	return nil
}

func regimeWords(rs []mfe.Regime) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, " ")
}

// methodFlags are the flags that choose a method's run: -method, -regime,
// -profile, -seed, -backend.
type methodFlags struct {
	name, regime, profile, backend *string
	seed                           *uint64
}

func addMethodFlags(fs *flag.FlagSet) methodFlags {
	return methodFlags{
		name:    fs.String("method", "", "method: "+strings.Join(mfe.MethodNames(), ", ")),
		regime:  fs.String("regime", "", "mfg or mfc (default: the method's first regime)"),
		profile: fs.String("profile", "default", "quick, default or memoir"),
		seed:    fs.Uint64("seed", 1, "random seed"),
		backend: fs.String("backend", "", "GoMLX backend, e.g. go, xla:cpu, xla:cuda (default: chosen automatically)"),
	}
}

// resolve checks the method flags, naming the offending flag, and returns the
// method, its regime and the profile.
func (f methodFlags) resolve(cmd string) (mfe.Method, mfe.Regime, mfe.Profile, error) {
	m, err := mfe.LookupMethod(*f.name)
	if err != nil {
		return nil, "", "", usagef("mfe %s: invalid value %q for flag -method: want one of %s", cmd, *f.name, strings.Join(mfe.MethodNames(), ", "))
	}
	r := m.Regimes()[0]
	if *f.regime != "" {
		if r, err = mfe.ParseRegime(*f.regime); err != nil {
			return nil, "", "", usagef("mfe %s: invalid value %q for flag -regime: want mfg or mfc", cmd, *f.regime)
		}
		if !mfe.Solves(m, r) {
			return nil, "", "", usagef("mfe %s: invalid value %q for flag -regime: %s solves only %s", cmd, *f.regime, m.Name(), mfe.RegimeList(m.Regimes()))
		}
	}
	prof, err := mfe.ParseProfile(*f.profile)
	if err != nil {
		return nil, "", "", usagef("mfe %s: invalid value %q for flag -profile: want quick, default or memoir", cmd, *f.profile)
	}
	if *f.backend != "" {
		os.Setenv(backend.EnvVar, *f.backend)
	}
	if _, err := backend.Choose(); err != nil {
		if *f.backend == "" {
			return nil, "", "", usagef("mfe %s: %v", cmd, err)
		}
		return nil, "", "", usagef("mfe %s: invalid value %q for flag -backend: %v", cmd, *f.backend, err)
	}
	return m, r, prof, nil
}

// train runs `mfe train`. It checks every flag and starts the backend
// before it touches the run directory; it then holds the directory
// (rundir.LockRun) for the whole run, so that a second run into it fails
// at once, and with -fresh removes the checkpoint's files (only those the
// project wrote, rundir.RemoveCheckpoint) before training. With -reevaluate
// it recomputes a finished run's metrics (mfe.Run.Reevaluate), writes each
// change to stderr and rewrites result.json and control.json (the figures,
// of the history and the control, stay).
func train(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	p := paramFlags(fs)
	mf := addMethodFlags(fs)
	out := fs.String("out", "", "output directory (default out/METHOD-REGIME-PROFILE)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fresh := fs.Bool("fresh", false, "delete the run's checkpoint (the files mfe wrote in OUT/checkpoint) and train from scratch")
	adopt := fs.Bool("adopt-legacy", false, "reload a finished run whose checkpoint has no manifest (saved by an older mfe) if its weights reproduce its stored metrics, and write the manifest")
	reeval := fs.Bool("reevaluate", false, "recompute a finished run's final metrics from its verified checkpoint with the current evaluation code (control_mse and control_rel must not change), store them and rewrite result.json and control.json")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if err := checkParams("train", *p); err != nil {
		return err
	}
	if _, _, err := mfe.MemoryBudget(); err != nil {
		return usagef("mfe train: %v", err)
	}
	m, r, prof, err := mf.resolve("train")
	if err != nil {
		return err
	}
	cfg, err := m.Config(prof)
	if err != nil {
		return err
	}
	if *fresh && *adopt {
		return usagef("mfe train: -fresh and -adopt-legacy exclude each other (-fresh deletes the checkpoint that -adopt-legacy would verify)")
	}
	if *reeval && (*fresh || *adopt) {
		return usagef("mfe train: -reevaluate excludes -fresh and -adopt-legacy (it re-evaluates a finished run with a manifest)")
	}
	if _, err := backend.DefaultErr(); err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", rundir.Name(m.Name(), r, prof))
	}
	// A run beyond the memory budget is refused before it touches its directory.
	if me, ok := cfg.(mfe.MemoryEstimator); ok {
		est := me.Memory(mfe.Run{Params: *p, Regime: r, Profile: prof, Checkpoint: filepath.Join(dir, rundir.CheckpointDir)})
		if err := mfe.CheckMemory(m.Name(), est); err != nil {
			return err
		}
	}
	lock, err := rundir.LockRun(dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	var pr mfe.Progress = mfe.NopProgress{}
	if !*quiet {
		pr = progress.NewTerminal(stderr, fmt.Sprintf("%s %s", m.Name(), r))
	}
	ck := filepath.Join(dir, rundir.CheckpointDir)
	if *fresh {
		if err := rundir.RemoveCheckpoint(ck); err != nil {
			return err
		}
	} else if _, err := os.Stat(ck); err == nil && !*reeval {
		fmt.Fprintf(stderr, "mfe: resuming from %s (a finished run is reloaded; -fresh trains from scratch)\n", ck)
	}
	verb := "training"
	if *reeval {
		verb = "re-evaluating"
	}
	fmt.Fprintf(stderr, "mfe: %s %s (%s, profile %s, seed %d) on %s\n", verb, m.Name(), r, prof, *mf.seed, backend.Describe())
	run := mfe.Run{Params: *p, Regime: r, Profile: prof, Seed: *mf.seed, Checkpoint: ck, Progress: pr, AdoptLegacy: *adopt}
	if *reeval {
		run.Reevaluate = func(old, new mfe.Metrics) { reportChanges(stderr, ck, old, new) }
	}
	res, err := m.Train(ctx, run, cfg)
	switch {
	case res != nil && *reeval && err == nil:
		// The figures show the history and the control, which stay.
		err = rundir.Write(dir, res)
	case res != nil && !*reeval:
		if werr := report.WriteRun(dir, res); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; the partial result is in %s; run the same command again to resume", dir)
		}
		return err
	}
	mt := res.Metrics
	fmt.Fprintf(stdout, "%s %s: control_mse %.3g, control_rel %.3g", m.Name(), r, mt.ControlMSE, mt.ControlRel)
	if mt.Exploitability != nil {
		fmt.Fprintf(stdout, ", exploitability %s", mt.GapText("%.3g"))
	}
	if mt.SocialGap != nil {
		fmt.Fprintf(stdout, ", social-cost gap %s", mt.GapText("%.3g"))
	}
	fmt.Fprintf(stdout, ", %.3g s/epoch, %.1f s in all; wrote %s\n", res.EpochTime, res.WallTime, dir)
	return nil
}

// reportChanges writes to w which final metrics of the run re-evaluated in
// checkpoint ck changed, old → new, or that none did.
func reportChanges(w io.Writer, ck string, old, new mfe.Metrics) {
	a, b := metricMap(old), metricMap(new)
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	n := 0
	for _, k := range keys {
		va, oka := a[k]
		vb, okb := b[k]
		if oka != okb || va != vb {
			fmt.Fprintf(w, "mfe: re-evaluated %s: %s %s → %s\n", ck, k, orNone(va, oka), orNone(vb, okb))
			n++
		}
	}
	if n == 0 {
		fmt.Fprintf(w, "mfe: re-evaluated %s: no metric changed\n", ck)
	}
}

func orNone(v string, ok bool) string {
	if !ok {
		return "none"
	}
	return v
}

// metricMap returns the metrics by JSON name, each value as JSON writes it.
func metricMap(m mfe.Metrics) map[string]string {
	b, err := json.Marshal(m)
	out := map[string]string{}
	var raw map[string]json.RawMessage
	if err != nil || json.Unmarshal(b, &raw) != nil {
		out["metrics"] = fmt.Sprintf("%+v", m)
		return out
	}
	for k, v := range raw {
		out[k] = string(v)
	}
	return out
}
