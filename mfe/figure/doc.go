// Package figure draws the figures of the mean-field optimal execution
// experiments with gonum/plot.
//
// The package does no computation of its own: every function takes plain
// data (slices and the small structs defined here), checks it, and returns a
// *plot.Plot, or a *Grid of plots drawn as one image. Data flows one way,
// parameters → solver → result → figure, so figure imports no other package
// of this module and no solver imports figure.
//
// The figures are
//
//	Control, ControlGrid  learned control (dots) against the exact control (lines)
//	Density, DensityGrid  particle histogram (a density) against the exact density
//	MeanPath              mean inventory t ↦ m(t) with a ±2 sd band
//	Training              training curves on a log y axis with a ±std band
//	Lines                 labelled series y(x), any other line figure
//	Scatter               labelled points, e.g. accuracy against wall time
//
// Every figure takes an Options holding the title, the axis labels, log
// scales and the legend position; empty fields take a default suited to the
// figure. Bad input (mismatched lengths, empty data, NaN or infinite values,
// non-positive values on a log axis) is reported as an error whose text
// starts with "figure:"; no function panics on user data.
//
// Save writes a figure to a file, as PNG or SVG (or PDF) chosen by the
// extension, and PNG and SVG return the encoded bytes for inline display in
// notebooks. A zero width or height selects the default size: Width × Height
// for a plot, a per-panel size for a Grid.
package figure
