package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
)

// doctorTol is the largest deviation of a backend's control from the Go
// backend's, with the same trained weights, that counts as agreement:
// max |Δα| over the standard grid relative to max |α|. The float32 networks
// evaluated by two backends differ by rounding (summation order, the
// kernels of tanh and exp), about 1e-6 here; a wrong operation differs by
// far more.
const doctorTol = 1e-4

// doctorWorkerEnv marks a doctor worker process. A test binary checks it in
// TestMain, so that the doctor can re-execute it as a worker.
const doctorWorkerEnv = "MFE_DOCTOR_WORKER"

// doctorRun is one method's short run on one backend, as a worker reports it.
type doctorRun struct {
	Method    string      `json:"method"`
	Regime    mfe.Regime  `json:"regime"`
	Backend   string      `json:"backend"`      // the result's backend, e.g. "Go Backend"
	Uses      bool        `json:"uses_backend"` // the method runs on the GoMLX backend
	Steps     int         `json:"steps"`        // training steps (epochs, iterations, episodes)
	EpochTime float64     `json:"epoch_time_s"` // the result's mean seconds per epoch
	WallTime  float64     `json:"wall_time_s"`  // the whole run, compilation and evaluation included
	Rel       float64     `json:"control_rel"`  // the learned control's error against the exact one
	Grid      [][]float64 `json:"grid"`         // the learned control on the standard grid
	Reloaded  [][]float64 `json:"reloaded"`     // the reference's weights on this backend, on the standard grid
	Err       string      `json:"error,omitempty"`
}

// doctor is `mfe doctor`: the backends found, the one chosen and why, then
// every method trained briefly on every backend found, each in a worker
// process of its own (GOMLX_BACKEND set), compared with the Go backend.
func doctor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	steps := fs.Int("steps", 10, "training steps (epochs, iterations, episodes) of each method's quick profile")
	methods := fs.String("method", "", "methods to train, comma-separated (default: every registered method)")
	backends := fs.String("backend", "", "backends to compare with go, comma-separated, e.g. xla:cpu (default: every one found; go itself: a second Go run)")
	seed := fs.Uint64("seed", 1, "random seed")
	worker := fs.String("worker", "", "internal: train on this backend and print the runs as JSON")
	dir := fs.String("dir", "", "internal: the worker's checkpoint directory")
	ref := fs.String("reference", "", "internal: the Go worker's checkpoint directory, reloaded on the worker's backend")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if *steps < 1 {
		return usagef("mfe doctor: invalid value %d for flag -steps: want >= 1", *steps)
	}
	ms, err := doctorMethods(*methods)
	if err != nil {
		return err
	}
	if *worker != "" {
		return doctorWorker(ctx, *worker, ms, *steps, *seed, *dir, *ref, stdout)
	}
	cands := backend.Candidates()
	var try []string
	if *backends == "" {
		for _, c := range cands[1:] {
			if c.Found {
				try = append(try, c.Config)
			}
		}
	} else {
		for b := range strings.SplitSeq(*backends, ",") {
			b = strings.TrimSpace(b)
			if b == "" {
				continue
			}
			if name, _, _ := strings.Cut(b, ":"); !slices.Contains(backend.Known(), name) {
				return usagef("mfe doctor: invalid value %q for flag -backend: want go or xla:PLUGIN (compiled in: %s)", b, strings.Join(backend.Known(), ", "))
			}
			try = append(try, b)
		}
	}

	fmt.Fprintln(stdout, "backends:")
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, c := range cands {
		found := "not found"
		if c.Found {
			found = "found"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Config, found, c.Note)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "chosen: %s\n\n", backend.Describe())

	tmp, err := os.MkdirTemp("", "mfe-doctor-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(stdout, "training: each method's quick profile cut to %d steps, seed %d, its first regime, on each backend in a process of its own\n", *steps, *seed)
	fmt.Fprintf(stdout, "agreement: with the Go run's weights reloaded, the control on the standard grid within %.0e of Go's (max |Δα| / max |α|)\n", doctorTol)
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name()
	}
	goRuns, goErr := doctorSpawn(ctx, backend.Go, names, *steps, *seed, filepath.Join(tmp, "go"), "", stderr)
	rows := [][]string{}
	failed := 0
	for _, r := range doctorOrder(names, goRuns, goErr) {
		row, ok := doctorRow(backend.Go, r, nil)
		rows = append(rows, row)
		if !ok {
			failed++
		}
	}
	goRef := map[string]doctorRun{}
	var onBackend []string
	for _, r := range goRuns {
		goRef[r.Method] = r
		if r.Uses && r.Err == "" {
			onBackend = append(onBackend, r.Method)
		}
	}
	for i, b := range try {
		if len(onBackend) == 0 {
			break
		}
		runs, err := doctorSpawn(ctx, b, onBackend, *steps, *seed, filepath.Join(tmp, fmt.Sprintf("backend-%d", i)), filepath.Join(tmp, "go"), stderr)
		if len(runs) == 0 && err != nil { // the backend did not start: one row
			rows = append(rows, []string{"(every method)", "", b, "", "", "", "", "FAILED: " + err.Error()})
			failed++
			continue
		}
		for _, r := range doctorOrder(onBackend, runs, err) {
			g := goRef[r.Method]
			row, ok := doctorRow(b, r, &g)
			rows = append(rows, row)
			if !ok {
				failed++
			}
		}
	}
	tw = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "method\tregime\tbackend\tsteps\ts/epoch\twall s\tcontrol_rel\tvs go")
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if failed > 0 {
		return fmt.Errorf("doctor: %d of %d runs failed or disagree with the Go backend", failed, len(rows))
	}
	fmt.Fprintf(stdout, "doctor: ok (%d runs)\n", len(rows))
	return nil
}

