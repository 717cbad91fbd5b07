package figure

import (
	"fmt"

	"gonum.org/v1/plot"
)

// TrainSeries is one training curve: the mean over runs of a positive
// quantity (a loss, an error) at each epoch or iteration X, with an
// optional standard deviation over runs for a shaded band.
type TrainSeries struct {
	Label string // legend entry

	X    []float64
	Mean []float64 // positive: the y axis is logarithmic
	Std  []float64 // optional: nil draws no band

	Dashed bool // dashed line, e.g. for a worst case beside the mean
}

// Training draws training curves on a logarithmic y axis (o.LogY is
// implied), each series a line over a shaded band Mean ± Std. A log axis
// cannot show Mean − Std ≤ 0: there the lower edge is Mean²/(Mean + Std),
// the reflection of the upper edge about the mean in log scale.
func Training(series []TrainSeries, o Options) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("figure: training: no series")
	}
	o.LogY = true
	for i, s := range series {
		what := name("series", s.Label, i)
		if err := checkXY(what, s.X, s.Mean, o.LogX, true); err != nil {
			return nil, err
		}
		if err := checkLen(what+" std", s.Std, len(s.X), true); err != nil {
			return nil, err
		}
		if err := checkVals(what+" std", s.Std, false); err != nil {
			return nil, err
		}
		for k, v := range s.Std {
			if v < 0 {
				return nil, fmt.Errorf("figure: %s std[%d] = %v is negative", what, k, v)
			}
		}
	}
	p := newPlot(o, Options{Title: "Training", XLabel: "training epoch", YLabel: "training loss"})
	// Bands first, so that no band veils another series' line.
	bands := make([]plot.Thumbnailer, len(series))
	for i, s := range series {
		if s.Std == nil {
			continue
		}
		lo := make([]float64, len(s.Std))
		hi := make([]float64, len(s.Std))
		for k, v := range s.Std {
			m := s.Mean[k]
			lo[k], hi[k] = m-v, m+v
			if lo[k] <= 0 {
				lo[k] = m * m / (m + v)
			}
		}
		b, err := band(s.X, lo, hi, i)
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
		ls := lineStyle(i)
		if s.Dashed {
			ls = dash(ls)
		}
		l, err := line(s.X, s.Mean, ls)
		if err != nil {
			return nil, err
		}
		p.Add(l)
		legend(p, o, s.Label, append(thumbs, l)...)
	}
	widenFlat(p, o)
	return p, nil
}
