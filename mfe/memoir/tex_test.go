package memoir

import (
	"testing"
)

func TestTexNum(t *testing.T) {
	for _, c := range []struct {
		v      float64
		digits int
		want   string
	}{
		{0, 3, "\\ensuremath{0}"},
		{1.23456, 3, "\\ensuremath{1.23}"},
		{-1.1545, 4, "\\ensuremath{-1.155}"},
		{0.0012345, 2, "\\ensuremath{0.0012}"},
		{0.00012345, 2, "\\ensuremath{1.2\\times10^{-4}}"},
		{9.996, 3, "\\ensuremath{10.0}"},
		{0.000999996, 3, "\\ensuremath{0.00100}"},
		{12345, 3, "\\ensuremath{1.23\\times10^{4}}"},
		{443.65, 3, "\\ensuremath{444}"},
	} {
		if got := texNum(c.v, c.digits); got != c.want {
			t.Errorf("texNum(%v, %d) = %q, want %q", c.v, c.digits, got, c.want)
		}
	}
	if got := texShort(1e-5); got != "\\ensuremath{1\\times10^{-5}}" {
		t.Errorf("texShort(1e-5) = %q", got)
	}
	if got := texInt(1234567); got != "1\\,234\\,567" {
		t.Errorf("texInt = %q", got)
	}
	if got := texEscape(`a_b%c&{}`); got != `a\_b\%c\&\{\}` {
		t.Errorf("texEscape = %q", got)
	}
}

func TestTexText(t *testing.T) {
	for in, want := range map[string]string{
		"MF actor–critic": "MF actor--critic",
		"Deep MKV FBSDE":  "Deep MKV FBSDE",
		"a_b & c — d":     `a\_b \& c --- d`,
	} {
		if got := texText(in); got != want {
			t.Errorf("texText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestConfigTextSkipsUnset checks that the settings of a run leave out the
// fields it does not use: zeros, empty strings and lists, nulls.
func TestConfigTextSkipsUnset(t *testing.T) {
	cfg := map[string]any{"epochs": 800.0, "lr": 0.0, "scheme": "heun", "note": "", "layers": []any{}, "extra": nil, "hard_bc": false}
	want := `\texttt{epochs}~=~800, \texttt{hard\_bc}~=~false, \texttt{scheme}~=~\texttt{heun}`
	if got := configText(cfg); got != want {
		t.Errorf("configText = %q, want %q", got, want)
	}
	if got := configText(map[string]any{"lr": 0.0}); got != "not recorded" {
		t.Errorf("configText of unset fields only = %q", got)
	}
}

// TestTableTimes checks the times of the error-by-time table: at most
// seven, the first and the last included.
func TestTableTimes(t *testing.T) {
	for n, want := range map[int][]int{
		11: {0, 2, 4, 6, 8, 10},
		7:  {0, 1, 2, 3, 4, 5, 6},
		2:  {0, 1},
		1:  {0},
	} {
		got := tableTimes(n)
		if len(got) != len(want) {
			t.Errorf("tableTimes(%d) = %v, want %v", n, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("tableTimes(%d) = %v, want %v", n, got, want)
				break
			}
		}
	}
}
