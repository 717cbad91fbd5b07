package bench

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// torchScript is the PyTorch reference, torch_reference.py in this
// package's directory, which Torch runs.
//
//go:embed torch_reference.py
var torchScript []byte

// TorchThreads is the number of threads the PyTorch reference runs with:
// one, its fastest on a 2-core machine (two threads took 4.36 s per
// direct-MFC epoch against 1.86 s for one).
const TorchThreads = 1

// InChild runs cmd, a process that measures one method alone and writes
// its Timing as JSON on its standard output (e.g. `mfe bench -worker
// METHOD`, which calls Measure), and returns that Timing with PeakMiB the
// process's maximum resident set size. cmd's standard output must not be
// set; its standard error, if not set, is kept for the error message.
func InChild(cmd *exec.Cmd) (Timing, error) {
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	if cmd.Stderr == nil {
		cmd.Stderr = &errb
	}
	if err := cmd.Run(); err != nil {
		return Timing{}, fmt.Errorf("bench: %s: %v%s", filepath.Base(cmd.Path), err, lastLine(errb.String()))
	}
	var t Timing
	if err := json.Unmarshal(out.Bytes(), &t); err != nil {
		return Timing{}, fmt.Errorf("bench: %s: reading its timing: %v", filepath.Base(cmd.Path), err)
	}
	t.PeakMiB = maxRSSMiB(cmd.ProcessState)
	return t, t.summarise()
}

// FindTorch returns a Python interpreter that imports torch and torch's
// version: python itself when not empty, else the first of python3 on the
// PATH and /usr/bin/python3 (Debian's python3-torch) that imports it. The
// error says what was tried.
func FindTorch(ctx context.Context, python string) (path, version string, err error) {
	try := []string{python}
	if python == "" {
		try = []string{"python3", "/usr/bin/python3"}
	}
	var failed []string
	for _, p := range try {
		cmd := exec.CommandContext(ctx, p, "-c", "import torch; print(torch.__version__)")
		cmd.Env = torchEnv()
		out, err := cmd.Output()
		if err == nil {
			return p, strings.TrimSpace(string(out)), nil
		}
		failed = append(failed, p)
	}
	return "", "", fmt.Errorf("PyTorch is not importable by %s (on Debian: apt-get install python3-torch)", strings.Join(failed, " or "))
}

// Torch runs the PyTorch reference (torch_reference.py) for method at o's
// size with python, in a process of its own at TorchThreads threads, on
// device ("cpu" or "cuda"), and returns its timing: the median and minimum
// over the same epochs as the Go side's, PeakMiB the process's maximum
// resident set size (the interpreter and its libraries included).
func Torch(ctx context.Context, python string, o Options, method, device string) (Timing, error) {
	if err := o.Validate(); err != nil {
		return Timing{}, err
	}
	if err := CheckMethod(method); err != nil {
		return Timing{}, err
	}
	dir, err := os.MkdirTemp("", "mfe-bench-")
	if err != nil {
		return Timing{}, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "torch_reference.py")
	if err := os.WriteFile(script, torchScript, 0o644); err != nil {
		return Timing{}, err
	}
	cmd := exec.CommandContext(ctx, python, script, "--json", "--method", method,
		"--n", strconv.Itoa(o.N), "--nt", strconv.Itoa(o.Steps),
		"--epochs", strconv.Itoa(o.Warmup+o.Epochs), "--warmup", strconv.Itoa(o.Warmup),
		"--threads", strconv.Itoa(TorchThreads), "--device", device)
	cmd.Env = torchEnv()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return Timing{}, fmt.Errorf("bench: PyTorch reference, %s: %v%s", method, err, lastLine(errb.String()))
	}
	var r struct {
		Method  string    `json:"method"`
		Torch   string    `json:"torch"`
		Threads int       `json:"threads"`
		Device  string    `json:"device"`
		BLAS    string    `json:"blas"`
		Epochs  []float64 `json:"epoch_s"`
		CPU     []float64 `json:"cpu_s"`
	}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if err := json.Unmarshal(sc.Bytes(), &r); err == nil && r.Method == method {
			break
		}
		r.Method = ""
	}
	if r.Method != method {
		return Timing{}, fmt.Errorf("bench: PyTorch reference, %s: no timing in its output%s", method, lastLine(out.String()))
	}
	threads := "threads"
	if r.Threads == 1 {
		threads = "thread"
	}
	t := Timing{Method: method, Backend: fmt.Sprintf("torch %s %s, %d %s", r.Torch, r.Device, r.Threads, threads),
		Epochs: r.Epochs, CPU: r.CPU, Warmup: o.Warmup, PeakMiB: maxRSSMiB(cmd.ProcessState), BLAS: r.BLAS}
	return t, t.summarise()
}

// ReferenceBLAS reports whether path, the BLAS library that PyTorch
// loaded, is the reference BLAS of Debian's libblas3, whose products are
// about 50 times slower than OpenBLAS's: Debian's PyTorch calls whichever
// libblas.so.3 the system provides (install libopenblas0-pthread).
func ReferenceBLAS(path string) bool {
	return filepath.Base(filepath.Dir(path)) == "blas" && strings.HasPrefix(filepath.Base(path), "libblas.so")
}

// torchEnv is this process's environment without OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE, which tune OpenBLAS for a given CPU: the reference's
// OpenBLAS chooses its own kernels for this one.
func torchEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") && !strings.HasPrefix(kv, "OPENBLAS_L2_SIZE=") {
			env = append(env, kv)
		}
	}
	return env
}

// maxRSSMiB returns a finished process's maximum resident set size in MiB
// (Linux reports it in KiB), or 0 where unknown.
func maxRSSMiB(ps *os.ProcessState) float64 {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024
	}
	return 0
}

// lastLine returns ": " and the last non-empty line of s, or "" if none.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return ": " + l
	}
	return ""
}
