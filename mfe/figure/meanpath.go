package figure

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// PathSeries is one mean inventory path t ↦ m(t), e.g. the exact MFG or
// MFC solution, with an optional standard deviation for a ±2 sd band and
// optional learned means drawn as dots.
type PathSeries struct {
	Label string // legend entry

	T    []float64
	Mean []float64
	SD   []float64 // optional: nil draws no band

	LearnedT    []float64 // optional: nil uses T
	Learned     []float64 // optional: nil draws no dots
	LearnedName string    // legend entry of the dots; "" gives Label + " (learned)"
}

// check reports an error unless the series' slices are consistent.
func (s PathSeries) check(i int, o Options) error {
	what := name("series", s.Label, i)
	if err := checkXY(what, s.T, s.Mean, o.LogX, o.LogY); err != nil {
		return err
	}
	if err := checkLen(what+" sd", s.SD, len(s.T), true); err != nil {
		return err
	}
	if s.SD != nil {
		if err := checkVals(what+" sd", s.SD, false); err != nil {
			return err
		}
		for k, v := range s.SD {
			if v < 0 {
				return fmt.Errorf("figure: %s sd[%d] = %v is negative", what, k, v)
			}
			if o.LogY && s.Mean[k]-2*v <= 0 {
				return fmt.Errorf("figure: %s: band mean-2sd at %d is not positive (log scale)", what, k)
			}
		}
	}
	if s.Learned != nil {
		lt := s.LearnedT
		if lt == nil {
			lt = s.T
		}
		if err := checkXY(what+" learned", lt, s.Learned, o.LogX, o.LogY); err != nil {
			return err
		}
	}
	return nil
}

// MeanPath draws each series' mean as a line in its own colour over a shaded
// band Mean ± 2·SD, and its learned means as rings of the same colour.
func MeanPath(series []PathSeries, o Options) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("figure: mean path: no series")
	}
	for i, s := range series {
		if err := s.check(i, o); err != nil {
			return nil, err
		}
	}
	p := newPlot(o, Options{Title: "Mean inventory", XLabel: "time t", YLabel: "mean inventory"})
	// Bands first, so that no band veils another series' line.
	bands := make([]plot.Thumbnailer, len(series))
	for i, s := range series {
		if s.SD == nil {
			continue
		}
		lo := make([]float64, len(s.SD))
		hi := make([]float64, len(s.SD))
		for k, v := range s.SD {
			lo[k], hi[k] = s.Mean[k]-2*v, s.Mean[k]+2*v
		}
		b, err := band(s.T, lo, hi, i)
		if err != nil {
			return nil, err
		}
		p.Add(b)
		bands[i] = b
	}
	for i, s := range series {
		var thumbs []plot.Thumbnailer
		if bands[i] != nil {
			thumbs = append(thumbs, bands[i])
		}
		l, err := line(s.T, s.Mean, lineStyle(i))
		if err != nil {
			return nil, err
		}
		p.Add(l)
		legend(p, o, s.Label, append(thumbs, l)...)
		if s.Learned != nil {
			lt := s.LearnedT
			if lt == nil {
				lt = s.T
			}
			sc, err := plotter.NewScatter(xys(lt, s.Learned))
			if err != nil {
				return nil, fmt.Errorf("figure: %w", err)
			}
			sc.GlyphStyle = ringStyle(Color(i))
			p.Add(sc)
			legend(p, o, or(s.LearnedName, s.Label+" (learned)"), sc)
		}
	}
	return p, nil
}

// band returns the shaded polygon between lo and hi over x, in colour k.
func band(x, lo, hi []float64, k int) (*plotter.Polygon, error) {
	pts := make(plotter.XYs, 0, 2*len(x))
	for i := range x {
		pts = append(pts, plotter.XY{X: x[i], Y: hi[i]})
	}
	for i := len(x) - 1; i >= 0; i-- {
		pts = append(pts, plotter.XY{X: x[i], Y: lo[i]})
	}
	b, err := plotter.NewPolygon(pts)
	if err != nil {
		return nil, fmt.Errorf("figure: %w", err)
	}
	b.Color = fade(Color(k), bandAlpha)
	b.LineStyle.Width = 0
	return b, nil
}
