package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// workerEnv makes the test binary a worker that measures the method it
// names and prints its Timing as JSON, for TestInChild.
const workerEnv = "MFE_BENCH_TEST_WORKER"

// tiny is the tests' size: 64 particles, 4 steps, 2 timed epochs after 1.
var tiny = Options{N: 64, Steps: 4, Epochs: 2, Warmup: 1}

func TestMain(m *testing.M) {
	if method := os.Getenv(workerEnv); method != "" {
		t, err := Measure(context.Background(), tiny, method)
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		json.NewEncoder(os.Stdout).Encode(t)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// checkTiming checks a timing of tiny: every epoch timed, positive times,
// the median and minimum of the epochs after the warm-up, a peak memory.
func checkTiming(t *testing.T, got Timing, method string) {
	t.Helper()
	if got.Method != method || got.Backend == "" || got.Warmup != tiny.Warmup {
		t.Errorf("timing %+v: want method %s, a backend, warm-up %d", got, method, tiny.Warmup)
	}
	if len(got.Epochs) != tiny.Warmup+tiny.Epochs {
		t.Fatalf("%s: %d epochs timed, want %d", method, len(got.Epochs), tiny.Warmup+tiny.Epochs)
	}
	for i, s := range got.Epochs {
		if !(s > 0) {
			t.Errorf("%s: epoch %d took %v s, want > 0", method, i+1, s)
		}
	}
	if len(got.CPU) != len(got.Epochs) {
		t.Errorf("%s: CPU time of %d epochs, want %d", method, len(got.CPU), len(got.Epochs))
	}
	for i, s := range got.CPU {
		if !(s >= 0) {
			t.Errorf("%s: epoch %d took %v s of CPU, want >= 0", method, i+1, s)
		}
	}
	a, b := got.Epochs[1], got.Epochs[2]
	if got.Median != (a+b)/2 || got.Min != min(a, b) {
		t.Errorf("%s: median %v, min %v of the epochs %v after the first, want %v and %v", method, got.Median, got.Min, got.Epochs, (a+b)/2, min(a, b))
	}
	if !(got.PeakMiB > 1) {
		t.Errorf("%s: peak memory %v MiB, want > 1", method, got.PeakMiB)
	}
}

// TestMeasure times both methods at a tiny size in this process.
func TestMeasure(t *testing.T) {
	for _, m := range Methods {
		got, err := Measure(context.Background(), tiny, m)
		if err != nil {
			t.Fatal(err)
		}
		checkTiming(t, got, m)
	}
}

// TestInChild times direct MFC in a worker process (this test binary) and
// takes its peak memory from the process's resource usage.
func TestInChild(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=NONE")
	cmd.Env = append(os.Environ(), workerEnv+"="+Methods[0])
	got, err := InChild(cmd)
	if err != nil {
		t.Fatal(err)
	}
	checkTiming(t, got, Methods[0])
}

// TestTorch runs the PyTorch reference at a tiny size, where PyTorch is
// importable.
func TestTorch(t *testing.T) {
	python, version, err := FindTorch(context.Background(), "")
	if err != nil {
		t.Skip(err)
	}
	got, err := Torch(context.Background(), python, tiny, Methods[1], "cpu")
	if err != nil {
		t.Fatal(err)
	}
	checkTiming(t, got, Methods[1])
	if want := "torch " + version + " cpu, 1 thread"; got.Backend != want {
		t.Errorf("backend %q, want %q", got.Backend, want)
	}
}

// TestCompareReport runs the side-by-side benchmark without PyTorch, both
// methods in this process, and checks its table and JSON.
func TestCompareReport(t *testing.T) {
	c := Compare{Options: tiny, Methods: Methods, Go: func(ctx context.Context, m string) (Timing, error) { return Measure(ctx, tiny, m) }}
	r, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != len(Methods) || r.Torch != "" || r.TorchNote == "" || r.Backend == "" || r.Cores < 1 || r.GoMLX == "" {
		t.Fatalf("report %+v: want a row per method, no PyTorch and why, the backend, the cores, GoMLX's version", r)
	}
	for i, row := range r.Rows {
		checkTiming(t, row.Go, Methods[i])
		if row.Torch != nil || row.Ratio != 0 {
			t.Errorf("%s: PyTorch timing %v, ratio %v without PyTorch", row.Method, row.Torch, row.Ratio)
		}
	}
	var table bytes.Buffer
	if err := r.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(table.String()), "\n")
	t.Logf("table:\n%s", table.String())
	if len(lines) != 3+len(Methods)+1 {
		t.Fatalf("table of %d lines, want a heading of 2, a header, a row per method and the PyTorch line", len(lines))
	}
	if !strings.HasPrefix(lines[2], "method") || !strings.Contains(lines[2], "ratio PyTorch/Go") {
		t.Errorf("header %q", lines[2])
	}
	for i, m := range Methods {
		if f := strings.Fields(lines[3+i]); f[0] != m || f[2] != "-" || f[3] != "-" {
			t.Errorf("row %q: want %s, the Go median, no PyTorch median or ratio", lines[3+i], m)
		}
	}
	if !strings.HasPrefix(lines[len(lines)-1], "PyTorch side: not asked for") {
		t.Errorf("last line %q: want why PyTorch did not run", lines[len(lines)-1])
	}
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.N != tiny.N || back.Steps != tiny.Steps || len(back.Rows) != len(Methods) || back.Rows[0].Go.Median != r.Rows[0].Go.Median {
		t.Errorf("JSON read back as %+v, want the report", back)
	}
}

// TestSummarise checks the median and minimum after the warm-up, for odd
// and even counts, and too few epochs refused.
func TestSummarise(t *testing.T) {
	for _, c := range []struct {
		epochs   []float64
		med, min float64
	}{
		{[]float64{9, 3, 1, 2}, 2, 1},
		{[]float64{9, 4, 1, 3, 2}, 2.5, 1},
		{[]float64{9, 5}, 5, 5},
	} {
		tm := Timing{Epochs: c.epochs, Warmup: 1}
		if err := tm.summarise(); err != nil || tm.Median != c.med || tm.Min != c.min {
			t.Errorf("%v: median %v, min %v (%v), want %v, %v", c.epochs, tm.Median, tm.Min, err, c.med, c.min)
		}
	}
	if err := (&Timing{Epochs: []float64{1}, Warmup: 1}).summarise(); err == nil {
		t.Error("one epoch, one of warm-up: no error")
	}
}

// TestReferenceBLASWarning: a report whose PyTorch side ran on Debian's
// reference BLAS names its library and ends with a warning; one on
// OpenBLAS does not.
func TestReferenceBLASWarning(t *testing.T) {
	for _, c := range []struct {
		blas string
		warn bool
	}{
		{"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3", true},
		{"/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so", false},
		{"", false},
	} {
		tm := Timing{Method: Methods[0], Epochs: []float64{2, 1, 1}, Warmup: 1, Median: 1}
		r := &Report{Torch: "1.13", TorchBLAS: c.blas, Rows: []Row{{Method: Methods[0], Go: tm, Torch: &tm, Ratio: 1}}}
		var b bytes.Buffer
		if err := r.WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if got := strings.Contains(out, "warning: PyTorch ran on the reference BLAS"); got != c.warn || ReferenceBLAS(c.blas) != c.warn {
			t.Errorf("BLAS %q: warning %v, ReferenceBLAS %v, want %v:\n%s", c.blas, got, ReferenceBLAS(c.blas), c.warn, out)
		}
		if c.blas != "" && !strings.Contains(out, "BLAS "+filepath.Base(c.blas)) {
			t.Errorf("BLAS %q not named in the heading:\n%s", c.blas, out)
		}
	}
}

func TestMarkdownTable(t *testing.T) {
	timing := func(median, peakMiB float64) Timing { return Timing{Median: median, PeakMiB: peakMiB} }
	torch := timing(2, 6*1024)
	run1 := &Report{Rows: []Row{
		{Method: "direct-mfc", Go: timing(1, 2*1024), Torch: &torch, Ratio: 2},
		{Method: "fbsde", Go: timing(0.5, 1024)},
	}}
	got, err := MarkdownTable([]*Report{run1, run1})
	if err != nil {
		t.Fatal(err)
	}
	want := "| run | direct-mfc, Go | direct-mfc, PyTorch | ratio | fbsde, Go | fbsde, PyTorch | ratio | peak, Go / PyTorch |\n" +
		"|---|---|---|---|---|---|---|---|\n" +
		"| 1 | 1.000 s | 2.000 s | 2.00 | 0.500 s | – | – | 2 GiB / 6 GiB, 1 GiB / – |\n" +
		"| 2 | 1.000 s | 2.000 s | 2.00 | 0.500 s | – | – | 2 GiB / 6 GiB, 1 GiB / – |\n"
	if got != want {
		t.Errorf("MarkdownTable:\n%s\nwant\n%s", got, want)
	}
	other := &Report{Rows: []Row{run1.Rows[1], run1.Rows[0]}}
	if _, err := MarkdownTable([]*Report{run1, other}); err == nil {
		t.Error("reports of methods in another order: no error")
	}
	if _, err := MarkdownTable(nil); err == nil {
		t.Error("no report: no error")
	}
}
