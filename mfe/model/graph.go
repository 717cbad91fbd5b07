package model

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Bound maps a network's unbounded output z into m's control set,
// elementwise:
//
//	[amin, amax] finite:  c + h tanh((z - c)/h), c = (amin+amax)/2, h = (amax-amin)/2
//	[amin, +Inf):         amin + softplus(z - amin)
//	(-Inf, amax]:         amax - softplus(amax - z)
//	the whole line:       z (the node itself)
//
// The bounded set's map is the identity to first order at the set's centre
// (slope 1, so that a network initialised near it starts as the unbounded
// one would) and tends to the identity as the set grows: a cap that binds
// nowhere changes the network's control little, and the LQ model's graph is
// the unbounded network's exactly. A half-line's map is smooth and has
// slope 1 far inside. The set's ends are reached only as z → ±Inf: a
// control at the cap is approached, to within the network's reach.
func Bound(m Model, z *Node) *Node {
	lo, hi := m.Controls()
	loInf, hiInf := math.IsInf(lo, -1), math.IsInf(hi, 1)
	switch {
	case loInf && hiInf:
		return z
	case loInf:
		return Neg(AddScalar(Softplus(Neg(AddScalar(z, -hi))), -hi))
	case hiInf:
		return AddScalar(Softplus(AddScalar(z, -lo)), lo)
	}
	c, h := (lo+hi)/2, (hi-lo)/2
	if h == 0 {
		return AddScalar(MulScalar(z, 0), c)
	}
	return AddScalar(MulScalar(Tanh(MulScalar(AddScalar(z, -c), 1/h)), h), c)
}

// CheckGraph compares m's graph forms with its plain ones, in float64 on
// backend b, at a grid of points (t in [0, T], x and a in [-2, 2], xbar and
// abar in [-1, 1], a inside the control set), and returns an error naming
// the first point where they differ by more than tol relative (to 1 + the
// plain value's magnitude). A user's model that embeds LQ but changes
// Running, not RunningGraph, fails it.
func CheckGraph(b compute.Backend, m Model, tol float64) error {
	T := m.Params().T
	lo, hi := m.Controls()
	var ts, xs, as, xbars, abars []float64
	for _, t := range []float64{0, T / 2, T} {
		for _, x := range []float64{-2, -0.5, 0.3, 2} {
			for _, a := range []float64{-1.5, 0, 0.7, 2} {
				a = math.Max(lo, math.Min(hi, a))
				for _, xbar := range []float64{-1, 0.4} {
					for _, abar := range []float64{-0.6, 1} {
						ts, xs, as, xbars, abars = append(ts, t), append(xs, x), append(as, a), append(xbars, xbar), append(abars, abar)
					}
				}
			}
		}
	}
	n := len(xs)
	exec, err := NewExec(b, func(t, x, a, xbar, abar *Node) []*Node {
		return []*Node{m.RunningGraph(t, x, a, xbar, abar), m.TerminalGraph(x)}
	})
	if err != nil {
		return err
	}
	in := make([]any, 0, 5)
	for _, v := range [][]float64{ts, xs, as, xbars, abars} {
		in = append(in, tensors.FromFlatDataAndDimensions(v, n))
	}
	out, err := exec.Exec(in...)
	if err != nil {
		return fmt.Errorf("model %s: evaluating the graph forms: %w", m.Spec(), err)
	}
	if dt := out[0].DType(); dt != dtypes.Float64 {
		return fmt.Errorf("model %s: the running cost's graph has dtype %s, want its input's float64", m.Spec(), dt)
	}
	f, g := tensors.MustCopyFlatData[float64](out[0]), tensors.MustCopyFlatData[float64](out[1])
	for i := range n {
		want := m.Running(ts[i], xs[i], as[i], xbars[i], abars[i])
		if math.Abs(f[i]-want) > tol*(1+math.Abs(want)) || math.IsNaN(f[i]) {
			return fmt.Errorf("model %s: f(%g, %g, %g, %g, %g) = %g plain, %g on the graph", m.Spec(), ts[i], xs[i], as[i], xbars[i], abars[i], want, f[i])
		}
		if want := m.Terminal(xs[i]); math.Abs(g[i]-want) > tol*(1+math.Abs(want)) || math.IsNaN(g[i]) {
			return fmt.Errorf("model %s: g(%g) = %g plain, %g on the graph", m.Spec(), xs[i], want, g[i])
		}
	}
	return nil
}
