package figure

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Test data shaped like the experiments: a linear feedback control, a
// Gaussian law, a decaying loss.

// linspace returns n points from a to b.
func linspace(a, b float64, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	return x
}

// controlPanels returns the control -(A x + B) at a few times, the learned
// one slightly off.
func controlPanels() []ControlPanel {
	var ps []ControlPanel
	for _, t := range []float64{0, 0.5, 0.9} {
		x := linspace(-1.5, 2, 50)
		xl := linspace(-1.5, 2, 15)
		a, b := 1.4+0.8*t*t, 0.3-0.4*t
		ex := make([]float64, len(x))
		for i, v := range x {
			ex[i] = -(a*v + b)
		}
		le := make([]float64, len(xl))
		for i, v := range xl {
			le[i] = -(a*v + b) + 0.05*math.Sin(7*v+t)
		}
		ps = append(ps, ControlPanel{Label: label(t), X: x, Exact: ex, LearnedX: xl, Learned: le})
	}
	return ps
}

// comparisons returns a control and a value at three times, each on
// mean ± 3 sd of a law that moves with t, the learned ones off by less
// than 1e-3.
func comparisons() []Comparison {
	var ctl, val []ControlPanel
	for i, t := range []float64{0, 0.5, 1} {
		m, s := 0.5+2*t, 0.3+0.1*t
		x := linspace(m-3*s, m+3*s, 41)
		c := ControlPanel{Label: label(t), X: x, Exact: make([]float64, len(x)), Learned: make([]float64, len(x))}
		v := ControlPanel{Label: label(t), X: x, Exact: make([]float64, len(x)), Learned: make([]float64, len(x))}
		for k, xk := range x {
			c.Exact[k] = -(1.5-t)*xk + 4*t
			c.Learned[k] = c.Exact[k] + 2e-4*float64(i+1)*math.Sin(3*xk)
			v.Exact[k] = 0.5*(1.5-t)*xk*xk - 4*t*xk
			v.Learned[k] = v.Exact[k] + 1e-3*(xk-m)
		}
		ctl, val = append(ctl, c), append(val, v)
	}
	return []Comparison{
		{Name: "Control", YLabel: "trading rate α(t, x)", Panels: ctl},
		{Name: "Value", YLabel: "value v(t, x)", Panels: val},
	}
}

func label(t float64) string {
	return fmt.Sprintf("t=%.1f", t)
}

// densityPanels returns Gaussian samples and the exact density at a few
// times.
func densityPanels() []DensityPanel {
	r := rand.New(rand.NewPCG(1, 2))
	var ps []DensityPanel
	for _, t := range []float64{0.1, 0.4, 0.7, 1.0} {
		m, s := 0.5*math.Exp(-t), 0.3+0.2*t
		smp := make([]float64, 5000)
		for i := range smp {
			smp[i] = m + s*r.NormFloat64()
		}
		x := linspace(m-4*s, m+4*s, 200)
		y := make([]float64, len(x))
		for i, v := range x {
			z := (v - m) / s
			y[i] = math.Exp(-z*z/2) / (s * math.Sqrt(2*math.Pi))
		}
		ps = append(ps, DensityPanel{Label: label(t), Samples: smp, X: x, Exact: y})
	}
	return ps
}

// pathSeries returns an MFG-like and an MFC-like mean path with sd.
func pathSeries() []PathSeries {
	t := linspace(0, 1, 101)
	tl := linspace(0, 1, 11)
	var ss []PathSeries
	for k, rate := range []float64{-1.2, 0.6} {
		m, sd := make([]float64, len(t)), make([]float64, len(t))
		for i, v := range t {
			m[i] = 0.5 * math.Exp(rate*v)
			sd[i] = math.Sqrt(0.09 + 0.2*v)
		}
		l := make([]float64, len(tl))
		for i, v := range tl {
			l[i] = 0.5*math.Exp(rate*v) + 0.01*float64(k+1)*math.Sin(9*v)
		}
		ss = append(ss, PathSeries{Label: []string{"MFG", "MFC"}[k], T: t, Mean: m, SD: sd, LearnedT: tl, Learned: l})
	}
	return ss
}

// trainSeries returns two decaying loss curves with noise bands.
func trainSeries() []TrainSeries {
	x := linspace(0, 400, 401)
	var ss []TrainSeries
	for k, rate := range []float64{0.02, 0.01} {
		m, s := make([]float64, len(x)), make([]float64, len(x))
		for i, v := range x {
			m[i] = math.Exp(-rate*v) + 1e-5
			s[i] = m[i] * (0.3 + 0.8*float64(k))
		}
		ss = append(ss, TrainSeries{Label: []string{"FBSDE MFG", "direct MFC"}[k], X: x, Mean: m, Std: s})
	}
	return ss
}
