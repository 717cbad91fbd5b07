package figure

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// figures returns one of each figure, built from the test data.
func figures(t *testing.T) map[string]Figure {
	t.Helper()
	must := func(f Figure, err error) Figure {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	f := map[string]Figure{}
	f["control"] = must(Control(controlPanels(), Options{Title: "MFG control: learned vs exact"}))
	f["compare"] = must(Compare(comparisons(), Options{Title: "MFG control and value: learned vs exact"}))
	f["density"] = must(Density(densityPanels()[1], Options{}))
	f["density_grid"] = must(DensityGrid(densityPanels(), 2, Options{}))
	f["mean_path"] = must(MeanPath(pathSeries(), Options{}))
	f["training"] = must(Training(trainSeries(), Options{XLabel: "epoch", YLabel: "control_mse"}))
	f["lines"] = must(Lines([]Series{
		{Label: "gamma=0", X: linspace(0, 1, 20), Y: linspace(1, 2, 20)},
		{Label: "gamma=1.75", X: linspace(0, 1, 20), Y: linspace(2, 0.5, 20), Dashed: true, Points: true},
	}, Options{Title: "Control vs gamma"}))
	f["error_bars"] = must(Lines([]Series{
		{Label: "gap ± 1 s.e.", X: []float64{10, 100, 1000}, Y: []float64{1e-3, 1.2e-4, 2e-5}, Err: []float64{1e-4, 5e-5, 3e-5}, Points: true},
		{Label: "1/N", X: []float64{10, 1000}, Y: []float64{1e-3, 1e-5}, Dashed: true, Color: Grey},
	}, Options{LogX: true, LogY: true}))
	f["scatter"] = must(Scatter([]Point{
		{Label: "direct MFC", X: 12, Y: 3e-4, Group: 0},
		{Label: "FBSDE", X: 40, Y: 2e-6, Group: 1},
		{Label: "DGM", X: 900, Y: 1e-3, Group: 2},
		{Label: "Q-learning", X: 300, Y: 5e-2, Group: 3},
		{Label: "actor-critic", X: 2000, Y: 1e-2, Group: 4},
	}, Options{LogX: true, LogY: true}))
	return f
}

// TestRender checks that every figure encodes to non-empty PNG and SVG.
// With FIGURE_OUT set to a directory, the PNGs are also written there.
func TestRender(t *testing.T) {
	dir := os.Getenv("FIGURE_OUT")
	for name, f := range figures(t) {
		png, err := PNG(f, 0, 0)
		if err != nil {
			t.Fatalf("%s: PNG: %v", name, err)
		}
		if !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("%s: PNG output does not start with the PNG signature", name)
		}
		svg, err := SVG(f, 5*vg.Inch, 3*vg.Inch)
		if err != nil {
			t.Fatalf("%s: SVG: %v", name, err)
		}
		if !bytes.Contains(svg, []byte("<svg")) {
			t.Errorf("%s: SVG output has no <svg element", name)
		}
		if dir != "" {
			if err := Save(f, filepath.Join(dir, name+".png"), 0, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestSave checks that Save picks the format from the extension.
func TestSave(t *testing.T) {
	p, err := Lines([]Series{{X: []float64{0, 1}, Y: []float64{1, 2}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for ext, magic := range map[string]string{".png": "\x89PNG", ".svg": "<?xml", ".PNG": "\x89PNG", ".pdf": "%PDF"} {
		path := filepath.Join(dir, "f"+ext)
		if err := Save(p, path, 0, 0); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(magic)) {
			t.Errorf("%s: file starts with %q, want %q", ext, b[:min(8, len(b))], magic)
		}
	}
	if err := Save(p, filepath.Join(dir, "f.jpeg"), 0, 0); err == nil {
		t.Error("Save to .jpeg: no error")
	}
	if err := Save(p, filepath.Join(dir, "noext"), 0, 0); err == nil {
		t.Error("Save without extension: no error")
	}
	if _, err := PNG(p, -1, 1); err == nil {
		t.Error("PNG with negative width: no error")
	}
}

// TestGridSize checks the default size of a grid.
func TestGridSize(t *testing.T) {
	g, err := DensityGrid(densityPanels(), 2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, h := g.Size()
	if w != Width || h <= 2*PanelHeight {
		t.Errorf("Size = %v × %v, want %v × (more than %v)", w, h, Width, 2*PanelHeight)
	}
	if len(g.Plots) != 2 || len(g.Plots[0]) != 2 {
		t.Errorf("grid is %d rows, want 2 × 2", len(g.Plots))
	}
	g3, err := NewGrid(g.Plots[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	if g3.Tiles.Rows != 1 || g3.Tiles.Cols != 2 {
		t.Errorf("NewGrid(2 plots, 0) is %d × %d, want 1 × 2", g3.Tiles.Rows, g3.Tiles.Cols)
	}
}

// TestCompare checks the layout of Compare: a row of two panels per
// comparison; each time's curve over that time's x; the error panel's y
// range on the error's scale (within 20 % of its extremes and zero), not
// the function's.
func TestCompare(t *testing.T) {
	rows := comparisons()
	g, err := Compare(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Plots) != len(rows) || len(g.Plots[0]) != 2 {
		t.Fatalf("grid %d × %d, want %d × 2", len(g.Plots), len(g.Plots[0]), len(rows))
	}
	for r, row := range rows {
		left, right := g.Plots[r][0], g.Plots[r][1]
		lo, hi := math.Inf(1), math.Inf(-1)   // x
		elo, ehi := 0.0, 0.0                  // learned − exact, and zero
		flo, fhi := math.Inf(1), math.Inf(-1) // the function
		for _, c := range row.Panels {
			lo, hi = math.Min(lo, c.X[0]), math.Max(hi, c.X[len(c.X)-1])
			for k := range c.X {
				d := c.Learned[k] - c.Exact[k]
				elo, ehi = math.Min(elo, d), math.Max(ehi, d)
				flo, fhi = math.Min(flo, c.Exact[k]), math.Max(fhi, c.Exact[k])
			}
		}
		for _, p := range []*plot.Plot{left, right} {
			if p.X.Min > lo || p.X.Max < hi || p.X.Min < lo-0.1*(hi-lo) || p.X.Max > hi+0.1*(hi-lo) {
				t.Errorf("%s: x range [%.3g, %.3g], want the panels' x, [%.3g, %.3g]", p.Title.Text, p.X.Min, p.X.Max, lo, hi)
			}
		}
		span := ehi - elo
		if right.Y.Min > elo || right.Y.Max < ehi || right.Y.Max-right.Y.Min > 1.2*span { // 5 % free at each end
			t.Errorf("%s: y range [%.3g, %.3g], want the error's, [%.3g, %.3g]", right.Title.Text, right.Y.Min, right.Y.Max, elo, ehi)
		}
		if right.Y.Max-right.Y.Min > 0.01*(fhi-flo) { // the errors are below 2e-3, the functions span units
			t.Errorf("%s: the error's axis spans %.3g, the function's scale %.3g", right.Title.Text, right.Y.Max-right.Y.Min, fhi-flo)
		}
		if right.Y.Label.Text != "learned − exact" || right.Title.Text != row.Name+" error" {
			t.Errorf("error panel: title %q, y label %q", right.Title.Text, right.Y.Label.Text)
		}
	}
}

// TestCompareReference: a comparison with a named reference names it on
// the error's axis and in the legend's key, in place of "exact".
func TestCompareReference(t *testing.T) {
	rows := comparisons()[:1]
	rows[0].Reference = "finite differences"
	g, err := Compare(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	right := g.Plots[0][1]
	if right.Y.Label.Text != "learned − finite differences" {
		t.Errorf("error axis %q", right.Y.Label.Text)
	}
	w, h := Size(g)
	texts := drawnTexts(g, w, h)
	var named, exact bool
	for _, tx := range texts {
		named = named || tx.text == "finite differences"
		exact = exact || tx.text == "exact"
	}
	if !named || exact {
		t.Errorf("legend names the reference: %v, says exact: %v", named, exact)
	}
}

// TestLegendOutside checks that every legend text is drawn right of its
// plot's data area, in a single plot and in the panels of a grid.
func TestLegendOutside(t *testing.T) {
	lines, err := Lines([]Series{
		{Label: "first series", X: linspace(0, 1, 10), Y: linspace(0, 1, 10)},
		{Label: "second", X: linspace(0, 1, 10), Y: linspace(1, 0, 10)},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	grid, err := Compare(comparisons(), Options{Title: "grid"})
	if err != nil {
		t.Fatal(err)
	}
	type area struct {
		data   vg.Rectangle
		labels []string
	}
	check := func(name string, f Figure, areas []area) {
		t.Helper()
		w, h := Size(f)
		texts := drawnTexts(f, w, h)
		for _, a := range areas {
			for _, l := range a.labels {
				found := false
				for _, tx := range texts {
					if tx.text != l {
						continue
					}
					found = true
					if tx.at.X < a.data.Max.X || tx.at.Y < a.data.Min.Y || tx.at.Y > a.data.Max.Y {
						t.Errorf("%s: legend %q drawn at %v, in or beside the data area %v", name, l, tx.at, a.data)
					}
				}
				if !found {
					t.Errorf("%s: legend %q not drawn", name, l)
				}
			}
		}
	}
	w, h := Size(lines)
	c := draw.New(&textRecorder{w: w, h: h, moves: []vg.Point{{}}})
	check("lines", lines, []area{{lines.DataCanvas(c).Rectangle, []string{"first series", "second"}}})
	w, h = Size(grid)
	c = draw.New(&textRecorder{w: w, h: h, moves: []vg.Point{{}}})
	cs := grid.canvases(c)
	check("compare", grid, []area{{grid.Plots[0][1].DataCanvas(cs[0][1]).Rectangle, []string{"t=0.0", "t=0.5", "t=1.0", "exact", "learned"}}})
}

// TestText checks every figure's texts against its font and MinTextSize,
// and that CheckText finds a glyph the font lacks.
func TestText(t *testing.T) {
	for name, f := range figures(t) {
		if err := CheckText(f); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	p, err := Lines([]Series{{Label: "m ∝ exp(−u)", X: []float64{0, 1}, Y: []float64{1, 2}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckText(p); err == nil || !strings.Contains(err.Error(), "U+221D") {
		t.Errorf("CheckText of a legend with ∝: %v, want the glyph named", err)
	}
}
