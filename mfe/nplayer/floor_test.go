package nplayer

import (
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
)

// satError is base + amp z/sqrt(1 + z^2), z = 3 (x - x0): a smooth,
// saturating error of the kind a learned control has.
type satError struct {
	base    mfe.Control
	amp, x0 float64
}

func (c satError) Eval(t float64, x, out []float64) {
	c.base.Eval(t, x, out)
	for i, xi := range x {
		z := 3 * (xi - c.x0)
		out[i] += c.amp * z / math.Sqrt(1+z*z)
	}
}

// TestFloorIsMeanFieldExploitability: the realised-flow gap of a control
// that is not the equilibrium flattens, as N grows, at the control's
// mean-field exploitability (sim.Exploitability) plus the O(1/N) gain of
// knowing the others' realised flow, which is the exact control's gap at
// the same N to first order in the control's error. So, realisation by
// realisation (the same seeds), the control's gap minus the exact control's
// at N = 1000 must match the mean-field exploitability within the errors,
// as notebook 06 shows for the learned controls: for a learned-like
// control and for its tabulation on the standard grid (how notebook 06
// reloads the saved runs).
func TestFloorIsMeanFieldExploitability(t *testing.T) {
	p := mfe.Reference()
	ex := exact.MustMFG(p).Control()
	c := satError{ex, 0.05, p.X0Mean}
	ts, xs := mfe.StandardGrid(p.T)
	grid, err := NewGridControl(ts, xs, mfe.OnGrid(c, ts, xs))
	if err != nil {
		t.Fatal(err)
	}
	const n, steps, seeds = 1000, 100, 16
	for name, ctl := range map[string]mfe.Control{"learned-like": c, "grid": grid} {
		mf, err := sim.Sim{P: p, N: 50000, Steps: 100, Seed: 1}.Exploitability(t.Context(), ctl)
		if err != nil {
			t.Fatal(err)
		}
		d := make([]float64, seeds)
		floor := make([]float64, seeds)
		for r := range d {
			seed := uint64(r + 1)
			if floor[r], err = RealisedGap(p, ctl, n, steps, seed); err != nil {
				t.Fatal(err)
			}
			base, err := RealisedGap(p, ex, n, steps, seed)
			if err != nil {
				t.Fatal(err)
			}
			d[r] = floor[r] - base
		}
		fm, fse := meanSE(floor)
		dm, dse := meanSE(d)
		t.Logf("%s: gap at N = %d %.4g ± %.2g, less the exact control's %.4g ± %.2g; mean-field exploitability %.4g ± %.2g",
			name, n, fm, fse, dm, dse, mf.Value, mf.SE)
		if tol := 3 * math.Hypot(dse, mf.SE); math.Abs(dm-mf.Value) > tol {
			t.Errorf("%s: finite-N floor %v ± %v (less the exact control's), mean-field exploitability %v ± %v", name, dm, dse, mf.Value, mf.SE)
		}
		if !(fm > mf.Value) {
			t.Errorf("%s: realised-flow gap %v at N = %d below the mean-field exploitability %v", name, fm, n, mf.Value)
		}
	}
}
