package figure

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default sizes: every figure is Width wide, 1125 pixels at DPI, whatever
// its panels (a grid's panels share the width, so that text keeps its size
// where a notebook, the README or the memoir shrinks the image to the page);
// a single plot is Height high, a Grid PanelHeight per row.
const (
	Width       = 7.5 * vg.Inch
	Height      = 4.25 * vg.Inch
	PanelHeight = 3.25 * vg.Inch
)

// DPI is the resolution of PNG output.
const DPI = 150

// Figure is anything that draws itself on a canvas: a *plot.Plot or a *Grid.
type Figure interface {
	Draw(draw.Canvas)
}

// Size returns the default size of f: that of a Grid (see Grid.Size), or
// Width × Height.
func Size(f Figure) (w, h vg.Length) {
	if g, ok := f.(*Grid); ok {
		return g.Size()
	}
	return Width, Height
}

// Save writes f to the file path, as PNG, SVG or PDF chosen by the
// extension (.png, .svg, .pdf). A zero w or h selects the default size
// (see Size).
func Save(f Figure, path string, w, h vg.Length) error {
	format := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	b, err := encode(f, format, w, h)
	if err != nil {
		return fmt.Errorf("figure: save %s: %w", path, err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("figure: %w", err)
	}
	return nil
}

// PNG returns f encoded as PNG at DPI dots per inch, for inline display.
// A zero w or h selects the default size.
func PNG(f Figure, w, h vg.Length) ([]byte, error) {
	return encode(f, "png", w, h)
}

// SVG returns f encoded as SVG. A zero w or h selects the default size.
func SVG(f Figure, w, h vg.Length) ([]byte, error) {
	return encode(f, "svg", w, h)
}

// encode draws f on a canvas of the format and returns the bytes.
func encode(f Figure, format string, w, h vg.Length) ([]byte, error) {
	if f == nil || isNilPlot(f) {
		return nil, fmt.Errorf("figure: nil figure")
	}
	if g, ok := f.(*Grid); ok {
		if err := g.check(); err != nil {
			return nil, err
		}
	}
	if w < 0 || h < 0 {
		return nil, fmt.Errorf("figure: negative size %v × %v", w, h)
	}
	if w == 0 || h == 0 {
		w, h = Size(f)
	}
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}
	case "svg":
		c = vgsvg.New(w, h)
	case "pdf":
		c = vgpdf.New(w, h)
	default:
		return nil, fmt.Errorf("figure: unknown format %q (want png, svg or pdf)", format)
	}
	f.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("figure: encode %s: %w", format, err)
	}
	return buf.Bytes(), nil
}

// isNilPlot reports a nil pointer in the Figure interface.
func isNilPlot(f Figure) bool {
	switch f := f.(type) {
	case *plot.Plot:
		return f == nil
	case *Grid:
		return f == nil
	}
	return false
}
