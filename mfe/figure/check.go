package figure

import (
	"fmt"
	"math"
)

// checkXY reports an error unless x and y are non-empty, of equal length and
// finite, and positive where the matching axis is logarithmic. what names the
// data in the message.
func checkXY(what string, x, y []float64, logX, logY bool) error {
	if len(x) == 0 {
		return fmt.Errorf("figure: %s: no data", what)
	}
	if len(x) != len(y) {
		return fmt.Errorf("figure: %s: %d x values but %d y values", what, len(x), len(y))
	}
	if err := checkVals(what+": x", x, logX); err != nil {
		return err
	}
	return checkVals(what+": y", y, logY)
}

// checkVals reports an error if a value of v is NaN or infinite, or not
// positive when pos is set.
func checkVals(what string, v []float64, pos bool) error {
	for i, f := range v {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("figure: %s[%d] = %v is not finite", what, i, f)
		}
		if pos && f <= 0 {
			return fmt.Errorf("figure: %s[%d] = %v is not positive (log scale)", what, i, f)
		}
	}
	return nil
}

// checkLen reports an error unless v has n values (a nil v is allowed when
// optional is set).
func checkLen(what string, v []float64, n int, optional bool) error {
	if optional && v == nil {
		return nil
	}
	if len(v) != n {
		return fmt.Errorf("figure: %s: %d values, want %d", what, len(v), n)
	}
	return nil
}

// name returns label, or "series i" when label is empty, for error messages.
func name(kind, label string, i int) string {
	if label != "" {
		return fmt.Sprintf("%s %q", kind, label)
	}
	return fmt.Sprintf("%s %d", kind, i)
}
