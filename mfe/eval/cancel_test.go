package eval

import (
	"context"
	"errors"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
)

// cancelAt is a control that counts its evaluations and cancels a context
// at evaluation at (0: never).
type cancelAt struct {
	c      mfe.Control
	at     int
	cancel context.CancelFunc
	n      *int
}

func (c cancelAt) Eval(t float64, x, out []float64) {
	*c.n++
	if *c.n == c.at {
		c.cancel()
	}
	c.c.Eval(t, x, out)
}

// TestControlCancel: the final evaluation at stiff parameters, where the
// gap takes sim.MaxGapSteps Heun steps of Default.NCost particles (about a
// minute on one core, 2 sim.MaxGapSteps + 1 evaluations of the control
// after the Default.Steps + 1 of control_mse), returns context.Canceled
// once its context is done: already cancelled, without evaluating the
// control; cancelled 20 evaluations into the gap, after at most one more.
func TestControlCancel(t *testing.T) {
	p := mfe.Reference()
	p.Ca, p.Gamma = 3e-4, 0.3
	if steps, err := sim.GapSteps(p, Default.Steps); err != nil || steps != sim.MaxGapSteps {
		t.Fatalf("GapSteps = %d, %v; want %d", steps, err, sim.MaxGapSteps)
	}
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		var base mfe.Control = exact.MustMFG(p).Control()
		if r == mfe.MFC {
			base = exact.MustMFC(p).Control()
		}
		for _, at := range []int{-1, Default.Steps + 1 + 20} {
			ctx, cancel := context.WithCancel(t.Context())
			if at < 0 {
				cancel()
			}
			n := 0
			m, err := Control(ctx, p, r, cancelAt{c: base, at: at, cancel: cancel, n: &n}, Default)
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s cancelled at evaluation %d: metrics %+v, err = %v; want context.Canceled", r, at, m, err)
			}
			want := 0
			if at > 0 {
				want = at + 1
			}
			if n > want {
				t.Errorf("%s cancelled at evaluation %d: %d evaluations of the control, want at most %d", r, at, n, want)
			}
		}
	}
}
