// Package report turns results into figures and tables: it evaluates the
// learned and exact solutions on grids and hands the numbers to package
// figure, which draws without computing. The command line and the notebooks
// both call it, so a figure looks the same wherever it is made.
//
// A figure of a function of the inventory x at time t (a control, a value
// function, a density) draws it where the population is at that time: on
// mean ± 3 sd of X_t under the exact solution's law (PopulationX), which
// package exact gives in closed form, never on a fixed range; and beside
// it the error learned − exact on its own scale (figure.Compare).
package report

import (
	"fmt"
	"math"
	"path/filepath"

	"gonum.org/v1/plot"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/dgm"
)

// Times returns the fractions u·T of the horizon for u in us.
func Times(T float64, us ...float64) []float64 {
	out := make([]float64, len(us))
	for i, u := range us {
		out[i] = u * T
	}
	return out
}

// TimeLabel names the time t in legends: "t = 0.5".
func TimeLabel(t float64) string { return fmt.Sprintf("t = %.3g", t) }

// RegimeName is the regime in words: "mean-field game" or "mean-field
// control".
func RegimeName(r mfe.Regime) string {
	switch r {
	case mfe.MFG:
		return "mean-field game"
	case mfe.MFC:
		return "mean-field control"
	}
	return string(r)
}

// RunTitle names a run in figure titles: the method's title (the name when
// the method is not registered) and the regime in words, e.g. "Direct MFC,
// mean-field control".
func RunTitle(res *mfe.Result) string {
	return mfe.MethodTitle(res.Method) + ", " + RegimeName(res.Regime)
}

// epochNames are the units of training of the methods whose epochs have a
// name of their own; the others train by "training epoch". Q-learning's
// name is spelled here because package qlearn's tests import report.
var epochNames = map[string]string{
	dgm.Method:         "training iteration",
	actorcritic.Method: "training episode",
	"q-learning":       "training episode",
}

// EpochName is the x-axis label of a method's training history: "training
// epoch", or "training iteration" (DGM), "training episode" (Q-learning,
// actor–critic).
func EpochName(method string) string {
	if n, ok := epochNames[method]; ok {
		return n
	}
	return "training epoch"
}

// PopulationPoints is the number of points on which a function of x is
// evaluated at one time (PopulationX).
const PopulationPoints = 41

// PopulationX returns n points on mean ± k sd of the exact law of X_t in
// regime r: where the population is at time t. A deterministic X_t (sd 0)
// gets a range of ± k·0.001.
func PopulationX(p mfe.Params, r mfe.Regime, t, k float64, n int) ([]float64, error) {
	law, err := eval.LawX(p, r)
	if err != nil {
		return nil, err
	}
	l := law(t)
	sd := math.Max(l.Std(), 1e-3)
	if math.IsNaN(l.Mean) || math.IsInf(l.Mean, 0) || math.IsInf(sd, 0) || math.IsNaN(sd) {
		return nil, fmt.Errorf("report: the law of X_t at t=%g is not finite (mean %v, sd %v)", t, l.Mean, l.Std())
	}
	return mfe.Linspace(l.Mean-k*sd, l.Mean+k*sd, n), nil
}

// ControlPanels evaluates a learned control c (not nil) and the exact
// control of the regime at each time on PopulationX(p, r, t, 3,
// PopulationPoints).
func ControlPanels(p mfe.Params, r mfe.Regime, c mfe.Control, times []float64) ([]figure.ControlPanel, error) {
	ex, err := eval.ExactControl(p, r)
	if err != nil {
		return nil, err
	}
	return controlPanels(p, r, c, ex, nil, times)
}

// controlPanels is ControlPanels against the control ex, each panel over
// mean ± 3 sd of law (the exact law of X_t when nil).
func controlPanels(p mfe.Params, r mfe.Regime, c, ex mfe.Control, law func(float64) (float64, float64), times []float64) ([]figure.ControlPanel, error) {
	var panels []figure.ControlPanel
	for _, t := range times {
		var x []float64
		if law != nil {
			m, sd := law(t)
			sd = math.Max(sd, 1e-3)
			x = mfe.Linspace(m-3*sd, m+3*sd, PopulationPoints)
		} else {
			var err error
			if x, err = PopulationX(p, r, t, 3, PopulationPoints); err != nil {
				return nil, err
			}
		}
		cp := figure.ControlPanel{Label: TimeLabel(t), X: x, Exact: make([]float64, len(x)), Learned: make([]float64, len(x))}
		ex.Eval(t, x, cp.Exact)
		c.Eval(t, x, cp.Learned)
		panels = append(panels, cp)
	}
	return panels, nil
}

