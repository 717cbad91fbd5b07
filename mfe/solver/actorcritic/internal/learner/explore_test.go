package learner

import (
	"math"
	"testing"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend/backendtest"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl/mfgraph"
)

// rangeEnv is an mfgraph.Env of which only the action range is used.
type rangeEnv struct {
	mfgraph.Env
	lo, hi float64
}

func (e rangeEnv) Actions() (lo, hi float64) { return e.lo, e.hi }

// TestBoundedRange checks, on the range [-1, 1] with s = 0.5, the clip of
// the actions (mfgraph.Bound) and the exploration's standard deviation
// (exploreStd: s, a third of the distance to the nearer end within 3s of
// it, at least s/20), and on the whole line that neither adds a node.
func TestBoundedRange(t *testing.T) {
	backendtest.Each(t, testBoundedRange)
}

func testBoundedRange(t *testing.T, be compute.Backend) {
	const s = 0.5
	mu := []float32{-1.3, -1, -0.97, -0.4, 0, 0.7, 0.999, 1, 2}
	wantBound := []float64{-1, -1, -0.97, -0.4, 0, 0.7, 0.999, 1, 1}
	wantSD := []float64{s / 20, s / 20, s / 20, 0.2, 1.0 / 3, 0.1, s / 20, s / 20, s / 20}
	env := rangeEnv{lo: -1, hi: 1}
	exec, err := NewExec(be, func(mu *Node) []*Node {
		b := mfgraph.Bound(env, mu)
		return []*Node{b, exploreStd(env, b, s)}
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Exec(mu)
	if err != nil {
		t.Fatal(err)
	}
	b, sd := tensors.MustCopyFlatData[float32](out[0]), tensors.MustCopyFlatData[float32](out[1])
	for i := range mu {
		if math.Abs(float64(b[i])-wantBound[i]) > 1e-6 || math.Abs(float64(sd[i])-wantSD[i]) > 1e-6 {
			t.Errorf("mu = %g: bound %g, sd %g, want %g, %g", mu[i], b[i], sd[i], wantBound[i], wantSD[i])
		}
	}

	line := rangeEnv{lo: math.Inf(-1), hi: math.Inf(1)}
	g := NewGraph(be, "line")
	z := Parameter(g, "z", out[0].Shape())
	if mfgraph.Bound(line, z) != z || exploreStd(line, z, s) != nil {
		t.Error("on the whole line the clip or the narrowed exploration adds a node")
	}
}
