package finitedifference

import (
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// Control returns the solution's feedback alpha(t, x): cubic in t through
// the four grid times around t (Lagrange; constant beyond [0, T]), linear
// in x between the nodes, extrapolated linearly beyond the grid (exact for
// the LQ model's affine feedbacks), and kept in the control set. The cubic
// in t keeps the interpolation's error, O(dt^4), below the scheme's.
func (s *Solution) Control() mfe.Control {
	lo, hi := s.Model.Controls()
	return gridFunc{g: s.Grid, rows: s.Alpha, lo: lo, hi: hi}
}

// ValueFunc returns the solution's value v(t, x), interpolated as Control
// interpolates the feedback (without bounds).
func (s *Solution) ValueFunc() mfe.ValueFunc {
	return gridFunc{g: s.Grid, rows: s.Value, lo: math.Inf(-1), hi: math.Inf(1)}
}

// Density returns the density of X_t at the points xs: the law's mass at
// each node over dx, linear between nodes and between the grid times, 0
// beyond the grid.
func (s *Solution) Density(t float64, xs []float64) []float64 {
	g := s.Grid
	out := make([]float64, len(xs))
	n, f := g.timeIndex(t)
	for i, x := range xs {
		if x < g.X0 || x > g.X(g.NX-1) {
			continue
		}
		a := interpRow(s.Mass[n], g, x, 0, math.Inf(1))
		b := interpRow(s.Mass[n+1], g, x, 0, math.Inf(1))
		out[i] = ((1-f)*a + f*b) / g.DX
	}
	return out
}

// timeIndex returns n and f in [0, 1] with t = (n + f) dt, n < NT, clamped
// to [0, T].
func (g Grid) timeIndex(t float64) (n int, f float64) {
	u := t / g.DT
	if !(u > 0) {
		return 0, 0
	}
	if u >= float64(g.NT) {
		return g.NT - 1, 1
	}
	n = int(u)
	return n, u - float64(n)
}

// gridFunc is a function tabulated on a Grid, interpolated by cubics in t
// (timeWeights) and linearly in x (extrapolated linearly), and clamped to
// [lo, hi].
type gridFunc struct {
	g      Grid
	rows   [][]float64
	lo, hi float64
}

// Eval implements mfe.Control.
func (c gridFunc) Eval(t float64, xs, out []float64) {
	k, w := c.g.timeWeights(t)
	for i, x := range xs {
		j, f := c.g.cell(x)
		y := 0.0
		for r, wr := range w {
			if wr != 0 {
				row := c.rows[k+r]
				y += wr * (row[j] + f*(row[j+1]-row[j]))
			}
		}
		out[i] = math.Max(c.lo, math.Min(c.hi, y))
	}
}

// timeWeights returns the first of four consecutive grid times around t
// (clamped to [0, T]) and the cubic Lagrange weights of t on them; with
// fewer than four grid times, the linear weights on the two around t.
func (g Grid) timeWeights(t float64) (k int, w [4]float64) {
	n, f := g.timeIndex(t)
	if g.NT < 3 {
		w[0], w[1] = 1-f, f
		return n, w
	}
	k = max(0, min(n-1, g.NT-3))
	s := float64(n-k) + f
	w[0] = -(s - 1) * (s - 2) * (s - 3) / 6
	w[1] = s * (s - 2) * (s - 3) / 2
	w[2] = -s * (s - 1) * (s - 3) / 2
	w[3] = s * (s - 1) * (s - 2) / 6
	return k, w
}

// Law returns the mean and the standard deviation of X_t under the
// solution, from its law on the grid (Mass), linear in t between the grid
// times (clamped to [0, T]).
func (s *Solution) Law(t float64) (mean, sd float64) {
	g := s.Grid
	u := math.Max(0, math.Min(float64(g.NT), t/g.DT))
	n := min(int(u), g.NT-1)
	f := u - float64(n)
	m0, s0 := s.Moments(n)
	m1, s1 := s.Moments(n + 1)
	return (1-f)*m0 + f*m1, (1-f)*s0 + f*s1
}

// Moments returns the mean and the standard deviation of the law at grid
// time n (Mass[n]) on the grid's nodes.
func (s *Solution) Moments(n int) (mean, sd float64) {
	var m1, m2 float64
	for i, m := range s.Mass[n] {
		x := s.Grid.X(i)
		m1 += m * x
		m2 += m * x * x
	}
	return m1, math.Sqrt(math.Max(m2-m1*m1, 0))
}
