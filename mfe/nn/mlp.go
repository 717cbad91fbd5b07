package nn

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Activation is an elementwise nonlinearity.
type Activation string

const (
	ActReLU Activation = "relu"
	ActTanh Activation = "tanh"
)

// Validate reports an activation Apply does not know; empty is valid and
// means the default, ActReLU.
func (a Activation) Validate() error {
	switch a {
	case "", ActReLU, ActTanh:
		return nil
	}
	return fmt.Errorf("nn: activation %q, want %q or %q", string(a), ActReLU, ActTanh)
}

// Apply applies the activation to x.
func (a Activation) Apply(x *Node) *Node {
	switch a {
	case ActReLU:
		return relu(x)
	case ActTanh:
		return Tanh(x)
	}
	panic(fmt.Sprintf("nn: unknown activation %q", string(a)))
}

// relu returns max(x, 0), whose gradient is v where x >= 0 and 0 elsewhere
// (v the gradient with respect to the output): one Where, in place of the
// five element-wise ops of GoMLX's gradient of Max (a subtraction, an
// indicator, its complement and two products), with the same values,
// Max's convention at x = 0 included. As in DenseCols.Apply, the output
// passes through an identity that records v and x through one whose
// gradient uses it; Max's own gradient is then unused and left out of the
// compiled graph. The second derivative is 0 (almost everywhere), as
// through Max. At the solvers' sizes it saves little CPU but 36 % of
// the training's peak memory (package bench, "Levers").
func relu(x *Node) *Node {
	var v *Node // the gradient with respect to the output, once reverse mode has reached it
	zero := ScalarZero(x.Graph(), x.DType())
	in := IdentityWithCustomGradient(x, func(x, _ *Node) *Node {
		return Where(GreaterOrEqual(x, zero), v, ZerosLike(v))
	})
	y := Max(in, zero)
	return IdentityWithCustomGradient(y, func(_, vy *Node) *Node { v = vy; return vy })
}

// MLPConfig describes a fully connected network In → Hidden... → Out.
type MLPConfig struct {
	In         int
	Hidden     []int
	Out        int
	Activation Activation   // default ActReLU
	DType      dtypes.DType // default Float32
}

// Dense is one affine layer x ↦ x W + b with W of shape [in, out].
type Dense struct {
	W, B *Node // B has shape [1, out]
}

// NewDense reads or creates the variables "weights" [in, out] and "biases" [out]
// in scope, initialised like PyTorch's nn.Linear: uniform on ±1/sqrt(in),
// drawn from the store's seeded random state.
func NewDense(scope *model.Scope, g *Graph, in, out int, dtype dtypes.DType) Dense {
	bound := 1 / math.Sqrt(float64(in))
	s := scope.WithInitializer(uniform(scope, bound))
	w := s.VariableWithShape("weights", shapes.Make(dtype, in, out)).NodeValue(g)
	b := s.VariableWithShape("biases", shapes.Make(dtype, out)).NodeValue(g)
	return Dense{W: w, B: ExpandAxes(b, 0)}
}

func uniform(scope *model.Scope, bound float64) model.VariableInitializer {
	store := scope.Store()
	return func(g *Graph, shape shapes.Shape) *Node {
		u := store.RandomUniform(g, shape)
		return AddScalar(MulScalar(u, 2*bound), -bound)
	}
}

// Apply returns x W + b for x of shape [batch, in].
func (d Dense) Apply(x *Node) *Node { return Add(Dot(x, d.W).Product(), d.B) }

// Cols returns the layer in feature-major form: the same variables, W
// transposed in the graph and b as a column.
func (d Dense) Cols() DenseCols {
	return DenseCols{W: d.W, WT: Transpose(d.W, 0, 1), B: Reshape(d.B, d.B.Shape().Dim(1), 1)}
}

