package figure

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// DefaultBins is the number of histogram bins when DensityPanel.Bins is 0.
const DefaultBins = 40

// DensityPanel is the law of the inventory at one time: a histogram of the
// particle inventories Samples, normalised to a density (area 1), against
// the exact density given as samples (X, Exact) of its curve.
type DensityPanel struct {
	// Label names the time, e.g. "t=0.4": the panel title.
	Label string

	Samples []float64 // optional: nil draws no histogram
	Bins    int       // number of bins; 0 selects DefaultBins

	X     []float64
	Exact []float64 // optional: nil draws no exact curve
}

// check reports an error unless the panel's data are consistent.
func (d DensityPanel) check(i int, o Options) error {
	what := name("panel", d.Label, i)
	if d.Samples == nil && d.Exact == nil {
		return fmt.Errorf("figure: %s: no samples and no exact density", what)
	}
	if d.Bins < 0 {
		return fmt.Errorf("figure: %s: %d bins", what, d.Bins)
	}
	if d.Samples != nil {
		if len(d.Samples) == 0 {
			return fmt.Errorf("figure: %s: no samples", what)
		}
		if err := checkVals(what+" samples", d.Samples, o.LogX); err != nil {
			return err
		}
	}
	if d.Exact != nil {
		if err := checkXY(what+" exact", d.X, d.Exact, o.LogX, o.LogY); err != nil {
			return err
		}
	}
	return nil
}

var densityDefaults = Options{XLabel: "inventory x", YLabel: "density"}

// Density draws one panel: the normalised histogram as grey bars and the
// exact density as a line. The title is o.Title, or the panel's Label.
func Density(d DensityPanel, o Options) (*plot.Plot, error) {
	if err := d.check(0, o); err != nil {
		return nil, err
	}
	def := densityDefaults
	def.Title = or(d.Label, "Density")
	p := newPlot(o, def)
	if d.Samples != nil {
		bins := d.Bins
		if bins == 0 {
			bins = DefaultBins
		}
		h, err := plotter.NewHist(plotter.Values(d.Samples), bins)
		if err != nil {
			return nil, fmt.Errorf("figure: %w", err)
		}
		h.Normalize(1)
		h.FillColor = fade(Color(0), 0.35)
		h.LineStyle = lineStyle(0)
		h.LineStyle.Width = 0.5
		p.Add(h)
		legend(p, o, "particles", h)
	}
	if d.Exact != nil {
		l, err := plotter.NewLine(xys(d.X, d.Exact))
		if err != nil {
			return nil, fmt.Errorf("figure: %w", err)
		}
		l.LineStyle = lineStyle(3)
		p.Add(l)
		legend(p, o, "exact", l)
	}
	return p, nil
}

// DensityGrid draws one Density panel per time in cols columns (cols ≤ 0:
// one row), titled by their Labels; o.Title is the title of the whole grid
// and only the last panel of the first row has a legend, right of it.
func DensityGrid(panels []DensityPanel, cols int, o Options) (*Grid, error) {
	if len(panels) == 0 {
		return nil, fmt.Errorf("figure: density: no panels")
	}
	if cols <= 0 || cols > len(panels) {
		cols = len(panels)
	}
	plots := make([]*plot.Plot, len(panels))
	for i, d := range panels {
		if err := d.check(i, o); err != nil {
			return nil, err
		}
		po := o
		po.Title = or(d.Label, " ")
		po.NoLegend = o.NoLegend || i != cols-1
		p, err := Density(d, po)
		if err != nil {
			return nil, err
		}
		plots[i] = p
	}
	g, err := NewGrid(plots, cols)
	if err != nil {
		return nil, err
	}
	g.Title = or(o.Title, "Density of the inventory")
	return g, nil
}
