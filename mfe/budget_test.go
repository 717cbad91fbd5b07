package mfe

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for s, want := range map[string]float64{
		"4GiB": 4 << 30, "512 MiB": 512 << 20, "2e9": 2e9, "1.5GB": 1.5e9, "100": 100, "3kib": 3 << 10, "7B": 7, "1TiB": 1 << 40,
	} {
		if got, err := ParseSize(s); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "0", "-1GiB", "GiB", "NaN", "Inf", "1e400", "4 gigs", "1e308TiB"} {
		if got, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q) = %v, want an error", s, got)
		}
	}
}

func TestMemoryBudget(t *testing.T) {
	t.Setenv(MemoryBudgetEnv, "3GiB")
	if b, src, err := MemoryBudget(); err != nil || b != 3<<30 || !strings.Contains(src, MemoryBudgetEnv) {
		t.Errorf("MemoryBudget() = %v, %q, %v; want 3 GiB from $%s", b, src, err, MemoryBudgetEnv)
	}
	t.Setenv(MemoryBudgetEnv, "lots")
	if _, _, err := MemoryBudget(); err == nil || !strings.Contains(err.Error(), MemoryBudgetEnv) {
		t.Errorf("MemoryBudget() with %s=lots: %v, want an error naming the variable", MemoryBudgetEnv, err)
	}
	if err := CheckMemory("m", MemoryEstimate{Bytes: 1}); err == nil || !strings.Contains(err.Error(), MemoryBudgetEnv) {
		t.Errorf("CheckMemory with an invalid budget: %v, want the budget's error", err)
	}
	// The default, also for an empty variable: half the memory available,
	// where the machine reports it.
	t.Setenv(MemoryBudgetEnv, "")
	if m := availableMemory(); m > 0 {
		if b, src, err := MemoryBudget(); err != nil || b != m/2 || !strings.Contains(src, "half") {
			t.Errorf("MemoryBudget() = %v, %q, %v; want half of %v", b, src, err, m)
		}
	}
}

func TestCheckMemory(t *testing.T) {
	t.Setenv(MemoryBudgetEnv, "1GiB")
	e := MemoryEstimate{Bytes: 1 << 30, What: "the table (3 × 4)", Cause: "it grows with sigma = 1e+05"}
	if err := CheckMemory("some-method", e); err != nil {
		t.Errorf("an estimate equal to the budget refused: %v", err)
	}
	for _, b := range []float64{1<<30 + 1, math.Inf(1), math.NaN()} {
		e.Bytes = b
		err := CheckMemory("some-method", e)
		var be *BudgetError
		if !errors.As(err, &be) || be.Budget != 1<<30 || be.Method != "some-method" {
			t.Fatalf("CheckMemory(%v bytes) = %v, want a *BudgetError", b, err)
		}
		for _, want := range []string{"some-method: ", "the table (3 × 4)", "1 GiB", MemoryBudgetEnv, "sigma = 1e+05"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%q does not say %q", err, want)
			}
		}
	}
}

func TestFormatSize(t *testing.T) {
	for b, want := range map[float64]string{
		512: "512 B", 1536: "1.5 KiB", 9.4 * (1 << 30): "9.4 GiB", 2.09 * (1 << 40): "2.09 TiB",
		1e79: "1e+79 bytes", math.Inf(1): "more memory than any machine has",
	} {
		if got := FormatSize(b); got != want {
			t.Errorf("FormatSize(%v) = %q, want %q", b, got, want)
		}
	}
}
