package figure

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// niceTicks marks a linear axis with about n labelled ticks at multiples
// of 1, 2 or 5 times a power of ten, and unlabelled minor ticks between them. gonum's
// default labels as few as three ticks, too few to read values off. Labels
// are decimal ("0.25", "-1.5") unless the step is below 1e-4 or at least
// 1e5, where they are written as "2e-5", "1.5e6" (tickLabel).
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
			ticks = append(ticks, plot.Tick{Value: v, Label: tickLabel(v, step, prec)})
		} else {
			ticks = append(ticks, plot.Tick{Value: v})
		}
	}
	return ticks
}

// tickLabel writes v, a multiple of step, with prec decimals, or in
// exponent form ("-2e-5", "1.5e6") when step is below 1e-4 or at least 1e5,
// where decimals would take eight characters or more.
func tickLabel(v, step float64, prec int) string {
	if step >= 1e-4 && step < 1e5 {
		return strconv.FormatFloat(v, 'f', prec, 64)
	}
	if v == 0 {
		return "0"
	}
	// As many mantissa digits as the step needs at v's magnitude.
	digits := max(0, int(math.Floor(math.Log10(math.Abs(v))+1e-9))-int(math.Floor(math.Log10(step)+1e-9)))
	return expLabel(v, digits)
}

// expLabel writes v in exponent form with at most digits decimals of the
// mantissa, without trailing zeros or a padded exponent: "1.5e-5", "2e6".
func expLabel(v float64, digits int) string {
	s := strconv.FormatFloat(v, 'e', digits, 64)
	mant, exp, _ := strings.Cut(s, "e")
	if strings.Contains(mant, ".") {
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
	}
	e, _ := strconv.Atoi(exp)
	return mant + "e" + strconv.Itoa(e)
}

// logTicks marks a logarithmic axis: labelled ticks at powers of ten (every
// few powers when the range spans many decades, also at 2 and 5 times them
// when it spans less than two, at every integer multiple when that
// leaves fewer than two labels), unlabelled ticks at the other integer
// multiples. Labels read 0.001 … 1000 in decimal and 1e-5 beyond.
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
	// Less than a decade with at most one of those: label every tick.
	labelled := 0
	for _, t := range ticks {
		if t.Label != "" {
			labelled++
		}
	}
	if labelled < 2 && every == 1 {
		for i, t := range ticks {
			e := int(math.Floor(math.Log10(t.Value) + 1e-9))
			m := int(math.Round(t.Value / math.Pow10(e)))
			ticks[i].Label = logLabel(m, e)
		}
	}
	return ticks
}

// logLabel writes m·10^e: in decimal from 0.001 to 9000, as "1e-5" beyond.
func logLabel(m, e int) string {
	v := float64(m) * math.Pow10(e)
	if e >= -3 && e <= 3 {
		return strconv.FormatFloat(v, 'f', max(0, -e), 64)
	}
	return expLabel(v, 0)
}
