package report

import "github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"

// Temporary: the control.json type moved to package rundir; these names
// stay until the memoir generator's move is done.
type ControlGrid = rundir.ControlGrid

var GridControl = rundir.GridControl
