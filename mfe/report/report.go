// Package report turns results into figures and tables: it evaluates the
// learned and exact solutions on grids and hands the numbers to package
// figure, which draws without computing. The command line and the notebooks
// both call it, so a figure looks the same wherever it is made.
package report

import (
	"fmt"
	"path/filepath"

	"gonum.org/v1/plot"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// Times returns the fractions u·T of the horizon for u in us.
func Times(T float64, us ...float64) []float64 {
	out := make([]float64, len(us))
	for i, u := range us {
		out[i] = u * T
	}
	return out
}

// ControlPanels evaluates a learned control c and the exact control of the
// regime on x at each time.
func ControlPanels(p mfe.Params, r mfe.Regime, c mfe.Control, times, x []float64) ([]figure.ControlPanel, error) {
	ex, err := eval.ExactControl(p, r)
	if err != nil {
		return nil, err
	}
	var panels []figure.ControlPanel
	for _, t := range times {
		cp := figure.ControlPanel{Label: fmt.Sprintf("t=%.3g", t), X: x, Exact: make([]float64, len(x))}
		ex.Eval(t, x, cp.Exact)
		if c != nil {
			cp.Learned = make([]float64, len(x))
			c.Eval(t, x, cp.Learned)
		}
		panels = append(panels, cp)
	}
	return panels, nil
}

// ControlFigure draws the learned control (dots) against the exact one
// (lines) at the given times on the standard x grid.
func ControlFigure(res *mfe.Result, times []float64) (*plot.Plot, error) {
	_, x := mfe.StandardGrid(res.Params.T)
	panels, err := ControlPanels(res.Params, res.Regime, res.Control, times, x)
	if err != nil {
		return nil, err
	}
	return figure.Control(panels, figure.Options{
		Title: fmt.Sprintf("%s (%s): learned (dots) vs exact (lines)", res.Method, res.Regime)})
}

// TrainingFigure draws control_mse against epochs with its band over
// particles, when the result recorded it, else the loss.
func TrainingFigure(res *mfe.Result) (*plot.Plot, error) {
	h := res.History
	if len(h.ControlMSE) > 0 {
		s := figure.TrainSeries{Label: "control_mse", X: ints(h.EvalEpoch), Mean: h.ControlMSE, Std: h.ControlMSEStd}
		return figure.Training([]figure.TrainSeries{s}, figure.Options{
			Title: fmt.Sprintf("%s (%s): control error during training", res.Method, res.Regime), XLabel: "epoch", YLabel: "control_mse"})
	}
	return LossFigure(res)
}

// LossFigure draws the training loss (its absolute value, on a log scale).
func LossFigure(res *mfe.Result) (*plot.Plot, error) {
	h := res.History
	y := make([]float64, len(h.Loss))
	for i, v := range h.Loss {
		y[i] = max(abs(v), 1e-300)
	}
	return figure.Training([]figure.TrainSeries{{Label: "|loss|", X: ints(h.Epoch), Mean: y}},
		figure.Options{Title: fmt.Sprintf("%s (%s): loss", res.Method, res.Regime), XLabel: "epoch", YLabel: "|loss|"})
}

// WriteRun writes a run into dir: result.json and control.json
// (rundir.Write), then its figures (WriteFigures).
func WriteRun(dir string, res *mfe.Result) error {
	if err := rundir.Write(dir, res); err != nil {
		return err
	}
	return WriteFigures(dir, res)
}

// WriteFigures writes the figures of a run into dir, each atomically:
// control.png (the learned control against the exact one at six times) and
// training.png (TrainingFigure). A result without a control has none.
func WriteFigures(dir string, res *mfe.Result) error {
	if res.Control == nil {
		return nil
	}
	figs := []struct {
		name string
		make func() (*plot.Plot, error)
	}{
		{"control.png", func() (*plot.Plot, error) { return ControlFigure(res, Times(res.Params.T, 0, 0.2, 0.4, 0.6, 0.8, 1)) }},
		{"training.png", func() (*plot.Plot, error) { return TrainingFigure(res) }},
	}
	for _, f := range figs {
		p, err := f.make()
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		b, err := figure.PNG(p, 0, 0)
		if err != nil {
			return err
		}
		if err := rundir.WriteFileAtomic(filepath.Join(dir, f.name), b); err != nil {
			return err
		}
	}
	return nil
}

// ExactMFG is a convenience for notebooks: the exact MFG solution or a panic
// for invalid parameters.
func ExactMFG(p mfe.Params) *exact.MFG { return exact.MustMFG(p) }

func ints(v []int) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// ControlGridFigure draws learned vs exact control with one panel per time.
func ControlGridFigure(res *mfe.Result, times []float64, cols int) (*figure.Grid, error) {
	_, x := mfe.StandardGrid(res.Params.T)
	panels, err := ControlPanels(res.Params, res.Regime, res.Control, times, x)
	if err != nil {
		return nil, err
	}
	return figure.ControlGrid(panels, cols, figure.Options{
		Title: fmt.Sprintf("%s (%s): learned (dots) vs exact (lines)", res.Method, res.Regime)})
}
