package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers/activation"
	gomlxnn "github.com/gomlx/gomlx/ml/nn"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nn"
)

// The reproductions of the GoMLX costs that the doc's "Where the time
// goes" names, each at the size of one layer of the memoir's epoch (one
// time step, 10,000 particles, 128 units):
//
//	go test -run NONE -bench 'WeightGradient|Layer|OpChain' -benchtime 20x ./mfe/bench

const (
	reproN = 10000 // particles
	reproK = 128   // units
)

// normalTensor returns an [n, k] float32 tensor of standard normal draws.
func normalTensor(r *rand.Rand, n, k int) *tensors.Tensor {
	v := make([]float32, n*k)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(v, n, k)
}

// BenchmarkWeightGradient times the weight gradient xᵀv of a layer (x, v:
// [10,000, 128]) as GoMLX's reverse mode writes it, a DotGeneral that
// contracts the leading axis of both operands ("leading"), which the Go
// backend's matmul kernels do not take, so that it materialises both
// operands transposed first; and the same product with both operands
// stored [128, 10,000], contracting their trailing axis ("trailing"),
// which the kernels take as they are. The difference is the two
// transposes.
func BenchmarkWeightGradient(b *testing.B) {
	be := backend.Default()
	r := rand.New(rand.NewPCG(1, 2))
	x, v := normalTensor(r, reproN, reproK), normalTensor(r, reproN, reproK)
	xt, vt := normalTensor(r, reproK, reproN), normalTensor(r, reproK, reproN)
	for _, c := range []struct {
		name     string
		axis     int
		lhs, rhs *tensors.Tensor
	}{{"leading", 0, x, v}, {"trailing", 1, xt, vt}} {
		b.Run(c.name, func(b *testing.B) {
			exec := MustNewExec(be, func(lhs, rhs *Node) *Node {
				return DotGeneral(lhs, []int{c.axis}, nil, rhs, []int{c.axis}, nil)
			})
			for b.Loop() {
				out := exec.MustCall(c.lhs, c.rhs)
				out[0].FinalizeAll()
			}
		})
	}
}

// layerGrads builds a hidden layer ReLU(x W + b) of the memoir's networks
// and the gradients of sum(y ⊙ v) with respect to x, W and b: written as
// the project's nn.Dense and ReLU (Max(·, 0)) are, unfused, or as GoMLX's
// fused dense with its ReLU (a single forward node, and one backward node
// that applies ReLU's derivative, both products and the bias sum).
func layerGrads(fused bool) func(x, v, w, bias *Node) []*Node {
	return func(x, v, w, bias *Node) []*Node {
		var y *Node
		if fused {
			y = gomlxnn.Dense(x, w, bias, compute.DenseLayoutInputOutputs, activation.TypeRelu)
		} else {
			y = nn.ActReLU.Apply(nn.Dense{W: w, B: ExpandAxes(bias, 0)}.Apply(x))
		}
		return Gradient(ReduceAllSum(Mul(y, v)), x, w, bias)
	}
}

// layerInputs returns x, v ([10,000, 128]), W ([128, 128]) and b ([128]).
func layerInputs() []any {
	r := rand.New(rand.NewPCG(3, 4))
	w := normalTensor(r, reproK, reproK)
	bias := make([]float32, reproK)
	for i := range bias {
		bias[i] = float32(r.NormFloat64())
	}
	return []any{normalTensor(r, reproN, reproK), normalTensor(r, reproN, reproK), w, tensors.FromFlatDataAndDimensions(bias, reproK)}
}

// BenchmarkLayer times a hidden layer's forward and backward pass
// (layerGrads), unfused as the solvers build it and fused.
func BenchmarkLayer(b *testing.B) {
	be := backend.Default()
	in := layerInputs()
	for _, fused := range []bool{false, true} {
		name := "unfused"
		if fused {
			name = "fused"
		}
		b.Run(name, func(b *testing.B) {
			exec := MustNewExec(be, layerGrads(fused))
			for b.Loop() {
				for _, t := range exec.MustCall(in...) {
					t.FinalizeAll()
				}
			}
		})
	}
}

// TestFusedLayerAgrees checks that GoMLX's fused dense gives the unfused
// layer's gradients up to float32 rounding (relative 1e-4 of each
// gradient's largest entry), so that it is the same computation: a
// change of the solvers to it changes a trained run's numbers only by
// rounding.
func TestFusedLayerAgrees(t *testing.T) {
	be := backend.Default()
	in := layerInputs()
	want := MustNewExec(be, layerGrads(false)).MustCall(in...)
	got := MustNewExec(be, layerGrads(true)).MustCall(in...)
	for i, name := range []string{"dx", "dW", "db"} {
		w, g := tensors.MustCopyFlatData[float32](want[i]), tensors.MustCopyFlatData[float32](got[i])
		var scale, diff float64
		for j := range w {
			scale = math.Max(scale, math.Abs(float64(w[j])))
			diff = math.Max(diff, math.Abs(float64(w[j]-g[j])))
		}
		if !(diff <= 1e-4*scale) {
			t.Errorf("%s: fused differs from unfused by %.3g, largest entry %.3g", name, diff, scale)
		}
	}
}

