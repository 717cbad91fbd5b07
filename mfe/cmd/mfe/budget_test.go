package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// TestTrainBudget: a run that would need more memory than the budget is
// refused at once, before its directory is made, with one line naming what
// needs the memory, the budget and the parameter (exit 1: valid input, a run
// that cannot be done here); Q-learning at T = 100 panicked, at sigma = 1e5
// it took 9.4 GB. An invalid $MFE_MEMORY_BUDGET is a usage error (exit 2).
func TestTrainBudget(t *testing.T) {
	cases := []struct {
		budget string
		args   []string
		want   []string
	}{
		{"", []string{"-method", "q-learning", "-T", "100"}, []string{"q-learning: the Q table", "gamma T/ca = 175", "the memory budget"}},
		{"", []string{"-method", "q-learning", "-sigma", "1e5"}, []string{"sigma = 100000"}},
		{"1MiB", []string{"-method", "fbsde"}, []string{"fbsde: the training graph", "1 MiB", "$" + mfe.MemoryBudgetEnv, "n_regress"}},
	}
	for _, c := range cases {
		t.Setenv(mfe.MemoryBudgetEnv, c.budget)
		dir := filepath.Join(t.TempDir(), "run")
		code, out, errs := runCLI(append([]string{"train", "-profile", "quick", "-quiet", "-out", dir}, c.args...)...)
		if code != 1 || out != "" || strings.Count(errs, "\n") != 1 {
			t.Fatalf("%q: exit %d, stdout %q, stderr %q; want exit 1 and one line", c.args, code, out, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%q: %q does not say %q", c.args, errs, w)
			}
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%q: the refused run made its directory (%v)", c.args, err)
		}
	}
	t.Setenv(mfe.MemoryBudgetEnv, "lots")
	code, _, errs := runCLI("train", "-method", "fbsde", "-profile", "quick", "-quiet", "-out", t.TempDir())
	if code != 2 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, mfe.MemoryBudgetEnv) {
		t.Errorf("%s=lots: exit %d, stderr %q; want exit 2 naming the variable", mfe.MemoryBudgetEnv, code, errs)
	}
}
