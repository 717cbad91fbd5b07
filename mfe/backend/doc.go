// Package backend chooses the GoMLX compute backend used by the solvers,
// the command line and the notebooks, without ever downloading anything.
//
// Selection order ([Choose], [New]):
//
//  1. $GOMLX_BACKEND, when set and non-empty, is used as given
//     ("go", "xla", "xla:cpu", "xla:cuda", ...: "<name>[:<config>]" as in
//     github.com/gomlx/compute.NewWithConfig). An unknown name is an error
//     listing the known ones.
//  2. Otherwise XLA, when XLA support is compiled in and a PJRT plugin is
//     already installed locally ($PJRT_PLUGIN_LIBRARY_PATH, or
//     ~/.local/lib/go-xla, /usr/local/lib/go-xla and the system library
//     directories: the places github.com/gomlx/go-xla searches). CUDA is
//     preferred to CPU when both plugins are usable.
//  3. Otherwise the pure Go backend "go", always available.
//
// The Go backend runs with an unlimited worker pool, "go:parallelism=-1"
// ([GoParallelism]), unless its configuration sets a parallelism: with
// GoMLX's default limit most ops of a training graph run on one core
// (package bench, "Levers"), with the same results to the last bit.
//
// XLA support is compiled in when cgo is enabled (a C compiler is present)
// on linux/amd64 or linux/arm64, unless the build tag "noxla" is given. The
// XLA auto-installer is never linked in by this package and is disabled at
// start-up, so a missing plugin never triggers a download.
//
// [Default] returns a process-wide backend created once, which is what
// solvers and notebooks should normally use; [Name] tells which one it is
// (without creating it) and [Log] prints a one-line note of the choice.
// [Candidates] lists every configuration (Go, XLA's CPU and CUDA plugins)
// with whether it is found here and why, as `mfe doctor` prints them;
// package backendtest runs a test on each one found.
package backend
