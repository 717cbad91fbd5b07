package figure

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Point is one labelled point, e.g. a method at (wall time, control error).
type Point struct {
	Label string // written next to the point
	X, Y  float64
	Group int // colour index: points of one group share Color(Group)
}

// Scatter draws labelled points, each as a dot in the colour of its Group
// with its Label written beside it. For accuracy against wall time set
// o.LogX and o.LogY. The axes are widened a little so that the labels fit.
func Scatter(points []Point, o Options) (*plot.Plot, error) {
	if len(points) == 0 {
		return nil, fmt.Errorf("figure: scatter: no points")
	}
	for i, pt := range points {
		what := name("point", pt.Label, i)
		if err := checkVals(what+": x", []float64{pt.X}, o.LogX); err != nil {
			return nil, err
		}
		if err := checkVals(what+": y", []float64{pt.Y}, o.LogY); err != nil {
			return nil, err
		}
	}
	p := newPlot(o, Options{Title: "Accuracy against wall time", XLabel: "wall time (s)", YLabel: "error"})
	lab := plotter.XYLabels{XYs: make(plotter.XYs, len(points)), Labels: make([]string, len(points))}
	for i, pt := range points {
		sc, err := plotter.NewScatter(plotter.XYs{{X: pt.X, Y: pt.Y}})
		if err != nil {
			return nil, fmt.Errorf("figure: %w", err)
		}
		sc.GlyphStyle = glyphStyle(pt.Group)
		sc.GlyphStyle.Radius = vg.Points(4)
		p.Add(sc)
		lab.XYs[i] = plotter.XY{X: pt.X, Y: pt.Y}
		lab.Labels[i] = pt.Label
	}
	l, err := plotter.NewLabels(lab)
	if err != nil {
		return nil, fmt.Errorf("figure: %w", err)
	}
	l.Offset = vg.Point{X: vg.Points(6), Y: -vg.Points(4)}
	for i := range l.TextStyle {
		l.TextStyle[i].Font = font.From(Font, LegendSize)
	}
	p.Add(l)
	pad(&p.X, o.LogX, 0.05, 0.25)
	pad(&p.Y, o.LogY, 0.08, 0.08)
	return p, nil
}

// pad widens the axis range by the fractions lo and hi of its span (of its
// decades on a log axis), so that marks and labels at the edges fit.
func pad(a *plot.Axis, log bool, lo, hi float64) {
	min, max := a.Min, a.Max
	if log {
		min, max = math.Log10(min), math.Log10(max)
	}
	span := max - min
	if span == 0 {
		span = math.Max(math.Abs(max), 1)
		if log {
			span = 1
		}
	}
	min, max = min-lo*span, max+hi*span
	if log {
		min, max = math.Pow(10, min), math.Pow(10, max)
	}
	a.Min, a.Max = min, max
}

// widenFlat widens an axis whose data span a single value (one epoch, a
// constant series), which a logarithmic axis could not draw: by half a
// decade each way on a log axis, by half the value's magnitude (or 1) on a
// linear one.
func widenFlat(p *plot.Plot, o Options) {
	if p.X.Min == p.X.Max {
		pad(&p.X, o.LogX, 0.5, 0.5)
	}
	if p.Y.Min == p.Y.Max {
		pad(&p.Y, o.LogY, 0.5, 0.5)
	}
}
