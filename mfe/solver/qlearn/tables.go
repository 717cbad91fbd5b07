package qlearn

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/qlearn/internal/tabular"
)

// Grid is the discretisation of a run (package tabular): the time grid,
// the state grid and the environment's action range.
type Grid = tabular.Grid

// Tables is the learned state of a run: the Q table at its last action
// level, the population moments and the learned control on the grid. It is
// an mfe.Control (the learned feedback) and is what SaveTables writes.
type Tables struct {
	Method string     `json:"method"`
	Regime mfe.Regime `json:"regime"`
	Params mfe.Params `json:"params"`
	// Model is the model the tables were trained for (omitted: LQ).
	Model    mfe.ModelSpec `json:"model,omitzero"`
	Config   Config        `json:"config"`
	Grid     Grid          `json:"grid"`
	Seed     uint64        `json:"seed"`
	Episodes int           `json:"episodes"` // episodes trained
	Level    int           `json:"level"`    // action level of Q
	DA       float64       `json:"da"`       // action spacing of Q
	NA       int           `json:"na"`       // actions per row
	// Center[row]: the action of column NA/2 in row = n*NX + i; the row's
	// actions are Center[row] + (j - NA/2)*DA.
	Center []float64 `json:"center"`
	Q      []float64 `json:"q"`      // Q[row*NA + j]
	Visits []uint32  `json:"visits"` // visits of each entry at this level
	Abar   []float64 `json:"abar"`   // population mean action per time index
	Xbar   []float64 `json:"xbar"`   // population mean state per time index
	// Control[n][i] is the learned control at time index n and state i.
	Control [][]float64 `json:"control"`
}

// Eval implements mfe.Control: linear in x between grid states (constant
// beyond the grid), and in t as Config.TimeInterp says, within the
// environment's action range (the model's control set): the linear
// extrapolation in t before the first and after the last time node could
// leave it.
func (tb *Tables) Eval(t float64, x, out []float64) {
	g := tb.Grid
	N := len(tb.Control)
	n0, n1, wt := 0, 0, 0.0
	s := t / g.DT
	switch tb.Config.TimeInterp {
	case "step":
		n0 = min(max(int(math.Floor(s+1e-9)), 0), N-1)
		n1 = n0
	default:
		s -= tb.Config.TimeNode
		switch {
		case s <= 0 && N >= 2:
			// before the first node: linear extrapolation from the first two
			n0, n1, wt = 0, 1, s
		case s <= 0:
		case s >= float64(N-1) && N >= 2:
			// after the last node: linear extrapolation from the last two
			n0, n1, wt = N-2, N-1, s-float64(N-2)
		case s >= float64(N-1):
			n0, n1 = N-1, N-1
		default:
			n0 = int(s)
			n1, wt = n0+1, s-float64(n0)
		}
	}
	c0, c1 := tb.Control[n0], tb.Control[n1]
	for k, xk := range x {
		u := (xk - g.XMin) / g.DX
		var a0, a1 float64
		switch {
		case u <= 0:
			a0, a1 = c0[0], c1[0]
		case u >= float64(g.NX-1):
			a0, a1 = c0[g.NX-1], c1[g.NX-1]
		default:
			i := int(u)
			w := u - float64(i)
			a0 = (1-w)*c0[i] + w*c0[i+1]
			a1 = (1-w)*c1[i] + w*c1[i+1]
		}
		out[k] = math.Max(g.AMin, math.Min(g.AMax, (1-wt)*a0+wt*a1))
	}
}

// newTables snapshots the learner l of a run of model m (copies, so
// training can go on).
func newTables(l *tabular.Learner, r mfe.Regime, p mfe.Params, m mfe.ModelSpec, cfg Config, seed uint64) *Tables {
	s := l.Snapshot()
	if m.IsLQ() {
		m = mfe.ModelSpec{}
	}
	return &Tables{
		Method: Method, Regime: r, Params: p, Model: m, Config: cfg, Grid: s.Grid, Seed: seed,
		Episodes: s.Episodes, Level: s.Level, DA: s.DA, NA: s.NA,
		Center: s.Center, Q: s.Q, Visits: s.Visits, Abar: s.Abar, Xbar: s.Xbar, Control: s.Control,
	}
}

// check validates loaded tables against the parameters, model and regime.
func (tb *Tables) check(p mfe.Params, m mfe.ModelSpec, r mfe.Regime) error {
	if tb.Method != Method {
		return fmt.Errorf("qlearn: the file holds method %q, not q-learning", tb.Method)
	}
	if !tb.Params.Equal(p) {
		return fmt.Errorf("qlearn: the tables were trained with other parameters %+v, not %+v: retrain for these parameters", tb.Params, p)
	}
	if tb.Model.IsLQ() != m.IsLQ() || !m.IsLQ() && tb.Model != m {
		return fmt.Errorf("qlearn: the tables were trained for the %s model, not %s", tb.Model, m)
	}
	if tb.Regime != r {
		return fmt.Errorf("qlearn: the tables were trained for regime %q, not %q", tb.Regime, r)
	}
	g := tb.Grid
	if g.Steps < 1 || g.NX < 2 || len(tb.Control) != g.Steps || tb.NA < 1 ||
		len(tb.Center) != g.Steps*g.NX || len(tb.Q) != g.Steps*g.NX*tb.NA || len(tb.Visits) != len(tb.Q) {
		return fmt.Errorf("qlearn: the tables' sizes do not match their grid (corrupt file?)")
	}
	for _, c := range tb.Control {
		if len(c) != g.NX {
			return fmt.Errorf("qlearn: the control table's rows do not match the grid (corrupt file?)")
		}
	}
	return nil
}

// SaveTables writes the learned tables as JSON, atomically.
func SaveTables(path string, tb *Tables) error {
	if tb == nil {
		return fmt.Errorf("qlearn: no tables to save")
	}
	return rundir.WriteJSON(path, tb)
}

// LoadTables reads tables written by SaveTables and refuses them unless they
// were trained for the parameters p, model m and regime r.
func LoadTables(path string, p mfe.Params, m mfe.ModelSpec, r mfe.Regime) (*Tables, error) {
	var tb Tables
	if err := rundir.ReadJSON(path, &tb); err != nil {
		return nil, err
	}
	if err := tb.check(p, m, r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &tb, nil
}
