// Package benchutil runs the network solvers' benchmarks of training and
// reports what they measure beyond time.
package benchutil

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// Train trains run with configuration cfg by m, without the final control
// and metrics (Method.SkipMetrics), at every iteration of b; it reports the
// mean time per epoch after the first (which compiles) in unit, e.g.
// "s/epoch", and the peak memory.
func Train[C mfe.Config](b *testing.B, m nettrain.Method[C], run mfe.Run, cfg C, unit string) {
	m.SkipMetrics = true
	for b.Loop() {
		res, err := nettrain.Train(context.Background(), m, run, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.EpochTime, unit)
	}
	b.ReportMetric(PeakRSSMB(), "peak-RSS-MiB")
}

// PeakRSSMB returns the process's peak resident set size in MiB (VmHWM on
// Linux), or 0 where it cannot be read.
func PeakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseFloat(f[0], 64)
				return kb / 1024
			}
		}
	}
	return 0
}
