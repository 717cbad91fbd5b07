package figure

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ControlPanel is a function at one time, e.g. the control: the exact
// function as a line through (X, Exact), the learned one as rings at
// (LearnedX, Learned), or at (X, Learned) when LearnedX is nil.
type ControlPanel struct {
	// Label names the time, e.g. "t = 0.5": its legend entry.
	Label string

	X     []float64
	Exact []float64 // optional in Control: nil draws no exact line

	LearnedX []float64 // optional: nil uses X; Compare wants nil
	Learned  []float64 // optional in Control: nil draws no rings
}

// check reports an error unless the panel's slices are consistent.
func (c ControlPanel) check(i int, o Options) error {
	what := name("panel", c.Label, i)
	if c.Exact == nil && c.Learned == nil {
		return fmt.Errorf("figure: %s: no exact and no learned values", what)
	}
	if c.Exact != nil {
		if err := checkXY(what+" exact", c.X, c.Exact, o.LogX, o.LogY); err != nil {
			return err
		}
	}
	if c.Learned != nil {
		if err := checkXY(what+" learned", c.learnedX(), c.Learned, o.LogX, o.LogY); err != nil {
			return err
		}
	}
	return nil
}

// learnedX returns the abscissae of the learned values.
func (c ControlPanel) learnedX() []float64 {
	if c.LearnedX == nil {
		return c.X
	}
	return c.LearnedX
}

var controlDefaults = Options{Title: "Control", XLabel: "inventory x", YLabel: "trading rate α(t, x)"}

// Control draws every panel on one axes, one colour per panel (Color(i)
// for panel i): the exact function as a line, the learned one as rings of
// the same colour. The legend names each panel by its Label, and two grey
// entries explain the marks.
func Control(panels []ControlPanel, o Options) (*plot.Plot, error) {
	if len(panels) == 0 {
		return nil, fmt.Errorf("figure: control: no panels")
	}
	for i, c := range panels {
		if err := c.check(i, o); err != nil {
			return nil, err
		}
	}
	p := newPlot(o, controlDefaults)
	for i, c := range panels {
		var thumbs []plot.Thumbnailer
		if c.Exact != nil {
			l, err := line(c.X, c.Exact, lineStyle(i))
			if err != nil {
				return nil, err
			}
			p.Add(l)
			thumbs = append(thumbs, l)
		}
		if c.Learned != nil {
			s, err := rings(c.learnedX(), c.Learned, i, len(c.Learned))
			if err != nil {
				return nil, err
			}
			p.Add(s)
			thumbs = append(thumbs, s)
		}
		legend(p, o, c.Label, thumbs...)
	}
	if !o.NoLegend {
		addKey(p, panels, "exact")
	}
	return p, nil
}

// Comparison is one function that a method learns, against the exact one
// (a control, a value function, a density), at several times: one
// ControlPanel per time, with Exact and Learned on the same X (LearnedX
// nil). X is where the function matters at that time, e.g. where the
// population is.
type Comparison struct {
	// Name names the function in the panel titles, e.g. "Control".
	Name string
	// YLabel labels the function's axis, e.g. "trading rate α(t, x)";
	// the error's axis reads "learned − exact".
	YLabel string
	Panels []ControlPanel
	// Reference names what Exact holds in the legend and on the error's
	// axis ("learned − finite differences"): "exact" when empty. A model
	// without a closed form is compared with a numerical reference.
	Reference string
}

// MaxRings is the most rings drawn on one learned curve: more would merge
// into a thick line. The error panel uses every point.
const MaxRings = 13

