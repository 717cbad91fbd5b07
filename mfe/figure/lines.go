package figure

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Series is one labelled curve y(x).
type Series struct {
	Label string // legend entry; "" draws no entry
	X, Y  []float64

	// Err, optional, holds an error of each Y (a standard error), drawn
	// as a bar from Y − Err to Y + Err. On a log y axis a bar that would
	// reach zero or below is drawn down to Y²/(Y + Err), the reflection
	// of its upper end about Y in log scale.
	Err []float64

	Color  color.Color // nil: Color(i) for series i
	Dashed bool        // dashed line, e.g. for a reference curve
	Points bool        // dots at the data points, in addition to the line
	NoLine bool        // dots only (implies Points)
}

// Lines draws each series as a line in its own colour (series i in
// Color(i) unless it names one); with o.LogX or o.LogY every value on that
// axis must be positive. With error bars the x axis extends 3 % beyond the
// data each way, for the bars' caps.
func Lines(series []Series, o Options) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("figure: lines: no series")
	}
	for i, s := range series {
		what := name("series", s.Label, i)
		if err := checkXY(what, s.X, s.Y, o.LogX, o.LogY); err != nil {
			return nil, err
		}
		if err := checkLen(what+" err", s.Err, len(s.X), true); err != nil {
			return nil, err
		}
		if err := checkVals(what+" err", s.Err, false); err != nil {
			return nil, err
		}
		for k, v := range s.Err {
			if v < 0 {
				return nil, fmt.Errorf("figure: %s err[%d] = %v is negative", what, k, v)
			}
		}
	}
	p := newPlot(o, Options{XLabel: "x", YLabel: "y"})
	for i, s := range series {
		c := s.Color
		if c == nil {
			c = Color(i)
		}
		var thumbs []plot.Thumbnailer
		if !s.NoLine {
			ls := colorLine(c)
			if s.Dashed {
				ls = dash(ls)
			}
			l, err := line(s.X, s.Y, ls)
			if err != nil {
				return nil, err
			}
			p.Add(l)
			thumbs = append(thumbs, l)
		}
		if s.Points || s.NoLine {
			sc, err := plotter.NewScatter(xys(s.X, s.Y))
			if err != nil {
				return nil, fmt.Errorf("figure: %w", err)
			}
			sc.GlyphStyle = colorGlyph(c)
			p.Add(sc)
			thumbs = append(thumbs, sc)
		}
		if s.Err != nil {
			b, err := plotter.NewYErrorBars(errorBars(s.X, s.Y, s.Err, o.LogY))
			if err != nil {
				return nil, fmt.Errorf("figure: %w", err)
			}
			b.LineStyle = colorLine(c)
			b.LineStyle.Width = vg.Points(1.25)
			b.CapWidth = vg.Points(6)
			p.Add(b)
		}
		legend(p, o, s.Label, thumbs...)
	}
	widenFlat(p, o)
	for _, s := range series {
		if s.Err != nil { // room for the bars' caps at the ends
			pad(&p.X, o.LogX, 0.03, 0.03)
			break
		}
	}
	return p, nil
}

// yErrors are points with vertical error bars, for plotter.NewYErrorBars.
type yErrors struct {
	plotter.XYs
	plotter.YErrors
}

// errorBars returns the bars y ± e at x; on a log axis (logY) a lower end
// at zero or below becomes y²/(y + e).
func errorBars(x, y, e []float64, logY bool) yErrors {
	b := yErrors{XYs: xys(x, y), YErrors: make(plotter.YErrors, len(e))}
	for i, v := range e {
		lo := v
		if logY && y[i]-v <= 0 {
			lo = y[i] - y[i]*y[i]/(y[i]+v)
		}
		b.YErrors[i].Low, b.YErrors[i].High = lo, v
	}
	return b
}
