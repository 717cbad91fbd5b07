package tabular

import (
	"math"
	"math/rand/v2"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl"
)

// window holds the constants of the equal-weight least-squares parabola
// through the 2J+1 entries of a row, at offsets u = -J..J from its centre:
//
//	q(u) ≈ b0 + c1 u + c2 (u^2 - m2),  m2 = mean u^2 = J(J+1)/3
//
// The three basis functions are orthogonal on the offsets, so b0 = s0/n,
// c1 = s1/Σu^2, c2 = s2/Σ(u^2-m2)^2 with s0 = Σ q, s1 = Σ u q,
// s2 = Σ (u^2-m2) q: sums that an update of one entry changes by a multiple
// of its increment.
type window struct {
	J          int
	n, m2      float64
	u2inv      float64 // 1/Σ u^2
	w2inv      float64 // 1/Σ (u^2-m2)^2
	uMin, uMax float64
	// fine: the offsets of a reward residual (see subSteps), -J to J in
	// steps of 1/subSteps, and fine2 their u^2 - m2.
	fine, fine2 []float64
}

func newWindow(J int) window {
	w := window{J: J, n: float64(2*J + 1), m2: float64(J*(J+1)) / 3, uMin: float64(-J), uMax: float64(J)}
	var u2, w2 float64
	for u := -J; u <= J; u++ {
		f := float64(u)
		u2 += f * f
		w2 += (f*f - w.m2) * (f*f - w.m2)
	}
	w.u2inv, w.w2inv = 1/u2, 1/w2
	for k := 0; k <= 2*J*subSteps; k++ {
		u := float64(k)/subSteps - float64(J)
		w.fine, w.fine2 = append(w.fine, u), append(w.fine2, u*u-w.m2)
	}
	return w
}

// vertex returns the maximiser of the fitted parabola on [-J, J] (the
// vertex when the parabola is concave, else the better end) and its value.
func (w *window) vertex(s0, s1, s2 float64) (u, v float64) {
	c1, c2 := s1*w.u2inv, s2*w.w2inv
	if c2 < 0 {
		u = -c1 / (2 * c2)
		if !(u > w.uMin) { // NaN included
			u = w.uMin
		} else if u > w.uMax {
			u = w.uMax
		}
	} else if c1 > 0 {
		u = w.uMax
	} else {
		u = w.uMin
	}
	return u, s0/w.n + c1*u + c2*(u*u-w.m2)
}

// explore draws the column (0..2J) of an exploratory action of a row whose
// greedy offset is g: an entry of the window drawn with probabilities
// 1 + c u (u its offset) tilted so that their mean is g, c = g/m2 (the
// exploration leaves the population's mean action where the greedy policy
// puts it), the negative probabilities of a steeper tilt (|g| > m2/J) cut
// to 0. A window that moves with its greedy offset keeps it within 0.75 of
// its centre, and the cut is rare (a fit not yet concave); a window held
// at the action range's edge explores otherwise (see runFit).
func (w *window) explore(g float64, rng *rand.Rand) int {
	J := w.J
	c := g / w.m2
	lim := 1 + math.Abs(c)*float64(J)
	for {
		j := rng.IntN(2*J + 1)
		if rng.Float64()*lim < 1+c*float64(j-J) {
			return j
		}
	}
}

// fitRow recomputes the sums of a row from its entries and its greedy
// offset and value.
func (l *Learner) fitRow(row int) {
	w := &l.win
	var s0, s1, s2 float64
	for j := 0; j < l.na; j++ {
		qv := l.q[row*l.na+j]
		u := float64(j - w.J)
		s0 += qv
		s1 += u * qv
		s2 += (u*u - w.m2) * qv
	}
	l.s0[row], l.s1[row], l.s2[row] = s0, s1, s2
	if l.resid != nil {
		K := len(w.fine)
		l.gU[row], l.bestV[row] = w.findGreedy(l.resid[row*K:(row+1)*K], s0/w.n, s1*w.u2inv, s2*w.w2inv)
		return
	}
	l.gU[row], l.bestV[row] = w.vertex(s0, s1, s2)
}

func (l *Learner) fitAll() {
	for row := range l.center {
		l.fitRow(row)
	}
}

