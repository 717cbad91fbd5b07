package interactive

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
)

// View selects the regimes the explorer draws.
type View int

const (
	Both    View = iota // the MFG and the MFC
	MFGOnly             // the mean-field game alone
	MFCOnly             // the mean-field control alone
)

// Views are the choices of the explorer's regime selector, in its order.
var Views = []View{Both, MFGOnly, MFCOnly}

func (v View) String() string {
	switch v {
	case MFGOnly:
		return "MFG"
	case MFCOnly:
		return "MFC"
	}
	return "MFG and MFC"
}

// Regimes returns the regimes the view draws.
func (v View) Regimes() []mfe.Regime {
	switch v {
	case MFGOnly:
		return []mfe.Regime{mfe.MFG}
	case MFCOnly:
		return []mfe.Regime{mfe.MFC}
	}
	return []mfe.Regime{mfe.MFG, mfe.MFC}
}

// Exact is what the explorer shows for one parameter set: a figure of the
// exact solutions of the selected regimes, their costs, and notes about the
// regimes that could not be drawn.
type Exact struct {
	Params mfe.Params
	View   View
	Figure *figure.Grid
	Costs  [][2]string // quantity, value
	Notes  []string    // e.g. why the MFC has no solution at these parameters
}

// solution is the exact solution of one regime, as the explorer uses it.
type solution struct {
	regime    mfe.Regime
	control   mfe.Control
	law       func(t float64) exact.Law
	meanAlpha func(t float64) float64
	cost      float64
}

// ExactView computes and draws the exact solutions of the view's regimes at
// p: the controls α(t, x) at t = 0, T/2, T, each over mean ± 3 sd of its
// regime's law of X_t at that time, the mean inventory with a ±2 sd
// band, the densities of X_t at t = T/3, 2T/3, T, and the mean trading rate
// E[α_t]. Invalid parameters give the parameter's error (*mfe.ParamError); a
// regime without a solution (the MFC when γ is too large for the horizon)
// becomes a note, or the error when no regime is left to draw. Non-finite
// values (overflow at extreme parameters) are reported as errors, never drawn.
func ExactView(p mfe.Params, v View) (*Exact, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	out := &Exact{Params: p, View: v}
	var sols []solution
	var errs []error
	var g *exact.MFG
	for _, r := range v.Regimes() {
		switch r {
		case mfe.MFG:
			m, err := exact.NewMFG(p)
			if err != nil {
				errs = append(errs, fmt.Errorf("MFG: %w", err))
				continue
			}
			g = m
			sols = append(sols, solution{r, m.Control(), m.LawX, m.DE, m.Cost()})
		case mfe.MFC:
			m, err := exact.NewMFC(p)
			if err != nil {
				errs = append(errs, fmt.Errorf("MFC: %w", err))
				continue
			}
			sols = append(sols, solution{r, m.Control(), m.LawX, m.MeanAlpha, m.Cost()})
		}
	}
	if len(sols) == 0 {
		return nil, errors.Join(errs...)
	}
	for _, e := range errs {
		out.Notes = append(out.Notes, e.Error())
	}
	fig, notes, err := drawExact(p, sols)
	if err != nil {
		return nil, err
	}
	out.Figure = fig
	out.Notes = append(out.Notes, notes...)
	type cost struct {
		name string
		v    float64
	}
	var costs []cost
	for _, s := range sols {
		name := "MFG equilibrium cost of one trader"
		if s.regime == mfe.MFC {
			name = "MFC optimal social cost"
		}
		costs = append(costs, cost{name, s.cost})
	}
	if g != nil && v == Both && len(sols) == 2 {
		social := exact.AffineMFG(g).SocialCost()
		costs = append(costs, cost{"social cost of the MFG equilibrium", social},
			cost{"price of anarchy (equilibrium / optimal social cost)", social / sols[1].cost},
			cost{"excess social cost of the equilibrium", social - sols[1].cost})
	}
	for _, c := range costs {
		if math.IsNaN(c.v) || math.IsInf(c.v, 0) {
			return nil, fmt.Errorf("%s is not finite at these parameters (%v)", c.name, c.v)
		}
		out.Costs = append(out.Costs, [2]string{c.name, fmt.Sprintf("%.6g", c.v)})
	}
	return out, nil
}

