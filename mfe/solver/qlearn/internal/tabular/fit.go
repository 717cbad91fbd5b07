package tabular

import (
	"math"
	"math/rand/v2"
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
	l.gU[row], l.bestV[row] = w.vertex(s0, s1, s2)
}

func (l *Learner) fitAll() {
	for row := range l.center {
		l.fitRow(row)
	}
}

// runFit is Run at a window level: the greedy action of a row is the
// maximiser of the parabola fitted to its entries, played by randomized
// rounding between its two grid neighbours (so that the action's mean is
// the greedy action itself, and the population's moments are those of the
// learned control), and max_a Q_{n+1} in the target is that parabola's
// maximum.
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
	abar, xbar := l.abar, l.xbar
	da := l.da
	rng := l.rng
	const shiftAt = 0.75 // hysteresis: after a shift the offset is within 0.25 of the edge's threshold
	var tdSum float64
	for e := 0; e < episodes; e++ {
		l.startEpisode()
		rhoMu := l.lrMu.at(uint32(min(l.episode, math.MaxUint32-1)))
		l.episode++
		i := project(env.Initial(rng), xmin, xmax, invdx, NX, random, rng)
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
			// w.vertex, inlined
			c1, c2 := s1[row]*u2inv, s2[row]*w2inv
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
			if c2 < 0 { // concave: the vertex is the greedy action
				if gU[row] > shiftAt {
					l.shift(row, 1)
				} else if gU[row] < -shiftAt {
					l.shift(row, -1)
				}
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
// fitted parabola's value with shiftPrior visits.
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
	if dir > 0 {
		copy(qs, qs[1:])
		copy(vs, vs[1:])
		qs[na-1], vs[na-1] = nv, shiftPrior
	} else {
		copy(qs[1:], qs[:na-1])
		copy(vs[1:], vs[:na-1])
		qs[0], vs[0] = nv, shiftPrior
	}
	l.center[row] += float64(dir) * l.da
	l.fitRow(row)
}
