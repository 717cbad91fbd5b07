// Package progress reports the progress of long computations (training
// epochs, iterations, batches of episodes) through one small interface,
// [Reporter], with a terminal implementation ([NewTerminal]) and a no-op
// ([Nop]). The GoNB notebook implementation lives in package notebook
// (notebook.NewProgress), so that this package stays dependency-free.
//
// [Reporter] has the same method set as mfe.Progress in the root package:
// a value of either interface satisfies the other.
package progress
