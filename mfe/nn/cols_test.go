package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend/backendtest"
)

// TestApplyCols: the feature-major network on xᵀ is the row-major network
// on x, transposed, from the same variables, and the gradients of
// sum(y ⊙ r) with respect to every weight, bias and to x agree, all to
// float32 rounding (relative 1e-4 of the largest entry: a bias gradient is
// a sum over the 74 columns of the two applications, whose terms cancel, and
// with one output it is a single entry, 0.04 where the two layouts' sums
// differ by 5e-7; a transposed weight or a bias on the wrong axis is off by
// O(1)). The rows of x hold
// distinct values, so that an axis mix-up cannot pass. The network is
// applied twice to x, as a rollout applies it at every step, so that the
// gradients sum over the applications through the weights transposed once.
func TestApplyCols(t *testing.T) { checkCols(t, ActReLU, false, 2) }

// TestApplyColsSecondOrder: as TestApplyCols for a tanh network and the
// loss sum(y ⊙ r) + |∂x sum(y ⊙ r)|², whose gradients go through the
// gradient with respect to x (second-order differentiation through
// DenseCols' custom input gradient).
func TestApplyColsSecondOrder(t *testing.T) { checkCols(t, ActTanh, true, 2) }

// TestApplyColsOneOutput: as the two tests above for a network with one
// output, whose last layer gives its weights their gradient itself
// (DenseCols.Apply).
func TestApplyColsOneOutput(t *testing.T) {
	t.Run("relu", func(t *testing.T) { checkCols(t, ActReLU, false, 1) })
	t.Run("tanh-second-order", func(t *testing.T) { checkCols(t, ActTanh, true, 1) })
}

func checkCols(t *testing.T, act Activation, second bool, out int) {
	const batch, in = 37, 3
	hidden := []int{16, 8}
	r := rand.New(rand.NewPCG(3, 4))
	normal := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		return v
	}
	x, w := normal(batch*in), normal(batch*out)
	xt, wt := transpose(x, batch, in), transpose(w, batch, out)
	backendtest.Each(t, func(t *testing.T, be compute.Backend) {
		store := model.NewStore()
		run := func(cols bool, x, w []float32) [][]float32 {
			exec, err := model.NewExec(be, store, func(scope *model.Scope, x, w *Node) []*Node {
				net := NewMLP(scope.In("net"), x.Graph(), MLPConfig{In: in, Hidden: hidden, Out: out, Activation: act})
				apply := net.Apply
				if cols {
					apply = net.ApplyCols
				}
				y := apply(x)
				loss := ReduceAllSum(Mul(Add(y, apply(MulScalar(x, 0.5))), w))
				if second {
					loss = Add(loss, ReduceAllSum(Square(Gradient(loss, x)[0])))
				}
				params := []*Node{x}
				for _, l := range net.Layers {
					params = append(params, l.W, l.B)
				}
				return append([]*Node{y}, Gradient(loss, params...)...)
			})
			if err != nil {
				t.Fatal(err)
			}
			shape := func(v []float32, rows int) *tensors.Tensor {
				return tensors.FromFlatDataAndDimensions(v, rows, len(v)/rows)
			}
			xr, wr := batch, batch
			if cols {
				xr, wr = in, out
			}
			outs, err := exec.Call(shape(x, xr), shape(w, wr))
			if err != nil {
				t.Fatal(err)
			}
			res := make([][]float32, len(outs))
			for i, o := range outs {
				res[i] = tensors.MustCopyFlatData[float32](o)
			}
			return res
		}
		rows := run(false, x, w) // creates the variables
		cols := run(true, xt, wt)
		cols[0] = transpose(cols[0], out, batch)
		cols[1] = transpose(cols[1], in, batch)
		names := []string{"y", "dx"}
		for i := range hidden {
			names = append(names, "dW"+string(rune('0'+i)), "db"+string(rune('0'+i)))
		}
		names = append(names, "dW_out", "db_out")
		for i, name := range names {
			if len(rows[i]) != len(cols[i]) {
				t.Fatalf("%s: %d values row-major, %d feature-major", name, len(rows[i]), len(cols[i]))
			}
			var scale, worst float64
			for j, v := range rows[i] {
				scale = math.Max(scale, math.Abs(float64(v)))
				worst = math.Max(worst, math.Abs(float64(v)-float64(cols[i][j])))
			}
			if scale == 0 || worst > 1e-4*scale {
				t.Errorf("%s: feature-major differs from row-major by %.3g (largest entry %.3g)", name, worst, scale)
			}
		}
	})
}

// transpose returns the [cols, rows] transpose of the row-major [rows, cols] v.
func transpose(v []float32, rows, cols int) []float32 {
	t := make([]float32, len(v))
	for i := range rows {
		for j := range cols {
			t[j*rows+i] = v[i*cols+j]
		}
	}
	return t
}
