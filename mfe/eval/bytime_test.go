package eval

import (
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// TestControlRelByTime checks the law-weighted error against controls whose
// error is known exactly: the exact control (0 everywhere), the exact
// control scaled by 1.1 (0.1 at every time and pooled), and one perturbed by
// a constant only at t = T (nonzero there alone). The integrals stop at
// 6 sd from the mean, which costs a few 1e-8 of relative accuracy.
func TestControlRelByTime(t *testing.T) {
	p := mfe.Reference()
	times, _ := mfe.StandardGrid(p.T)
	for _, r := range []mfe.Regime{mfe.MFG, mfe.MFC} {
		ex, err := ExactControl(p, r)
		if err != nil {
			t.Fatal(err)
		}
		at := func(tt, x float64) float64 {
			out := []float64{0}
			ex.Eval(tt, []float64{x}, out)
			return out[0]
		}
		check := func(name string, c mfe.Control, want func(tt float64) float64, wantAll float64) {
			byT, all, err := ControlRelByTime(p, r, c, times)
			if err != nil {
				t.Fatal(err)
			}
			for i, tt := range times {
				if w := want(tt); math.Abs(byT[i]-w) > 1e-12+1e-7*w {
					t.Errorf("%s %s: at t = %v got %v, want %v", r, name, tt, byT[i], w)
				}
			}
			if wantAll >= 0 && math.Abs(all-wantAll) > 1e-12 {
				t.Errorf("%s %s: pooled %v, want %v", r, name, all, wantAll)
			}
		}
		check("exact", ex, func(float64) float64 { return 0 }, 0)
		check("scaled", mfe.ControlFunc(func(tt, x float64) float64 { return 1.1 * at(tt, x) }),
			func(float64) float64 { return 0.1 }, 0.1)
		// A shift of 0.05 at t = T only: the error there is 0.05 over the
		// RMS of the exact control under the law of X_T, which for an
		// affine control a x + b and X ~ N(m, s^2) is sqrt((a m + b)^2 + a^2 s^2).
		law, err := LawX(p, r)
		if err != nil {
			t.Fatal(err)
		}
		L := law(p.T)
		a := at(p.T, L.Mean+1) - at(p.T, L.Mean)
		rms := math.Sqrt(math.Pow(at(p.T, L.Mean), 2) + a*a*L.Std()*L.Std())
		if rms2, err := RMSByTime(p, r, ex, []float64{p.T}); err != nil || math.Abs(rms2[0]-rms) > 1e-7*rms {
			t.Errorf("%s: RMSByTime at T = %v (%v), want %v", r, rms2, err, rms)
		}
		check("shifted at T", mfe.ControlFunc(func(tt, x float64) float64 {
			if tt == p.T {
				return at(tt, x) + 0.05
			}
			return at(tt, x)
		}), func(tt float64) float64 {
			if tt == p.T {
				return 0.05 / rms
			}
			return 0
		}, -1)
	}
}