// ReferenceLabel is how figures name a run's reference control
// (mfe.Result.Reference) in legends and error axes: the solutions of
// package finitedifference.
const ReferenceLabel = "finite differences"

// controlComparison is the control row of ControlFigure and
// ControlValueFigure.
func controlComparison(res *mfe.Result, times []float64) (figure.Comparison, error) {
	if res.Control == nil {
		return figure.Comparison{}, fmt.Errorf("report: %s run has no control", res.Method)
	}
	if res.Reference != nil {
		panels, err := controlPanels(res.Params, res.Regime, res.Control, res.Reference, res.ReferenceLaw, times)
		if err != nil {
			return figure.Comparison{}, err
		}
		return figure.Comparison{Name: "Control", YLabel: "trading rate α(t, x)", Panels: panels, Reference: ReferenceLabel}, nil
	}
	panels, err := ControlPanels(res.Params, res.Regime, res.Control, times)
	if err != nil {
		return figure.Comparison{}, err
	}
	return figure.Comparison{Name: "Control", YLabel: "trading rate α(t, x)", Panels: panels}, nil
}

// ControlFigure draws a run's learned control against the exact one at
// the given times (e.g. 0, T/2, T), each over mean ± 3 sd of the exact
// law of X_t, and the error learned − exact beside it (figure.Compare);
// against its reference (ReferenceLabel) for a run that has one
// (mfe.Result.Reference), over mean ± 3 sd of the reference's law where
// the run has it (mfe.Result.ReferenceLaw).
func ControlFigure(res *mfe.Result, times []float64) (*figure.Grid, error) {
	row, err := controlComparison(res, times)
	if err != nil {
		return nil, err
	}
	against := "exact control"
	if row.Reference != "" {
		against = "control by " + row.Reference
	}
	return figure.Compare([]figure.Comparison{row}, figure.Options{
		Title: RunTitle(res) + ": learned and " + against})
}

// ControlValueFigure draws the learned control and value function of a
// mean-field game run (DGM, actor–critic) against the exact ones at each
// time, each over mean ± 3 sd of the exact law of X_t, with their errors:
// the control in the first row, the value in the second.
func ControlValueFigure(res *mfe.Result, times []float64) (*figure.Grid, error) {
	if res.Value == nil {
		return nil, fmt.Errorf("report: %s run has no learned value", res.Method)
	}
	if res.Regime != mfe.MFG {
		return nil, fmt.Errorf("report: the exact value is the mean-field game's; the run is %s", res.Regime)
	}
	if res.Reference != nil {
		return nil, fmt.Errorf("report: the exact value is the LQ model's; the run solved the %s model", res.Model.Label())
	}
	m, err := exact.NewMFG(res.Params)
	if err != nil {
		return nil, err
	}
	ctl, err := controlComparison(res, times)
	if err != nil {
		return nil, err
	}
	val := figure.Comparison{Name: "Value", YLabel: "value v(t, x)"}
	for i, t := range times {
		x := ctl.Panels[i].X
		vp := figure.ControlPanel{Label: TimeLabel(t), X: x, Exact: make([]float64, len(x)), Learned: make([]float64, len(x))}
		m.ValueFunc().Eval(t, x, vp.Exact)
		res.Value.Eval(t, x, vp.Learned)
		val.Panels = append(val.Panels, vp)
	}
	return figure.Compare([]figure.Comparison{ctl, val}, figure.Options{
		Title: RunTitle(res) + ": learned and exact control and value"})
}

// TrainingFigure draws a run's training history against its epochs (in
// the method's unit, EpochName): the control error at the evaluation
// epochs, and the training loss.
//
// The control error is the relative one (control_rel) where the history
// records it; else, where it records control_mse and the run has final
// metrics, √(control_mse / D), with D = control_mse / control_rel² of the
// final evaluation (the exact control's mean square along the learned
// paths), so that the curve ends at the run's control_rel; else
// control_mse itself with its band of ± 1 sd over particles. The loss,
// when it has more than 200 epochs, is drawn as its means over windows of
// epochs (about 100 points), its absolute value on the log axis.
func TrainingFigure(res *mfe.Result) (*figure.Grid, error) {
	h := res.History
	unit := EpochName(res.Method)
	var plots []*plot.Plot
	if s, ylabel, ok := controlErrorSeries(res); ok {
		p, err := figure.Training([]figure.TrainSeries{s}, figure.Options{Title: "Control error", XLabel: unit, YLabel: ylabel, NoLegend: true})
		if err != nil {
			return nil, err
		}
		plots = append(plots, p)
	}
	if len(h.Loss) == len(h.Epoch) && len(h.Loss) > 0 {
		abs := make([]float64, len(h.Loss))
		for i, v := range h.Loss {
			abs[i] = math.Abs(v)
		}
		w := 1
		if len(abs) > 200 {
			w = len(abs) / 100
		}
		x, y := windowMeans(h.Epoch, abs, w)
		s, ok := positive(figure.TrainSeries{X: x, Mean: y})
		if ok {
			title := "Training loss"
			if w > 1 {
				title = fmt.Sprintf("Training loss (means over %d)", w)
			}
			p, err := figure.Training([]figure.TrainSeries{s}, figure.Options{Title: title, XLabel: unit, YLabel: "|training loss|", NoLegend: true})
			if err != nil {
				return nil, err
			}
			plots = append(plots, p)
		}
	}
	if len(plots) == 0 {
		return nil, fmt.Errorf("report: %s run has no training history to draw", res.Method)
	}
	return grid(plots, len(plots), RunTitle(res)+": training")
}

