package eval

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mfe/exact"
)

// ControlRelByTime returns, at each time of times, the relative L2 error
// sqrt(∫(alpha - alpha_exact)^2 dL_t / ∫ alpha_exact^2 dL_t) of control c,
// L_t being the exact law of X_t of regime r (a Gaussian, integrated by the
// trapezoid rule on mean ± 6 sd), and the same ratio pooled over all times.
func ControlRelByTime(p mfe.Params, r mfe.Regime, c mfe.Control, times []float64) (byTime []float64, overall float64, err error) {
	law, err := LawX(p, r)
	if err != nil {
		return nil, 0, err
	}
	ex, err := ExactControl(p, r)
	if err != nil {
		return nil, 0, err
	}
	const K = 241
	xs := make([]float64, K)
	ws := make([]float64, K)
	got := make([]float64, K)
	want := make([]float64, K)
	var numAll, denAll float64
	byTime = make([]float64, len(times))
	for k, t := range times {
		L := law(t)
		sd := L.Std()
		if sd == 0 {
			xs, ws = xs[:1], ws[:1]
			xs[0], ws[0] = L.Mean, 1
		} else {
			xs, ws = xs[:K], ws[:K]
			h := 12 * sd / float64(K-1)
			for i := range xs {
				xs[i] = L.Mean - 6*sd + float64(i)*h
				ws[i] = L.Density(xs[i]) * h
			}
			ws[0] /= 2
			ws[K-1] /= 2
		}
		c.Eval(t, xs, got[:len(xs)])
		ex.Eval(t, xs, want[:len(xs)])
		var num, den float64
		for i := range xs {
			d := got[i] - want[i]
			num += ws[i] * d * d
			den += ws[i] * want[i] * want[i]
		}
		byTime[k] = math.Sqrt(num / den)
		numAll += num
		denAll += den
	}
	return byTime, math.Sqrt(numAll / denAll), nil
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
