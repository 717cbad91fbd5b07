package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/bench"
)

// benchCmd is `mfe bench`: the memoir-size epoch of each method timed on
// this project's backend, each in a worker process of its own (this
// command with -worker), then in PyTorch when it is importable, and the
// side-by-side table (package bench).
func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := bench.Memoir()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	methods := fs.String("methods", strings.Join(bench.Methods, ","), "methods to time, comma-separated")
	fs.IntVar(&o.N, "n", o.N, "particles per epoch")
	fs.IntVar(&o.Steps, "steps", o.Steps, "time steps N_T")
	fs.IntVar(&o.Epochs, "epochs", o.Epochs, "epochs timed after the warm-up ones (their median is reported)")
	fs.IntVar(&o.Warmup, "warmup", o.Warmup, "first epochs left out (>= 1: the first compiles)")
	jsonFile := fs.String("json", "", "also write the report as JSON to this file")
	torch := fs.Bool("torch", true, "run the PyTorch reference after the Go side, when PyTorch is importable")
	python := fs.String("python", "", "Python interpreter for the PyTorch reference (default: python3, else /usr/bin/python3, the first that imports torch)")
	worker := fs.String("worker", "", "internal: time this method in this process and print its timing as JSON")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	for _, f := range []struct {
		name     string
		v, least int
	}{{"n", o.N, 2}, {"steps", o.Steps, 1}, {"epochs", o.Epochs, 1}, {"warmup", o.Warmup, 1}} {
		if f.v < f.least {
			return usagef("mfe bench: invalid value %d for flag -%s: want >= %d", f.v, f.name, f.least)
		}
	}
	want := strings.Join(bench.Methods, " or ")
	if *worker != "" {
		if bench.CheckMethod(*worker) != nil {
			return usagef("mfe bench: invalid value %q for flag -worker: want %s", *worker, want)
		}
		t, err := bench.Measure(ctx, o, *worker)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(t)
	}
	var ms []string
	for m := range strings.SplitSeq(*methods, ",") {
		if m = strings.TrimSpace(m); m == "" {
			continue
		}
		if bench.CheckMethod(m) != nil {
			return usagef("mfe bench: invalid value %q for flag -methods: want %s, comma-separated", *methods, want)
		}
		ms = append(ms, m)
	}
	if len(ms) == 0 {
		return usagef("mfe bench: invalid value %q for flag -methods: want %s, comma-separated", *methods, want)
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	c := bench.Compare{Options: o, Methods: ms, Torch: *torch, Python: *python, Log: stderr,
		Go: func(ctx context.Context, m string) (bench.Timing, error) {
			cmd := exec.CommandContext(ctx, exe, "bench", "-worker", m, "-n", strconv.Itoa(o.N), "-steps", strconv.Itoa(o.Steps),
				"-epochs", strconv.Itoa(o.Epochs), "-warmup", strconv.Itoa(o.Warmup))
			// A test binary runs as the command line when marked so (TestMain).
			cmd.Env = append(os.Environ(), doctorWorkerEnv+"=1")
			return bench.InChild(cmd)
		}}
	var f *os.File
	if *jsonFile != "" { // made first: a path that cannot be written fails before minutes of timing
		if f, err = os.Create(*jsonFile); err != nil {
			return err
		}
		defer f.Close()
	}
	r, err := c.Run(ctx)
	if err != nil {
		if f != nil {
			os.Remove(f.Name())
		}
		return err
	}
	if err := r.WriteTable(stdout); err != nil {
		return err
	}
	if f == nil {
		return nil
	}
	if err := r.WriteJSON(f); err != nil {
		return err
	}
	return f.Close()
}
