package mfe

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// MemoryBudgetEnv names the environment variable that sets the memory a run
// may use, e.g. MFE_MEMORY_BUDGET=4GiB (see [MemoryBudget]).
const MemoryBudgetEnv = "MFE_MEMORY_BUDGET"

// defaultBudget is the budget where the machine's memory cannot be read.
const defaultBudget = 4 << 30

// MemoryBudget returns the bytes a training run may use and where that
// number comes from: $MFE_MEMORY_BUDGET when set and not empty (bytes, or a number with
// a unit: KiB, MiB, GiB, TiB, or KB, MB, GB, TB in powers of ten, e.g.
// "4GiB", "512MiB", "2e9"), else half the memory available to the process
// (the smaller of MemTotal in /proc/meminfo and the cgroup's memory limit),
// else 4 GiB. A value that is not a positive size is an error naming the
// variable.
func MemoryBudget() (bytes float64, source string, err error) {
	if s := os.Getenv(MemoryBudgetEnv); s != "" {
		b, err := ParseSize(s)
		if err != nil {
			return 0, "", fmt.Errorf("invalid %s=%q: %v", MemoryBudgetEnv, s, err)
		}
		return b, "$" + MemoryBudgetEnv, nil
	}
	if m := availableMemory(); m > 0 {
		return m / 2, "half the machine's memory; set $" + MemoryBudgetEnv + " to change it", nil
	}
	return defaultBudget, "the machine's memory is unknown; set $" + MemoryBudgetEnv + " to change it", nil
}

// ParseSize reads a memory size: bytes, or a number followed by one of the
// units KiB, MiB, GiB, TiB (powers of 1024), KB, MB, GB, TB (powers of
// 1000) or B, with optional space between; it must be finite and > 0.
func ParseSize(s string) (float64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		scale  float64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
	}
	scale := 1.0
	for _, u := range units {
		if len(t) > len(u.suffix) && strings.EqualFold(t[len(t)-len(u.suffix):], u.suffix) {
			t, scale = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.scale
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || !(v > 0) || math.IsInf(v*scale, 0) {
		return 0, fmt.Errorf("want a positive size such as 4GiB, 512MiB or 2e9 (bytes)")
	}
	return v * scale, nil
}

// availableMemory returns the smaller of the machine's memory and the
// process's cgroup limit, in bytes, or 0 when neither can be read.
func availableMemory() float64 {
	var m float64
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
					m = kb * 1024
				}
			}
		}
	}
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		if lim, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64); err == nil && lim > 0 && (m == 0 || lim < m) {
			m = lim
		}
	}
	return m
}

// MemoryEstimate is what a run will need, estimated from its parameters and
// configuration before it allocates anything.
type MemoryEstimate struct {
	Bytes float64 // peak memory, +Inf when a size does not fit in an int
	// What names what needs the memory, with its sizes, e.g. "the Q table
	// (16 steps × 2.8e+07 states × 7 actions)".
	What string
	// Cause names the parameters or settings that make it large and how,
	// e.g. "the state grid covers ±3.5 sd with sd >= sigma sqrt(T), sigma = 1e+05".
	Cause string
}

// MemoryEstimator is a method's configuration that estimates the memory of
// a run. Every registered method's configuration implements it, and its
// Train refuses, with a *[BudgetError], a run whose estimate exceeds
// [MemoryBudget].
type MemoryEstimator interface {
	Memory(run Run) MemoryEstimate
}

// BudgetError reports a run refused before it allocates anything because
// its estimated memory exceeds the budget ([MemoryBudget]). The parameters
// are valid: the run is too large for this machine (the command line exits
// with status 1).
type BudgetError struct {
	Method   string
	Estimate MemoryEstimate
	Budget   float64 // bytes
	Source   string  // where the budget comes from
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("%s: %s would need %s, more than the memory budget of %s (%s); %s",
		e.Method, e.Estimate.What, FormatSize(e.Estimate.Bytes), FormatSize(e.Budget), e.Source, e.Estimate.Cause)
}

// CheckMemory returns a *BudgetError when the estimate exceeds the memory
// budget, the budget's error when $MFE_MEMORY_BUDGET is invalid, else nil.
func CheckMemory(method string, e MemoryEstimate) error {
	budget, source, err := MemoryBudget()
	if err != nil {
		return err
	}
	if !(e.Bytes <= budget) { // NaN too
		return &BudgetError{Method: method, Estimate: e, Budget: budget, Source: source}
	}
	return nil
}

// FormatSize writes bytes with a binary unit, e.g. "9.4 GiB".
func FormatSize(b float64) string {
	switch {
	case math.IsInf(b, 1):
		return "more memory than any machine has"
	case b >= 1<<60:
		return fmt.Sprintf("%.3g bytes", b)
	case b >= 1<<50:
		return fmt.Sprintf("%.3g PiB", b/(1<<50))
	case b >= 1<<40:
		return fmt.Sprintf("%.3g TiB", b/(1<<40))
	case b >= 1<<30:
		return fmt.Sprintf("%.3g GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.3g MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.3g KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}
