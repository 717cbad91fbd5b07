package sweep_test

import (
	"fmt"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sweep"
)

// The first sets of a draw are pinned to the box's hard corners.
func ExampleBox_Draw() {
	b := sweep.DefaultBox()
	sets, err := b.Draw(8, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(sets), sets[0].T == b.T.Max, sets[1].Sigma, sets[2].X0Std, sets[3].Gamma < sets[3].Cg)
	// Output: 8 true 0 0 true
}
