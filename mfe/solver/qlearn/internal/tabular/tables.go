package tabular

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// vertex returns the greedy action of a row and whether the row has enough
// visits to be trusted: with SubGrid the maximiser of the parabola fitted
// to the row's window (see window), otherwise the action of the grid argmax.
func (l *Learner) vertex(row int) (float64, bool) {
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
func (l *Learner) refined(n int, extrapolate bool) []float64 {
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
	k := 0 // good[k-1] < i <= good[k]
	for i := 0; i < NX; i++ {
		for k < len(good) && good[k] < i {
			k++
		}
		if ok[i] {
			continue
		}
		switch {
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

// Control returns the learned control on the grid: [n][i], the greedy
// action of row (n, i), rows with fewer than MinVisits visits filled from
// their trusted neighbours.
func (l *Learner) Control() [][]float64 {
	out := make([][]float64, l.N)
	for n := range out {
		out[n] = l.refined(n, false)
	}
	return out
}

// NextLevel re-centres every row on its refined greedy action, moved so
// that the row's window lies in the action range (clampCenter), halves
// the spacing (see spacing) and keeps RefineJ actions either side; the new
// Q entries are the old row linearly interpolated at the new actions (with
// SubGrid the old row's fitted parabola), with a prior weight of
// priorVisits visits. With SubGrid, a level whose spacing is the
// previous one's (a narrow action range, see spacing) keeps the windows,
// their entries and visits as they are: re-centring them would restart
// their learning rates and jolt the population (the MFC on the capped
// model falls back from control_rel 0.07 to 0.4 at each such level).
func (l *Learner) NextLevel() {
	const priorVisits = 16
	NX, N := l.g.NX, l.N
	J := l.cfg.RefineJ
	na := 2*J + 1
	da := l.spacing(l.level + 1)
	if l.fit && da == l.da {
		l.level++
		return
	}
	center := make([]float64, len(l.center))
	for n := 0; n < N; n++ {
		for i, c := range l.refined(n, true) {
			center[n*NX+i] = l.clampCenter(c, da, J)
		}
	}
	q := make([]float64, len(center)*na)
	visits := make([]uint32, len(q))
	for row := range center {
		if l.fit {
			// the previous level's fitted parabola at the new actions
			// (with a reward residual, the continuation's fit P - R; the
			// reward at the new actions is added below)
			w := &l.win
			c1, c2, b0 := l.s1[row]*w.u2inv, l.s2[row]*w.w2inv, l.s0[row]/w.n
			for j := 0; j < na; j++ {
				u := (center[row] + float64(j-J)*da - l.center[row]) / l.da
				q[row*na+j] = b0 + c1*u + c2*(u*u-w.m2)
				if l.resid != nil {
					q[row*na+j] -= l.rewardFit(row, u)
				}
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
	if l.resid != nil {
		for row := range center {
			l.fitReward(row)
			for j := 0; j < na; j++ {
				q[row*na+j] += l.entryReward(row, j)
			}
		}
	}
	for row := range center {
		l.rescan(row)
	}
	if l.fit {
		l.fitAll()
	}
	if l.edge != nil {
		l.fitEdges()
	}
}

// Snapshot is a copy of the learner's tables at its current level.
type Snapshot struct {
	Grid     Grid
	Episodes int     // episodes trained
	Level    int     // action level of Q
	DA       float64 // action spacing of Q
	NA       int     // actions per row
	// Center[row]: the action of column NA/2 in row = n*NX + i.
	Center  []float64
	Q       []float64 // Q[row*NA + j]
	Visits  []uint32  // visits of each entry at this level
	Abar    []float64 // population mean action per time index
	Xbar    []float64 // population mean state per time index
	Control [][]float64
}

// Snapshot copies the learner's tables (training can go on).
func (l *Learner) Snapshot() Snapshot {
	return Snapshot{
		Grid: l.g, Episodes: l.episode, Level: l.level, DA: l.da, NA: l.na,
		Center:  append([]float64(nil), l.center...),
		Q:       append([]float64(nil), l.q...),
		Visits:  append([]uint32(nil), l.visits...),
		Abar:    append([]float64(nil), l.abar...),
		Xbar:    append([]float64(nil), l.xbar...),
		Control: l.Control(),
	}
}

// State is the learner's mutable state: with its environment, its
// configuration and its seed it determines every later step of training,
// random numbers included. Its slices are the learner's own (encode it
// before training goes on). Slices of a part the configuration does not
// use are nil.
type State struct {
	Grid   Grid
	Level  int
	DA     float64
	NA     int
	Half   int
	Center []float64
	Q      []float64
	Visits []uint32
	Best   []int32
	BestV  []float64
	S0     []float64 // window fit sums (SubGrid)
	S1     []float64
	S2     []float64
	GU     []float64
	// Resid, RFit: the rows' reward residuals and their parabolas'
	// coefficients (a reward not quadratic in the action, see subSteps).
	Resid []float64
	RFit  []float64
	Abar  []float64
	Xbar  []float64
	GradX []float64 // Marginal
	GradA []float64
	// Edge: per time, the edges' parabola c0, c1, c2, xm (EdgesExtrapolate).
	Edge []float64
	// Episode: episodes done; TDSum, TDCnt: the squared TD errors since the
	// last TakeLoss.
	Episode int
	TDSum   float64
	TDCnt   int
	RNG     []byte // the PCG's state (encoding.BinaryMarshaler)
}

// State returns the learner's state.
func (l *Learner) State() (State, error) {
	rng, err := l.src.MarshalBinary()
	if err != nil {
		return State{}, err
	}
	var edge []float64
	for _, p := range l.edge {
		edge = append(edge, p.c0, p.c1, p.c2, p.xm)
	}
	return State{
		Grid: l.g, Level: l.level, DA: l.da, NA: l.na, Half: l.half,
		Center: l.center, Q: l.q, Visits: l.visits, Best: l.best, BestV: l.bestV,
		S0: l.s0, S1: l.s1, S2: l.s2, GU: l.gU, Resid: l.resid, RFit: l.rfit,
		Abar: l.abar, Xbar: l.xbar, GradX: l.gradX, GradA: l.gradA, Edge: edge,
		Episode: l.episode, TDSum: l.tdSum, TDCnt: l.tdCnt, RNG: rng,
	}, nil
}

// Restore puts a saved state into a learner made by New for the same run
// (same environment, configuration and seed); maxEpisodes bounds its
// episode counter.
func (l *Learner) Restore(s State, maxEpisodes int) error {
	rows := l.N * l.g.NX
	fits, grads, edges, resids := 0, 0, 0, 0
	if l.fit {
		fits = rows
	}
	if l.resid != nil {
		resids = rows
	}
	if l.cfg.Marginal {
		grads = l.N
	}
	if l.edge != nil {
		edges = 4 * l.N
	}
	switch {
	case s.Grid != l.g:
		return fmt.Errorf("the learner's grid %+v is not the run's %+v", s.Grid, l.g)
	case s.Level < 0 || s.Level >= l.cfg.Levels || s.NA < 1 || s.Half != s.NA/2 || !(s.DA > 0),
		len(s.Center) != rows, len(s.Q) != rows*s.NA, len(s.Visits) != len(s.Q),
		len(s.Best) != rows, len(s.BestV) != rows,
		len(s.S0) != fits, len(s.S1) != fits, len(s.S2) != fits, len(s.GU) != fits,
		len(s.Resid) != resids*len(l.win.fine), len(s.RFit) != 3*resids,
		len(s.GradX) != grads, len(s.GradA) != grads, len(s.Edge) != edges,
		len(s.Abar) != l.N, len(s.Xbar) != l.N, s.Episode < 0, s.Episode > maxEpisodes:
		return errors.New("the learner's state does not match the run's grid (corrupt file?)")
	}
	var src rand.PCG
	if err := src.UnmarshalBinary(s.RNG); err != nil {
		return fmt.Errorf("the random-number state: %w", err)
	}
	l.level, l.da, l.na, l.half = s.Level, s.DA, s.NA, s.Half
	l.center, l.q, l.visits, l.best, l.bestV = s.Center, s.Q, s.Visits, s.Best, s.BestV
	if l.fit {
		l.s0, l.s1, l.s2, l.gU = s.S0, s.S1, s.S2, s.GU
	}
	if l.resid != nil {
		l.resid, l.rfit = s.Resid, s.RFit
	}
	if l.cfg.Marginal {
		l.gradX, l.gradA = s.GradX, s.GradA
	}
	for n := range l.edge {
		e := s.Edge[4*n : 4*n+4]
		l.edge[n] = quad{c0: e[0], c1: e[1], c2: e[2], xm: e[3]}
	}
	l.abar, l.xbar = s.Abar, s.Xbar
	l.episode, l.tdSum, l.tdCnt = s.Episode, s.TDSum, s.TDCnt
	*l.src = src
	return nil
}