// runFit is Run at a window level: the greedy action of a row is the
// maximiser of the parabola fitted to its entries (with a reward
// residual, of the parabola plus the residual), played by randomized
// rounding between its two grid neighbours (so that the action's mean is
// the greedy action itself, and the population's moments are those of the
// learned control), and max_a Q_{n+1} in the target is that parabola's
// maximum. With cubic, an episode's path goes on from its unrounded
// states (see the package documentation).
func (l *Learner) runFit(episodes int) {
	env, g, cfg := l.env, l.g, l.cfg
	N, NX, na := l.N, g.NX, l.na
	w := l.win
	J := w.J
	m2 := w.m2
	fJ, u2inv, w2inv, invn := float64(J), w.u2inv, w.w2inv, 1/w.n
	xmin, dx := g.XMin, g.DX
	xmax := g.X(NX - 1)
	invdx := 1 / dx
	eps := cfg.Epsilon
	random := !cfg.Nearest
	q, visits, bestV, center := l.q, l.visits, l.bestV, l.center
	s0, s1, s2, gU := l.s0, l.s1, l.s2, l.gU
	resid, K, cubic := l.resid, len(w.fine), l.cubic
	abar, xbar := l.abar, l.xbar
	da := l.da
	rng := l.rng
	const shiftAt = 0.75 // hysteresis: after a shift the offset is within 0.25 of the edge's threshold
	var tdSum float64
	for e := 0; e < episodes; e++ {
		l.startEpisode()
		rhoMu := l.lrMu.at(uint32(min(l.episode, math.MaxUint32-1)))
		l.episode++
		xc := env.Initial(rng) // the path's state (cubic)
		i := project(xc, xmin, xmax, invdx, NX, random, rng)
		for n := 0; n < N; n++ {
			row := n*NX + i
			x := xmin + float64(i)*dx
			// With probability eps an exploratory entry of the window whose
			// mean is the greedy offset (window.explore); otherwise the
			// greedy offset played by randomized rounding between its grid
			// neighbours. A window held at the action range's edge (it
			// cannot move toward its greedy offset) whose greedy offset is
			// beyond the steepest tilt's mean m2/J (the control near a cap)
			// explores its entries uniformly instead, so that none of them
			// goes stale and bends the fit, and the population records the
			// greedy action in place of the explored one, so that its mean
			// action is still the greedy policy's.
			g := gU[row]
			var j int
			held := false // the population records the greedy action
			if eps > 0 && rng.Float64() < eps {
				if math.Abs(g)*fJ > m2 && !l.inRange(center[row]+math.Copysign(da, g), da, J) {
					j, held = rng.IntN(na), true
				} else {
					j = w.explore(g, rng)
				}
			} else {
				uf := g + float64(J)
				k := int(uf)
				if k >= na-1 {
					k = na - 2
				}
				j = k
				if rng.Float64() < uf-float64(k) {
					j = k + 1
				}
			}
			a := center[row] + float64(j-J)*da
			pop := a
			if held {
				pop = center[row] + g*da
			}
			rew := l.reward(n, x, a, pop, rhoMu)
			abar[n] += rhoMu * (pop - abar[n])
			xbar[n] += rhoMu * (x - xbar[n])
			y := env.Step(n, x, a, rng)
			target, next := l.tdTarget(n, y, rew, xmin, xmax, invdx, random)
			idx := row*na + j
			v := visits[idx]
			rho := l.lr.at(v)
			if v < math.MaxUint32 {
				visits[idx] = v + 1
			}
			td := target - q[idx]
			tdSum += td * td
			d := rho * td
			q[idx] += d
			uj := float64(j - J)
			s0[row] += d
			s1[row] += uj * d
			s2[row] += (uj*uj - m2) * d
			// w.vertex, inlined; with a reward residual, w.findGreedy
			c1, c2 := s1[row]*u2inv, s2[row]*w2inv
			if resid != nil {
				gU[row], bestV[row] = w.findGreedy(resid[row*K:(row+1)*K], s0[row]*invn, c1, c2)
			} else {
				var ug float64
				if c2 < 0 {
					ug = -c1 / (2 * c2)
					if !(ug > -fJ) {
						ug = -fJ
					} else if ug > fJ {
						ug = fJ
					}
				} else if c1 > 0 {
					ug = fJ
				} else {
					ug = -fJ
				}
				gU[row], bestV[row] = ug, s0[row]*invn+c1*ug+c2*(ug*ug-m2)
			}
			if c2 < 0 { // concave: the greedy action follows the fit
				if gU[row] > shiftAt {
					l.shift(row, 1)
				} else if gU[row] < -shiftAt {
					l.shift(row, -1)
				}
			}
			if cubic && n < N-1 {
				xc = env.Step(n, xc, a, rng)
				next = project(xc, xmin, xmax, invdx, NX, random, rng)
			}
			i = next
		}
	}
	l.tdSum += tdSum
	l.tdCnt += episodes * N
	l.fitAll() // no drift of the incremental sums
}

