package eval

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// RecordByTime stores ControlRelByTime of control c at times in h.Extra
// (mfe.KeyTimes, mfe.KeyControlRelByTime).
func RecordByTime(h *mfe.History, p mfe.Params, r mfe.Regime, c mfe.Control, times []float64) error {
	byT, _, err := ControlRelByTime(p, r, c, times)
	if err != nil {
		return err
	}
	if h.Extra == nil {
		h.Extra = map[mfe.HistoryKey][]float64{}
	}
	h.Extra[mfe.KeyTimes], h.Extra[mfe.KeyControlRelByTime] = times, byT
	return nil
}

// ControlRelByTime returns, at each time of times, the relative L2 error
// sqrt(∫(alpha - alpha_exact)^2 dL_t / ∫ alpha_exact^2 dL_t) of control c,
// L_t being the exact law of X_t of regime r (a Gaussian, integrated by the
// trapezoid rule on mean ± 6 sd), and the same ratio pooled over all times.
// Where the exact control is 0 on the law (nobody trades) the error is the
// RMS error itself, sqrt(∫(alpha - alpha_exact)^2 dL_t / ∫ dL_t), as
// control_rel is.
func ControlRelByTime(p mfe.Params, r mfe.Regime, c mfe.Control, times []float64) (byTime []float64, overall float64, err error) {
	ex, err := ExactControl(p, r)
	if err != nil {
		return nil, 0, err
	}
	var numAll, denAll, wAll float64
	byTime = make([]float64, len(times))
	got, want := make([]float64, lawPoints), make([]float64, lawPoints)
	err = overLaw(p, r, times, func(k int, t float64, xs, ws []float64) {
		got, want := got[:len(xs)], want[:len(xs)]
		c.Eval(t, xs, got)
		ex.Eval(t, xs, want)
		var num, den, w float64
		for i := range xs {
			d := got[i] - want[i]
			num += ws[i] * d * d
			den += ws[i] * want[i] * want[i]
			w += ws[i]
		}
		byTime[k] = relOrRMS(num, den, w)
		numAll += num
		denAll += den
		wAll += w
	})
	if err != nil {
		return nil, 0, err
	}
	return byTime, relOrRMS(numAll, denAll, wAll), nil
}

// relOrRMS is sqrt(num/den), or sqrt(num/w) where den = 0.
func relOrRMS(num, den, w float64) float64 {
	if den == 0 {
		return math.Sqrt(num / w)
	}
	return math.Sqrt(num / den)
}

// RMSByTime returns, at each time of times, sqrt(∫ c(t, x)^2 dL_t(x)), L_t
// being the exact law of X_t of regime r, on ControlRelByTime's points.
func RMSByTime(p mfe.Params, r mfe.Regime, c mfe.Control, times []float64) ([]float64, error) {
	rms := make([]float64, len(times))
	got := make([]float64, lawPoints)
	err := overLaw(p, r, times, func(k int, t float64, xs, ws []float64) {
		got := got[:len(xs)]
		c.Eval(t, xs, got)
		for i := range xs {
			rms[k] += ws[i] * got[i] * got[i]
		}
		rms[k] = math.Sqrt(rms[k])
	})
	return rms, err
}

// lawPoints is the number of trapezoid points overLaw puts on a law.
const lawPoints = 241

// overLaw calls f with the trapezoid points xs and weights ws of the exact
// law of X_t on mean ± 6 sd (lawPoints points; one point when the law is a
// Dirac) for each time of times.
func overLaw(p mfe.Params, r mfe.Regime, times []float64, f func(k int, t float64, xs, ws []float64)) error {
	law, err := LawX(p, r)
	if err != nil {
		return err
	}
	xs := make([]float64, lawPoints)
	ws := make([]float64, lawPoints)
	for k, t := range times {
		L := law(t)
		sd := L.Std()
		if sd == 0 {
			xs, ws = xs[:1], ws[:1]
			xs[0], ws[0] = L.Mean, 1
		} else {
			xs, ws = xs[:lawPoints], ws[:lawPoints]
			h := 12 * sd / float64(lawPoints-1)
			for i := range xs {
				xs[i] = L.Mean - 6*sd + float64(i)*h
				ws[i] = L.Density(xs[i]) * h
			}
			ws[0] /= 2
			ws[lawPoints-1] /= 2
		}
		f(k, t, xs, ws)
	}
	return nil
}

// LawX returns the exact law of X_t of regime r, as a function of t.
func LawX(p mfe.Params, r mfe.Regime) (func(t float64) exact.Law, error) {
	switch r {
	case mfe.MFG:
		m, err := exact.NewMFG(p)
		if err != nil {
			return nil, err
		}
		return m.LawX, nil
	case mfe.MFC:
		m, err := exact.NewMFC(p)
		if err != nil {
			return nil, err
		}
		return m.LawX, nil
	}
	return nil, fmt.Errorf("eval: unknown regime %q", r)
}
