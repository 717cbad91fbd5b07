package memoir

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nplayer"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/dgm"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/fbsde"
)

// Figures of what a method learns besides its control, as the original
// memoir shows them: the law of the inventory under the FBSDE method's
// control, the Deep Galerkin loss components, the actor–critic's value
// function and its three losses.

// extraFigure is one figure of a run beyond its control and training
// figures: the PNG's name in the output directory and its caption.
type extraFigure struct {
	Name    string // file name, e.g. "fbsde-mfg-density.png"; its label is fig: and the name without .png
	Caption string // LaTeX, a sentence or more
}

// extraFigures draws the figures of r that its method's section shows
// beyond the control and the training: none for most methods.
func (g *gen) extraFigures(r *runDir) ([]extraFigure, error) {
	k := r.key().String()
	var out []extraFigure
	add := func(name string, f figure.Figure, caption string) error {
		w, h := figure.Size(f) // full text width, as package figure draws it
		if err := g.saveSize(name, f, w, h); err != nil {
			return err
		}
		out = append(out, extraFigure{Name: name, Caption: caption})
		return nil
	}
	switch r.Res.Method {
	case fbsde.Method:
		if r.Grid == nil {
			return nil, nil
		}
		f, l1, err := g.learnedDensity(r)
		if err != nil {
			return nil, fmt.Errorf("density: %w", err)
		}
		if err := add(k+"-density.png", f, densityCaption(l1)); err != nil {
			return nil, err
		}
	case dgm.Method:
		if r.Res.History.Len() == 0 {
			return nil, nil
		}
		f, err := report.LossComponentsFigure(&r.Res)
		if err != nil {
			return nil, fmt.Errorf("loss components: %w", err)
		}
		if err := add(k+"-losses.png", f, "The terms of the Deep Galerkin loss during training "+
			"(the history thinned to at most "+texInt(maxHistory)+" iterations): the root mean square "+
			"residuals of the HJB and Fokker--Planck equations on the interior samples, and of the terminal "+
			"and initial conditions; a condition that the networks satisfy by construction is zero at every "+
			"iteration and is named in the title instead of drawn."); err != nil {
			return nil, err
		}
	case actorcritic.Method:
		vg, err := readValueGrid(r.Dir)
		if err != nil {
			return nil, err
		}
		if vg != nil {
			f, err := valueFigure(g.P, r, vg)
			if err != nil {
				return nil, fmt.Errorf("value: %w", err)
			}
			if err := add(k+"-value.png", f, "The critic's value function (rings) against the exact "+
				"value of the game (lines) at $t=0$, $T/2$ and $T$, on the points of the reporting grid where the "+
				"population is (mean $\\pm$ 3 standard deviations of the exact law of $X_t$), and beside it the "+
				"error learned $-$ exact on its own scale."); err != nil {
				return nil, err
			}
		}
		if r.Res.History.Len() > 0 {
			f, err := report.ActorCriticTraining(&r.Res)
			if err != nil {
				return nil, fmt.Errorf("losses: %w", err)
			}
			thinnedTitles(f, &r.Res)
			if err := add(k+"-losses.png", f, "The actor--critic's three losses during training, means over "+
				"windows of episodes: the critic's TD(0) loss, the actor's policy-gradient loss and the score "+
				"network's score-matching loss; and the relative errors of the three networks against the exact "+
				"solution at the evaluation episodes (the actor's mean against the exact control, the critic against "+
				"the exact value, the score against that of the exact law of the actions)."); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// thinnedTitles corrects the titles of report.ActorCriticTraining's
// figure for a history that Import thinned: that figure counts episodes as
// history entries, and its windows of means in entries, which are
// episodes only in an unthinned history. The figure's title gets the last
// episode, and each "(means over N)" the episodes its window spans.
func thinnedTitles(f *figure.Grid, res *mfe.Result) {
	h := res.History
	n := len(h.Epoch)
	if n < 2 {
		return
	}
	last := h.Epoch[n-1]
	per := float64(last-h.Epoch[0]) / float64(n-1) // episodes per entry
	f.Title = fmt.Sprintf("%s: training, %d episodes", report.RunTitle(res), last)
	for _, row := range f.Plots {
		for _, p := range row {
			if p == nil {
				continue
			}
			var w int
			if head, _, ok := strings.Cut(p.Title.Text, " (means over "); ok {
				if _, err := fmt.Sscanf(p.Title.Text[len(head):], " (means over %d)", &w); err == nil {
					p.Title.Text = fmt.Sprintf("%s (means over %d episodes)", head, int(math.Round(float64(w)*per)))
				}
			}
		}
	}
}

// densityFractions are the fractions of T at which learnedDensity compares
// the laws.
var densityFractions = []float64{0.25, 0.5, 1}

// Particles and time steps of learnedDensity's simulations, and their seed.
const (
	densityN     = 100000
	densitySteps = 100
	densitySeed  = 11
)

// learnedDensity compares the law of the inventory X_t under the learned
// control of r (its control.json, interpolated by nplayer.GridControl) with
// the exact law at the times densityFractions of T. The learned law's
// density is estimated with a control variate: the exact density plus the
// difference of two Gaussian kernel estimates at the same points, from
// particles driven by the same draws (sim.Sim of the same seed), one set
// under the learned control and one under the exact control tabulated on
// the same grid (control.json's exact_alpha). The difference is the effect
// of the learned control alone: the kernel's bias, the tabulation in t, the
// time steps and most of the sampling noise cancel in it. l1 is that
// difference's L1 norm over the panel's x at each time (trapezoid rule).
func (g *gen) learnedDensity(r *runDir) (f *figure.Grid, l1 []float64, err error) {
	cg := r.Grid
	learned, err := nplayer.NewGridControl(cg.T, cg.X, cg.Alpha)
	if err != nil {
		return nil, nil, err
	}
	tabulated, err := nplayer.NewGridControl(cg.T, cg.X, cg.Exact)
	if err != nil {
		return nil, nil, err
	}
	law, err := eval.LawX(g.P, r.Res.Regime)
	if err != nil {
		return nil, nil, err
	}
	times := report.Times(g.P.T, densityFractions...)
	keep := make([]int, len(times))
	for i, t := range times {
		keep[i] = int(math.Round(t / g.P.T * densitySteps))
	}
	s := sim.Sim{P: g.P, N: densityN, Steps: densitySteps, Seed: densitySeed}
	ctx := context.Background()
	rl, err := s.Run(ctx, learned, sim.Options{Keep: keep})
	if err != nil {
		return nil, nil, err
	}
	re, err := s.Run(ctx, tabulated, sim.Options{Keep: keep})
	if err != nil {
		return nil, nil, err
	}
	row := figure.Comparison{Name: "Density", YLabel: "density"}
	for i, t := range times {
		x, err := report.PopulationX(g.P, r.Res.Regime, t, 4, report.PopulationPoints)
		if err != nil {
			return nil, nil, err
		}
		l := law(t)
		ref := re.Snapshots[keep[i]]
		h := 1.06 * sampleSD(ref) * math.Pow(float64(len(ref)), -0.2) // Silverman's rule
		kl, ke := kernelDensity(rl.Snapshots[keep[i]], x, h), kernelDensity(ref, x, h)
		cp := figure.ControlPanel{Label: report.TimeLabel(t), X: x, Exact: make([]float64, len(x)), Learned: make([]float64, len(x))}
		var norm float64
		for j, xj := range x {
			cp.Exact[j] = l.Density(xj)
			cp.Learned[j] = cp.Exact[j] + kl[j] - ke[j]
			if j > 0 {
				norm += (x[j] - x[j-1]) * (math.Abs(kl[j]-ke[j]) + math.Abs(kl[j-1]-ke[j-1])) / 2
			}
		}
		row.Panels = append(row.Panels, cp)
		l1 = append(l1, norm)
	}
	f, err = figure.Compare([]figure.Comparison{row}, figure.Options{
		Title: report.RunTitle(&r.Res) + ": law of the inventory under the learned control"})
	return f, l1, err
}

// densityCaption is the caption of learnedDensity's figure, with its L1
// distances.
func densityCaption(l1 []float64) string {
	s := fmt.Sprintf("Density of the inventory $X_t$ under the learned control (rings) and the exact density (lines) "+
		"at $t=T/4$, $T/2$ and $T$, over mean $\\pm$ 4 standard deviations of the exact law, and beside it "+
		"the difference on its own scale. The learned law is that of %s particles driven by the learned control "+
		"of \\texttt{control.json}, estimated as the exact density plus the difference of two Gaussian kernel "+
		"estimates from the same draws, one under the learned control and one under the exact control tabulated "+
		"on the same grid: the kernel's bias, the time steps and most of the sampling noise cancel in the "+
		"difference, which is the learned control's effect alone. Its $L^1$ norm over the range drawn is ",
		texInt(densityN))
	for i, v := range l1 {
		switch {
		case i == len(l1)-1 && i > 0:
			s += " and "
		case i > 0:
			s += ", "
		}
		s += texNum(v, 2)
	}
	return s + " at the three times."
}

// sampleSD is the standard deviation of xs (at least 1e-3, so that a
// point mass still gets a kernel).
func sampleSD(xs []float64) float64 {
	var m, m2 float64
	for _, x := range xs {
		m += x
		m2 += x * x
	}
	n := float64(len(xs))
	m /= n
	return math.Max(math.Sqrt(math.Max(m2/n-m*m, 0)), 1e-3)
}

// kernelDensity is the Gaussian kernel estimate of bandwidth h of the
// density of samples at each of x.
func kernelDensity(samples, x []float64, h float64) []float64 {
	out := make([]float64, len(x))
	c := 1 / (float64(len(samples)) * h * math.Sqrt(2*math.Pi))
	for j, xj := range x {
		var s float64
		for _, v := range samples {
			u := (xj - v) / h
			if u < 8 && u > -8 {
				s += math.Exp(-u * u / 2)
			}
		}
		out[j] = c * s
	}
	return out
}

// ValueGrid is a learned value function tabulated where a run reports its
// control (value.json beside control.json): Value[i][j] = v(T[i], X[j]),
// with the exact value of the game, for the mean-field game's runs.
type ValueGrid struct {
	T     []float64   `json:"t"`
	X     []float64   `json:"x"`
	Value [][]float64 `json:"value"`
	Exact [][]float64 `json:"exact_value"`
}

// NewValueGrid tabulates res's learned value and the exact value of the
// game on the grid of its control.json (mfe.StandardGrid's times,
// rundir.GridX's x). It returns nil for a run without a learned value or
// of the MFC, whose exact value the memoir does not compare.
func NewValueGrid(res *mfe.Result) (*ValueGrid, error) {
	if res.Value == nil || res.Regime != mfe.MFG {
		return nil, nil
	}
	m, err := exact.NewMFG(res.Params)
	if err != nil {
		return nil, err
	}
	ts, _ := mfe.StandardGrid(res.Params.T)
	xs, err := rundir.GridX(res.Params, res.Regime)
	if err != nil {
		return nil, err
	}
	vg := &ValueGrid{T: ts, X: xs}
	for _, t := range ts {
		v, e := make([]float64, len(xs)), make([]float64, len(xs))
		res.Value.Eval(t, xs, v)
		m.ValueFunc().Eval(t, xs, e)
		vg.Value = append(vg.Value, v)
		vg.Exact = append(vg.Exact, e)
	}
	return vg, nil
}

// readValueGrid reads dir/value.json, nil if there is none.
func readValueGrid(dir string) (*ValueGrid, error) {
	var vg ValueGrid
	switch err := rundir.ReadJSON(filepath.Join(dir, "value.json"), &vg); {
	case errors.Is(err, os.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	}
	if len(vg.T) < 2 || len(vg.X) < 2 || len(vg.Value) != len(vg.T) || len(vg.Exact) != len(vg.T) {
		return nil, fmt.Errorf("%s/value.json: malformed grid", dir)
	}
	for i := range vg.T {
		if len(vg.Value[i]) != len(vg.X) || len(vg.Exact[i]) != len(vg.X) {
			return nil, fmt.Errorf("%s/value.json: row %d has %d and %d values for %d x", dir, i, len(vg.Value[i]), len(vg.Exact[i]), len(vg.X))
		}
	}
	return &vg, nil
}

// valueFigure draws a value grid's learned value against the exact one at
// t = 0, T/2 and T, on its x within mean ± 3 sd of the exact law of X_t,
// with the error beside it.
func valueFigure(p mfe.Params, r *runDir, vg *ValueGrid) (*figure.Grid, error) {
	row := figure.Comparison{Name: "Value", YLabel: "value v(t, x)"}
	n := len(vg.T)
	for _, i := range []int{0, (n - 1) / 2, n - 1} {
		t := vg.T[i]
		ends, err := report.PopulationX(p, r.Res.Regime, t, 3, 2)
		if err != nil {
			return nil, err
		}
		cp := figure.ControlPanel{Label: report.TimeLabel(t)}
		for j, x := range vg.X {
			if x >= ends[0] && x <= ends[1] {
				cp.X = append(cp.X, x)
				cp.Exact = append(cp.Exact, vg.Exact[i][j])
				cp.Learned = append(cp.Learned, vg.Value[i][j])
			}
		}
		if len(cp.X) < 2 {
			return nil, fmt.Errorf("value.json: %d of its x points in the population's range at t = %g", len(cp.X), t)
		}
		row.Panels = append(row.Panels, cp)
	}
	return figure.Compare([]figure.Comparison{row}, figure.Options{
		Title: report.RunTitle(&r.Res) + ": learned and exact value"})
}
