package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/bench"
)

// TestBenchBadFlags: every invalid flag is one line on stderr, naming the
// flag, and exit status 2, before anything is timed.
func TestBenchBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"-epochs", "0"}, "-epochs"},
		{[]string{"-warmup", "0"}, "-warmup"},
		{[]string{"-n", "1"}, "-n"},
		{[]string{"-steps", "0"}, "-steps"},
		{[]string{"-epochs", "x"}, "-epochs"},
		{[]string{"-methods", "dgm"}, "-methods"},
		{[]string{"-methods", ","}, "-methods"},
		{[]string{"-worker", "q-learning"}, "-worker"},
		{[]string{"-no-such-flag"}, "-no-such-flag"},
		{[]string{"extra"}, `"extra"`},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"bench"}, c.args...), &out, &errb)
		msg := errb.String()
		if code != 2 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, c.flag) || out.Len() != 0 {
			t.Errorf("mfe bench %v: exit %d, stdout %q, stderr %q; want 2 and one line naming %s", c.args, code, out.String(), msg, c.flag)
		}
	}
}

// TestBenchTiny runs mfe bench at a tiny size without PyTorch: each method
// timed in a worker process (this test binary), the table and the JSON.
func TestBenchTiny(t *testing.T) {
	js := filepath.Join(t.TempDir(), "bench.json")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"bench", "-n", "64", "-steps", "4", "-epochs", "2", "-warmup", "1", "-torch=false", "-json", js}, &out, &errb)
	t.Logf("stdout:\n%s\nstderr:\n%s", out.String(), errb.String())
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var r bench.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.N != 64 || r.Steps != 4 || r.Epochs != 2 || r.Warmup != 1 || len(r.Rows) != len(bench.Methods) || r.Torch != "" {
		t.Fatalf("report %+v: want the sizes asked for, a row per method, no PyTorch", r)
	}
	for i, row := range r.Rows {
		if row.Method != bench.Methods[i] || len(row.Go.Epochs) != 3 || !(row.Go.Median > 0) || !(row.Go.PeakMiB > 1) {
			t.Errorf("row %+v: want %s, 3 epochs, a positive median and the worker's peak memory", row, bench.Methods[i])
		}
		if !strings.Contains(out.String(), "\n"+row.Method+" ") {
			t.Errorf("no table row for %s", row.Method)
		}
	}
}