// BenchmarkOpChain times a chain of ten feature-major layers without
// bias, ReLU(Wᵀ x) with x [128, 10,000], forward only: ops that each
// split their work over the cores, one after the other, as in a rollout.
// "gomlx-default-pool" is the Go backend with GoMLX's default limit on its
// worker pool (twice GOMAXPROCS), "unlimited-pool" with the limit that
// package backend sets ([backend.GoParallelism]). With the limit, the
// graph's executors (up to 8, one per place of the pool) hold the places
// while they wait for ready ops, and an op that splits its work finds
// none free: on 2 cores the chain takes as long as on one. Run it with
// -cpu 1,2 to see that.
func BenchmarkOpChain(b *testing.B) {
	for _, c := range []struct {
		name    string
		limited bool
	}{{"gomlx-default-pool", true}, {"unlimited-pool", false}} {
		b.Run(c.name, func(b *testing.B) {
			config := backend.Go
			if c.limited {
				config = fmt.Sprintf("go:parallelism=%d", 2*runtime.GOMAXPROCS(0))
			}
			be, err := backend.NewWithConfig(config)
			if err != nil {
				b.Fatal(err)
			}
			defer be.Finalize()
			r := rand.New(rand.NewPCG(5, 6))
			w, x := normalTensor(r, reproK, reproK), normalTensor(r, reproK, reproN)
			exec := MustNewExec(be, func(w, x *Node) *Node {
				for range 10 {
					x = Max(DotGeneral(w, []int{1}, nil, x, []int{0}, nil), ScalarZero(x.Graph(), x.DType()))
				}
				return x
			})
			for b.Loop() {
				exec.MustCall(w, x)[0].FinalizeAll()
			}
		})
	}
}

// BenchmarkThinProducts times the products of a network's first and last
// layers at the memoir's size (10,000 particles, 128 units), which GoMLX's
// Go backend runs on its "small" kernels, beside element-wise ops that do
// the same work: the last layer's input gradient, an outer product W v
// (W [128, 1], v [1, 10,000]) as a product over one term ("outer/dot")
// and as Mul ("outer/mul"); its weight gradient, v xᵀ with one row
// ("row-grad/one-row") and x vᵀ with one column ("row-grad/one-column");
// and, for scale, ReLU's gradient as the solvers write it, a scalar
// comparison and a select ("relu-grad/where"), beside one SIMD pass over
// the same array ("relu-grad/max-pass"). Each call also copies its inputs
// to the backend.
func BenchmarkThinProducts(b *testing.B) {
	be := backend.Default()
	r := rand.New(rand.NewPCG(7, 8))
	w1, v1 := normalTensor(r, reproK, 1), normalTensor(r, 1, reproN)
	x, v := normalTensor(r, reproK, reproN), normalTensor(r, reproK, reproN)
	zero := func(x *Node) *Node { return ScalarZero(x.Graph(), x.DType()) }
	for _, c := range []struct {
		name     string
		f        func(a, b *Node) *Node
		lhs, rhs *tensors.Tensor
	}{
		{"outer/dot", func(w, v *Node) *Node { return DotGeneral(w, []int{1}, nil, v, []int{0}, nil) }, w1, v1},
		{"outer/mul", func(w, v *Node) *Node { return Mul(w, v) }, w1, v1},
		{"row-grad/one-row", func(v, x *Node) *Node { return DotGeneral(v, []int{1}, nil, x, []int{1}, nil) }, v1, x},
		{"row-grad/one-column", func(v, x *Node) *Node { return DotGeneral(x, []int{1}, nil, v, []int{1}, nil) }, v1, x},
		{"relu-grad/where", func(x, v *Node) *Node { return Where(GreaterOrEqual(x, zero(x)), v, ZerosLike(v)) }, x, v},
		{"relu-grad/max-pass", func(x, _ *Node) *Node { return Max(x, zero(x)) }, x, v},
	} {
		b.Run(c.name, func(b *testing.B) {
			exec := MustNewExec(be, c.f)
			for b.Loop() {
				exec.MustCall(c.lhs, c.rhs)[0].FinalizeAll()
			}
		})
	}
}
