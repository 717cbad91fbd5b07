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
// of the history and the control, stay). With -seeds it trains each seed
// into OUT/seed-N as -seed N -out OUT/seed-N would, then writes
// OUT/summary.json (trainSeeds). Each -set KEY=VALUE changes one setting of
// the profile's configuration (mfe.SetConfig) before anything runs; the
// changed configuration is the run's, in result.json and the run key.
func train(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	p := paramFlags(fs)
	mf := addMethodFlags(fs)
	seeds := fs.String("seeds", "", "train each of these seeds (comma-separated, e.g. 1,2,3) into OUT/seed-N, then write their summary, OUT/summary.json; excludes -seed")
	out := fs.String("out", "", "output directory (default out/METHOD-REGIME-PROFILE)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fresh := fs.Bool("fresh", false, "delete the run's checkpoint (the files mfe wrote in OUT/checkpoint) and train from scratch")
	adopt := fs.Bool("adopt-legacy", false, "reload a finished run whose checkpoint has no manifest (saved by an older mfe) if its weights reproduce its stored metrics, and write the manifest")
	mflags := addModelFlags(fs)
	settings := settingsFlag{}
	fs.Var(settings, "set", "change one setting of the profile's configuration, KEY=VALUE with KEY a field of result.json's config (e.g. -set epochs=1600); repeatable; needs -out")
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
	model, err := mflags.resolve(fs, "train", m)
	if err != nil {
		return err
	}
	cfg, err := m.Config(prof)
	if err != nil {
		return err
	}
	if len(settings) > 0 {
		if *out == "" {
			return usagef("mfe train: -set needs -out: a run with changed settings is not the %s profile's run, so it gets a directory of its own", prof)
		}
		if cfg, err = mfe.SetConfig(cfg, settings); err == nil {
			err = cfg.Validate()
		}
		if err != nil {
			return usagef("mfe train: invalid flag -set: %v", err)
		}
	}
	if *fresh && *adopt {
		return usagef("mfe train: -fresh and -adopt-legacy exclude each other (-fresh deletes the checkpoint that -adopt-legacy would verify)")
	}
	if *reeval && (*fresh || *adopt) {
		return usagef("mfe train: -reevaluate excludes -fresh and -adopt-legacy (it re-evaluates a finished run with a manifest)")
	}
	seedList, err := parseSeedsFlag(fs, *seeds)
	if err != nil {
		return err
	}
	if _, err := backend.DefaultErr(); err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", rundir.Name(m.Name(), r, prof)+model.RunSuffix())
	}
	t := trainer{m: m, r: r, prof: prof, cfg: cfg, params: *p, model: model, quiet: *quiet, fresh: *fresh, adopt: *adopt, reeval: *reeval,
		stdout: stdout, stderr: stderr}
	if seedList != nil {
		return t.trainSeeds(ctx, seedList, dir)
	}
	_, err = t.train(ctx, *mf.seed, dir)
	return err
}

// trainer trains one method's run, as the flags of `mfe train` chose it,
// for a seed into a run directory.
type trainer struct {
	m                           mfe.Method
	r                           mfe.Regime
	prof                        mfe.Profile
	cfg                         mfe.Config
	params                      mfe.Params
	model                       mfe.ModelSpec
	quiet, fresh, adopt, reeval bool
	stdout, stderr              io.Writer
}

// checkMemory refuses a run into dir beyond the memory budget, before it
// touches its directory.
func (t trainer) checkMemory(dir string) error {
	if me, ok := t.cfg.(mfe.MemoryEstimator); ok {
		est := me.Memory(mfe.Run{Params: t.params, Regime: t.r, Profile: t.prof, Model: t.model, Checkpoint: filepath.Join(dir, rundir.CheckpointDir)})
		if err := mfe.CheckMemory(t.m.Name(), est); err != nil {
			return err
		}
	}
	return nil
}

// train trains (or reloads, resumes, re-evaluates) the run of seed in the
// run directory dir, writes it there and prints its line (runLine).
func (t trainer) train(ctx context.Context, seed uint64, dir string) (*mfe.Result, error) {
	if err := t.checkMemory(dir); err != nil {
		return nil, err
	}
	lock, err := rundir.LockRun(dir)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	var pr mfe.Progress = mfe.NopProgress{}
	if !t.quiet {
		pr = progress.NewTerminal(t.stderr, fmt.Sprintf("%s %s", t.m.Name(), t.r))
	}
	ck := filepath.Join(dir, rundir.CheckpointDir)
	if t.fresh {
		if err := rundir.RemoveCheckpoint(ck); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(ck); err == nil && !t.reeval {
		fmt.Fprintf(t.stderr, "mfe: resuming from %s (a finished run is reloaded; -fresh trains from scratch)\n", ck)
	}
	verb := "training"
	if t.reeval {
		verb = "re-evaluating"
	}
	regime := string(t.r)
	if !t.model.IsLQ() {
		regime += ", model " + t.model.String()
	}
	fmt.Fprintf(t.stderr, "mfe: %s %s (%s, profile %s, seed %d) on %s\n", verb, t.m.Name(), regime, t.prof, seed, backend.Describe())
	run := mfe.Run{Params: t.params, Regime: t.r, Profile: t.prof, Seed: seed, Model: t.model, Checkpoint: ck, Progress: pr, AdoptLegacy: t.adopt}
	if t.reeval {
		run.Reevaluate = func(old, new mfe.Metrics) { reportChanges(t.stderr, ck, old, new) }
	}
	res, err := t.m.Train(ctx, run, t.cfg)
	switch {
	case res != nil && t.reeval && err == nil:
		// The figures show the history and the control, which stay.
		err = rundir.Write(dir, res)
	case res != nil && !t.reeval:
		if werr := report.WriteRun(dir, res); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			if t.reeval {
				return nil, fmt.Errorf("interrupted; %s is unchanged; run the same command again to re-evaluate", dir)
			}
			return nil, fmt.Errorf("interrupted; the partial result is in %s; run the same command again to resume", dir)
		}
		return nil, err
	}
	fmt.Fprintf(t.stdout, "%s; wrote %s\n", runLine(res), dir)
	return res, nil
}

// runLine is a finished run in one line: its method, regime (and model,
// if not LQ), control error (and its reference, if not the exact control),
// exploitability or social-cost gap (± standard error) and times.
func runLine(res *mfe.Result) string {
	mt := res.Metrics
	s := fmt.Sprintf("%s %s", res.Method, res.Regime)
	if !res.Model.IsLQ() {
		s += " " + res.Model.String()
	}
	s += fmt.Sprintf(": control_mse %.3g, control_rel %.3g", mt.ControlMSE, mt.ControlRel)
	if mt.Reference != "" {
		s += " against " + mt.Reference
	}
	if mt.Exploitability != nil {
		s += ", exploitability " + mt.GapText("%.3g")
	}
	if mt.SocialGap != nil {
		s += ", social-cost gap " + mt.GapText("%.3g")
	}
	return s + fmt.Sprintf(", %.3g s/epoch, %.1f s in all", res.EpochTime, res.WallTime)
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

// settingsFlag collects the KEY=VALUE pairs of the repeatable flag -set.
type settingsFlag map[string]string

func (s settingsFlag) String() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k+"="+s[k])
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func (s settingsFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if k = strings.TrimSpace(k); !ok || k == "" {
		return fmt.Errorf("want KEY=VALUE, e.g. epochs=1600")
	}
	if _, dup := s[k]; dup {
		return fmt.Errorf("%s set twice", k)
	}
	s[k] = val
	return nil
}
