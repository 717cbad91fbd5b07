package memoir

import (
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// TestTexGap: a run's gap ± its standard error, the gap alone in runs saved
// without one, "--" without a gap.
func TestTexGap(t *testing.T) {
	for _, c := range []struct {
		m    mfe.Metrics
		want string
	}{
		{mfe.Metrics{Exploitability: mfe.Float(2.5e-4), ExploitabilitySE: mfe.Float(3e-7)},
			`\ensuremath{2.5\times10^{-4}} $\pm$ \ensuremath{3\times10^{-7}}`},
		{mfe.Metrics{SocialGap: mfe.Float(0.0012), SocialGapSE: mfe.Float(4e-6)},
			`\ensuremath{0.0012} $\pm$ \ensuremath{4\times10^{-6}}`},
		{mfe.Metrics{Exploitability: mfe.Float(-1.8e-5)}, `\ensuremath{-1.8\times10^{-5}}`},
		{mfe.Metrics{}, "--"},
	} {
		if got := texGap(c.m); got != c.want {
			t.Errorf("%+v: %q, want %q", c.m, got, c.want)
		}
	}
}
