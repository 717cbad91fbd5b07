package figure

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes of the figures.
const (
	TitleSize  = vg.Length(14)
	LabelSize  = vg.Length(12)
	TickSize   = vg.Length(10)
	LegendSize = vg.Length(10)
)

// Font is the typeface of every text (gonum's default is the serif one).
var Font = font.Font{Typeface: "Liberation", Variant: "Sans"}

// palette is the Tableau 10 palette: distinct, colour-blind tolerant.
var palette = []color.RGBA{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, // blue
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // orange
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, // green
	{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}, // red
	{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, // purple
	{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff}, // brown
	{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff}, // pink
	{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}, // grey
	{R: 0xbc, G: 0xbd, B: 0x22, A: 0xff}, // olive
	{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff}, // cyan
}

// Color returns the i-th colour of the palette used by every figure,
// cycling after ten colours. Color(i) is the colour of the i-th series.
func Color(i int) color.Color {
	if i < 0 {
		i = -i
	}
	return palette[i%len(palette)]
}

// fade returns c with opacity a in [0, 1] (premultiplied alpha).
func fade(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA64{R: uint16(r), G: uint16(g), B: uint16(b), A: uint16(a * 0xffff)}
}

// Options are the labels and scales of one figure. Empty strings take the
// figure's default; use a single space to have no title or label.
type Options struct {
	Title  string
	XLabel string
	YLabel string

	// LogX and LogY select a logarithmic axis; every value drawn on a log
	// axis must then be positive.
	LogX, LogY bool

	// LegendLeft and LegendBottom move the legend from its default corner,
	// the top right of the axes.
	LegendLeft, LegendBottom bool
	// NoLegend hides the legend.
	NoLegend bool
}

// or returns s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// newPlot returns an empty plot with the package's style, the labels of o
// (defaults from def) and grid lines.
func newPlot(o, def Options) *plot.Plot {
	p := plot.New()
	p.Title.Text = or(o.Title, def.Title)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = or(o.XLabel, def.XLabel)
	p.Y.Label.Text = or(o.YLabel, def.YLabel)
	p.Title.TextStyle.Font = font.From(Font, TitleSize)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(Font, LabelSize)
		a.Tick.Label.Font = font.From(Font, TickSize)
		a.Tick.Marker = niceTicks{n: 6}
		a.Padding = vg.Points(2)
	}
	if o.LogX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicks{}
	}
	if o.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
	p.Legend.TextStyle.Font = font.From(Font, LegendSize)
	p.Legend.Top = !o.LegendBottom
	p.Legend.Left = o.LegendLeft
	p.Legend.Padding = vg.Points(2)
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.XOffs = -vg.Points(4)
	if o.LegendLeft {
		p.Legend.XOffs = vg.Points(4)
	}
	p.Legend.YOffs = -vg.Points(4)
	if o.LegendBottom {
		p.Legend.YOffs = vg.Points(4)
	}

	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe0}
	g.Horizontal.Color = color.Gray{Y: 0xe0}
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
	return p
}

// legend adds a legend entry unless the label is empty or the legend is off.
func legend(p *plot.Plot, o Options, label string, thumbs ...plot.Thumbnailer) {
	if o.NoLegend || label == "" {
		return
	}
	p.Legend.Add(label, thumbs...)
}

// lineStyle is the style of the i-th series' line.
func lineStyle(i int) draw.LineStyle {
	return draw.LineStyle{Color: Color(i), Width: vg.Points(1.75)}
}

// dashed is lineStyle(i), dashed.
func dashed(i int) draw.LineStyle {
	s := lineStyle(i)
	s.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	return s
}

// glyphStyle is the style of the i-th series' dots.
func glyphStyle(i int) draw.GlyphStyle {
	return draw.GlyphStyle{Color: Color(i), Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
}

// ringStyle is glyphStyle(i) as rings, for dots drawn over a line of the
// same colour.
func ringStyle(i int) draw.GlyphStyle {
	return draw.GlyphStyle{Color: Color(i), Radius: vg.Points(3), Shape: draw.RingGlyph{}}
}

// Band opacity of shaded areas.
const bandAlpha = 0.2
