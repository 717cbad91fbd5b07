package qlearn

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// learner holds the tables of one run at the current action level.
//
// Layout: row (n, i) = n*NX + i of the state-time grid; the actions of that
// row are center[row] + (j - half)*da for j = 0..na-1 (at level 0 the centre
// and half are the same for every row: a uniform grid on [AMin, AMax]).
type learner struct {
	p      mfe.Params
	r      mfe.Regime
	cfg    Config
	g      Grid
	rng    *rand.Rand
	src    *rand.PCG // rng's source, saved in checkpoints
	expQ   float64
	expMu  float64
	social bool // MFC with the marginal (social) reward

	level  int
	da     float64
	na     int
	half   int
	center []float64 // per row
	q      []float64 // per row*na + j
	visits []uint32  // per row*na + j
	best   []int32   // per row: argmax_j q
	bestV  []float64 // per row: max_j q

	// Window fit (levels >= 1 with SubGrid): per row, the sums of the
	// equal-weight least-squares parabola through the row's Q (see fitSums)
	// and the row's fitted greedy offset (in spacings from the centre).
	fit        bool
	win        window
	s0, s1, s2 []float64
	gU         []float64

	abar, xbar []float64 // population moments per time: Σ a mu_n, Σ x mu_n
	episode    int       // episodes done (k)

	lr   lrTable // (1 + v)^-expQ
	lrMu lrTable // (1 + k)^-expMu

	tdSum float64 // sum of squared TD errors since the last reset
	tdCnt int
}

func newLearner(p mfe.Params, r mfe.Regime, cfg Config, seed uint64) *learner {
	g := MakeGrid(p, cfg)
	expQ, expMu := cfg.rates(r)
	src := rand.NewPCG(seed, 0x716c6561726e)
	l := &learner{
		p: p, r: r, cfg: cfg, g: g,
		rng:    rand.New(src),
		src:    src,
		expQ:   expQ,
		expMu:  expMu,
		social: r == mfe.MFC && cfg.MFCReward == "marginal",
		abar:   make([]float64, cfg.Steps),
		xbar:   make([]float64, cfg.Steps),
		lr:     newLRTable(expQ),
		lrMu:   newLRTable(expMu),
	}
	for n := range l.xbar {
		l.xbar[n] = p.X0Mean
	}
	rows := cfg.Steps * g.NX
	l.center = make([]float64, rows)
	l.best = make([]int32, rows)
	l.bestV = make([]float64, rows)
	// Level 0: spacing DA 2^(Levels-1), halved at each later level. With
	// SubGrid, every row holds a window of 2 RefineJ + 1 actions centred
	// in [AMin, AMax] and moving with the row's greedy action; otherwise a
	// uniform grid on [AMin, AMax].
	da0 := cfg.DA * math.Ldexp(1, cfg.Levels-1)
	mid := (g.AMin + g.AMax) / 2
	var na int
	if cfg.SubGrid {
		na = 2*cfg.RefineJ + 1
	} else {
		na = int(math.Ceil((g.AMax-g.AMin)/da0-1e-9)) + 1
		if na%2 == 0 {
			na++
		}
	}
	l.da, l.na, l.half = da0, na, na/2
	for i := range l.center {
		l.center[i] = mid
	}
	l.q = make([]float64, rows*na)
	l.visits = make([]uint32, rows*na)
	dt := g.DT
	for n := 0; n < cfg.Steps; n++ {
		for i := 0; i < g.NX; i++ {
			x := g.X(i)
			row := n*g.NX + i
			for j := 0; j < na; j++ {
				v := -p.Cg / 2 * x * x // initial guess: the terminal reward
				if cfg.SubGrid {
					// the value of trading a for one step and then holding
					// (the mean-field terms left out): concave in a, and
					// pessimistic in x, so that unvisited states do not
					// attract the agents
					a := l.action(row, j)
					y := x + a*dt
					rest := p.T - float64(n+1)*dt
					v = -(p.CX/2*x*x+p.Ca/2*a*a)*dt - (p.CX*rest+p.Cg)/2*y*y
				}
				l.q[row*na+j] = v
			}
			l.rescan(row)
		}
	}
	if cfg.SubGrid {
		l.fit, l.win = true, newWindow(cfg.RefineJ)
		l.s0, l.s1, l.s2, l.gU = make([]float64, rows), make([]float64, rows), make([]float64, rows), make([]float64, rows)
		l.fitAll()
	}
	return l
}

// action returns the action of column j in row.
func (l *learner) action(row, j int) float64 { return l.center[row] + float64(j-l.half)*l.da }

// rescan recomputes the argmax of a row.
func (l *learner) rescan(row int) {
	qs := l.q[row*l.na : (row+1)*l.na]
	b, bv := 0, qs[0]
	for j := 1; j < len(qs); j++ {
		if qs[j] > bv {
			b, bv = j, qs[j]
		}
	}
	l.best[row], l.bestV[row] = int32(b), bv
}

