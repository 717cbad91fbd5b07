package sim

import (
	"context"
	"errors"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// cancelAt is a control that counts its evaluations (each one a time step
// of a simulation, or a half step of Heun's scheme) and cancels a context
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

// stiff returns parameters at which GapSteps gives MaxGapSteps and the MFC
// has a solution: ca = 3e-4, gamma = 0.3, the others the reference's.
func stiff(t *testing.T) mfe.Params {
	t.Helper()
	p := mfe.Reference()
	p.Ca, p.Gamma = 3e-4, 0.3
	steps, err := GapSteps(p, 100)
	if err != nil {
		t.Fatal(err)
	}
	if steps != MaxGapSteps {
		t.Fatalf("GapSteps = %d at ca = %g, want %d", steps, p.Ca, MaxGapSteps)
	}
	return p
}

// TestCancel: once its context is done, each simulation returns the
// context's error (errors.Is finds context.Canceled) within a time step:
// already cancelled, without evaluating the control; cancelled at the
// control's 20th evaluation, on MaxGapSteps time steps that would take
// MaxGapSteps + 1 evaluations of the control to the end (2 MaxGapSteps + 1
// for the gaps, Heun's predictor and corrector), after at most one more
// (the rest of the step).
func TestCancel(t *testing.T) {
	p := stiff(t)
	s := Sim{P: p, N: 1000, Steps: MaxGapSteps, Seed: 1}
	mfg, mfc := exact.MustMFG(p).Control(), exact.MustMFC(p).Control()
	calls := map[string]func(ctx context.Context, c mfe.Control) error{
		"Run": func(ctx context.Context, c mfe.Control) error {
			_, err := s.Run(ctx, c, Options{})
			return err
		},
		"ControlError": func(ctx context.Context, c mfe.Control) error {
			_, err := s.ControlError(ctx, c, mfg)
			return err
		},
		"Exploitability": func(ctx context.Context, c mfe.Control) error {
			_, err := s.Exploitability(ctx, c)
			return err
		},
		"SocialGap": func(ctx context.Context, c mfe.Control) error {
			_, err := s.SocialGap(ctx, c)
			return err
		},
	}
	for name, call := range calls {
		for _, at := range []int{-1, 20} {
			ctx, cancel := context.WithCancel(t.Context())
			if at < 0 {
				cancel()
			}
			n := 0
			base := mfg
			if name == "SocialGap" {
				base = mfc
			}
			err := call(ctx, cancelAt{c: base, at: at, cancel: cancel, n: &n})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s cancelled at evaluation %d: err = %v, want context.Canceled", name, at, err)
			}
			want := 0 // already cancelled: none
			if at > 0 {
				want = at + 1 // the rest of the step: Heun's corrector
			}
			if n > want {
				t.Errorf("%s cancelled at evaluation %d: %d evaluations of the control, want at most %d", name, at, n, want)
			}
		}
	}
}
