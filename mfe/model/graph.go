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
// elementwise: z clipped to [amin, amax] (max(z, amin) on [amin, +Inf),
// min(z, amax) on (-Inf, amax]), and z itself, the node, on the whole line,
// so that the LQ model's graph is the unbounded network's.
//
// A clip, not a smooth squashing such as A tanh(z/A): the optimal feedback
// of a capped model is the clip of a smooth function (the Hamiltonian's
// minimiser clip(-q/ca, -A, A) at a smooth co-state), so that the network
// need only learn that smooth function, the kink where the control reaches
// the cap coming from the clip exactly. Through A tanh(z/A) the network
// would have to learn z → ±Inf at the kink, and falls short there (A
// tanh(1) = 0.76 A at z = A). At the reference parameters and A = 1,
// direct MFC's default profile (seed 1) ends at control_rel 0.0105 against
// the finite-difference solution through tanh, its error largest near
// t = 0 where the cap binds on part of the population, and at 0.0073
// through the clip, whose control_mse is 0.55 of tanh's from epoch 800 on.
// A particle beyond the cap gets no gradient through the clip; the
// population's particles inside it carry the network there.
func Bound(m Model, z *Node) *Node {
	lo, hi := m.Controls()
	out := z
	if !math.IsInf(lo, -1) {
		out = Max(out, ConstAs(z, lo))
	}
	if !math.IsInf(hi, 1) {
		out = Min(out, ConstAs(z, hi))
	}
	return out
}

// CheckGraph compares m's graph forms with its plain ones, in float64 on
// backend b, at a grid of points (t in [0, T], x and a in [-2, 2], xbar and
// abar in [-1, 1], a inside the control set, and, for a GraphMinimiser, the
// co-state q = a in the minimiser), and returns an error naming the first
// point where they differ by more than tol relative (to 1 + the plain
// value's magnitude). A user's model that embeds LQ but changes Running,
// not RunningGraph, fails it.
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
	gm, hasMin := m.(GraphMinimiser)
	exec, err := NewExec(b, func(t, x, a, xbar, abar *Node) []*Node {
		out := []*Node{m.RunningGraph(t, x, a, xbar, abar), m.TerminalGraph(x)}
		if hasMin {
			out = append(out, gm.MinimiserGraph(t, x, a, xbar, abar))
		}
		return out
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
	if hasMin {
		mins := tensors.MustCopyFlatData[float64](out[2])
		for i := range n {
			want := m.Minimiser(ts[i], xs[i], as[i], xbars[i], abars[i])
			if math.Abs(mins[i]-want) > tol*(1+math.Abs(want)) || math.IsNaN(mins[i]) {
				return fmt.Errorf("model %s: the minimiser at (t, x, q, xbar, abar) = (%g, %g, %g, %g, %g) is %g plain, %g on the graph", m.Spec(), ts[i], xs[i], as[i], xbars[i], abars[i], want, mins[i])
			}
		}
	}
	return nil
}
