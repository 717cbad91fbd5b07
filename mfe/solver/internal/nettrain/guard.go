package nettrain

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// ParamNorm returns the Euclidean norm of every trainable variable the graph
// g updates, to call after the optimizer's update. A training step returns
// its value under mfe.KeyParamNorm: the loop then reads it as the
// parameters' health. A NaN or Inf in a
// gradient reaches the parameters through the update (Adam turns an Inf
// into a NaN), so a finite norm means finite loss gradients and parameters.
func ParamNorm(scope *model.Scope, g *Graph) *Node {
	var sum *Node
	for v := range scope.Store().IterVariables() {
		if !v.Trainable || !v.ChangedInGraph(g) {
			continue
		}
		x := ConvertDType(v.NodeValue(g), v.DType())
		s := ReduceAllSum(Square(x))
		if sum == nil {
			sum = s
		} else {
			sum = Add(sum, ConvertDType(s, sum.DType()))
		}
	}
	if sum == nil {
		return Scalar(g, dtypes.Float32, 0)
	}
	return Sqrt(sum)
}

// snapshot is a copy of every variable of a store.
type snapshot map[*model.Variable]*tensors.Tensor

func takeSnapshot(store *model.Store) (snapshot, error) {
	s := snapshot{}
	for v := range store.IterVariables() {
		if !v.HasValue() {
			continue
		}
		t, err := v.Value()
		if err != nil {
			return nil, err
		}
		c, err := t.LocalClone()
		if err != nil {
			return nil, fmt.Errorf("copying %s: %w", v.Path(), err)
		}
		s[v] = c
	}
	return s, nil
}

func (s snapshot) restore() error {
	for v, t := range s {
		if err := v.SetValue(t); err != nil {
			return err
		}
	}
	return nil
}
