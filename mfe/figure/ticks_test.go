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
		{1e-6, 0.1, []string{"1e-06", "1e-05", "1e-04", "0.001", "0.01", "0.1"}},
		{0.3, 20, []string{"0.5", "1", "2", "5", "10", "20"}},
		{1e-12, 1, []string{"1e-12", "1e-10", "1e-08", "1e-06", "1e-04", "0.01", "1"}},
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
