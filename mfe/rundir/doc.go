// Package rundir reads and writes run directories. A training run saved in
// a directory DIR (by `mfe train -out DIR` or a notebook, see [Write]) holds
//
//	DIR/result.json    the mfe.Result: identity, configuration, history, metrics
//	DIR/control.json   the learned control on a grid where the population is ([ControlGrid])
//	DIR/checkpoint/    the solver's checkpoint (the run resumes or reloads from it)
//	DIR/.lock          locked by the run writing the directory ([LockRun])
//
// and, written by package report, the PNG figures of the run. Every file is
// written atomically ([WriteFileAtomic]), with mode 0644: a reader, or a
// run interrupted while saving, never sees half a file. One run at a time
// writes a directory: [LockRun] refuses a second one, naming the first's
// process. A results directory holds one directory per run, named
// METHOD-REGIME-PROFILE ([Name]): a run directory, or a multi-seed
// directory holding the same run trained with several seeds,
//
//	DIR/seed-N/        the run directory of seed N ([SeedDir])
//	DIR/summary.json   mean, sd, min, max of every final metric over the seeds ([Summary])
//
// (`mfe train -seeds 1,2,3` writes one). [RunDirs] finds the runs of
// either layout; [LoadRuns] and [LoadControlGrids] read one run per
// directory back for the comparison (a multi-seed directory's lowest
// seed), [LoadSummaries] the spread over every directory's seeds
// ([Summarize]).
//
// A checkpoint directory holds the solver's state.json, the files it names
// and a manifest listing them all with their sizes and SHA-256, the run's
// key and, for a finished run, its control on the standard grid
// ([ControlCheck]). The manifest is written last ([CommitCheckpoint]) and
// a checkpoint is loaded only if it verifies ([OpenCheckpoint]): a file
// missing, truncated, altered or leading out of the directory is refused
// with a [CheckpointError] naming it. A checkpoint without a manifest,
// saved before manifests existed, is refused with a [LegacyError]; it is
// read only to be adopted, once, by the solver (mfe.Run.AdoptLegacy), which
// reloads a finished run only if its weights reproduce its stored metrics
// and then writes its manifest. [RemoveCheckpoint] removes the files a
// checkpoint's writers made, and only those.
//
// The package computes no figure: it does not import the plotting packages.
package rundir
