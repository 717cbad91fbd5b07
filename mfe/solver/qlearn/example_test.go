package qlearn_test

import (
	"context"
	"fmt"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/qlearn"
)

func Example() {
	cfg, _ := qlearn.ProfileConfig(mfe.Quick)
	cfg.Episodes = 300_000 // a short run
	res, err := qlearn.Train(context.Background(), mfe.Run{Params: mfe.Reference(), Regime: mfe.MFG, Seed: 1}, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := make([]float64, 1)
	res.Control.Eval(0, []float64{0.5}, a)
	fmt.Println(res.Method, res.Regime)
	fmt.Println("sells at (0, 0.5):", a[0] < -0.8)
	fmt.Println("control_rel below 0.3:", res.Metrics.ControlRel < 0.3)
	// Output:
	// q-learning mfg
	// sells at (0, 0.5): true
	// control_rel below 0.3: true
}
