package nplayer

import (
	"fmt"
	"math"
	"sort"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// GridControl is a control tabulated on a grid, such as the control.json
// that `mfe train` writes (rundir.ControlGrid: alpha[i][j] at t[i], x[j]).
// It interpolates linearly in t (constant beyond the grid) and in x, extending
// the end cells' lines beyond the x grid, so that a control affine in x
// (every exact one) is reproduced exactly in x; in t the error is that of
// linear interpolation on the grid's spacing.
type GridControl struct {
	T, X  []float64
	Alpha [][]float64
}

// NewGridControl checks the grid: at least two increasing times and x
// points, alpha of len(t) rows of len(x) finite values.
func NewGridControl(t, x []float64, alpha [][]float64) (*GridControl, error) {
	if len(t) < 2 || len(x) < 2 {
		return nil, fmt.Errorf("nplayer: control grid %d×%d, want at least 2×2", len(t), len(x))
	}
	for _, g := range [][]float64{t, x} {
		for i := 1; i < len(g); i++ {
			if !(g[i] > g[i-1]) {
				return nil, fmt.Errorf("nplayer: control grid not increasing at %v", g[i])
			}
		}
	}
	if len(alpha) != len(t) {
		return nil, fmt.Errorf("nplayer: control has %d rows for %d times", len(alpha), len(t))
	}
	for i, row := range alpha {
		if len(row) != len(x) {
			return nil, fmt.Errorf("nplayer: control row %d has %d values for %d x points", i, len(row), len(x))
		}
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("nplayer: control row %d has a non-finite value", i)
			}
		}
	}
	return &GridControl{T: t, X: x, Alpha: alpha}, nil
}

// cell returns i and the weight w of g[i+1] for v, i in 0..len(g)-2; w is
// clamped to [0, 1] when clamp is set.
func cell(g []float64, v float64, clamp bool) (int, float64) {
	i := sort.SearchFloat64s(g, v) - 1
	i = max(0, min(i, len(g)-2))
	w := (v - g[i]) / (g[i+1] - g[i])
	if clamp {
		w = math.Max(0, math.Min(1, w))
	}
	return i, w
}

// Eval implements mfe.Control.
func (c *GridControl) Eval(t float64, x, out []float64) {
	i, wt := cell(c.T, t, true)
	r0, r1 := c.Alpha[i], c.Alpha[i+1]
	for n, xn := range x {
		j, wx := cell(c.X, xn, false)
		a0 := r0[j] + wx*(r0[j+1]-r0[j])
		a1 := r1[j] + wx*(r1[j+1]-r1[j])
		out[n] = a0 + wt*(a1-a0)
	}
}

var _ mfe.Control = (*GridControl)(nil)
