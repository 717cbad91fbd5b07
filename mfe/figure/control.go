package figure

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// ControlPanel is the control at one time: the exact control α(t, x) as a
// line through (X, Exact), the learned control as dots at (LearnedX,
// Learned), or at (X, Learned) when LearnedX is nil.
type ControlPanel struct {
	// Label names the time, e.g. "t=0.1": the legend entry in Control and
	// the panel title in ControlGrid.
	Label string

	X     []float64
	Exact []float64 // optional: nil draws no exact line

	LearnedX []float64 // optional: nil uses X
	Learned  []float64 // optional: nil draws no dots
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
		lx := c.LearnedX
		if lx == nil {
			lx = c.X
		}
		if err := checkXY(what+" learned", lx, c.Learned, o.LogX, o.LogY); err != nil {
			return err
		}
	}
	return nil
}

var controlDefaults = Options{Title: "Control", XLabel: "inventory x", YLabel: "control α(t, x)"}

// Control draws every panel on one axes, one colour per panel: the exact
// control as a line, the learned control as dots of the same colour. The
// legend names each panel by its Label, and a last entry explains the marks.
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
		if err := addControl(p, o, c, i, c.Label); err != nil {
			return nil, err
		}
	}
	if !o.NoLegend && len(panels) > 1 {
		addKey(p, panels)
	}
	return p, nil
}

// ControlGrid draws one panel per time in cols columns (cols ≤ 0: one row),
// the panel's Label as its title; o.Title is the title of the whole grid and
// only the first panel has a legend ("exact", "learned").
func ControlGrid(panels []ControlPanel, cols int, o Options) (*Grid, error) {
	if len(panels) == 0 {
		return nil, fmt.Errorf("figure: control: no panels")
	}
	plots := make([]*plot.Plot, len(panels))
	for i, c := range panels {
		if err := c.check(i, o); err != nil {
			return nil, err
		}
		po := o
		po.Title = or(c.Label, " ")
		po.NoLegend = o.NoLegend || i > 0
		p := newPlot(po, controlDefaults)
		if err := addControl(p, po, c, 0, ""); err != nil {
			return nil, err
		}
		plots[i] = p
	}
	g, err := NewGrid(plots, cols)
	if err != nil {
		return nil, err
	}
	g.Title = or(o.Title, controlDefaults.Title)
	return g, nil
}

// addControl adds the exact line and learned dots of c in colour k. The
// legend entry is label for both marks, or "exact"/"learned" when label is
// empty.
func addControl(p *plot.Plot, o Options, c ControlPanel, k int, label string) error {
	var thumbs []plot.Thumbnailer
	if c.Exact != nil {
		l, err := plotter.NewLine(xys(c.X, c.Exact))
		if err != nil {
			return fmt.Errorf("figure: %w", err)
		}
		l.LineStyle = lineStyle(k)
		p.Add(l)
		thumbs = append(thumbs, l)
		if label == "" {
			legend(p, o, "exact", l)
		}
	}
	if c.Learned != nil {
		lx := c.LearnedX
		if lx == nil {
			lx = c.X
		}
		s, err := plotter.NewScatter(xys(lx, c.Learned))
		if err != nil {
			return fmt.Errorf("figure: %w", err)
		}
		s.GlyphStyle = ringStyle(k)
		if c.Exact == nil {
			s.GlyphStyle = glyphStyle(k)
		}
		p.Add(s)
		thumbs = append(thumbs, s)
		if label == "" {
			legend(p, o, "learned", s)
		}
	}
	if label != "" {
		legend(p, o, label, thumbs...)
	}
	return nil
}

// addKey adds grey legend entries explaining lines (exact) and dots
// (learned) when the panels have both.
func addKey(p *plot.Plot, panels []ControlPanel) {
	var exact, learned bool
	for _, c := range panels {
		exact = exact || c.Exact != nil
		learned = learned || c.Learned != nil
	}
	if !exact || !learned {
		return
	}
	grey := len(palette) - 3 // grey
	l, _ := plotter.NewLine(plotter.XYs{})
	l.LineStyle = lineStyle(grey)
	s, _ := plotter.NewScatter(plotter.XYs{})
	s.GlyphStyle = ringStyle(grey)
	p.Legend.Add("exact", l)
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
