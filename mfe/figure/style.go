package figure

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes of the figures, at their default size (see Width): every text
// is at least TickSize, so that a figure shown 800 pixels wide, as a code
// host shows a notebook's output, still has text of 8 points or more.
const (
	TitleSize  = vg.Length(12)
	LabelSize  = vg.Length(11)
	TickSize   = vg.Length(10)
	LegendSize = vg.Length(10)
)

// Font is the typeface of every text (gonum's default is the serif one).
// It has the Latin, Greek and common mathematical letters (α, γ, σ, ±, −,
// ×, ², ∂) but not every symbol: CheckText finds a text that uses a glyph
// it lacks, which gonum would draw as nothing.
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

// Grey is the colour of reference marks: legend keys that explain a mark
// rather than a series, reference lines such as zero or a 1/N slope.
var Grey color.Color = palette[7]

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
//
// The legend, when there is one, is drawn to the right of the data area,
// never over the data; the data area narrows to make room for it.
type Options struct {
	Title  string
	XLabel string
	YLabel string

	// LogX and LogY select a logarithmic axis; every value drawn on a log
	// axis must then be positive.
	LogX, LogY bool

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
// (defaults from def), grid lines, and room to the right of its data area
// for the legend (legendRoom).
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
		p.X.Label.TextStyle.Handler = logAxisLabel{plain}
	}
	if o.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
		p.Y.Label.TextStyle.Handler = logAxisLabel{plain}
	}
	p.Legend.TextStyle.Font = font.From(Font, LegendSize)
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.Padding = vg.Points(2)
	p.Legend.ThumbnailWidth = vg.Points(22)

	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe0}
	g.Horizontal.Color = color.Gray{Y: 0xe0}
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g, legendRoom{&p.Legend})
	return p
}

// plain is gonum's text handler.
var plain = text.Plain{Fonts: font.DefaultCache}

// logAxisLabel is the text handler of a log axis's label. gonum centres the
// label's glyph box (the room it keeps for it) at the axis's linear
// midpoint, (min + max)/2, which on a log axis lies near its top or right
// end, while it draws the label at the middle: the box, as long as the
// label, then shrank the data area by up to half the label's length, a
// blank band under the title. Its Box gives the label no length, so that
// its box has the label's thickness alone; the label is drawn and
// measured across as text.Plain does it, centred on the axis.
type logAxisLabel struct{ text.Plain }

// Box implements text.Handler.
func (h logAxisLabel) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	_, height, depth = h.Plain.Box(txt, fnt)
	return 0, height, depth
}

// legendGap is the space between the data area and the legend.
const legendGap = vg.Length(10)

// legendRoom moves a plot's legend out of its data area. gonum draws the
// legend inside the canvas right of the y axis and above the x axis, from
// its right edge (Legend.Left false); legendRoom is an invisible plotter
// whose glyph box, as wide as the legend and a gap, sits right of the data:
// gonum narrows the data area until the box fits, which leaves the legend
// a column of its own. A plot without legend entries keeps its width.
type legendRoom struct{ l *plot.Legend }

// Plot implements plot.Plotter; it draws nothing.
func (legendRoom) Plot(draw.Canvas, *plot.Plot) {}

// GlyphBoxes implements plot.GlyphBoxer.
func (r legendRoom) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	lr := r.l.Rectangle(draw.Canvas{})
	w := lr.Max.X - lr.Min.X
	if w <= 0 {
		return nil
	}
	return []plot.GlyphBox{{X: 1, Y: 1, Rectangle: vg.Rectangle{Max: vg.Point{X: legendGap + w}}}}
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
	return colorLine(Color(i))
}

// colorLine is the style of a series' line in colour c.
func colorLine(c color.Color) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(1.75)}
}

// dash makes s dashed.
func dash(s draw.LineStyle) draw.LineStyle {
	s.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	return s
}

// glyphStyle is the style of the i-th series' dots.
func glyphStyle(i int) draw.GlyphStyle {
	return colorGlyph(Color(i))
}

// colorGlyph is the style of a series' dots in colour c.
func colorGlyph(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
}

// ringStyle is the style of the learned values in colour c: rings, which
// leave the line of the exact values under them visible.
func ringStyle(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: draw.RingGlyph{}}
}

// Band opacity of shaded areas.
const bandAlpha = 0.2