// drawExact draws the four panels of ExactView.
func drawExact(p mfe.Params, sols []solution) (*figure.Grid, []string, error) {
	var notes []string
	t := mfe.TimeGrid(p.T, 100)
	// Where the inventory lives (±3 sd around the mean paths), at least
	// [-0.5, 1]: the scale of the slivers drawn where X_t is certain.
	lo, hi := -0.5, 1.0
	for _, s := range sols {
		for _, ti := range t {
			l := s.law(ti)
			lo = math.Min(lo, l.Mean-3*l.Std())
			hi = math.Max(hi, l.Mean+3*l.Std())
		}
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil, nil, fmt.Errorf("the law of X_t is not finite at these parameters")
	}

	var ctl, dens, rate []figure.Series
	var paths []figure.PathSeries
	ctlTimes := []float64{0, p.T / 2, p.T}
	densTimes := []float64{p.T / 3, 2 * p.T / 3, p.T}
	for _, s := range sols {
		dashed := s.regime == mfe.MFC
		label := map[mfe.Regime]string{mfe.MFG: "MFG", mfe.MFC: "MFC"}[s.regime]
		for i, ti := range ctlTimes {
			// Where the regime's population is at ti (a sliver where X_t is certain).
			l := s.law(ti)
			w := 3 * math.Max(l.Std(), 0.01*(hi-lo))
			x := mfe.Linspace(l.Mean-w, l.Mean+w, 41)
			y := make([]float64, len(x))
			s.control.Eval(ti, x, y)
			ctl = append(ctl, figure.Series{Label: fmt.Sprintf("%s, t = %.3g", label, ti), X: x, Y: y, Dashed: dashed, Color: figure.Color(i)})
		}
		ps := figure.PathSeries{Label: label, T: t}
		for _, ti := range t {
			l := s.law(ti)
			ps.Mean = append(ps.Mean, l.Mean)
			ps.SD = append(ps.SD, l.Std())
		}
		paths = append(paths, ps)
		for i, ti := range densTimes {
			l := s.law(ti)
			if l.Std() < 1e-6*math.Max(1, hi-lo) {
				notes = append(notes, fmt.Sprintf("%s: X_t is deterministic at t=%.3g (σ = sd(X₀) = 0): no density to draw", label, ti))
				continue
			}
			xd := mfe.Linspace(l.Mean-4*l.Std(), l.Mean+4*l.Std(), 121)
			d := make([]float64, len(xd))
			for i, xi := range xd {
				d[i] = l.Density(xi)
			}
			dens = append(dens, figure.Series{Label: fmt.Sprintf("%s, t = %.3g", label, ti), X: xd, Y: d, Dashed: dashed, Color: figure.Color(i)})
		}
		y := make([]float64, len(t))
		for i, ti := range t {
			y[i] = s.meanAlpha(ti)
		}
		rate = append(rate, figure.Series{Label: label, X: t, Y: y, Dashed: dashed})
	}
	var plots []*plot.Plot
	add := func(p *plot.Plot, err error) error {
		if err != nil {
			return err
		}
		plots = append(plots, p)
		return nil
	}
	if err := add(figure.Lines(ctl, figure.Options{Title: "Controls", XLabel: "inventory x", YLabel: "trading rate α(t, x)"})); err != nil {
		return nil, nil, err
	}
	if err := add(figure.MeanPath(paths, figure.Options{Title: "Mean inventory ± 2 sd", XLabel: "time t", YLabel: "inventory"})); err != nil {
		return nil, nil, err
	}
	if len(dens) > 0 {
		if err := add(figure.Lines(dens, figure.Options{Title: "Density of the inventory", XLabel: "inventory x", YLabel: "density"})); err != nil {
			return nil, nil, err
		}
	}
	if err := add(figure.Lines(rate, figure.Options{Title: "Mean trading rate", XLabel: "time t", YLabel: "mean trading rate"})); err != nil {
		return nil, nil, err
	}
	grid, err := figure.NewGrid(plots, 2)
	if err != nil {
		return nil, nil, err
	}
	return grid, notes, nil
}