// shift moves the window of a row by one spacing in direction dir (+1 or
// -1) when its greedy action comes within one spacing of its edge, unless
// the window would then leave the action range: the entries keep their
// actions, the one that leaves is dropped and the new one starts from the
// fitted parabola's value with shiftPrior visits (with a reward residual,
// the fit of the continuation, P - R, plus the reward at the new action;
// the row's residual is then recomputed).
func (l *Learner) shift(row, dir int) {
	const shiftPrior = 16
	if !l.inRange(l.center[row]+float64(dir)*l.da, l.da, l.win.J) {
		return // the window stays in [AMin, AMax]
	}
	na, w := l.na, &l.win
	qs := l.q[row*na : (row+1)*na]
	vs := l.visits[row*na : (row+1)*na]
	c1, c2 := l.s1[row]*w.u2inv, l.s2[row]*w.w2inv
	b0 := l.s0[row] / w.n
	u := float64(dir * (w.J + 1))
	nv := b0 + c1*u + c2*(u*u-w.m2)
	if l.resid != nil {
		nv -= l.rewardFit(row, u)
	}
	j := 0 // the new entry's column
	if dir > 0 {
		copy(qs, qs[1:])
		copy(vs, vs[1:])
		j = na - 1
	} else {
		copy(qs[1:], qs[:na-1])
		copy(vs[1:], vs[:na-1])
	}
	qs[j], vs[j] = nv, shiftPrior
	l.center[row] += float64(dir) * l.da
	if l.resid != nil {
		l.fitReward(row)
		qs[j] += l.entryReward(row, j)
	}
	l.fitRow(row)
}

// A reward that is not quadratic in the action (a kink where buying and
// selling cost differently, a cost of higher degree) makes Q not a
// parabola in the action, and the window's least-squares parabola puts
// its vertex away from Q's maximiser: across a kink the fit averages the
// two sides' curvatures and tilts toward the cheaper side, by a fraction
// of the window's width (about 0.4 spacing at a kink between costs 1 and
// 2 at a vertex near it). The learner cannot tell where or whether such a
// kink is, but it can query the reward, which is a black box it may
// evaluate where it likes, and Q = r + C with the continuation
// C(a) = E max Q_{n+1}(X') smooth in a (an expectation over the step's
// noise). With a reward that is not quadratic in the action (see
// quadraticIn), every row therefore also holds its reward's residual
// d(u) = r(u) - R(u) on a finer grid of the window's offsets (subSteps
// points per spacing), R the same least-squares parabola through the
// reward at the window's entries: the fit P of the entries' Q is then
// R plus the fit of the smooth C, and P + d is r plus that fit. The greedy
// action is the maximiser of P + d over the fine offsets, refined by the
// parabola through its two neighbours (findGreedy), and max_a Q in the
// target that maximum. A row's residual is recomputed, at the population's
// statistics of the time, when its window moves or changes level; it is
// independent of those statistics when the reward's dependence on them is
// at most linear in the action (a price impact's -gamma x abar, the MFC's
// marginal reward), and otherwise lags them by a window move. A reward
// quadratic in the action (the LQ costs) leaves the learner as it was:
// P is then exact, d zero, and the code path is the parabola's vertex.
const subSteps = 4

// quadProbe: the points of quadraticIn's probe per line, and its
// tolerance on the third differences relative to the rewards' size (far
// above rounding, far below any kink or quartic term of a reward).
const (
	quadProbe = 33
	quadTol   = 1e-9
)

