package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// Report is a side-by-side benchmark: the machine, the versions, and each
// method's timings on both sides.
type Report struct {
	Date    string `json:"date"`    // when it started, RFC 3339
	CPU     string `json:"cpu"`     // the model name in /proc/cpuinfo
	Cores   int    `json:"cores"`   // logical CPUs this process may use
	Go      string `json:"go"`      // Go's version
	GoMLX   string `json:"gomlx"`   // GoMLX's module version
	Backend string `json:"backend"` // the GoMLX backend that ran the Go side
	// Torch is PyTorch's version, empty when the PyTorch side did not run;
	// TorchNote then says why.
	Torch     string `json:"torch,omitempty"`
	TorchNote string `json:"torch_note,omitempty"`
	TorchBLAS string `json:"torch_blas,omitempty"` // the BLAS library PyTorch loaded
	N         int    `json:"n"`
	Steps     int    `json:"steps"`
	Epochs    int    `json:"epochs"` // timed, after the warm-up ones
	Warmup    int    `json:"warmup"`
	Rows      []Row  `json:"methods"`
}

// Row is one method on both sides.
type Row struct {
	Method string  `json:"method"`
	Go     Timing  `json:"go"`
	Torch  *Timing `json:"torch,omitempty"` // nil without PyTorch
	// Ratio is PyTorch's median over the Go side's: above 1 the project is
	// faster. 0 without PyTorch.
	Ratio float64 `json:"ratio,omitempty"`
}

// Compare is a side-by-side benchmark to run.
type Compare struct {
	Options
	Methods []string // among Methods
	// Go measures a method on this project's side: Measure in a process
	// of its own (InChild), so that its peak memory is its own.
	Go func(ctx context.Context, method string) (Timing, error)
	// Torch runs the PyTorch side when set; Python is then its interpreter
	// ("": FindTorch's choice).
	Torch  bool
	Python string
	// Log, if set, receives a line as each measurement starts.
	Log io.Writer
}

// Run measures every method on the Go side, one after the other, then on
// PyTorch's, when it runs and is importable (FindTorch), with --device
// cuda when the Go side ran on a CUDA backend.
func (c Compare) Run(ctx context.Context) (*Report, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	for _, m := range c.Methods {
		if err := CheckMethod(m); err != nil {
			return nil, err
		}
	}
	r := Machine()
	r.N, r.Steps, r.Epochs, r.Warmup = c.N, c.Steps, c.Epochs, c.Warmup
	for _, m := range c.Methods {
		c.logf("%s, this project: %d epochs at N = %d, N_T = %d", m, c.Warmup+c.Epochs, c.N, c.Steps)
		t, err := c.Go(ctx, m)
		if err != nil {
			return nil, err
		}
		c.logf("%s, this project: median %.3f s/epoch, peak %s", m, t.Median, mfe.FormatSize(t.PeakMiB*(1<<20)))
		r.Backend = t.Backend
		r.Rows = append(r.Rows, Row{Method: m, Go: t})
	}
	if !c.Torch {
		r.TorchNote = "not asked for"
		return r, nil
	}
	python, version, err := FindTorch(ctx, c.Python)
	if err != nil {
		r.TorchNote = err.Error()
		return r, nil
	}
	r.Torch = version
	device := "cpu"
	if strings.Contains(r.Backend, "cuda") {
		device = "cuda"
	}
	for i := range r.Rows {
		m := r.Rows[i].Method
		c.logf("%s, PyTorch %s (%s, %s): %d epochs", m, version, python, device, c.Warmup+c.Epochs)
		t, err := Torch(ctx, python, c.Options, m, device)
		if err != nil {
			return nil, err
		}
		c.logf("%s, PyTorch: median %.3f s/epoch, peak %s", m, t.Median, mfe.FormatSize(t.PeakMiB*(1<<20)))
		r.Rows[i].Torch = &t
		r.Rows[i].Ratio = t.Median / r.Rows[i].Go.Median
		r.TorchBLAS = t.BLAS
	}
	return r, nil
}

func (c Compare) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, "mfe bench: "+format+"\n", args...)
	}
}

