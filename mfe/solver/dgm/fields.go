package dgm

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// Control is the learned feedback, the model's minimiser at the co-state
// ∂x v(t, x): alpha = MinimiserGraph(t, x, ∂x v, xbar, abar), with the
// solver's tracked means xbar(t), abar(t) (solver.means), inside the control
// set (clip(-∂x v/ca, -A, A) for the capped model); -∂x v/ca for the LQ
// model. It is evaluated by a compiled graph on a batch (an mfe.Control),
// and reads the current weights and means at every call, so it follows
// training.
type Control struct {
	exec  *model.Exec
	means func(t float64) (xbar, abar float64) // nil for the LQ model
}

// Value is the learned value v(t, x) (an mfe.ValueFunc) and, through
// Density, the learned law m(t, x) = e^{-u}/∫e^{-u}.
type Value struct {
	exec *model.Exec
	s    *solver
}

// columns reshapes a scalar t and x [n] to two [n, 1] nodes.
func columns(t, x *Node) (*Node, *Node) {
	n := x.Shape().Dim(0)
	return BroadcastToDims(Reshape(t, 1, 1), n, 1), Reshape(x, n, 1)
}

func newControl(be compute.Backend, store *model.Store, s *solver, cfg Config) (*Control, error) {
	m := s.m
	if s.lq {
		p := m.Params()
		e, err := model.NewExec(be, store, func(scope *model.Scope, t, x *Node) *Node {
			nettrain.Live(scope, x.Graph())
			n := newNets(scope, x.Graph(), m, cfg)
			tt, xx := columns(t, x)
			vx := Gradient(ReduceAllSum(n.V(tt, xx)), xx)[0]
			return Reshape(MulScalar(vx, -1/p.Ca), x.Shape().Dim(0))
		})
		if err != nil {
			return nil, err
		}
		return &Control{exec: e}, nil
	}
	gm := m.(mfemodel.GraphMinimiser)
	e, err := model.NewExec(be, store, func(scope *model.Scope, t, x, xbar, abar *Node) *Node {
		nettrain.Live(scope, x.Graph())
		n := newNets(scope, x.Graph(), m, cfg)
		tt, xx := columns(t, x)
		vx := Gradient(ReduceAllSum(n.V(tt, xx)), xx)[0]
		col := func(c *Node) *Node { return BroadcastToDims(Reshape(c, 1, 1), xx.Shape().Dimensions...) }
		return Reshape(gm.MinimiserGraph(tt, xx, vx, col(xbar), col(abar)), x.Shape().Dim(0))
	})
	if err != nil {
		return nil, err
	}
	return &Control{exec: e, means: s.means}, nil
}

func newValue(be compute.Backend, store *model.Store, m mfemodel.Model, cfg Config, s *solver) (*Value, error) {
	e, err := model.NewExec(be, store, func(scope *model.Scope, t, x *Node) (*Node, *Node) {
		nettrain.Live(scope, x.Graph())
		n := newNets(scope, x.Graph(), m, cfg)
		tt, xx := columns(t, x)
		size := x.Shape().Dim(0)
		return Reshape(n.V(tt, xx), size), Reshape(n.U(tt, xx), size)
	})
	if err != nil {
		return nil, err
	}
	return &Value{exec: e, s: s}, nil
}

// call evaluates a compiled (t, x, scalars...) → outputs graph on float64
// data.
func call(e *model.Exec, t float64, x []float64, scalars ...float64) [][]float64 {
	xs := make([]float32, len(x))
	for i, v := range x {
		xs[i] = float32(v)
	}
	in := []any{float32(t), tensors.FromFlatDataAndDimensions(xs, len(xs))}
	for _, v := range scalars {
		in = append(in, float32(v))
	}
	res, err := e.Call(in...)
	if err != nil {
		panic(fmt.Sprintf("dgm: evaluating the network: %v", err))
	}
	out := make([][]float64, len(res))
	for k, r := range res {
		flat := tensors.MustCopyFlatData[float32](r)
		out[k] = make([]float64, len(flat))
		for i, v := range flat {
			out[k][i] = float64(v)
		}
	}
	return out
}

// Eval implements mfe.Control.
func (c *Control) Eval(t float64, x, out []float64) {
	if len(x) == 0 {
		return
	}
	if c.means == nil {
		copy(out, call(c.exec, t, x)[0])
		return
	}
	xbar, abar := c.means(t)
	copy(out, call(c.exec, t, x, xbar, abar)[0])
}

