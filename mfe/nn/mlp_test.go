package nn

import (
	"math"
	"testing"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend/backendtest"
)

func TestActivationValidate(t *testing.T) {
	for _, a := range []Activation{"", ActReLU, ActTanh} {
		if err := a.Validate(); err != nil {
			t.Errorf("%q: %v", a, err)
		}
	}
	if (Activation("sigmoid")).Validate() == nil {
		t.Error(`"sigmoid" accepted`)
	}
}

// TestReLUGradient: the ReLU activation's value and its first- and
// second-order gradients (of L = sum(relu(x) ⊙ (1 + x) ⊙ w) + |∂x L1|², L1
// the first sum, with respect to x and w) are bit for bit those of GoMLX's
// Max(x, 0), at x = 0 and -0 included, where Max's gradient passes v: a
// ReLU whose derivative were 0 at x = 0 differs there in ∂x L1 = w.
func TestReLUGradient(t *testing.T) {
	x := []float32{-2, -0.5, float32(math.Copysign(0, -1)), 0, 0.25, 1, 3, -1e-8, 1e-8, 0}
	w := []float32{0.3, -1.2, 0.7, -0.4, 1.1, 2, -0.6, 0.9, -1.5, 0.8}
	backendtest.Each(t, func(t *testing.T, be compute.Backend) {
		run := func(act func(*Node) *Node) [][]float32 {
			exec, err := NewExec(be, func(x, w *Node) []*Node {
				y := act(x)
				l1 := ReduceAllSum(Mul(Mul(y, OnePlus(x)), w))
				loss := Add(l1, ReduceAllSum(Square(Gradient(l1, x)[0])))
				return append([]*Node{y}, Gradient(loss, x, w)...)
			})
			if err != nil {
				t.Fatal(err)
			}
			outs, err := exec.Call(x, w)
			if err != nil {
				t.Fatal(err)
			}
			res := make([][]float32, len(outs))
			for i, o := range outs {
				res[i] = tensors.MustCopyFlatData[float32](o)
			}
			return res
		}
		got := run(ActReLU.Apply)
		want := run(func(x *Node) *Node { return Max(x, ScalarZero(x.Graph(), x.DType())) })
		for i, name := range []string{"relu(x)", "dL/dx", "dL/dw"} {
			for j := range want[i] {
				if got[i][j] != want[i][j] {
					t.Errorf("%s at x = %g: %g, Max gives %g", name, x[j], got[i][j], want[i][j])
				}
			}
		}
	})
}
