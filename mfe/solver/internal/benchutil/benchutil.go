// Package benchutil reports what the solvers' benchmarks measure beyond time.
package benchutil

import (
	"os"
	"strconv"
	"strings"
)

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
