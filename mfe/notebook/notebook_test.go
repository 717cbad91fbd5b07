package notebook

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/progress"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

var _ mfe.Progress = (*Progress)(nil)

func sinePlot(t *testing.T) *plot.Plot {
	p := plot.New()
	pts := make(plotter.XYs, 50)
	for i := range pts {
		pts[i].X = float64(i) / 49 * 2 * math.Pi
		pts[i].Y = math.Sin(pts[i].X)
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		t.Fatal(err)
	}
	p.Add(l)
	return p
}

func TestPNG(t *testing.T) {
	png, err := PNG(sinePlot(t), 8*vg.Centimeter, 6*vg.Centimeter)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatal("not a PNG")
	}
}

func TestOutsideNotebookIsSafe(t *testing.T) {
	if InNotebook() {
		t.Skip("running under GoNB")
	}
	if err := Show(sinePlot(t), 4*vg.Centimeter, 3*vg.Centimeter); err != nil {
		t.Fatal(err)
	}
	ShowHTML("<b>x</b>")
	ShowMarkdown("*x*")
	p := NewProgress("test")
	if _, ok := p.(*progress.Terminal); !ok {
		t.Fatalf("outside GoNB NewProgress should be a terminal reporter, got %T", p)
	}
}

func TestTable(t *testing.T) {
	got := Table([]string{"a", "b"}, [][]string{{"1", "x|y"}, {"2"}})
	want := "| a | b |\n|---|---|\n| 1 | x\\|y |\n| 2 |  |\n"
	if got != want {
		t.Fatalf("Table = %q, want %q", got, want)
	}
}

func TestHTMLProgress(t *testing.T) {
	h := HTMLProgress("<fbsde>", 3, 10, map[string]float64{"loss": 0.5}, time.Second)
	for _, want := range []string{"&lt;fbsde&gt;", `<progress value="3" max="10"`, "loss=0.5"} {
		if !strings.Contains(h, want) {
			t.Errorf("%q missing %q", h, want)
		}
	}
}

func TestProfile(t *testing.T) {
	t.Setenv(ProfileEnv, "")
	if Profile() != "default" {
		t.Fatal(Profile())
	}
	t.Setenv(ProfileEnv, "quick")
	if Profile() != "quick" {
		t.Fatal(Profile())
	}
}

func TestShowFigure(t *testing.T) {
	ShowFigure(sinePlot(t), nil) // outside GoNB: renders, displays nothing
	defer func() {
		if recover() == nil {
			t.Error("ShowFigure with an error did not panic")
		}
	}()
	ShowFigure(nil, errors.New("no figure"))
}
