package figure

import (
	"reflect"
	"testing"
)

// TestNiceTicks checks the labelled ticks of a linear axis.
func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{0, 1, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{-1.5, 2, []string{"-1.5", "-1.0", "-0.5", "0.0", "0.5", "1.0", "1.5", "2.0"}},
		{-0.3, 0.3, []string{"-0.3", "-0.2", "-0.1", "0.0", "0.1", "0.2", "0.3"}},
		{0, 400, []string{"0", "100", "200", "300", "400"}},
		{0, 0.0001, []string{"0", "2e-5", "4e-5", "6e-5", "8e-5", "1e-4"}},
		{-3e-5, 1.5e-5, []string{"-3e-5", "-2e-5", "-1e-5", "0", "1e-5"}},
		{4e5, 2e7, []string{"5e6", "1e7", "1.5e7", "2e7"}},
	} {
		var got []string
		for _, tk := range (niceTicks{n: 6}).Ticks(c.lo, c.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ticks [%v, %v]: %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}

// TestLogTicks checks the labelled ticks of a log axis.
func TestLogTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{1e-6, 0.1, []string{"1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1"}},
		{0.3, 20, []string{"0.5", "1", "2", "5", "10", "20"}},
		{1e-12, 1, []string{"1e-12", "1e-10", "1e-8", "1e-6", "1e-4", "0.01", "1"}},
		{5.5e-4, 2.1e-3, []string{"0.001", "0.002"}},
		{5.5e-4, 1.9e-3, []string{"6e-4", "7e-4", "8e-4", "9e-4", "0.001"}},
		{0.12, 0.35, []string{"0.2", "0.3"}},
	} {
		var got []string
		for _, tk := range (logTicks{}).Ticks(c.lo, c.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("log ticks [%v, %v]: %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}
