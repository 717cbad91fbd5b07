package notebook

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
)

// ProfileEnv is the environment variable selecting a notebook's run profile.
const ProfileEnv = "MFE_PROFILE"

// Profile returns the run profile requested through $MFE_PROFILE: quick
// (tests, CI), default (the main job, also when unset) or memoir. Other
// values are returned as given, for the methods' Config to reject.
func Profile() mfe.Profile {
	p := strings.TrimSpace(os.Getenv(ProfileEnv))
	if p == "" {
		return mfe.Default
	}
	return mfe.Profile(p)
}

// InNotebook reports whether the program runs under GoNB.
func InNotebook() bool { return gonbui.IsNotebook }

// PNG renders a plot to PNG bytes with the given size (e.g. 16*vg.Centimeter).
func PNG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	wt, err := p.WriterTo(w, h, "png")
	if err != nil {
		return nil, fmt.Errorf("notebook: rendering plot: %w", err)
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("notebook: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// Show renders the plot to PNG and displays it inline. Outside GoNB it only
// renders (so errors still surface) and displays nothing.
func Show(p *plot.Plot, w, h vg.Length) error {
	png, err := PNG(p, w, h)
	if err != nil {
		return err
	}
	ShowPNG(png)
	return nil
}

// MustShow is Show panicking on error, convenient in notebook cells.
func MustShow(p *plot.Plot, w, h vg.Length) {
	if err := Show(p, w, h); err != nil {
		panic(err)
	}
}

// ShowFigure displays a figure (a plot or a grid of plots) at its default
// size, and panics if err, the error of the call that made it, is not nil:
// report's figure functions return (figure, error), so a cell writes
// notebook.ShowFigure(report.TrainingFigure(res)).
func ShowFigure(f figure.Figure, err error) {
	if err != nil {
		panic(err)
	}
	png, err := figure.PNG(f, 0, 0)
	if err != nil {
		panic(err)
	}
	ShowPNG(png)
}

// ShowPNG displays PNG bytes inline and flushes the output.
func ShowPNG(png []byte) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.DisplayPNG(png)
	gonbui.Sync()
}

// ShowHTML displays an HTML fragment inline and flushes the output.
func ShowHTML(h string) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.DisplayHTML(h)
	gonbui.Sync()
}

// ShowMarkdown displays Markdown (with $LaTeX$ math) inline and flushes the output.
func ShowMarkdown(md string) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.DisplayMarkdown(md)
	gonbui.Sync()
}

// Table renders a Markdown table. Cells are written as given, with '|' escaped.
func Table(header []string, rows [][]string) string {
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	var b strings.Builder
	b.WriteString("|")
	for _, h := range header {
		b.WriteString(" " + esc(h) + " |")
	}
	b.WriteString("\n|")
	for range header {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString("|")
		for i := range header {
			c := ""
			if i < len(r) {
				c = r[i]
			}
			b.WriteString(" " + esc(c) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// ShowTable displays a Markdown table (see Table) inline; outside GoNB it
// prints it to standard output, so tables also show in logs.
func ShowTable(header []string, rows [][]string) {
	t := Table(header, rows)
	if !gonbui.IsNotebook {
		fmt.Print(t)
		return
	}
	ShowMarkdown(t)
}

// Escape escapes text for inclusion in HTML.
func Escape(s string) string { return html.EscapeString(s) }
