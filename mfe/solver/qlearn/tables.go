package qlearn

import (
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// Tables is the learned state of a run: the Q table at its last action
// level, the population moments and the learned control on the grid. It is
// an mfe.Control (the learned feedback) and is what SaveTables writes.
type Tables struct {
	Method   string     `json:"method"`
	Regime   mfe.Regime `json:"regime"`
	Params   mfe.Params `json:"params"`
	Config   Config     `json:"config"`
	Grid     Grid       `json:"grid"`
	Seed     uint64     `json:"seed"`
	Episodes int        `json:"episodes"` // episodes trained
	Level    int        `json:"level"`    // action level of Q
	DA       float64    `json:"da"`       // action spacing of Q
	NA       int        `json:"na"`       // actions per row
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
// beyond the grid), and in t as Config.TimeInterp says.
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
		out[k] = (1-wt)*a0 + wt*a1
	}
}

// tables snapshots the learner (copies, so training can go on).
func (l *learner) tables(seed uint64) *Tables {
	return &Tables{
		Method: Method, Regime: l.r, Params: l.p, Config: l.cfg, Grid: l.g, Seed: seed,
		Episodes: l.episode, Level: l.level, DA: l.da, NA: l.na,
		Center:  append([]float64(nil), l.center...),
		Q:       append([]float64(nil), l.q...),
		Visits:  append([]uint32(nil), l.visits...),
		Abar:    append([]float64(nil), l.abar...),
		Xbar:    append([]float64(nil), l.xbar...),
		Control: l.control(),
	}
}

// vertex returns the greedy action of a row and whether the row has enough
// visits to be trusted: with SubGrid the maximiser of the parabola fitted
// to the row's window (see window), otherwise the action of the grid argmax.
func (l *learner) vertex(row int) (float64, bool) {
	na := l.na
	var tot uint64
	for j := 0; j < na; j++ {
		tot += uint64(l.visits[row*na+j])
	}
	ok := tot >= uint64(l.cfg.MinVisits)
	if l.fit {
		return l.center[row] + l.gU[row]*l.da, ok
	}
	return l.action(row, int(l.best[row])), ok
}

// refined returns the refined greedy action of every row of time n, rows
// with too few visits filled from the trusted ones: linear interpolation
// between the nearest trusted rows either side, the nearest trusted value
// beyond them (extrapolate = false) or a linear extrapolation from the two
// nearest (extrapolate = true, used to place the next level's action rows).
func (l *learner) refined(n int, extrapolate bool) []float64 {
	NX := l.g.NX
	out := make([]float64, NX)
	ok := make([]bool, NX)
	var good []int
	for i := 0; i < NX; i++ {
		out[i], ok[i] = l.vertex(n*NX + i)
		if ok[i] {
			good = append(good, i)
		}
	}
	if len(good) == 0 {
		return out
	}
	lin := func(i, a, b int) float64 {
		return out[a] + (out[b]-out[a])*float64(i-a)/float64(b-a)
	}
	for i := 0; i < NX; i++ {
		if ok[i] {
			continue
		}
		switch k := lowerBound(good, i); {
		case k == 0: // below every trusted row
			if extrapolate && len(good) >= 2 {
				out[i] = lin(i, good[0], good[1])
			} else {
				out[i] = out[good[0]]
			}
		case k == len(good): // above
			if extrapolate && len(good) >= 2 {
				out[i] = lin(i, good[k-2], good[k-1])
			} else {
				out[i] = out[good[k-1]]
			}
		default:
			out[i] = lin(i, good[k-1], good[k])
		}
	}
	return out
}

func lowerBound(s []int, v int) int {
	k := 0
	for k < len(s) && s[k] < v {
		k++
	}
	return k
}

// control is the learned control table [n][i].
func (l *learner) control() [][]float64 {
	out := make([][]float64, l.cfg.Steps)
	for n := range out {
		out[n] = l.refined(n, false)
	}
	return out
}

// nextLevel re-centres every row on its refined greedy action, halves the
// spacing and keeps RefineJ actions either side; the new Q entries are the
// old row linearly interpolated at the new actions, with a prior weight of
// priorVisits visits.
func (l *learner) nextLevel() {
	const priorVisits = 16
	NX, N := l.g.NX, l.cfg.Steps
	J := l.cfg.RefineJ
	na := 2*J + 1
	da := l.da / 2
	center := make([]float64, len(l.center))
	for n := 0; n < N; n++ {
		c := l.refined(n, true)
		copy(center[n*NX:(n+1)*NX], c)
	}
	q := make([]float64, len(center)*na)
	visits := make([]uint32, len(q))
	for row := range center {
		if l.fit {
			// the previous level's fitted parabola at the new actions
			w := &l.win
			c1, c2, b0 := l.s1[row]*w.u2inv, l.s2[row]*w.w2inv, l.s0[row]/w.n
			for j := 0; j < na; j++ {
				u := (center[row] + float64(j-J)*da - l.center[row]) / l.da
				q[row*na+j] = b0 + c1*u + c2*(u*u-w.m2)
				visits[row*na+j] = priorVisits
			}
			continue
		}
		for j := 0; j < na; j++ {
			a := center[row] + float64(j-J)*da
			// old column coordinate
			u := (a-l.center[row])/l.da + float64(l.half)
			var v float64
			switch {
			case u <= 0:
				v = l.q[row*l.na]
			case u >= float64(l.na-1):
				v = l.q[row*l.na+l.na-1]
			default:
				k := int(u)
				w := u - float64(k)
				v = (1-w)*l.q[row*l.na+k] + w*l.q[row*l.na+k+1]
			}
			q[row*na+j] = v
			visits[row*na+j] = priorVisits
		}
	}
	l.level++
	l.da, l.na, l.half = da, na, J
	l.center, l.q, l.visits = center, q, visits
	for row := range center {
		l.rescan(row)
	}
	if l.fit {
		l.fitAll()
	}
}

// checkTables validates loaded tables against the parameters and regime.
func (tb *Tables) check(p mfe.Params, r mfe.Regime) error {
	if tb.Method != Method {
		return fmt.Errorf("qlearn: the file holds method %q, not q-learning", tb.Method)
	}
	if !tb.Params.Equal(p) {
		return fmt.Errorf("qlearn: the tables were trained with other parameters %+v, not %+v: retrain for these parameters", tb.Params, p)
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
// were trained for the parameters p and regime r.
func LoadTables(path string, p mfe.Params, r mfe.Regime) (*Tables, error) {
	var tb Tables
	if err := rundir.ReadJSON(path, &tb); err != nil {
		return nil, err
	}
	if err := tb.check(p, r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &tb, nil
}
