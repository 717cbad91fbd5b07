package rundir

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// ControlCheck is a finished run's learned control on the standard grid
// (mfe.StandardGrid of its horizon, 11 × 15 points), computed from its
// weights when the run is saved, beside the metrics computed from the same
// weights. Reloading the run computes it again from the loaded weights
// (Compare): a run whose weights no longer give that control is refused,
// instead of being reported with metrics that are not its own.
type ControlCheck struct {
	Backend string `json:"backend"` // where it was computed
	// Alpha holds alpha(t_i, x_j) at index i*len(x)+j.
	Alpha Floats `json:"alpha"`
}

// CheckTolerance bounds the difference Compare accepts between the saved
// and the recomputed control, relative to max(1, max |alpha| saved). On
// the backend that saved a run the two are the same bit for bit (every
// committed run reloads so); the tolerance leaves room for the float32
// networks' rounding on another backend or processor (summation order,
// fused multiply-adds, vectorised tanh and exp: about 1e-6 relative) and
// is far below what a wrong or missing variable changes (an untrained
// network's control is off by O(1)).
const CheckTolerance = 1e-4

// NewControlCheck evaluates c on the standard grid of horizon T.
func NewControlCheck(T float64, c mfe.Control, backend string) *ControlCheck {
	ts, xs := mfe.StandardGrid(T)
	var a []float64
	for _, row := range mfe.OnGrid(c, ts, xs) {
		a = append(a, row...)
	}
	return &ControlCheck{Backend: backend, Alpha: a}
}

// Compare returns nil if got, the check recomputed from reloaded weights,
// agrees with the saved check c within CheckTolerance, else an error
// saying where they differ most. Horizon T places the grid points.
func (c *ControlCheck) Compare(got *ControlCheck, T float64) error {
	if len(c.Alpha) != len(got.Alpha) {
		return fmt.Errorf("the saved control check has %d values, the standard grid %d", len(c.Alpha), len(got.Alpha))
	}
	scale := 1.0
	for _, v := range c.Alpha {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			scale = math.Max(scale, math.Abs(v))
		}
	}
	tol := CheckTolerance * scale
	worst, at := 0.0, -1
	for i, v := range c.Alpha {
		w := got.Alpha[i]
		d := math.Abs(v - w)
		if math.IsNaN(v) && math.IsNaN(w) || v == w {
			continue
		}
		if math.IsNaN(d) {
			d = math.Inf(1)
		}
		if d > worst || at < 0 {
			worst, at = d, i
		}
	}
	if at < 0 || worst <= tol {
		return nil
	}
	ts, xs := mfe.StandardGrid(T)
	return fmt.Errorf("the reloaded weights give another control than the one its metrics were computed from: "+
		"|Δα| = %.3g at t = %g, x = %g (saved %g, reloaded %g; tolerance %.2g)",
		worst, ts[at/len(xs)], xs[at%len(xs)], c.Alpha[at], got.Alpha[at], tol)
}

// MetricsTolerance bounds the relative difference SameControlMetrics
// accepts between a stored and a recomputed control_mse or control_rel.
// Computed again on the backend that trained a run they are the same bit
// for bit (every committed run was adopted and re-evaluated so); the
// tolerance absorbs only last-bit differences.
const MetricsTolerance = 1e-6

// SameControlMetrics returns nil when again, a finished run's final
// metrics computed again from its weights, has the stored control_mse and
// control_rel within MetricsTolerance (relative), else an error naming the
// first that differs with both values. Adopting a run saved without a
// manifest and re-evaluating a run (mfe.Run.AdoptLegacy, mfe.Run.Reevaluate)
// both require it: the other metrics may change with the evaluation code,
// these two measure the control itself.
func SameControlMetrics(stored, again mfe.Metrics) error {
	for _, m := range []struct {
		name     string
		old, new float64
	}{{"control_mse", stored.ControlMSE, again.ControlMSE}, {"control_rel", stored.ControlRel, again.ControlRel}} {
		if !(math.Abs(m.new-m.old) <= MetricsTolerance*math.Abs(m.old)) {
			return fmt.Errorf("%s stored %.17g, recomputed %.17g", m.name, m.old, m.new)
		}
	}
	return nil
}
