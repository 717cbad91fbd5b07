package nn

import (
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
)

// BenchmarkRolloutGradient times the forward pass and the gradient of a
// 10-step rollout of a ReLU MLP 2 → 128 → 128 → 128 → 1 over 10,000
// particles (the direct-MFC network of the memoir's epoch, a tenth of its
// steps), in the two layouts of the same variables: "rows", activations
// [particles, units] and MLP.Apply; "cols", activations [units, particles]
// and MLP.ApplyCols; and "cols-gomlx-grad", feature-major with GoMLX's own
// gradient of each product (DenseCols' variables, Wᵀ x + b written
// plainly). Each step feeds the network's output back into the state, as
// the solvers' rollouts do, so that the gradient runs through every
// step's input too. On GoMLX's Go backend the differences are the
// materialised transposes (package bench, "Where the time goes"): of the
// weight gradients in "rows", of the input gradients in
// "cols-gomlx-grad", none in "cols":
//
//	go test -run NONE -bench RolloutGradient -benchtime 5x ./mfe/nn
func BenchmarkRolloutGradient(b *testing.B) {
	const n, steps = 10000, 10
	for _, name := range []string{"rows", "cols", "cols-gomlx-grad"} {
		cols := name != "rows"
		b.Run(name, func(b *testing.B) {
			exec, err := model.NewExec(backend.Default(), model.NewStore(), func(scope *model.Scope, x0 *Node) []*Node {
				net := NewMLP(scope.In("net"), x0.Graph(), MLPConfig{In: 2, Hidden: []int{128, 128, 128}, Out: 1})
				apply, axis := net.Apply, 1
				switch name {
				case "cols":
					apply, axis = net.ApplyCols, 0
				case "cols-gomlx-grad":
					apply, axis = plainCols(net), 0
				}
				x := x0 // particles' state
				var loss *Node
				for k := range steps {
					t := FillScalar(x.Graph(), x.Shape(), float64(k)/steps)
					a := apply(Concatenate([]*Node{t, x}, axis))
					x = Add(x, MulScalar(a, 0.01))
					if loss == nil {
						loss = ReduceAllMean(Square(a))
					} else {
						loss = Add(loss, ReduceAllMean(Square(a)))
					}
				}
				var params []*Node
				for _, l := range net.Layers {
					params = append(params, l.W, l.B)
				}
				return append([]*Node{loss}, Gradient(loss, params...)...)
			})
			if err != nil {
				b.Fatal(err)
			}
			v := make([]float32, n)
			for i := range v {
				v[i] = float32(i%7) * 0.1
			}
			x0 := tensors.FromFlatDataAndDimensions(v, n, 1)
			if cols {
				x0 = tensors.FromFlatDataAndDimensions(v, 1, n)
			}
			if _, err := exec.Call(x0); err != nil { // compiles
				b.Fatal(err)
			}
			for b.Loop() {
				out, err := exec.Call(x0)
				if err != nil {
					b.Fatal(err)
				}
				for _, o := range out {
					o.FinalizeAll()
				}
			}
		})
	}
}

// plainCols returns net applied feature-major with GoMLX's own gradient of
// every product: MLP.ApplyCols without DenseCols.Apply's input gradient.
func plainCols(net *MLP) func(x *Node) *Node {
	var layers []DenseCols
	for _, l := range net.Layers {
		layers = append(layers, l.Cols())
	}
	return func(x *Node) *Node {
		for i, l := range layers {
			x = Add(Dot(l.WT, x).Product(), l.B)
			if i < len(layers)-1 {
				x = net.Activation.Apply(x)
			}
		}
		return x
	}
}
