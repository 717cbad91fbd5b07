package figure

import "testing"

// One epoch (a run stopped at once, a reloaded one-point history) and a
// constant series span no range; the log axis must still draw.
func TestTrainingSinglePoint(t *testing.T) {
	p, err := Training([]TrainSeries{{Label: "one epoch", X: []float64{1}, Mean: []float64{0.5}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PNG(p, 0, 0); err != nil {
		t.Fatal(err)
	}
	if !(p.Y.Min < 0.5 && p.Y.Max > 0.5 && p.Y.Min > 0) || !(p.X.Min < 1 && p.X.Max > 1) {
		t.Errorf("axes not widened around the point: x [%v, %v], y [%v, %v]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	q, err := Lines([]Series{{Label: "flat", X: []float64{1, 2}, Y: []float64{3, 3}}}, Options{LogY: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PNG(q, 0, 0); err != nil {
		t.Fatal(err)
	}
}
