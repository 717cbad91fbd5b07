package figure

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"
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
	f["control_grid"] = must(ControlGrid(controlPanels(), 3, Options{}))
	f["density"] = must(Density(densityPanels()[1], Options{}))
	f["density_grid"] = must(DensityGrid(densityPanels(), 2, Options{}))
	f["mean_path"] = must(MeanPath(pathSeries(), Options{LegendLeft: true}))
	f["training"] = must(Training(trainSeries(), Options{XLabel: "epoch", YLabel: "control_mse"}))
	f["lines"] = must(Lines([]Series{
		{Label: "gamma=0", X: linspace(0, 1, 20), Y: linspace(1, 2, 20)},
		{Label: "gamma=1.75", X: linspace(0, 1, 20), Y: linspace(2, 0.5, 20), Dashed: true, Points: true},
	}, Options{Title: "Control vs gamma"}))
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
	if w != 2*PanelWidth || h <= 2*PanelHeight {
		t.Errorf("Size = %v × %v, want %v × (more than %v)", w, h, 2*PanelWidth, 2*PanelHeight)
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
