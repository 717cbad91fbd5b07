package memoir_test

import (
	"slices"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/memoir"
)

// TestExpected: the memoir reports every registered method in each of its
// regimes, in the registry's order, and -expect reads back what it lists.
func TestExpected(t *testing.T) {
	keys := memoir.Expected()
	i := 0
	for _, m := range mfe.Methods() {
		for _, r := range m.Regimes() {
			if i >= len(keys) || keys[i] != (memoir.Key{Method: m.Name(), Regime: r}) {
				t.Fatalf("Expected() = %v: want %s %s at %d", keys, m.Name(), r, i)
			}
			i++
		}
	}
	if i != len(keys) || i == 0 {
		t.Fatalf("Expected() = %v: %d keys, want %d", keys, len(keys), i)
	}
	back, err := memoir.ParseKeys(memoir.FormatKeys(keys))
	if err != nil || !slices.Equal(back, keys) {
		t.Errorf("ParseKeys(FormatKeys(%v)) = %v, %v", keys, back, err)
	}
	if got := keys[0].String(); got != keys[0].Method+"-"+string(keys[0].Regime) {
		t.Errorf("Key.String() = %q", got)
	}
	for _, bad := range []string{"fbsde", "fbsde:", ":mfg", "fbsde:nash", "fbsde:mfg,"} {
		if _, err := memoir.ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		}
	}
}
