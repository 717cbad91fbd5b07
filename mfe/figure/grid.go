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

// Size returns the default size of g: PanelWidth × PanelHeight per panel.
func (g *Grid) Size() (w, h vg.Length) {
	rows, cols := len(g.Plots), 0
	if rows > 0 {
		cols = len(g.Plots[0])
	}
	w = vg.Length(max(cols, 1)) * PanelWidth
	h = vg.Length(max(rows, 1)) * PanelHeight
	if g.Title != "" {
		h += vg.Inch / 2
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
		sty := text.Style{
			Color:   color.Black,
			Font:    font.From(Font, TitleSize),
			Handler: plot.DefaultTextHandler,
			XAlign:  draw.XCenter,
			YAlign:  draw.YTop,
		}
		pad := vg.Points(6)
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y - pad}, g.Title)
		c.Max.Y -= sty.Height(g.Title) + 2*pad
	}
	t := g.Tiles
	t.Rows, t.Cols = len(g.Plots), len(g.Plots[0])
	cs := plot.Align(g.Plots, t, c)
	for r, row := range g.Plots {
		for k, p := range row {
			if p != nil {
				p.Draw(cs[r][k])
			}
		}
	}
}
