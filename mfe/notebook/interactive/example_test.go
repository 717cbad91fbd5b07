package interactive_test

import (
	"context"
	"fmt"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/notebook/interactive"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/directmfc"
)

// What the explorer shows below its figure, and what it says for an invalid
// parameter set.
func ExampleExactView() {
	ex, err := interactive.ExactView(mfe.Reference(), interactive.Both)
	if err != nil {
		panic(err)
	}
	for _, c := range ex.Costs {
		fmt.Printf("%s: %s\n", c[0], c[1])
	}
	p := mfe.Reference()
	p.Ca = 0
	_, err = interactive.ExactView(p, interactive.Both)
	fmt.Println(err)
	// Output:
	// MFG equilibrium cost of one trader: 0.5703
	// MFC optimal social cost: 0.125026
	// social cost of the MFG equilibrium: 0.5703
	// price of anarchy: 0.445274
	// invalid parameter ca = 0: must be > 0
}

// The last cell of notebooks/01_direct_mfc.ipynb: one call puts a training
// panel for direct MFC in the notebook.
func ExampleTrainPanel() {
	interactive.TrainPanel(interactive.Trainer{
		Name:    "direct MFC",
		Regimes: []mfe.Regime{mfe.MFC},
		Train: func(ctx context.Context, p mfe.Params, r mfe.Regime, prof mfe.Profile, pr mfe.Progress) (*mfe.Result, error) {
			cfg, err := directmfc.ProfileConfig(prof)
			if err != nil {
				return nil, err
			}
			return directmfc.Train(ctx, p, cfg, 1, pr)
		},
	})
}

// The last cell of notebooks/00_exact_solution.ipynb.
func ExampleExplorer() {
	interactive.Explorer(mfe.Reference())
}
