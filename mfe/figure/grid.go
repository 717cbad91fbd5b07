package figure

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Grid is a figure of several plots in rows and columns, drawn as one image
// with their data areas aligned (plot.Align). A nil plot leaves its cell
// empty.
type Grid struct {
	// Title, when not empty, is drawn centred above the panels.
	Title string
	// Plots holds the panels, Plots[row][col]; every row has the same
	// number of columns.
	Plots [][]*plot.Plot
	// Tiles is the padding around and between the panels.
	Tiles draw.Tiles
}

// NewGrid lays plots out row by row in cols columns (the last row may be
// short, its empty cells nil). cols ≤ 0 puts all the plots in one row.
func NewGrid(plots []*plot.Plot, cols int) (*Grid, error) {
	if len(plots) == 0 {
		return nil, fmt.Errorf("figure: grid: no plots")
	}
	for i, p := range plots {
		if p == nil {
			return nil, fmt.Errorf("figure: grid: plot %d is nil", i)
		}
	}
	if cols <= 0 || cols > len(plots) {
		cols = len(plots)
	}
	rows := (len(plots) + cols - 1) / cols
	g := &Grid{
		Plots: make([][]*plot.Plot, rows),
		Tiles: draw.Tiles{
			Rows: rows, Cols: cols,
			PadX: vg.Points(8), PadY: vg.Points(8),
			PadTop: vg.Points(4), PadBottom: vg.Points(4),
			PadLeft: vg.Points(4), PadRight: vg.Points(8),
		},
	}
	for r := range g.Plots {
		g.Plots[r] = make([]*plot.Plot, cols)
		copy(g.Plots[r], plots[r*cols:])
	}
	return g, nil
}

// Size returns the default size of g: Width wide, PanelHeight per row.
func (g *Grid) Size() (w, h vg.Length) {
	w = Width
	h = vg.Length(max(len(g.Plots), 1)) * PanelHeight
	if g.Title != "" {
		h += vg.Inch * 2 / 5
	}
	return w, h
}

// check reports an error if g has no panels or rows of different lengths.
func (g *Grid) check() error {
	if len(g.Plots) == 0 || len(g.Plots[0]) == 0 {
		return fmt.Errorf("figure: grid: no plots")
	}
	for r, row := range g.Plots {
		if len(row) != len(g.Plots[0]) {
			return fmt.Errorf("figure: grid: row %d has %d columns, row 0 has %d", r, len(row), len(g.Plots[0]))
		}
	}
	return nil
}

// Draw draws the title and the panels of g on c. It implements Figure.
// A malformed grid (see Save's error) draws nothing.
func (g *Grid) Draw(c draw.Canvas) {
	if g.check() != nil {
		return
	}
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	if g.Title != "" {
		sty := g.titleStyle()
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y - titlePad}, g.Title)
	}
	cs := g.canvases(c)
	for r, row := range g.Plots {
		// plot.Align lines up the data areas; a panel with less room
		// above its data (no tick label at the top) gets a lower canvas,
		// and gonum would draw its title lower: the titles of a row are
		// drawn here at the row's top instead, over the space each plot
		// keeps for its own, which it fills with a transparent text.
		var top vg.Length
		for k, p := range row {
			if p != nil {
				top = max(top, cs[r][k].Max.Y)
			}
		}
		for k, p := range row {
			if p == nil {
				continue
			}
			sty := p.Title.TextStyle
			p.Title.TextStyle.Color = color.Transparent
			p.Draw(cs[r][k])
			p.Title.TextStyle = sty
			if p.Title.Text != "" {
				c.FillText(sty, vg.Point{X: cs[r][k].Center().X, Y: top + sty.FontExtents().Descent}, p.Title.Text)
			}
		}
	}
}

// titlePad is the space above and below the title of a grid.
const titlePad = vg.Length(6)

// titleStyle is the style of the title of a grid.
func (g *Grid) titleStyle() text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(Font, TitleSize),
		Handler: plot.DefaultTextHandler,
		XAlign:  draw.XCenter,
		YAlign:  draw.YTop,
	}
}

// canvases returns the canvas of each panel of g drawn on c, below the
// title, with their data areas aligned.
func (g *Grid) canvases(c draw.Canvas) [][]draw.Canvas {
	if g.Title != "" {
		c.Max.Y -= g.titleStyle().Height(g.Title) + 2*titlePad
	}
	t := g.Tiles
	t.Rows, t.Cols = len(g.Plots), len(g.Plots[0])
	return plot.Align(g.Plots, t, c)
}