// controlErrorSeries is the control-error curve of TrainingFigure and its
// axis label; false when the history has none.
func controlErrorSeries(res *mfe.Result) (figure.TrainSeries, string, bool) {
	h := res.History
	x := ints(h.EvalEpoch)
	if rel := h.Extra[mfe.KeyControlRel]; len(rel) > 0 && len(rel) == len(x) {
		s, ok := positive(figure.TrainSeries{X: x, Mean: rel})
		return s, "relative control error", ok
	}
	if len(h.ControlMSE) == 0 || len(h.ControlMSE) != len(x) {
		return figure.TrainSeries{}, "", false
	}
	m := res.Metrics
	if m.ControlRel > 0 && m.ControlMSE > 0 && !math.IsInf(m.ControlRel, 0) && !math.IsInf(m.ControlMSE, 0) {
		d := m.ControlMSE / (m.ControlRel * m.ControlRel)
		rel := make([]float64, len(h.ControlMSE))
		for i, v := range h.ControlMSE {
			rel[i] = math.Sqrt(v / d)
		}
		s, ok := positive(figure.TrainSeries{X: x, Mean: rel})
		return s, "relative control error", ok
	}
	s := figure.TrainSeries{X: x, Mean: h.ControlMSE}
	if len(h.ControlMSEStd) == len(x) {
		s.Std = h.ControlMSEStd
	}
	s, ok := positive(s)
	return s, "mean squared control error", ok
}

// positive keeps the points of s whose value is finite and positive (a log
// axis draws no other), with a finite non-negative band (else 0); false
// when none is left.
func positive(s figure.TrainSeries) (figure.TrainSeries, bool) {
	out := figure.TrainSeries{Label: s.Label, Dashed: s.Dashed}
	for i, v := range s.Mean {
		if !(v > 0) || math.IsInf(v, 0) || math.IsNaN(s.X[i]) {
			continue
		}
		out.X = append(out.X, s.X[i])
		out.Mean = append(out.Mean, v)
		if s.Std != nil {
			sd := s.Std[i]
			if !(sd >= 0) || math.IsInf(sd, 0) {
				sd = 0
			}
			out.Std = append(out.Std, sd)
		}
	}
	return out, len(out.X) > 0
}

// windowMeans returns the means of consecutive windows of w values of y,
// at the windows' last epochs.
func windowMeans(epochs []int, y []float64, w int) (xs, ys []float64) {
	w = max(w, 1)
	for i := 0; i < len(y); i += w {
		j := min(i+w, len(y))
		var s float64
		for _, v := range y[i:j] {
			s += v
		}
		xs = append(xs, float64(epochs[j-1]))
		ys = append(ys, s/float64(j-i))
	}
	return xs, ys
}

// grid lays plots out in cols columns under a title.
func grid(plots []*plot.Plot, cols int, title string) (*figure.Grid, error) {
	g, err := figure.NewGrid(plots, cols)
	if err != nil {
		return nil, err
	}
	g.Title = title
	return g, nil
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
// control.png (ControlFigure at t = 0, T/2 and T) and training.png
// (TrainingFigure). A result without a control has none.
func WriteFigures(dir string, res *mfe.Result) error {
	if res.Control == nil {
		return nil
	}
	figs := []struct {
		name string
		make func() (figure.Figure, error)
	}{
		{"control.png", func() (figure.Figure, error) { return ControlFigure(res, Times(res.Params.T, 0, 0.5, 1)) }},
		{"training.png", func() (figure.Figure, error) { return TrainingFigure(res) }},
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
