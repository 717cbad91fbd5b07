package interactive_test

import (
	"fmt"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/notebook"
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
	// price of anarchy (equilibrium / optimal social cost): 4.56145
	// excess social cost of the equilibrium: 0.445274
	// invalid parameter ca = 0: must be > 0
}

// The last cell of notebooks/01_direct_mfc.ipynb: one call puts a training
// panel for direct MFC, the method its solver package registers, in the
// notebook.
func ExampleTrainPanel() {
	interactive.TrainPanel(notebook.Method(directmfc.Method))
}

// The last cell of notebooks/00_exact_solution.ipynb.
func ExampleExplorer() {
	interactive.Explorer(mfe.Reference())
}
