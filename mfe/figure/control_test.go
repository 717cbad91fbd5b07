package figure

import (
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// edgeComparison is a control comparison whose largest error lies at the
// first x of the last time, as in direct MFC's default run at t = 1, where
// the error curve ran into the top of its panel: each time's x range is
// that of its own population, the last one's error falls steeply from its
// left end.
func edgeComparison() Comparison {
	var panels []ControlPanel
	for i, t := range []float64{0, 0.5, 1} {
		m, s := 0.5+2*t, 0.3+0.08*t
		x := linspace(m-3*s, m+3*s, 41)
		c := ControlPanel{Label: label(t), X: x, Exact: make([]float64, len(x)), Learned: make([]float64, len(x))}
		for k, xk := range x {
			c.Exact[k] = -(1.5-t)*xk + 4*t
			u := (xk - x[0]) / (x[len(x)-1] - x[0])
			switch i {
			case 0:
				c.Learned[k] = c.Exact[k] - 0.04*math.Exp(-5*u)
			case 1:
				c.Learned[k] = c.Exact[k] + 0.04*u*u
			case 2:
				c.Learned[k] = c.Exact[k] + 0.0434*math.Exp(-12*u) - 0.06*u*u
			}
		}
		panels = append(panels, c)
	}
	return Comparison{Name: "Control", YLabel: "trading rate α(t, x)", Panels: panels}
}

// TestCompareErrorInside checks that every error value learned − exact of
// a comparison lies inside its panel's y range, at least 4 % of the range
// from either end, and that the error curves are drawn whole: one
// unclipped path per time, every point of it at least half the line's
// width inside the panel's data area. Before the range had a margin, the
// largest error sat on the axis's top, where gonum clipped its curve.
func TestCompareErrorInside(t *testing.T) {
	row := edgeComparison()
	g, err := Compare([]Comparison{row}, Options{Title: "edge"})
	if err != nil {
		t.Fatal(err)
	}
	right := g.Plots[0][1]
	span := right.Y.Max - right.Y.Min
	for i, c := range row.Panels {
		for k := range c.X {
			d := c.Learned[k] - c.Exact[k]
			if d < right.Y.Min+0.04*span || d > right.Y.Max-0.04*span {
				t.Errorf("panel %d, x = %.3g: error %.4g not inside the y range [%.4g, %.4g] with a 4 %% margin", i, c.X[k], d, right.Y.Min, right.Y.Max)
			}
		}
	}

	w, h := g.Size()
	rec := &strokeRecorder{textRecorder: textRecorder{w: w, h: h, moves: []vg.Point{{}}}}
	c := draw.New(rec)
	area := right.DataCanvas(g.canvases(c)[0][1]).Rectangle
	g.Draw(c)
	for i, p := range row.Panels {
		var paths []stroke
		for _, s := range rec.strokes {
			if s.color == Color(i) && s.min.X >= area.Min.X && s.max.X <= area.Max.X {
				paths = append(paths, s)
			}
		}
		if len(paths) != 1 || paths[0].n != len(p.X) {
			t.Errorf("%s: %d error paths drawn, want one of %d points", p.Label, len(paths), len(p.X))
			continue
		}
		s := paths[0]
		if in := s.width / 2; s.min.Y < area.Min.Y+in || s.max.Y > area.Max.Y-in {
			t.Errorf("%s: error curve drawn over y ∈ [%.1f, %.1f] pt, the data area is [%.1f, %.1f] pt: it meets the frame",
				p.Label, s.min.Y, s.max.Y, area.Min.Y, area.Max.Y)
		}
	}
}

// stroke is one stroked path: its colour, width, number of points and
// bounding box, in the canvas's coordinates.
type stroke struct {
	color    color.Color
	width    vg.Length
	n        int
	min, max vg.Point
}

// strokeRecorder records the stroked paths of a drawing, following
// translations as textRecorder does.
type strokeRecorder struct {
	textRecorder
	color   color.Color
	width   vg.Length
	strokes []stroke
}

func (r *strokeRecorder) SetColor(c color.Color)   { r.color = c }
func (r *strokeRecorder) SetLineWidth(w vg.Length) { r.width = w }

func (r *strokeRecorder) Stroke(p vg.Path) {
	s := stroke{color: r.color, width: r.width,
		min: vg.Point{X: vg.Length(math.Inf(1)), Y: vg.Length(math.Inf(1))},
		max: vg.Point{X: vg.Length(math.Inf(-1)), Y: vg.Length(math.Inf(-1))}}
	move := r.moves[len(r.moves)-1]
	for _, c := range p {
		if c.Type != vg.MoveComp && c.Type != vg.LineComp {
			continue
		}
		pt := c.Pos.Add(move)
		s.n++
		s.min.X, s.min.Y = min(s.min.X, pt.X), min(s.min.Y, pt.Y)
		s.max.X, s.max.Y = max(s.max.X, pt.X), max(s.max.Y, pt.Y)
	}
	r.strokes = append(r.strokes, s)
}
