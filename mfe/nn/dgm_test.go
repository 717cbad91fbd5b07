package nn

import (
	"math"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend/backendtest"
)

// TestDGMSecondDerivative checks ∂x y, ∂xx y and ∂xxx y (a derivative of the
// second derivative, the kind the weight gradient of a PDE residual needs)
// of a DGM network against central finite differences, in float64, on
// every backend found.
func TestDGMSecondDerivative(t *testing.T) {
	backendtest.Each(t, func(t *testing.T, be compute.Backend) { testDGMSecondDerivative(t, be) })
}

func testDGMSecondDerivative(t *testing.T, be compute.Backend) {
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(3); err != nil {
		t.Fatal(err)
	}
	cfg := DGMConfig{In: 2, Width: 8, Layers: 2, DType: dtypes.Float64}
	exec, err := model.NewExec(be, store, func(scope *model.Scope, in *Node) []*Node {
		g := in.Graph()
		net := NewDGM(scope.In("net"), g, cfg)
		y := net.Apply(in)
		dy := Gradient(ReduceAllSum(y), in)[0]
		dx := Slice(dy, AxisRange(), AxisElem(1))
		dxx := Slice(Gradient(ReduceAllSum(dx), in)[0], AxisRange(), AxisElem(1))
		dxxx := Slice(Gradient(ReduceAllSum(dxx), in)[0], AxisRange(), AxisElem(1))
		// The weight gradient of a second derivative must build and be finite.
		w := Gradient(ReduceAllSum(Square(dxx)), net.Layers[0].Wh)[0]
		return []*Node{y, dx, dxx, dxxx, ReduceAllSum(Abs(w))}
	})
	if err != nil {
		t.Fatal(err)
	}
	const h = 1e-4
	pts := [][2]float64{{0.1, -0.7}, {0.5, 0.3}, {0.9, 1.4}}
	for _, p := range pts {
		in := []float64{p[0], p[1] - h, p[0], p[1], p[0], p[1] + h}
		out, err := exec.Call(tensors.FromFlatDataAndDimensions(in, 3, 2))
		if err != nil {
			t.Fatal(err)
		}
		y := tensors.MustCopyFlatData[float64](out[0])
		d1 := tensors.MustCopyFlatData[float64](out[1])
		d2 := tensors.MustCopyFlatData[float64](out[2])
		d3 := tensors.MustCopyFlatData[float64](out[3])
		wg := tensors.MustCopyFlatData[float64](out[4])[0]
		fd1 := (y[2] - y[0]) / (2 * h)
		fd2 := (y[2] - 2*y[1] + y[0]) / (h * h)
		fd3 := (d2[2] - d2[0]) / (2 * h)
		check := func(name string, got, want, tol float64) {
			if math.Abs(got-want) > tol*(1+math.Abs(want)) {
				t.Errorf("at %v: %s = %.8g, finite differences %.8g", p, name, got, want)
			}
		}
		check("∂x y", d1[1], fd1, 1e-7)
		check("∂xx y", d2[1], fd2, 1e-4)
		check("∂xxx y", d3[1], fd3, 1e-6)
		if math.Abs(d2[1]) < 1e-8 {
			t.Errorf("at %v: ∂xx y = %g, suspiciously zero", p, d2[1])
		}
		if !(wg > 0) || math.IsInf(wg, 0) {
			t.Errorf("weight gradient of (∂xx y)^2: |.|_1 = %v, want finite > 0", wg)
		}
	}
}

// TestDGMDefaults checks the paper's defaults.
func TestDGMDefaults(t *testing.T) {
	c := DGMDefaults(DGMConfig{In: 2})
	if c.Width != 50 || c.Layers != 3 || c.Activation != ActTanh || c.Out != 1 || c.DType != dtypes.Float32 {
		t.Errorf("defaults = %+v", c)
	}
}
