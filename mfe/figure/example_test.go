package figure_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot/vg"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
)

// The exact control is a line in x; the learned one is sampled on a coarser
// grid. All times share one axes, one colour per time.
func ExampleControl() {
	var panels []figure.ControlPanel
	for _, t := range []float64{0.1, 0.5, 0.9} {
		x := []float64{-1.5, -0.5, 0.5, 1.5, 2}
		exact := make([]float64, len(x))
		learned := make([]float64, len(x))
		for i, v := range x {
			exact[i] = -(1.5+t)*v - 0.2
			learned[i] = exact[i] + 0.02
		}
		panels = append(panels, figure.ControlPanel{
			Label: fmt.Sprintf("t=%.1f", t), X: x, Exact: exact, Learned: learned,
		})
	}
	p, err := figure.Control(panels, figure.Options{Title: "FBSDE, MFG"})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "figure")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := figure.Save(p, filepath.Join(dir, "control.svg"), 0, 0); err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text, "|", p.X.Label.Text, "|", p.Y.Label.Text)
	// Output: FBSDE, MFG | inventory x | trading rate α(t, x)
}

// A learned control against the exact one at three times, each over where
// the population is at that time, and the error on a scale of its own.
func ExampleCompare() {
	var panels []figure.ControlPanel
	for i, t := range []float64{0, 0.5, 1} {
		mean, sd := 0.5-0.4*t, 0.3+0.1*t
		var x, exact, learned []float64
		for k := -20; k <= 20; k++ {
			v := mean + 3*sd*float64(k)/20
			a := -(1.5-t)*v - 0.2*t
			x, exact = append(x, v), append(exact, a)
			learned = append(learned, a+1e-4*float64(i+1)*v) // off by 1e-4 (i+1) x
		}
		panels = append(panels, figure.ControlPanel{Label: fmt.Sprintf("t = %g", t), X: x, Exact: exact, Learned: learned})
	}
	g, err := figure.Compare([]figure.Comparison{{Name: "Control", YLabel: "trading rate α(t, x)", Panels: panels}},
		figure.Options{Title: "Learned against exact control"})
	if err != nil {
		log.Fatal(err)
	}
	errPanel := g.Plots[0][1]
	fmt.Printf("%d × %d panels; %s: %s from %.1e to %.1e\n", len(g.Plots), len(g.Plots[0]),
		errPanel.Title.Text, errPanel.Y.Label.Text, errPanel.Y.Min, errPanel.Y.Max)
	// The errors run from -3.3e-4 to 3.9e-4; the axis leaves 5 % of that
	// span free at each end.
	// Output: 1 × 2 panels; Control error: learned − exact from -3.7e-04 to 4.3e-04
}

// One panel per time, two columns, saved as one PNG.
func ExampleDensityGrid() {
	gauss := func(m, s float64) ([]float64, []float64) {
		var x, y []float64
		for k := -40; k <= 40; k++ {
			v := m + s*float64(k)/10
			x = append(x, v)
			y = append(y, math.Exp(-(v-m)*(v-m)/(2*s*s))/(s*math.Sqrt(2*math.Pi)))
		}
		return x, y
	}
	var panels []figure.DensityPanel
	for _, t := range []float64{0.1, 0.4, 0.7, 1.0} {
		m, s := 0.5-0.3*t, 0.3+0.2*t
		x, y := gauss(m, s)
		samples := []float64{m - s, m - s/2, m, m, m + s/2, m + s} // particles
		panels = append(panels, figure.DensityPanel{
			Label: fmt.Sprintf("t=%.1f", t), Samples: samples, Bins: 5, X: x, Exact: y,
		})
	}
	g, err := figure.DensityGrid(panels, 2, figure.Options{})
	if err != nil {
		log.Fatal(err)
	}
	b, err := figure.PNG(g, 0, 0)
	if err != nil {
		log.Fatal(err)
	}
	w, h := g.Size()
	fmt.Println(len(g.Plots), "rows,", len(g.Plots[0]), "columns,", float64(w/vg.Inch), "×", float64(h/vg.Inch), "in, PNG:", len(b) > 0)
	// Output: 2 rows, 2 columns, 7.5 × 6.9 in, PNG: true
}

// Mean inventory of the MFG and the MFC with their ±2 sd bands.
func ExampleMeanPath() {
	t := []float64{0, 0.25, 0.5, 0.75, 1}
	p, err := figure.MeanPath([]figure.PathSeries{
		{Label: "MFG", T: t, Mean: []float64{0.5, 0.37, 0.28, 0.21, 0.17}, SD: []float64{0.3, 0.32, 0.35, 0.37, 0.4}},
		{Label: "MFC", T: t, Mean: []float64{0.5, 0.58, 0.66, 0.75, 0.86}, SD: []float64{0.3, 0.32, 0.35, 0.37, 0.4},
			Learned: []float64{0.5, 0.59, 0.66, 0.74, 0.85}},
	}, figure.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text)
	// Output: Mean inventory
}

// Loss curves over epochs, mean ± std over seeds, on a log axis.
func ExampleTraining() {
	epochs := []float64{0, 100, 200, 300, 400}
	p, err := figure.Training([]figure.TrainSeries{
		{Label: "FBSDE", X: epochs, Mean: []float64{1, 1e-2, 1e-4, 3e-6, 1e-6}, Std: []float64{0.5, 5e-3, 5e-5, 1e-6, 5e-7}},
		{Label: "DGM", X: epochs, Mean: []float64{2, 0.5, 0.2, 0.1, 0.08}, Std: []float64{3, 0.2, 0.1, 0.05, 0.02}},
	}, figure.Options{YLabel: "control_mse"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Y.Label.Text, p.Y.Min > 0)
	// Output: control_mse true
}

// Accuracy against wall time, log-log, one labelled point per method.
func ExampleScatter() {
	p, err := figure.Scatter([]figure.Point{
		{Label: "direct MFC", X: 12, Y: 3e-4, Group: 0},
		{Label: "FBSDE", X: 40, Y: 2e-6, Group: 1},
		{Label: "DGM", X: 900, Y: 1e-3, Group: 2},
	}, figure.Options{LogX: true, LogY: true, YLabel: "control_mse"})
	if err != nil {
		log.Fatal(err)
	}
	b, err := figure.SVG(p, 0, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(b) > 0)
	// Output: true
}

// Any other line figure: the control at x = 0.5 against gamma, MFG and MFC.
func ExampleLines() {
	gamma := []float64{0, 0.5, 1, 1.5, 1.75}
	p, err := figure.Lines([]figure.Series{
		{Label: "MFG", X: gamma, Y: []float64{-0.9, -0.97, -1.05, -1.12, -1.15}},
		{Label: "MFC", X: gamma, Y: []float64{-0.9, -0.6, -0.1, 0.6, 1.09}, Dashed: true, Points: true},
	}, figure.Options{Title: "Control at (0, 0.5)", XLabel: "γ", YLabel: "α(0, 0.5)"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.X.Label.Text)
	// Output: γ
}
