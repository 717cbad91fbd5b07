package mfe

import "math"

// Linspace returns n evenly spaced points from a to b inclusive (n >= 2), or
// {a} when n == 1.
func Linspace(a, b float64, n int) []float64 {
	if n <= 0 {
		return nil
	}
	if n == 1 {
		return []float64{a}
	}
	out := make([]float64, n)
	for i := range out {
		// (b-a)·i/(n-1) rather than i·h keeps round grids round (0.3, not 0.30000000000000004).
		out[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	out[n-1] = b
	return out
}

// StepsPerUnit returns the number of time steps on the horizon T of a
// scheme configured with steps per unit of time: steps on T <= 1 (a
// shorter horizon keeps them, with a finer step) and ceil(steps T)
// beyond, so that the step T/N never exceeds 1/steps.
func StepsPerUnit(steps int, T float64) int {
	return int(math.Ceil(float64(steps) * math.Max(1, T)))
}

// TimeGrid returns the nt+1 times 0, T/nt, ..., T.
func TimeGrid(T float64, nt int) []float64 { return Linspace(0, T, nt+1) }

// Range returns lo, lo+step, ... up to hi inclusive (within a relative 1e-9 of
// step), the x grid of [StandardGrid] being Range(-1.5, 2, 0.25).
func Range(lo, hi, step float64) []float64 {
	if step <= 0 || hi < lo {
		return nil
	}
	n := int((hi-lo)/step+1e-9) + 1
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + float64(i)*step
	}
	return out
}

// StandardGrid is the grid on which learned controls are reported:
// t ∈ {0, 0.1T, ..., T} and x ∈ {-1.5, -1.25, ..., 2}.
func StandardGrid(T float64) (t, x []float64) {
	return TimeGrid(T, 10), Range(-1.5, 2, 0.25)
}

// OnGrid evaluates c on the grid: out[i][j] = c(t[i], x[j]).
func OnGrid(c Control, t, x []float64) [][]float64 {
	out := make([][]float64, len(t))
	for i, ti := range t {
		out[i] = make([]float64, len(x))
		c.Eval(ti, x, out[i])
	}
	return out
}