// DenseCols is a Dense layer in feature-major form, x ↦ Wᵀ x + b for x of
// shape [in, batch]: one column per sample, one row per feature.
//
// It is the faster form on GoMLX's Go backend for the solvers' large
// batches, whose matmul kernels take only an lhs [M, K] with an rhs
// [K, N] or [N, K] and materialise a transposed copy of any other operand
// (package bench, "Feature-major layout", has the numbers). Row-major
// x W has a weight gradient xᵀ v (v the gradient of the output) that
// contracts the batch axis, the leading axis of both operands: two
// [batch, units] transposes per application. Feature-major, the weight
// gradient v xᵀ contracts the trailing axis of both and needs none, and
// Apply gives x the gradient W v, which needs none either: GoMLX's own
// reverse mode would write it with v contracted on its leading axis,
// transposing v and the product.
type DenseCols struct {
	W, WT, B *Node // W [in, out], WT = Wᵀ [out, in], B = b [out, 1]
}

// Apply returns Wᵀ x + b for x of shape [in, batch]: [out, batch].
//
// Its gradient with respect to x is W v, v the gradient with respect to
// the output: the output passes through an identity that records v, and
// x through one whose gradient is W v, which reverse mode reaches after
// the output's (it goes from the last node built to the first). The
// product's own gradient with respect to x is then unused, and the
// backends leave it out of the compiled graph. The same holds for every
// Gradient taken of the graph, in turn.
//
// A layer with one output (the networks' last) gets its weight gradient
// the same way, as x vᵀ [in, 1] reshaped to Wᵀ's [1, in]: GoMLX's own,
// v xᵀ, is a product with one row, which the Go backend's kernels run
// 2.5 times slower than the one with one column (package bench,
// BenchmarkThinProducts). Each entry sums the same terms, and the trained
// results of every method's quick profile came out the same to the last
// bit.
func (d DenseCols) Apply(x *Node) *Node {
	var v *Node // the gradient with respect to the output, once reverse mode has reached it
	in := IdentityWithCustomGradient(x, func(_, _ *Node) *Node { return Dot(d.W, v).Product() })
	wt := d.WT
	if wt.Shape().Dim(0) == 1 {
		wt = IdentityWithCustomGradient(wt, func(_, _ *Node) *Node {
			return Reshape(DotGeneral(x, []int{1}, nil, v, []int{1}, nil), wt.Shape().Dimensions...)
		})
	}
	y := Add(Dot(wt, in).Product(), d.B)
	return IdentityWithCustomGradient(y, func(_, vy *Node) *Node { v = vy; return vy })
}

// MLP is a multilayer perceptron's weights in one graph.
type MLP struct {
	Layers     []Dense
	Activation Activation

	cols []DenseCols // Layers in feature-major form, made by the first ApplyCols
}

// NewMLP reads or creates the network's variables in scope (sub-scopes
// "layer_0", "layer_1", ...) and returns their nodes for graph g.
func NewMLP(scope *model.Scope, g *Graph, cfg MLPConfig) *MLP {
	if cfg.Activation == "" {
		cfg.Activation = ActReLU
	}
	if cfg.DType == dtypes.InvalidDType {
		cfg.DType = dtypes.Float32
	}
	m := &MLP{Activation: cfg.Activation}
	in := cfg.In
	for i, h := range append(append([]int(nil), cfg.Hidden...), cfg.Out) {
		m.Layers = append(m.Layers, NewDense(scope.In("layer_%d", i), g, in, h, cfg.DType))
		in = h
	}
	return m
}

// Apply evaluates the network on x of shape [batch, In].
func (m *MLP) Apply(x *Node) *Node {
	for i, l := range m.Layers {
		x = l.Apply(x)
		if i < len(m.Layers)-1 {
			x = m.Activation.Apply(x)
		}
	}
	return x
}

// ApplyCols evaluates the network feature-major, on x of shape [In, batch]
// (one column per sample), returning [Out, batch]: the transpose of
// Apply(xᵀ), from the same variables (DenseCols). The first call
// transposes the weights in the graph, later ones reuse them, so that a
// rollout applying the network at every step transposes each weight once.
func (m *MLP) ApplyCols(x *Node) *Node {
	if m.cols == nil {
		for _, l := range m.Layers {
			m.cols = append(m.cols, l.Cols())
		}
	}
	for i, l := range m.cols {
		x = l.Apply(x)
		if i < len(m.cols)-1 {
			x = m.Activation.Apply(x)
		}
	}
	return x
}
