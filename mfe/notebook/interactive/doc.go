// Package interactive puts live controls in GoNB notebooks: the cell program
// acts as a kernel-side extension that draws HTML controls, listens to them
// through GoNB's front-end channel (gonbui/comms, gonbui/widgets) and redraws
// its output in place.
//
//   - [Explorer] shows sliders for the model parameters and a regime selector
//     and redraws the exact solution (controls at several times, mean inventory
//     with its ±2 sd band, densities, mean trading rate, costs) as they move.
//   - [TrainPanel] trains a registered method (an mfe.Method: its regimes,
//     profile configurations and training come from it) with the parameters,
//     regime and profile chosen in its controls, shows a live progress bar
//     (loss, control error against the exact solution), stops cleanly on
//     Stop, and draws the learned control against the exact one when done.
//
// A panel keeps its cell running while it is live; its Close button (or
// the Idle option) ends it, leaving the last figure in the cell's output.
//
// Without a live front end (headless execution with nbconvert/nbclient, a
// test, a command-line program) nothing blocks: Explorer shows the figure for
// its initial parameters as a static PNG, TrainPanel a one-line note. Whether
// a browser is attached is decided by [FrontEnd]; $MFE_WIDGETS=off forces the
// static path, $MFE_WIDGETS=on skips the heuristics and only probes.
package interactive
