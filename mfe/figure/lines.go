package figure

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// Series is one labelled curve y(x).
type Series struct {
	Label string // legend entry; "" draws no entry
	X, Y  []float64

	Dashed bool // dashed line, e.g. for a reference curve
	Points bool // dots at the data points, in addition to the line
	NoLine bool // dots only (implies Points)
}

// Lines draws each series as a line in its own colour (series i in
// Color(i)); with o.LogX or o.LogY every value on that axis must be
// positive.
func Lines(series []Series, o Options) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("figure: lines: no series")
	}
	for i, s := range series {
		if err := checkXY(name("series", s.Label, i), s.X, s.Y, o.LogX, o.LogY); err != nil {
			return nil, err
		}
	}
	p := newPlot(o, Options{XLabel: "x", YLabel: "y"})
	for i, s := range series {
		var thumbs []plot.Thumbnailer
		if !s.NoLine {
			l, err := plotter.NewLine(xys(s.X, s.Y))
			if err != nil {
				return nil, fmt.Errorf("figure: %w", err)
			}
			l.LineStyle = lineStyle(i)
			if s.Dashed {
				l.LineStyle = dashed(i)
			}
			p.Add(l)
			thumbs = append(thumbs, l)
		}
		if s.Points || s.NoLine {
			sc, err := plotter.NewScatter(xys(s.X, s.Y))
			if err != nil {
				return nil, fmt.Errorf("figure: %w", err)
			}
			sc.GlyphStyle = glyphStyle(i)
			p.Add(sc)
			thumbs = append(thumbs, sc)
		}
		legend(p, o, s.Label, thumbs...)
	}
	widenFlat(p, o)
	return p, nil
}
