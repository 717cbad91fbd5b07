// Package rundir reads and writes run directories. A training run saved in
// a directory DIR (by `mfe train -out DIR` or a notebook, see [Write]) holds
//
//	DIR/result.json    the mfe.Result: identity, configuration, history, metrics
//	DIR/control.json   the learned control on the standard grid ([ControlGrid])
//	DIR/checkpoint/    the solver's checkpoint (the run resumes or reloads from it)
//
// and, written by package report, the PNG figures of the run. Every file is
// written atomically ([WriteFileAtomic]): a reader, or a run interrupted while
// saving, never sees half a file. A results directory holds one run
// directory per run, named METHOD-REGIME-PROFILE ([Name]); [LoadRuns] and
// [LoadControlGrids] read them back for the comparison.
//
// The package computes no figure: it does not import the plotting packages.
package rundir
