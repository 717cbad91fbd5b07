// Package progress reports the progress of long computations (training
// epochs, iterations, batches of episodes) on a terminal: [Terminal]
// implements mfe.Progress, the one progress interface, whose no-op is
// mfe.NopProgress. The GoNB notebook implementation lives in package
// notebook (notebook.NewProgress), so that this package depends on nothing
// but the root package.
package progress
