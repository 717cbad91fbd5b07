package learner

import (
	"math"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl/mfgraph"
)

// Scales are the centre and scale of the state at the generic networks'
// input, x ↦ (x - XC)/XS.
type Scales struct {
	XC, XS float64
}

// PilotAgents is the number of agents of the pilot rollout.
const PilotAgents = 10000

// Pilot estimates the input scales from samples the learner draws itself:
// PilotAgents initial states and their rollout to T holding action 0 (a
// pilot that does not trade; the nearest action of the range if 0 is not
// in it), in a graph of its own with its own random
// state seeded with seed (the training's random numbers are untouched). XC
// is the initial states' mean, XS the largest standard deviation of the
// states over the grid's times, at least 0.1.
func Pilot(be compute.Backend, env mfgraph.Env, seed int64) (Scales, error) {
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(seed); err != nil {
		return Scales{}, err
	}
	exec, err := model.NewExec(be, store, func(scope *model.Scope, g *Graph) []*Node {
		scope.SetTraining(g, true)
		rnd := scopeRand{scope: scope, g: g}
		N, M := env.Steps(), PilotAgents
		tn, _ := grid(g, env)
		x := env.Initial(rnd, M)
		noise := env.Noise(rnd, N, M)
		zero := mfgraph.Bound(env, ZerosLike(x)) // action 0, or the nearest in the range
		xs := []*Node{x}
		for k := range N {
			x = env.Step(Slice(tn, AxisElem(k)), x, zero, Slice(noise, AxisElem(k)))
			xs = append(xs, x)
		}
		X := Concatenate(xs, 0) // [N+1, M]
		m := ReduceAndKeep(X, ReduceMean, 1)
		sd := Sqrt(ReduceMean(Square(Sub(X, m)), 1))
		return []*Node{Reshape(m, N+1), sd}
	})
	if err != nil {
		return Scales{}, err
	}
	out, err := exec.Call()
	if err != nil {
		return Scales{}, err
	}
	means := tensors.MustCopyFlatData[float32](out[0])
	sds := tensors.MustCopyFlatData[float32](out[1])
	sc := Scales{XC: float64(means[0]), XS: 0.1}
	for _, s := range sds {
		sc.XS = math.Max(sc.XS, float64(s))
	}
	return sc, nil
}
