package figure

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// TestBadInput checks that bad data gives an error naming the problem, not
// a panic.
func TestBadInput(t *testing.T) {
	x := []float64{0, 1, 2}
	y := []float64{1, 2, 3}
	short := []float64{1, 2}
	nan := []float64{1, math.NaN(), 3}
	neg := []float64{1, -2, 3}
	ok := func(f Figure, err error) (Figure, error) { return f, err }
	for _, c := range []struct {
		name string
		want string // substring of the error
		f    func() (Figure, error)
	}{
		{"control no panels", "no panels", func() (Figure, error) { return ok(Control(nil, Options{})) }},
		{"control mismatch", "3 x values but 2 y values", func() (Figure, error) {
			return ok(Control([]ControlPanel{{Label: "t=0", X: x, Exact: short}}, Options{}))
		}},
		{"control learned mismatch", "learned", func() (Figure, error) {
			return ok(Control([]ControlPanel{{X: x, Exact: y, Learned: short}}, Options{}))
		}},
		{"control no values", "no exact and no learned", func() (Figure, error) {
			return ok(Control([]ControlPanel{{X: x}}, Options{}))
		}},
		{"control NaN", "not finite", func() (Figure, error) {
			return ok(Control([]ControlPanel{{X: x, Exact: nan}}, Options{}))
		}},
		{"compare empty", "no comparisons", func() (Figure, error) { return ok(Compare(nil, Options{})) }},
		{"compare no panels", `comparison "Control" has no panels`, func() (Figure, error) {
			return ok(Compare([]Comparison{{Name: "Control"}}, Options{}))
		}},
		{"compare mismatch", `panel "t=1"`, func() (Figure, error) {
			return ok(Compare([]Comparison{{Panels: []ControlPanel{{X: x, Exact: y, Learned: y}, {Label: "t=1", X: short, Exact: y, Learned: y}}}}, Options{}))
		}},
		{"compare no learned", "want exact and learned", func() (Figure, error) {
			return ok(Compare([]Comparison{{Panels: []ControlPanel{{X: x, Exact: y}}}}, Options{}))
		}},
		{"compare learned elsewhere", "want exact and learned values on X", func() (Figure, error) {
			return ok(Compare([]Comparison{{Panels: []ControlPanel{{X: x, Exact: y, LearnedX: x, Learned: y}}}}, Options{}))
		}},
		{"lines err length", "err", func() (Figure, error) {
			return ok(Lines([]Series{{X: x, Y: y, Err: short}}, Options{}))
		}},
		{"lines negative err", "negative", func() (Figure, error) {
			return ok(Lines([]Series{{X: x, Y: y, Err: neg}}, Options{}))
		}},
		{"density empty samples", "no samples", func() (Figure, error) {
			return ok(Density(DensityPanel{Samples: []float64{}}, Options{}))
		}},
		{"density nothing", "no samples and no exact", func() (Figure, error) { return ok(Density(DensityPanel{}, Options{})) }},
		{"density negative bins", "bins", func() (Figure, error) {
			return ok(Density(DensityPanel{Samples: y, Bins: -1}, Options{}))
		}},
		{"density exact mismatch", "exact", func() (Figure, error) {
			return ok(Density(DensityPanel{Samples: y, X: x, Exact: short}, Options{}))
		}},
		{"density grid empty", "no panels", func() (Figure, error) { return ok(DensityGrid(nil, 2, Options{})) }},
		{"mean path empty", "no series", func() (Figure, error) { return ok(MeanPath(nil, Options{})) }},
		{"mean path sd length", "sd", func() (Figure, error) {
			return ok(MeanPath([]PathSeries{{T: x, Mean: y, SD: short}}, Options{}))
		}},
		{"mean path negative sd", "negative", func() (Figure, error) {
			return ok(MeanPath([]PathSeries{{T: x, Mean: y, SD: neg}}, Options{}))
		}},
		{"mean path no data", "no data", func() (Figure, error) { return ok(MeanPath([]PathSeries{{}}, Options{})) }},
		{"training empty", "no series", func() (Figure, error) { return ok(Training(nil, Options{})) }},
		{"training non-positive", "not positive", func() (Figure, error) {
			return ok(Training([]TrainSeries{{X: x, Mean: neg}}, Options{}))
		}},
		{"training std length", "std", func() (Figure, error) {
			return ok(Training([]TrainSeries{{X: x, Mean: y, Std: short}}, Options{}))
		}},
		{"lines empty", "no series", func() (Figure, error) { return ok(Lines(nil, Options{})) }},
		{"lines mismatch", `series "a"`, func() (Figure, error) {
			return ok(Lines([]Series{{Label: "a", X: x, Y: short}}, Options{}))
		}},
		{"lines log", "log scale", func() (Figure, error) {
			return ok(Lines([]Series{{X: x, Y: y}}, Options{LogX: true}))
		}},
		{"lines inf", "not finite", func() (Figure, error) {
			return ok(Lines([]Series{{X: x, Y: []float64{1, math.Inf(1), 2}}}, Options{}))
		}},
		{"scatter empty", "no points", func() (Figure, error) { return ok(Scatter(nil, Options{})) }},
		{"scatter log", "log scale", func() (Figure, error) {
			return ok(Scatter([]Point{{Label: "DGM", X: 0, Y: 1}}, Options{LogX: true}))
		}},
		{"grid empty", "no plots", func() (Figure, error) { return ok(NewGrid(nil, 2)) }},
		{"grid nil plot", "nil", func() (Figure, error) { return ok(NewGrid([]*plot.Plot{nil}, 1)) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := c.f()
			if err == nil {
				t.Fatalf("no error, figure %T", f)
			}
			if !strings.HasPrefix(err.Error(), "figure: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want one starting with \"figure: \" and containing %q", err, c.want)
			}
		})
	}
}

