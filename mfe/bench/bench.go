package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/directmfc"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/fbsde"
)

// Methods are the methods benchmarked, the names of the solvers and of the
// PyTorch reference alike.
var Methods = []string{directmfc.Method, fbsde.Method}

// Options is the size of a benchmark: the memoir's N = 10,000 particles and
// N_T = 100 steps by default ([Memoir]), the median taken over Epochs
// epochs after the first Warmup ones.
type Options struct {
	N      int // particles per epoch
	Steps  int // time steps N_T
	Epochs int // epochs timed after the warm-up ones
	Warmup int // first epochs left out (compilation, allocator warm-up)
}

// Memoir returns the memoir's size with 10 timed epochs after 2 warm-up
// ones (the first compiles the graph; PyTorch's allocator warms up during
// the first two).
func Memoir() Options { return Options{N: 10000, Steps: 100, Epochs: 10, Warmup: 2} }

// Validate reports options that cannot run.
func (o Options) Validate() error {
	switch {
	case o.N < 2:
		return fmt.Errorf("bench: N = %d particles, want >= 2", o.N)
	case o.Steps < 1:
		return fmt.Errorf("bench: %d steps, want >= 1", o.Steps)
	case o.Epochs < 1:
		return fmt.Errorf("bench: %d timed epochs, want >= 1", o.Epochs)
	case o.Warmup < 1:
		return fmt.Errorf("bench: %d warm-up epochs, want >= 1 (the first compiles)", o.Warmup)
	}
	return nil
}

// CheckMethod returns an error naming the benchmarked methods when name is
// not one of them.
func CheckMethod(name string) error {
	if !slices.Contains(Methods, name) {
		return fmt.Errorf("bench: unknown method %q: want %s", name, strings.Join(Methods, " or "))
	}
	return nil
}

// Timing is one method's measurement on one side (this project's backend or
// PyTorch).
type Timing struct {
	Method string `json:"method"`
	// Backend is what ran it: the GoMLX backend's configuration (e.g.
	// "go", "xla:cuda"), or "torch VERSION DEVICE, N thread(s)".
	Backend string    `json:"backend"`
	Epochs  []float64 `json:"epoch_s"` // seconds of every epoch, the warm-up ones first
	// CPU is the CPU time (user and system, all threads) of every epoch in
	// seconds: CPU over Epochs is the number of cores kept busy. On a
	// loaded machine it varies less than the wall time.
	CPU    []float64 `json:"cpu_s,omitempty"`
	Warmup int       `json:"warmup"` // epochs left out of Median and Min
	Median float64   `json:"median_s"`
	Min    float64   `json:"min_s"`
	// PeakMiB is the peak resident memory in MiB: of the process that ran
	// the method alone (its maximum resident set size), or, measured in a
	// process that ran something before, the peak since Measure reset it
	// (VmHWM after writing 5 to /proc/self/clear_refs); 0 if unknown.
	PeakMiB float64 `json:"peak_mib"`
	// BLAS is the BLAS library the PyTorch side loaded (its file), empty
	// on the Go side and where none shows.
	BLAS string `json:"blas,omitempty"`
}

// summarise sets the median and minimum of the epochs after the warm-up.
func (t *Timing) summarise() error {
	if len(t.Epochs) <= t.Warmup {
		return fmt.Errorf("bench: %s: %d epochs timed, want more than the %d warm-up ones", t.Method, len(t.Epochs), t.Warmup)
	}
	steady := slices.Clone(t.Epochs[t.Warmup:])
	slices.Sort(steady)
	n := len(steady)
	t.Median = (steady[(n-1)/2] + steady[n/2]) / 2
	t.Min = steady[0]
	return nil
}

// Measure times method's epoch in this process on the default backend
// (package backend): a training run of the method at o's size, with the
// PyTorch reference's work per epoch (Euler steps, no moment matching,
// fresh particles, one forward pass, one backward pass and one AdamW step;
// the memoir profile's networks), without evaluations and without a
// checkpoint. Epoch k's time runs from the end of epoch k-1 to the end of
// epoch k, the first from the start of the run (building and compiling the
// graph included). Once the timed epochs are done the run is cancelled, so
// that neither the final metrics nor a checkpoint are computed. PeakMiB is
// the peak resident memory since Measure began (ResetPeak).
func Measure(ctx context.Context, o Options, method string) (Timing, error) {
	if err := o.Validate(); err != nil {
		return Timing{}, err
	}
	if err := CheckMethod(method); err != nil {
		return Timing{}, err
	}
	total := o.Warmup + o.Epochs
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	rec := &recorder{stop: total, cancel: func() { cancel(errDone) }}
	run := mfe.Run{Params: mfe.Reference(), Profile: mfe.Memoir, Seed: 1, Progress: rec}
	resetErr := ResetPeak()
	rec.last, rec.lastCPU = time.Now(), cpuTime()
	var err error
	switch method {
	case directmfc.Method:
		cfg, _ := directmfc.ProfileConfig(mfe.Memoir)
		cfg.N, cfg.Steps, cfg.Epochs, cfg.EvalEvery = o.N, o.Steps, total+1, 0
		cfg.Scheme, cfg.MomentMatch = "euler", false
		run.Regime = mfe.MFC
		_, err = directmfc.Train(ctx, run, cfg)
	case fbsde.Method:
		cfg, _ := fbsde.ProfileConfig(mfe.Memoir)
		cfg.N, cfg.Steps, cfg.Epochs, cfg.EvalEvery = o.N, o.Steps, total+1, 0
		cfg.Scheme, cfg.MomentMatch = "euler", false
		run.Regime = mfe.MFG
		_, err = fbsde.Train(ctx, run, cfg)
	}
	if len(rec.times) == total && errors.Is(err, context.Canceled) && context.Cause(ctx) == errDone {
		err = nil
	}
	if err != nil {
		return Timing{}, fmt.Errorf("bench: %s: %w", method, err)
	}
	t := Timing{Method: method, Backend: backend.Name(), Epochs: rec.times, CPU: rec.cpu, Warmup: o.Warmup}
	if resetErr == nil {
		t.PeakMiB = PeakMiB()
	}
	return t, t.summarise()
}

// errDone is the cause of a run's cancellation once its timed epochs are done.
var errDone = errors.New("bench: timed epochs done")

// recorder is the run's progress: it takes the time and the process's CPU
// time at every epoch's end and cancels the run after the last timed one.
type recorder struct {
	last       time.Time
	lastCPU    float64
	times, cpu []float64
	stop       int
	cancel     func()
}

func (r *recorder) Update(step, _ int, _ map[string]float64) {
	now, c := time.Now(), cpuTime()
	r.times = append(r.times, now.Sub(r.last).Seconds())
	r.cpu = append(r.cpu, c-r.lastCPU)
	r.last, r.lastCPU = now, c
	if step == r.stop {
		r.cancel()
	}
}

// cpuTime returns the process's CPU time so far, user and system, in
// seconds (0 where unknown).
func cpuTime() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func (r *recorder) Done() {}

// ResetPeak resets the process's peak resident memory (VmHWM) to its
// current resident memory, by writing 5 to /proc/self/clear_refs (Linux).
func ResetPeak() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// PeakMiB returns the process's peak resident memory in MiB (VmHWM in
// /proc/self/status), or 0 where it cannot be read.
func PeakMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				kb, _ := strconv.ParseFloat(f[0], 64)
				return kb / 1024
			}
		}
	}
	return 0
}