// doctorMethods resolves the -method list.
func doctorMethods(list string) ([]mfe.Method, error) {
	if list == "" {
		return mfe.Methods(), nil
	}
	var ms []mfe.Method
	for name := range strings.SplitSeq(list, ",") {
		m, err := mfe.LookupMethod(strings.TrimSpace(name))
		if err != nil {
			return nil, usagef("mfe doctor: invalid value %q for flag -method: want one of %s", name, strings.Join(mfe.MethodNames(), ", "))
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// doctorOrder lists a worker's runs in the order of names; a method the
// worker did not report carries the worker's error.
func doctorOrder(names []string, runs []doctorRun, werr error) []doctorRun {
	out := make([]doctorRun, 0, len(names))
	for _, n := range names {
		i := slices.IndexFunc(runs, func(r doctorRun) bool { return r.Method == n })
		switch {
		case i >= 0:
			out = append(out, runs[i])
		case werr != nil:
			out = append(out, doctorRun{Method: n, Err: werr.Error()})
		default:
			out = append(out, doctorRun{Method: n, Err: "not reported by the worker"})
		}
	}
	return out
}

// doctorRow formats one run; ref is the Go run it is compared with (nil for
// the Go runs themselves). It reports whether the run passed.
func doctorRow(b string, r doctorRun, ref *doctorRun) ([]string, bool) {
	if r.Err != "" {
		return []string{r.Method, string(r.Regime), b, "", "", "", "", "FAILED: " + r.Err}, false
	}
	if !r.Uses {
		b = r.Backend
	}
	row := []string{r.Method, string(r.Regime), b, strconv.Itoa(r.Steps),
		fmt.Sprintf("%.3g", r.EpochTime), fmt.Sprintf("%.1f", r.WallTime), fmt.Sprintf("%.3g", r.Rel)}
	ok := !math.IsNaN(r.Rel) && !math.IsInf(r.Rel, 0)
	switch {
	case !ok:
		row = append(row, "FAILED: control_rel not finite")
	case ref == nil && r.Uses:
		row = append(row, "reference")
	case ref == nil:
		row = append(row, "backend-independent")
	default:
		d := gridDeviation(r.Reloaded, ref.Grid)
		if d <= doctorTol {
			row = append(row, fmt.Sprintf("%.1e ok", d))
		} else {
			row = append(row, fmt.Sprintf("%.1e DISAGREES", d))
			ok = false
		}
	}
	return row, ok
}

// gridDeviation is max |a - b| / max |b| over two controls on the same grid
// (+Inf if the grids differ in shape or a value is not finite).
func gridDeviation(a, b [][]float64) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return math.Inf(1)
	}
	var dev, scale float64
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return math.Inf(1)
		}
		for j := range a[i] {
			d := math.Abs(a[i][j] - b[i][j])
			if math.IsNaN(d) {
				return math.Inf(1)
			}
			dev = math.Max(dev, d)
			scale = math.Max(scale, math.Abs(b[i][j]))
		}
	}
	if scale == 0 {
		scale = 1
	}
	return dev / scale
}

