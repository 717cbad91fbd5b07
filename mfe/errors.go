package mfe

import (
	"fmt"
	"strings"
)

// DivergenceError reports a non-finite quantity during training. The solver
// stops with the state and history of the last good epoch and returns the
// partial result with this error.
type DivergenceError struct {
	Epoch    int
	Quantity string // the history key or parameter that went non-finite
	Value    float64
}

func (e *DivergenceError) Error() string {
	return fmt.Sprintf("training diverged at epoch %d: %s = %v; training stopped with the state and history of the last good epoch",
		e.Epoch, e.Quantity, e.Value)
}

// MismatchError reports a checkpoint saved for another run: other
// parameters, regime, configuration or seed. Train refuses to resume it.
type MismatchError struct {
	Dir     string
	Differs []string // "params.gamma: saved 1.75, requested 1", ...
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("checkpoint %s was saved for another run (%s); refusing to resume it. "+
		"Use another directory or delete it.", e.Dir, strings.Join(e.Differs, "; "))
}
