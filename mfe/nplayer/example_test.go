package nplayer_test

import (
	"context"
	"fmt"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nplayer"
)

// The exact MFG control in games of 10, 100 and 1000 traders: what one
// trader gains by deviating falls like 1/N, both for a trader who knows the
// others' realised flow (Monte Carlo) and for the best adapted deviation
// (exact, Nash gap = 0.0108/(N-1) under the reference parameters).
func Example() {
	p := mfe.Reference()
	m, err := exact.NewMFG(p)
	if err != nil {
		panic(err)
	}
	gaps, err := nplayer.Gaps(context.Background(), p, m.Control(), []int{10, 100, 1000},
		nplayer.Config{Seeds: 16, Steps: 100, Seed: 1})
	if err != nil {
		panic(err)
	}
	for _, g := range gaps {
		fmt.Printf("N=%4d  realised-flow gap %.1e ± %.0e  Nash gap %.2e\n", g.N, g.Mean, g.SE, *g.Nash)
	}
	// Output:
	// N=  10  realised-flow gap 2.1e-03 ± 5e-04  Nash gap 1.20e-03
	// N= 100  realised-flow gap 2.1e-04 ± 6e-05  Nash gap 1.09e-04
	// N=1000  realised-flow gap 1.5e-05 ± 5e-06  Nash gap 1.08e-05
}