// Machine returns a report with the date, the machine and the Go side's
// versions filled in.
func Machine() *Report {
	r := &Report{Date: time.Now().Format(time.RFC3339), CPU: cpuModel(), Cores: runtime.NumCPU(),
		Go: runtime.Version(), GoMLX: "unknown"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/gomlx/gomlx" {
				r.GoMLX = d.Version
				if d.Replace != nil {
					r.GoMLX = d.Replace.Version
				}
			}
		}
	}
	return r
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or "unknown".
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// WriteTable writes the report as a heading, a line per method (each
// side's median seconds per epoch, their ratio and each side's peak
// memory) and, without PyTorch, a line saying why.
func (r *Report) WriteTable(w io.Writer) error {
	torch := "PyTorch " + r.Torch + ", " + fmt.Sprint(TorchThreads) + " thread"
	if r.TorchBLAS != "" {
		torch += ", BLAS " + filepath.Base(r.TorchBLAS)
	}
	if r.Torch == "" {
		torch = "no PyTorch"
	}
	fmt.Fprintf(w, "memoir-size epoch (N = %d, N_T = %d): median over %d epochs, after the first %d (warm-up)\n", r.N, r.Steps, r.Epochs, r.Warmup)
	fmt.Fprintf(w, "%s, %s, %d cores; %s, GoMLX %s, backend %s; %s\n", r.Date, r.CPU, r.Cores, r.Go, r.GoMLX, r.Backend, torch)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "method\tGo s/epoch\tPyTorch s/epoch\tratio PyTorch/Go\tGo peak\tPyTorch peak")
	for _, row := range r.Rows {
		ts, ratio, tp := "-", "-", "-"
		if row.Torch != nil {
			ts = fmt.Sprintf("%.3f", row.Torch.Median)
			ratio = fmt.Sprintf("%.2f", row.Ratio)
			tp = mfe.FormatSize(row.Torch.PeakMiB * (1 << 20))
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%s\t%s\t%s\t%s\n", row.Method, row.Go.Median, ts, ratio, mfe.FormatSize(row.Go.PeakMiB*(1<<20)), tp)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Torch == "" {
		_, err := fmt.Fprintf(w, "PyTorch side: %s; the Go side only\n", r.TorchNote)
		return err
	}
	if ReferenceBLAS(r.TorchBLAS) {
		_, err := fmt.Fprintf(w, "warning: PyTorch ran on the reference BLAS (%s), about 50 times slower than OpenBLAS: not a fair comparison (apt-get install libopenblas0-pthread)\n", r.TorchBLAS)
		return err
	}
	return nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadReport reads a report that -json wrote.
func ReadReport(path string) (*Report, error) {
	var r Report
	if err := rundir.ReadJSON(path, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// MarkdownTable returns reports as one Markdown table, a row per report
// (run 1, 2, ... in the order given): for each method the Go side's and
// PyTorch's median seconds per epoch and their ratio, then both sides'
// peak memory per method. Every report must time the same methods in the
// same order; a side that did not run is "–".
func MarkdownTable(reports []*Report) (string, error) {
	if len(reports) == 0 {
		return "", fmt.Errorf("bench: no report to tabulate")
	}
	var methods []string
	for _, row := range reports[0].Rows {
		methods = append(methods, row.Method)
	}
	var sb strings.Builder
	sb.WriteString("| run |")
	for _, m := range methods {
		fmt.Fprintf(&sb, " %s, Go | %s, PyTorch | ratio |", m, m)
	}
	sb.WriteString(" peak, Go / PyTorch |\n|---|")
	sb.WriteString(strings.Repeat("---|---|---|", len(methods)))
	sb.WriteString("---|\n")
	for i, r := range reports {
		if len(r.Rows) != len(methods) {
			return "", fmt.Errorf("bench: run %d times %d methods, run 1 %d", i+1, len(r.Rows), len(methods))
		}
		fmt.Fprintf(&sb, "| %d |", i+1)
		var peaks []string
		for j, row := range r.Rows {
			if row.Method != methods[j] {
				return "", fmt.Errorf("bench: run %d times %s where run 1 times %s", i+1, row.Method, methods[j])
			}
			torch, ratio, torchPeak := "–", "–", "–"
			if row.Torch != nil {
				torch = fmt.Sprintf("%.3f s", row.Torch.Median)
				ratio = fmt.Sprintf("%.2f", row.Ratio)
				torchPeak = mfe.FormatSize(row.Torch.PeakMiB * (1 << 20))
			}
			fmt.Fprintf(&sb, " %.3f s | %s | %s |", row.Go.Median, torch, ratio)
			peaks = append(peaks, mfe.FormatSize(row.Go.PeakMiB*(1<<20))+" / "+torchPeak)
		}
		fmt.Fprintf(&sb, " %s |\n", strings.Join(peaks, ", "))
	}
	return sb.String(), nil
}