// TestBadFigure checks that saving nil or malformed figures is an error.
func TestBadFigure(t *testing.T) {
	var p *plot.Plot
	if _, err := PNG(p, 0, 0); err == nil {
		t.Error("PNG(nil plot): no error")
	}
	if _, err := SVG(nil, 0, 0); err == nil {
		t.Error("SVG(nil): no error")
	}
	g := &Grid{Plots: [][]*plot.Plot{{plot.New(), plot.New()}, {plot.New()}}}
	if _, err := PNG(g, 0, 0); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("PNG(ragged grid): error %v, want one naming row 1", err)
	}
	if _, err := PNG(&Grid{}, 0, 0); err == nil {
		t.Error("PNG(empty grid): no error")
	}
}

// TestOptions checks that caller labels replace the defaults and log
// options set log scales.
func TestOptions(t *testing.T) {
	p, err := Lines([]Series{{X: []float64{1, 10}, Y: []float64{1, 100}}},
		Options{Title: "T", XLabel: "X", YLabel: "Y", LogX: true, LogY: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Title.Text != "T" || p.X.Label.Text != "X" || p.Y.Label.Text != "Y" {
		t.Errorf("labels %q %q %q, want T X Y", p.Title.Text, p.X.Label.Text, p.Y.Label.Text)
	}
	if _, ok := p.X.Scale.(plot.LogScale); !ok {
		t.Error("LogX: x scale is not logarithmic")
	}
	if _, ok := p.Y.Scale.(plot.LogScale); !ok {
		t.Error("LogY: y scale is not logarithmic")
	}
	tr, err := Training([]TrainSeries{{X: []float64{0, 1}, Mean: []float64{1, 0.1}, Std: []float64{2, 0.05}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tr.Y.Scale.(plot.LogScale); !ok {
		t.Error("Training: y scale is not logarithmic")
	}
	if tr.Y.Min <= 0 {
		t.Errorf("Training: y min %v, want > 0 (band clipped for log scale)", tr.Y.Min)
	}
}
