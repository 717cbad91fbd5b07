package nettrain

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend/backendtest"
)

// TestDivergenceGuard trains w towards a target fed at each epoch; a NaN
// target at epoch 5 poisons the gradient (loss (w-target)^2 also NaN) or,
// with the loss made finite, only the gradient. The loop must stop at epoch
// 5 naming the quantity, with 4 epochs of history and w as it was after
// epoch 4. On every backend found.
func TestDivergenceGuard(t *testing.T) {
	backendtest.Each(t, testDivergenceGuard)
}

func testDivergenceGuard(t *testing.T, be compute.Backend) {
	for _, tc := range []struct {
		name, quantity string
		finiteLoss     bool
	}{
		{"loss", "loss", false},
		{"gradient", "norm of the parameters", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := model.NewStore()
			opt := optimizer.Adam().LearningRate(0.1).Done()
			exec, err := model.NewExec(be, store, func(scope *model.Scope, target *Node) []*Node {
				g := target.Graph()
				Live(scope, g)
				w := scope.In("fit").VariableWithValue("w", float32(0)).NodeValue(g)
				d := Sub(w, target)
				loss := Square(d)
				if tc.finiteLoss {
					// A finite loss whose gradient is NaN: Where passes
					// no NaN forward, but its backward pass multiplies the
					// NaN branch's gradient by 0.
					loss = Where(IsFinite(d), Square(d), ZerosLike(d))
				}
				opt.UpdateGraph(scope, g, loss)
				return []*Node{loss, ParamNorm(scope, g)}
			})
			if err != nil {
				t.Fatal(err)
			}
			loop := Loop{
				Epochs: 10, Store: store,
				Step: func(epoch int) (float64, map[mfe.HistoryKey]float64, error) {
					target := float32(1)
					if epoch == 5 {
						target = float32(math.NaN())
					}
					out, err := exec.Call(target)
					if err != nil {
						return 0, nil, err
					}
					return ScalarOf(out[0]), map[mfe.HistoryKey]float64{mfe.KeyParamNorm: ScalarOf(out[1])}, nil
				},
			}
			var h mfe.History
			var wAfter4 float64
			loop.Progress = watch(func(e int) {
				if e == 4 {
					wAfter4 = varValue(t, store)
				}
			})
			st, err := loop.Run(context.Background(), &h)
			var d *mfe.DivergenceError
			if !errors.As(err, &d) {
				t.Fatalf("err = %v, want a *mfe.DivergenceError", err)
			}
			if d.Epoch != 5 || !strings.HasPrefix(d.Quantity, tc.quantity) {
				t.Errorf("diverged at epoch %d on %q, want epoch 5 on %q", d.Epoch, d.Quantity, tc.quantity)
			}
			if st.Epochs != 4 || len(h.Loss) != 4 {
				t.Errorf("kept %d epochs, %d losses; want 4", st.Epochs, len(h.Loss))
			}
			if w := varValue(t, store); w != wAfter4 || w == 0 {
				t.Errorf("w = %v after the divergence, want its value after epoch 4, %v", w, wAfter4)
			}
		})
	}
}

type watch func(epoch int)

func (w watch) Update(step, _ int, _ map[string]float64) { w(step) }
func (watch) Done()                                      {}

func varValue(t *testing.T, store *model.Store) float64 {
	t.Helper()
	v := store.GetVariable("/fit/w")
	if v == nil {
		t.Fatal("no variable /fit/w")
	}
	return ScalarOf(v.MustValue())
}