// quadraticIn reports whether the environment's reward is quadratic in
// the action (inA) or in the state, to rounding: at every time and at five
// points spanning the other variable's range (the state grid, the action
// range), with the population's statistics of the learner's start, the
// third differences of the reward over quadProbe equally spaced points of
// the variable's range are below quadTol times the largest reward's size.
func (l *Learner) quadraticIn(inA bool) bool {
	g := l.g
	xTop := g.X(g.NX - 1)
	r := make([]float64, quadProbe)
	for n := 0; n < l.N; n++ {
		s := mfrl.Stats{MeanX: l.xbar[n], MeanA: l.abar[n]}
		for q := 0; q <= 4; q++ {
			size := 0.0
			for k := range r {
				f := float64(k) / (quadProbe - 1)
				x, a := g.XMin+float64(q)/4*(xTop-g.XMin), g.AMin+f*(g.AMax-g.AMin)
				if !inA {
					x, a = g.XMin+f*(xTop-g.XMin), g.AMin+float64(q)/4*(g.AMax-g.AMin)
				}
				r[k] = l.env.Reward(n, x, a, s)
				size = math.Max(size, math.Abs(r[k]))
			}
			for k := 0; k+3 < len(r); k++ {
				d3 := r[k+3] - 3*r[k+2] + 3*r[k+1] - r[k]
				if !(math.Abs(d3) <= quadTol*size) { // NaN included
					return false
				}
			}
		}
	}
	return true
}

// fitReward recomputes a row's reward residual (see subSteps): the reward
// at the window's fine offsets, at the population's current statistics of
// the row's time, less R, the least-squares parabola through the reward at
// the window's entries, whose coefficients (b0, c1, c2 in the window's
// basis) it keeps in rfit.
func (l *Learner) fitReward(row int) {
	w := &l.win
	K := len(w.fine)
	n, i := row/l.g.NX, row%l.g.NX
	x := l.g.X(i)
	s := mfrl.Stats{MeanX: l.xbar[n], MeanA: l.abar[n]}
	d := l.resid[row*K : (row+1)*K]
	for k, u := range w.fine {
		d[k] = l.env.Reward(n, x, l.center[row]+u*l.da, s)
	}
	var r0, r1, r2 float64
	for j := 0; j <= 2*w.J; j++ {
		u := float64(j - w.J)
		v := d[j*subSteps]
		r0 += v
		r1 += u * v
		r2 += (u*u - w.m2) * v
	}
	b0, c1, c2 := r0/w.n, r1*w.u2inv, r2*w.w2inv
	for k, u := range w.fine {
		d[k] -= b0 + c1*u + c2*(u*u-w.m2)
	}
	l.rfit[3*row], l.rfit[3*row+1], l.rfit[3*row+2] = b0, c1, c2
}

// entryReward returns the reward at the row's entry j, as fitReward
// computed it (the residual plus R).
func (l *Learner) entryReward(row, j int) float64 {
	K := len(l.win.fine)
	return l.resid[row*K+j*subSteps] + l.rewardFit(row, float64(j-l.win.J))
}

// rewardFit returns the row's R at offset u (see fitReward).
func (l *Learner) rewardFit(row int, u float64) float64 {
	f := l.rfit[3*row : 3*row+3]
	return f[0] + f[1]*u + f[2]*(u*u-l.win.m2)
}

// findGreedy returns the greedy offset of a row whose entries' fitted
// parabola is b0 + c1 u + c2 (u^2 - m2), with its reward residual d: the
// maximiser of that parabola plus d over the window's fine offsets, moved
// to the vertex of the parabola through the best offset and its two
// neighbours (within half a fine step), and its value.
func (w *window) findGreedy(d []float64, b0, c1, c2 float64) (u, v float64) {
	best, bk := math.Inf(-1), 0
	for k, f := range w.fine {
		if g := c1*f + c2*w.fine2[k] + d[k]; g > best {
			best, bk = g, k
		}
	}
	u, v = w.fine[bk], best
	if bk > 0 && bk < len(w.fine)-1 {
		gm := c1*w.fine[bk-1] + c2*w.fine2[bk-1] + d[bk-1]
		gp := c1*w.fine[bk+1] + c2*w.fine2[bk+1] + d[bk+1]
		if den := gm - 2*best + gp; den < 0 {
			u += (gm - gp) / (2 * den) / subSteps
			v -= (gp - gm) * (gp - gm) / (8 * den)
		}
	}
	return u, b0 + v
}