// run trains for episodes episodes at the current level.
func (l *learner) run(episodes int) {
	if l.fit {
		l.runFit(episodes)
		return
	}
	p, g, cfg := l.p, l.g, l.cfg
	N, NX, na, half := cfg.Steps, g.NX, l.na, l.half
	dt := g.DT
	sq := p.Sigma * math.Sqrt(dt)
	xmin, dx := g.XMin, g.DX
	xmax := g.X(NX - 1)
	invdx := 1 / dx
	eps := cfg.Epsilon
	random := cfg.Projection == "random"
	q, visits, best, bestV, center := l.q, l.visits, l.best, l.bestV, l.center
	abar, xbar := l.abar, l.xbar
	da := l.da
	rng := l.rng
	hcx, hca, gam, hcg := p.CX/2, p.Ca/2, p.Gamma, p.Cg/2
	social := l.social
	stepCost := cfg.Reward == "step"
	dt_2, dt2_3, s2dt_2 := dt/2, dt*dt/3, p.Sigma*p.Sigma*dt/2
	var tdSum float64
	for e := 0; e < episodes; e++ {
		rhoMu := l.lrMu.at(uint32(min(l.episode, math.MaxUint32-1)))
		l.episode++
		// Initial state: X_0 projected onto the grid.
		y := p.X0Mean + p.X0Std*rng.NormFloat64()
		i := project(y, xmin, xmax, invdx, NX, random, rng)
		for n := 0; n < N; n++ {
			row := n*NX + i
			x := xmin + float64(i)*dx
			var j int
			if eps > 0 && rng.Float64() < eps {
				j = rng.IntN(na)
			} else {
				j = int(best[row])
			}
			a := center[row] + float64(j-half)*da
			ab := abar[n]
			var f float64
			if stepCost {
				// E ∫ f ds over the step with X_s = x + a s + sigma W_s
				f = hcx*(x*x+x*a*dt+a*a*dt2_3+s2dt_2) + hca*a*a - gam*ab*(x+a*dt_2)
				if social {
					f -= gam * (xbar[n] + ab*dt_2) * a
				}
			} else {
				f = hcx*x*x + hca*a*a - gam*x*ab
				if social {
					f -= gam * xbar[n] * a // a·E[∂f/∂abar] = -gamma xbar a
				}
			}
			rew := -f * dt
			// Population update toward the visited (x, a).
			abar[n] = ab + rhoMu*(a-ab)
			xbar[n] += rhoMu * (x - xbar[n])
			y = x + a*dt + sq*rng.NormFloat64()
			var target float64
			next := 0
			if n == N-1 {
				target = rew - hcg*y*y // terminal reward at the unprojected state
			} else {
				nr := (n + 1) * NX
				if y <= xmin {
					target, next = rew+bestV[nr], 0
				} else if y >= xmax {
					target, next = rew+bestV[nr+NX-1], NX-1
				} else {
					u := (y - xmin) * invdx
					k := int(u)
					w := u - float64(k)
					if k >= NX-1 {
						k, w = NX-2, 1
					}
					if random {
						// E over the randomized rounding: the linear interpolation.
						target = rew + (1-w)*bestV[nr+k] + w*bestV[nr+k+1]
						if rng.Float64() < w {
							next = k + 1
						} else {
							next = k
						}
					} else {
						next = k
						if w >= 0.5 {
							next = k + 1
						}
						target = rew + bestV[nr+next]
					}
				}
			}
			idx := row*na + j
			v := visits[idx]
			rho := l.lr.at(v)
			if v < math.MaxUint32 {
				visits[idx] = v + 1
			}
			old := q[idx]
			td := target - old
			tdSum += td * td
			nv := old + rho*td
			q[idx] = nv
			if int32(j) == best[row] {
				if nv >= old {
					bestV[row] = nv
				} else {
					l.rescan(row)
				}
			} else if nv > bestV[row] {
				best[row], bestV[row] = int32(j), nv
			}
			i = next
		}
	}
	l.tdSum += tdSum
	l.tdCnt += episodes * N
}

// project maps a state onto a grid index: randomized rounding between the
// two neighbours with P(upper) = the fractional position (so the projected
// state has the same mean), or nearest rounding; clipped to the grid.
func project(y, xmin, xmax, invdx float64, nx int, random bool, rng *rand.Rand) int {
	if y <= xmin {
		return 0
	}
	if y >= xmax {
		return nx - 1
	}
	u := (y - xmin) * invdx
	k := int(u)
	w := u - float64(k)
	if k >= nx-1 {
		return nx - 1
	}
	if random {
		if rng.Float64() < w {
			return k + 1
		}
		return k
	}
	if w >= 0.5 {
		return k + 1
	}
	return k
}

// lrTable evaluates (1 + v)^-w: exactly for v < 2^16, and for larger v as
// (m 2^s)^-w with m the top 16 bits of 1+v (relative error below 2^-15).
type lrTable struct {
	small []float64 // v < 2^16
	mant  []float64 // m^-w, m in [2^15, 2^16)
	shift []float64 // 2^(-s w)
}

func newLRTable(w float64) lrTable {
	t := lrTable{small: make([]float64, 1<<16), mant: make([]float64, 1<<15), shift: make([]float64, 33)}
	for v := range t.small {
		t.small[v] = math.Pow(1+float64(v), -w)
	}
	for m := range t.mant {
		t.mant[m] = math.Pow(float64(m+(1<<15)), -w)
	}
	for s := range t.shift {
		t.shift[s] = math.Pow(2, -float64(s)*w)
	}
	return t
}

func (t *lrTable) at(v uint32) float64 {
	if v < 1<<16 {
		return t.small[v]
	}
	u := uint64(v) + 1
	s := bits.Len64(u) - 16
	return t.mant[(u>>s)-(1<<15)] * t.shift[s]
}
