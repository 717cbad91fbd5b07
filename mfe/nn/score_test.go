package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend/backendtest"
)

// scoreMatching compiles, for a tanh MLP score S(t, a) with the given
// weights (per layer: weights [in, out], biases [out], row-major), the
// implicit score-matching loss L = mean(S²/2 + ∂a S) of the actor–critic's
// score network and its gradient in every weight (a derivative of the
// derivative ∂a S), on fixed points (t, a), in dtype.
func scoreMatching(t *testing.T, be compute.Backend, dtype dtypes.DType, sizes []int, w [][]float64, ts, as []float64) func() (float64, [][]float64) {
	t.Helper()
	store := model.NewStore()
	n := len(ts)
	exec, err := model.NewExec(be, store, func(scope *model.Scope, tn, an *Node) []*Node {
		net := NewMLP(scope.In("score"), tn.Graph(), MLPConfig{In: 2, Hidden: sizes[1 : len(sizes)-1], Out: 1, Activation: ActTanh, DType: dtype})
		a := Identity(an)
		s := net.Apply(Concatenate([]*Node{tn, a}, -1))
		ds := Gradient(ReduceAllSum(s), a)[0]
		loss := ReduceAllMean(Add(MulScalar(Square(s), 0.5), ds))
		var params []*Node
		for _, l := range net.Layers {
			params = append(params, l.W, l.B)
		}
		return append([]*Node{ConvertDType(loss, dtypes.Float64)}, Gradient(loss, params...)...)
	})
	if err != nil {
		t.Fatal(err)
	}
	cast := func(v []float64) *tensors.Tensor {
		if dtype == dtypes.Float64 {
			return tensors.FromFlatDataAndDimensions(v, n, 1)
		}
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		return tensors.FromFlatDataAndDimensions(f, n, 1)
	}
	call := func() (float64, [][]float64) {
		out, err := exec.Call(cast(ts), cast(as))
		if err != nil {
			t.Fatal(err)
		}
		grads := make([][]float64, len(out)-1)
		for i, o := range out[1:] {
			if dtype == dtypes.Float64 {
				grads[i] = tensors.MustCopyFlatData[float64](o)
				continue
			}
			for _, x := range tensors.MustCopyFlatData[float32](o) {
				grads[i] = append(grads[i], float64(x))
			}
		}
		return tensors.MustCopyFlatData[float64](out[0])[0], grads
	}
	call() // creates the variables; their values are set below
	for i := range len(sizes) - 1 {
		for j, name := range []string{"weights", "biases"} {
			path := fmt.Sprintf("/score/layer_%d/%s", i, name)
			v := store.GetVariable(path)
			if v == nil {
				t.Fatalf("no variable %s", path)
			}
			dims := []int{sizes[i], sizes[i+1]}
			if name == "biases" {
				dims = dims[1:]
			}
			vals := w[2*i+j]
			var tt *tensors.Tensor
			if dtype == dtypes.Float64 {
				tt = tensors.FromFlatDataAndDimensions(append([]float64(nil), vals...), dims...)
			} else {
				f := make([]float32, len(vals))
				for k, x := range vals {
					f[k] = float32(x)
				}
				tt = tensors.FromFlatDataAndDimensions(f, dims...)
			}
			if err := v.SetValue(tt); err != nil {
				t.Fatal(err)
			}
		}
	}
	return call
}

// TestScoreMatchingGradient checks the gradient of the implicit
// score-matching loss of a tanh MLP score, whose weight gradient goes
// through the derivative ∂a S (second-order differentiation), against
// central finite differences of the loss along a random direction, in
// float64; and the float32 loss and gradient, the solvers' dtype, against
// the float64 ones at the same weights and points.
func TestScoreMatchingGradient(t *testing.T) {
	sizes := []int{2, 8, 8, 1}
	rng := rand.New(rand.NewPCG(1, 2))
	var w, dir [][]float64
	for i := range len(sizes) - 1 {
		for _, n := range []int{sizes[i] * sizes[i+1], sizes[i+1]} {
			wv, dv := make([]float64, n), make([]float64, n)
			for k := range n {
				wv[k] = rng.NormFloat64() / math.Sqrt(float64(sizes[i]))
				dv[k] = rng.NormFloat64()
			}
			w, dir = append(w, wv), append(dir, dv)
		}
	}
	const n = 64
	ts, as := make([]float64, n), make([]float64, n)
	for i := range n {
		ts[i] = 2*rng.Float64() - 1
		as[i] = rng.NormFloat64()
	}
	backendtest.Each(t, func(t *testing.T, be compute.Backend) {
		loss64, grad64 := scoreMatching(t, be, dtypes.Float64, sizes, w, ts, as)()
		var slope float64 // the gradient along dir
		for i := range grad64 {
			for k := range grad64[i] {
				slope += grad64[i][k] * dir[i][k]
			}
		}
		const h = 1e-5
		at := func(s float64) float64 {
			ws := make([][]float64, len(w))
			for i := range w {
				ws[i] = make([]float64, len(w[i]))
				for k := range w[i] {
					ws[i][k] = w[i][k] + s*dir[i][k]
				}
			}
			l, _ := scoreMatching(t, be, dtypes.Float64, sizes, ws, ts, as)()
			return l
		}
		fd := (at(h) - at(-h)) / (2 * h)
		t.Logf("loss %.10g, slope along a random direction %.10g, finite differences %.10g", loss64, slope, fd)
		if math.Abs(slope) < 1e-2 {
			t.Fatalf("slope %.3g: too small for the check to mean anything", slope)
		}
		if math.Abs(slope-fd) > 1e-7*math.Abs(fd) {
			t.Errorf("slope %.12g, finite differences %.12g", slope, fd)
		}

		loss32, grad32 := scoreMatching(t, be, dtypes.Float32, sizes, w, ts, as)()
		if math.Abs(loss32-loss64) > 1e-5*math.Abs(loss64) {
			t.Errorf("float32 loss %.8g, float64 %.8g", loss32, loss64)
		}
		var num, den float64
		for i := range grad64 {
			for k := range grad64[i] {
				num += (grad32[i][k] - grad64[i][k]) * (grad32[i][k] - grad64[i][k])
				den += grad64[i][k] * grad64[i][k]
			}
		}
		if rel := math.Sqrt(num / den); rel > 1e-5 {
			t.Errorf("float32 gradient %.2g (relative L2) from the float64 one", rel)
		}
	})
}
