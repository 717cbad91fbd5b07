package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

var _ mfe.Progress = (*Terminal)(nil)

func TestFormat(t *testing.T) {
	got := Format("fbsde", 40, 100, map[string]float64{"loss": 0.0123, "a": 2}, 12*time.Second)
	for _, want := range []string{"fbsde [########------------] 40/100", "40%", "12s", "eta 18s", "a=2 loss=0.0123"} {
		if !strings.Contains(got, want) {
			t.Errorf("Format = %q, missing %q", got, want)
		}
	}
	if got := Format("", 3, 0, nil, time.Millisecond); !strings.HasPrefix(got, "step 3 ") {
		t.Errorf("unknown total: %q", got)
	}
}

func TestTerminalThrottlesAndPrintsLast(t *testing.T) {
	var buf bytes.Buffer
	p := NewTerminal(&buf, "run")
	p.Interval = time.Hour
	for i := 1; i <= 100; i++ {
		p.Update(i, 100, map[string]float64{"loss": float64(i)})
	}
	p.Done()
	p.Done() // idempotent
	p.Update(5, 100, nil)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want the first and the last update only, got %d lines:\n%s", len(lines), buf.String())
	}
	if !strings.Contains(lines[0], "1/100") || !strings.Contains(lines[1], "100/100") || !strings.Contains(lines[1], "loss=100") {
		t.Fatalf("unexpected lines:\n%s", buf.String())
	}
}

func TestTerminalDoneFlushesPending(t *testing.T) {
	var buf bytes.Buffer
	p := NewTerminal(&buf, "run")
	p.Interval = time.Hour
	p.Update(1, 0, nil)
	p.Update(7, 0, map[string]float64{"x": 1})
	p.Done()
	if !strings.Contains(buf.String(), "step 7") {
		t.Fatalf("Done did not print the pending update:\n%s", buf.String())
	}
}