// Compare draws each comparison as a row of two panels. Left, the exact
// function as lines and the learned one as rings (at most MaxRings per
// time, evenly spread over its X), one colour per time, Color(i) for panel
// i; each time's curve covers that panel's X only. Right, the error
// Learned − Exact as a line per time in the same colours, over the same
// x, with a grey zero line, on an axis scaled to the error alone: an
// agreement too close to see on the function's scale is read off there.
// Each panel's y axis spans its data (the error's with zero) and 5 % of
// that span above and below, so that no curve meets the frame.
// The figure's legend, right of the first row, names the times and the
// two marks. o.Title is the figure's title and o.XLabel the x axes' label
// ("inventory x" by default); the axes are linear (o's log options and
// YLabel are not used).
func Compare(rows []Comparison, o Options) (*Grid, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("figure: compare: no comparisons")
	}
	var plots []*plot.Plot
	for r, row := range rows {
		if len(row.Panels) == 0 {
			return nil, fmt.Errorf("figure: compare: %s has no panels", name("comparison", row.Name, r))
		}
		for i, c := range row.Panels {
			what := name("panel", c.Label, i)
			if c.Exact == nil || c.Learned == nil || c.LearnedX != nil {
				return nil, fmt.Errorf("figure: compare: %s: want exact and learned values on X", what)
			}
			if err := c.check(i, Options{}); err != nil {
				return nil, err
			}
		}
		po := Options{Title: or(row.Name, " "), XLabel: o.XLabel, YLabel: or(row.YLabel, " "), NoLegend: true}
		left := newPlot(po, controlDefaults)
		ref := or(row.Reference, "exact")
		eo := Options{Title: or(row.Name, "") + " error", XLabel: o.XLabel, YLabel: "learned − " + ref, NoLegend: o.NoLegend || r > 0}
		right := newPlot(eo, controlDefaults)
		// The zero line first, under the errors.
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, c := range row.Panels {
			for _, x := range c.X {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
		zero, err := line([]float64{lo, hi}, []float64{0, 0}, colorLine(Grey))
		if err != nil {
			return nil, err
		}
		zero.LineStyle.Width = vg.Points(0.75)
		right.Add(zero)
		for i, c := range row.Panels {
			l, err := line(c.X, c.Exact, lineStyle(i))
			if err != nil {
				return nil, err
			}
			s, err := rings(c.X, c.Learned, i, MaxRings)
			if err != nil {
				return nil, err
			}
			left.Add(l, s)
			d := make([]float64, len(c.X))
			for k := range d {
				d[k] = c.Learned[k] - c.Exact[k]
			}
			if err := checkVals(name("panel", c.Label, i)+" learned − exact", d, false); err != nil {
				return nil, err
			}
			e, err := line(c.X, d, lineStyle(i))
			if err != nil {
				return nil, err
			}
			right.Add(e)
			legend(right, eo, c.Label, l, s)
		}
		if !eo.NoLegend {
			addKey(right, row.Panels, ref)
		}
		padY(left, dataMargin)
		padY(right, dataMargin)
		plots = append(plots, left, right)
	}
	g, err := NewGrid(plots, 2)
	if err != nil {
		return nil, err
	}
	g.Title = o.Title
	return g, nil
}

// dataMargin is the part of the data's span that Compare leaves free
// above and below the data of each panel.
const dataMargin = 0.05

// padY widens p's linear y range by f times its span at each end. gonum
// ends an axis at the data's extremes, where it clips the lines: a curve
// whose extreme is its end point (the error of a time at the edge of its
// x range, say) then ran into the frame above the last tick, and half its
// width was cut off. A range of no span is left to gonum, which widens it.
func padY(p *plot.Plot, f float64) {
	if span := p.Y.Max - p.Y.Min; span > 0 && !math.IsInf(span, 0) {
		p.Y.Min -= f * span
		p.Y.Max += f * span
	}
}

// line returns the line through (x, y) in style s.
func line(x, y []float64, s draw.LineStyle) (*plotter.Line, error) {
	l, err := plotter.NewLine(xys(x, y))
	if err != nil {
		return nil, fmt.Errorf("figure: %w", err)
	}
	l.LineStyle = s
	return l, nil
}

// rings returns rings in colour k at most n points of (x, y), evenly
// spread with the first and the last.
func rings(x, y []float64, k, n int) (*plotter.Scatter, error) {
	pts := xys(x, y)
	if len(pts) > n && n > 1 {
		sub := make(plotter.XYs, n)
		for i := range sub {
			sub[i] = pts[int(math.Round(float64(i*(len(pts)-1))/float64(n-1)))]
		}
		pts = sub
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, fmt.Errorf("figure: %w", err)
	}
	s.GlyphStyle = ringStyle(Color(k))
	return s, nil
}

// addKey adds grey legend entries explaining the marks, ref (lines, e.g.
// "exact") and "learned" (rings), when the panels have both.
func addKey(p *plot.Plot, panels []ControlPanel, ref string) {
	var exact, learned bool
	for _, c := range panels {
		exact = exact || c.Exact != nil
		learned = learned || c.Learned != nil
	}
	if !exact || !learned {
		return
	}
	l, _ := plotter.NewLine(plotter.XYs{})
	l.LineStyle = colorLine(Grey)
	s, _ := plotter.NewScatter(plotter.XYs{})
	s.GlyphStyle = ringStyle(Grey)
	p.Legend.Add(ref, l)
	p.Legend.Add("learned", s)
}

// xys zips x and y, which have the same length.
func xys(x, y []float64) plotter.XYs {
	pts := make(plotter.XYs, len(x))
	for i := range x {
		pts[i].X, pts[i].Y = x[i], y[i]
	}
	return pts
}
