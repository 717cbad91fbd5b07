package figure

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks marks a linear axis with about n labelled ticks at multiples
// of 1, 2 or 5 times a power of ten, and unlabelled minor ticks between them. gonum's
// default labels as few as three ticks, too few to read values off.
type niceTicks struct{ n int }

// Ticks implements plot.Ticker.
func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	raw := (hi - lo) / float64(max(t.n, 2)-1)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	// The 1, 2 or 5 step nearest raw in log scale.
	step, minor, best := 0.0, 0, math.Inf(1)
	for _, s := range []struct {
		f float64
		m int
	}{{1, 5}, {2, 4}, {5, 5}, {10, 5}} {
		if d := math.Abs(math.Log(s.f * mag / raw)); d < best {
			step, minor, best = s.f*mag, s.m, d
		}
	}
	prec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var ticks []plot.Tick
	sub := step / float64(minor)
	first := math.Ceil(lo/sub-1e-9) * sub
	for k := 0; ; k++ {
		v := first + float64(k)*sub
		if v > hi+1e-9*sub {
			break
		}
		if r := math.Round(v / step); math.Abs(v/step-r) < 1e-6 {
			v = r * step
			if v == 0 {
				v = 0 // no "-0"
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', prec, 64)})
		} else {
			ticks = append(ticks, plot.Tick{Value: v})
		}
	}
	return ticks
}

// logTicks marks a logarithmic axis: labelled ticks at powers of ten (every
// few powers when the range spans many decades, also at 2 and 5 times them
// when it spans less than two), unlabelled ticks at the other integer
// multiples. Labels read 0.001 … 1000 in decimal and 1e-05 beyond.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) {
		return plot.LogTicks{}.Ticks(lo, hi)
	}
	e0, e1 := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	every := max(1, (e1-e0+7)/8) // at most about 8 labelled decades
	fine := math.Log10(hi/lo) <= 2
	var ticks []plot.Tick
	for e := e0; e <= e1; e++ {
		p := math.Pow10(e)
		for m := 1; m <= 9; m++ {
			v := float64(m) * p
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if (m == 1 && e%every == 0) || (fine && (m == 2 || m == 5)) {
				t.Label = logLabel(m, e)
			}
			if m == 1 || every == 1 {
				ticks = append(ticks, t)
			}
		}
	}
	return ticks
}

// logLabel writes m·10^e: in decimal from 0.001 to 9000, as "1e-05" beyond.
func logLabel(m, e int) string {
	v := float64(m) * math.Pow10(e)
	if e >= -3 && e <= 3 {
		return strconv.FormatFloat(v, 'f', max(0, -e), 64)
	}
	return strconv.FormatFloat(v, 'e', 0, 64)
}
