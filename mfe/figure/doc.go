// Package figure draws the figures of the mean-field optimal execution
// experiments with gonum/plot.
//
// The package does no computation of its own beyond the difference of two
// curves it is given (Compare's error panel): every function takes plain
// data (slices and the small structs defined here), checks it, and returns
// a *plot.Plot, or a *Grid of plots drawn as one image. Data flows one way,
// parameters → solver → result → figure, so figure imports no other
// package of this module and no solver imports figure.
//
// The figures are
//
//	Compare               a learned function against the exact one at a few times,
//	                      with the error learned − exact on its own scale beside it
//	Control               learned (rings) against exact (lines) on one axes
//	Density, DensityGrid  particle histogram (a density) against the exact density
//	MeanPath              mean inventory t ↦ m(t) with a ±2 sd band
//	Training              training curves on a log y axis with a ±std band
//	Lines                 labelled series y(x), with optional error bars
//	Scatter               labelled points, e.g. accuracy against wall time
//
// One style serves every figure: the typeface Font at the sizes TitleSize,
// LabelSize, TickSize and LegendSize; the palette Color (series i in
// Color(i)) and Grey for reference marks; every legend right of its data
// area, never over the data. Every figure is Width wide (1125 pixels at
// DPI) at its default size, a grid's panels sharing that width, so that text
// keeps its size wherever the image is shrunk to a page; CheckText verifies
// that every text has glyphs in the font and is at least MinTextSize.
//
// Every figure takes an Options holding the title, the axis labels and log
// scales; empty fields take a default suited to the figure. Bad input
// (mismatched lengths, empty data, NaN or infinite values, non-positive
// values on a log axis) is reported as an error whose text starts with
// "figure:"; no function panics on user data.
//
// Save writes a figure to a file, as PNG or SVG (or PDF) chosen by the
// extension, and PNG and SVG return the encoded bytes for inline display in
// notebooks. A zero width or height selects the default size (Size).
package figure