// Tabulate returns the control read through tables: at each time t it is
// asked for, the network is evaluated once on n equally spaced points
// covering the x values asked for (rebuilt, wider, if a later call reaches
// outside), and linearly interpolated between them. It is the network's
// control to within the interpolation error h^2/8 max|∂xx alpha| (with
// n = 2049 on the particles' range, below 1e-6: see TestTabulate), but a
// simulation of N particles costs n network evaluations per time instead of
// N. The final metrics, which simulate 10,000 and 100,000 particles, use
// FinalTable points, the training curves TrainTable. It reads the weights
// when a table is built: take a new one after training further. It keeps
// the tables of the last maxTables times it was asked for, so that a
// simulation on a fine time grid (the exploitability's, up to
// sim.MaxGapSteps steps) holds a bounded number of them.
func (c *Control) Tabulate(n int) mfe.Control {
	return &tabulated{c: c, n: max(n, 2), tables: map[float64]table{}}
}

// maxTables bounds the tables a tabulated control keeps (16 MiB of
// FinalTable points), many more than the times of a simulation at the
// reference parameters.
const maxTables = 1024

// Table sizes of the final metrics and of the training curves.
const (
	FinalTable = 2049
	TrainTable = 257
)

type tabulated struct {
	c      *Control
	n      int
	tables map[float64]table
	order  []float64 // the tables' times, oldest first
}

type table struct {
	lo, hi, h float64
	a         []float64
}

func (tc *tabulated) Eval(t float64, x, out []float64) {
	if len(x) == 0 {
		return
	}
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	tb, ok := tc.tables[t]
	if !ok || lo < tb.lo || hi > tb.hi || math.IsNaN(lo) || math.IsNaN(hi) {
		if ok {
			lo, hi = math.Min(lo, tb.lo), math.Max(hi, tb.hi)
		}
		if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			tc.c.Eval(t, x, out) // nothing sensible to tabulate: the network itself
			return
		}
		pad := 0.01*(hi-lo) + 1e-3
		lo, hi = lo-pad, hi+pad
		grid := mfe.Linspace(lo, hi, tc.n)
		tb = table{lo: lo, hi: hi, h: grid[1] - grid[0], a: make([]float64, tc.n)}
		tc.c.Eval(t, grid, tb.a)
		if !ok {
			if len(tc.order) == maxTables {
				delete(tc.tables, tc.order[0])
				tc.order = tc.order[1:]
			}
			tc.order = append(tc.order, t)
		}
		tc.tables[t] = tb
	}
	last := len(tb.a) - 2
	for i, v := range x {
		u := (v - tb.lo) / tb.h
		k := min(max(int(u), 0), last)
		w := u - float64(k)
		out[i] = (1-w)*tb.a[k] + w*tb.a[k+1]
	}
}

// Eval implements mfe.ValueFunc.
func (v *Value) Eval(t float64, x, out []float64) {
	if len(x) == 0 {
		return
	}
	copy(out, call(v.exec, t, x)[0])
}

// Domain returns the computational x interval at time t: where the points
// were sampled (the learned law's mean ± XSD sd, or the fixed interval).
func (v *Value) Domain(t float64) (lo, hi float64) { return v.s.interval(t) }

// Density returns the learned density m(t, x) at the points xs:
// e^{-u(t,x)} normalised over the computational domain at t (trapezoid rule
// on 801 points), zero outside it.
func (v *Value) Density(t float64, xs []float64) []float64 {
	lo, hi := v.Domain(t)
	grid := mfe.Linspace(lo, hi, 801)
	ug := call(v.exec, t, grid)[1]
	umin := math.Inf(1)
	for _, u := range ug {
		umin = math.Min(umin, u)
	}
	var c float64
	for i := 1; i < len(grid); i++ {
		c += (math.Exp(umin-ug[i-1]) + math.Exp(umin-ug[i])) / 2 * (grid[i] - grid[i-1])
	}
	out := make([]float64, len(xs))
	if len(xs) == 0 {
		return out
	}
	ux := call(v.exec, t, xs)[1]
	for i, x := range xs {
		if x < lo || x > hi {
			continue
		}
		out[i] = math.Exp(umin-ux[i]) / c
	}
	return out
}

// DensityOf returns the learned density of a DGM result at the points xs,
// or false if res does not come from this package.
func DensityOf(res *mfe.Result, t float64, xs []float64) ([]float64, bool) {
	v, ok := res.Value.(*Value)
	if !ok || v == nil {
		return nil, false
	}
	return v.Density(t, xs), true
}