// doctorSpawn runs a worker for backend b in a process of its own and
// returns the runs it reports.
func doctorSpawn(ctx context.Context, b string, methods []string, steps int, seed uint64, dir, ref string, stderr io.Writer) ([]doctorRun, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"doctor", "-worker", b, "-method", strings.Join(methods, ","), "-steps", strconv.Itoa(steps),
		"-seed", strconv.FormatUint(seed, 10), "-dir", dir}
	if ref != "" {
		args = append(args, "-reference", ref)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), backend.EnvVar+"="+b, doctorWorkerEnv+"=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	runErr := cmd.Run()
	var runs []doctorRun
	if err := json.Unmarshal(out.Bytes(), &runs); err != nil && runErr == nil {
		runErr = fmt.Errorf("worker output: %v", err)
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "mfe doctor: the %s worker failed after %.0f s (%v); its last messages:\n%s\n", b, time.Since(start).Seconds(), runErr, lastLines(errb.String(), 15))
		return runs, fmt.Errorf("%s worker: %v: %s", b, runErr, lastLines(errb.String(), 1))
	}
	return runs, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// doctorWorker trains each method on backend b (GOMLX_BACKEND, set by the
// parent) and prints the runs as JSON. A method's failure is in its run;
// the worker fails only when the backend cannot be created.
func doctorWorker(ctx context.Context, b string, ms []mfe.Method, steps int, seed uint64, dir, ref string, stdout io.Writer) error {
	if err := os.Setenv(backend.EnvVar, b); err != nil {
		return err
	}
	be, err := backend.DefaultErr()
	if err != nil {
		return err
	}
	runs := []doctorRun{}
	for _, m := range ms {
		r := doctorRun{Method: m.Name(), Regime: m.Regimes()[0], Steps: steps}
		if err := doctorTrain(ctx, m, &r, be.Name(), seed, dir, ref); err != nil {
			r.Err = err.Error()
		}
		runs = append(runs, r)
		if ctx.Err() != nil {
			break
		}
	}
	return json.NewEncoder(stdout).Encode(runs)
}

// stepKeys are the settings that count a method's training steps.
var stepKeys = []string{"epochs", "iterations", "episodes"}

func doctorTrain(ctx context.Context, m mfe.Method, r *doctorRun, beName string, seed uint64, dir, ref string) error {
	cfg, err := m.Config(mfe.Quick)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return err
	}
	i := slices.IndexFunc(stepKeys, func(k string) bool { _, ok := fields[k]; return ok })
	if i < 0 {
		return fmt.Errorf("the configuration has none of the settings %s", strings.Join(stepKeys, ", "))
	}
	if cfg, err = mfe.SetConfig(cfg, map[string]string{stepKeys[i]: strconv.Itoa(r.Steps)}); err != nil {
		return err
	}
	p := mfe.Reference()
	run := mfe.Run{Params: p, Regime: r.Regime, Profile: mfe.Quick, Seed: seed}
	if dir != "" {
		run.Checkpoint = filepath.Join(dir, m.Name())
	}
	res, err := m.Train(ctx, run, cfg)
	if err != nil {
		return err
	}
	t, x := mfe.StandardGrid(p.T)
	r.Backend, r.Uses = res.Backend, res.Backend == beName
	r.EpochTime, r.WallTime, r.Rel = res.EpochTime, res.WallTime, res.Metrics.ControlRel
	r.Grid = mfe.OnGrid(res.Control, t, x)
	if ref == "" {
		return nil
	}
	// The Go run's finished checkpoint, reloaded here: its weights, this
	// backend's arithmetic.
	run.Checkpoint = filepath.Join(ref, m.Name())
	if _, err := os.Stat(run.Checkpoint); err != nil {
		return fmt.Errorf("no Go checkpoint to reload: %w", err)
	}
	rl, err := m.Train(ctx, run, cfg)
	if err != nil {
		return fmt.Errorf("reloading the Go run: %w", err)
	}
	r.Reloaded = mfe.OnGrid(rl.Control, t, x)
	return nil
}
