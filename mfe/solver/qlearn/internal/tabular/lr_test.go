package tabular

import (
	"math"
	"testing"
)

func TestLRTable(t *testing.T) {
	for _, w := range []float64{0.55, 0.85} {
		tb := newLRTable(w)
		for _, v := range []uint32{0, 1, 100, 65535, 65536, 1 << 20, 123456789, math.MaxUint32 - 1} {
			want := math.Pow(1+float64(v), -w)
			if got := tb.at(v); math.Abs(got/want-1) > 1e-4 {
				t.Errorf("w %v v %d: %v, want %v", w, v, got, want)
			}
		}
	}
}
