package tabular

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl"
)

// Edges values of Config.Edges.
const (
	// EdgesClip values a next state beyond the state grid at the nearer
	// edge's value (the literal algorithm).
	EdgesClip = "clip"
	// EdgesExtrapolate values it at the edge's value plus the change of a
	// concave quadratic fitted to the learned values of its time, never
	// above the edge's value (see Learner.outside).
	EdgesExtrapolate = "extrapolate"
)

// Config is what the learner is told besides its environment.
type Config struct {
	DX float64 // state grid spacing
	DA float64 // action spacing of the last level
	// XMin, XMax: the state grid's range; both zero: sized by the pilot
	// (see StateRange).
	XMin, XMax float64
	RangeK     float64 // k of the pilot's range: mean ± k sd at each time
	// Reach: the pilot's range also covers the band that holding an end
	// of the action range reaches (see rangeOf), for an action range that
	// bounds the control (a cap), which a policy can hold all along, where
	// the pilot's random actions spread the states by a random walk only.
	Reach bool
	Pilot int // episodes of the pilot
	// Levels, RefineJ: action levels and window half-width (see the
	// package documentation).
	Levels, RefineJ int
	Epsilon         float64 // exploration probability
	ExpQ, ExpMu     float64 // learning-rate exponents, in (0, 1]
	Nearest         bool    // nearest rounding of the next state (else mean-preserving random rounding)
	SubGrid         bool    // windows and parabola-vertex greedy actions
	// Marginal adds to the reward the estimated marginal social reward
	// (the mean-field control's learner, see the package documentation).
	Marginal bool
	// Edges: EdgesClip or EdgesExtrapolate, for next states beyond the
	// state grid.
	Edges string
	// Beyond, if not nil, replaces Edges: a next state y beyond the grid's
	// edge x_e at time index n is valued at the edge's value less
	// Beyond(n, x_e, y). It is the door for model-aware ablations; a
	// model-free run leaves it nil.
	Beyond func(n int, edge, y float64) float64
	// MinVisits: visits below which a row's control is filled from its
	// neighbours.
	MinVisits int
}

// Streams of the PCG generators, with the run's seed.
const (
	trainStream = 0x716c6561726e // "qlearn"
	pilotStream = 0x70696c6f74   // "pilot"
	initStream  = 0x696e6974     // "init"
)

// Learner holds the tables of one run at the current action level.
//
// Layout: row (n, i) = n*NX + i of the state-time grid; the actions of that
// row are center[row] + (j - half)*da for j = 0..na-1 (at level 0 without
// SubGrid the centre and half are the same for every row: a uniform grid
// on [AMin, AMax]).
type Learner struct {
	env mfrl.Env
	cfg Config
	g   Grid
	N   int // env.Steps()
	rng *rand.Rand
	src *rand.PCG // rng's source, saved in checkpoints

	level  int
	da     float64
	na     int
	half   int
	center []float64 // per row
	q      []float64 // per row*na + j
	visits []uint32  // per row*na + j
	best   []int32   // per row: argmax_j q
	bestV  []float64 // per row: max_j q (with SubGrid the fitted parabola's maximum)

	// Window fit (SubGrid): per row, the sums of the equal-weight
	// least-squares parabola through the row's Q (see window) and the
	// row's fitted greedy offset (in spacings from the centre).
	fit        bool
	win        window
	s0, s1, s2 []float64
	gU         []float64
	// resid, rfit: with a reward not quadratic in the action, per row the
	// reward's residual at the window's fine offsets and the coefficients
	// of its fitted parabola (see subSteps); nil otherwise.
	resid, rfit []float64
	// cubic (a reward not quadratic in the state, see quadraticIn; with
	// SubGrid and randomized rounding): the TD target interpolates the
	// next time's values in the state by the cubic through four
	// neighbours, not linearly, and an episode's path goes on from its
	// unrounded states (see the package documentation).
	cubic bool

	abar, xbar []float64 // population moments per time: Σ a mu_n, Σ x mu_n
	// gradX, gradA (Marginal): per time, the population's mean of the
	// reward's derivatives in MeanX and MeanA (finite differences of
	// steps hX, hA).
	gradX, gradA []float64
	hX, hA       float64
	edge         []quad // per time index (EdgesExtrapolate): the fit of bestV in x
	episode      int    // episodes done (k)

	lr   lrTable // (1 + v)^-expQ
	lrMu lrTable // (1 + k)^-expMu

	tdSum float64 // sum of squared TD errors since the last TakeLoss
	tdCnt int
}

// New returns a learner for env: it runs the pilot (see StateRange), sizes
// the state grid, and initialises Q and the population from black-box
// queries of env (see initQ). It returns an error for a configuration it
// cannot run and for an environment whose pilot leaves float64's range.
func New(env mfrl.Env, cfg Config, seed uint64) (*Learner, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	N := env.Steps()
	if N < 1 {
		return nil, fmt.Errorf("tabular: an environment of %d steps", N)
	}
	mom, meanA := pilot(env, cfg, seed)
	lo, hi := cfg.XMin, cfg.XMax
	if lo == 0 && hi == 0 {
		lo, hi = rangeOf(env, mom, cfg)
	}
	g, err := NewGrid(env, cfg.DX, lo, hi)
	if err != nil {
		return nil, err
	}
	src := rand.NewPCG(seed, trainStream)
	l := &Learner{
		env: env, cfg: cfg, g: g, N: N,
		rng:  rand.New(src),
		src:  src,
		abar: make([]float64, N),
		xbar: make([]float64, N),
		lr:   newLRTable(cfg.ExpQ),
		lrMu: newLRTable(cfg.ExpMu),
	}
	// The population starts as the pilot's: its mean states and its mean
	// action.
	for n := range l.xbar {
		l.xbar[n], l.abar[n] = mom[n].Mean, meanA
	}
	if cfg.Marginal {
		l.gradX, l.gradA = make([]float64, N), make([]float64, N)
		// Finite-difference steps: a thousandth of the pilot's state
		// spread and of the action range.
		var sd float64
		for _, m := range mom {
			sd = math.Max(sd, m.SD)
		}
		l.hX = 1e-3 * math.Max(sd, cfg.DX)
		l.hA = 1e-3 * (g.AMax - g.AMin)
	}
	rows := N * g.NX
	l.center = make([]float64, rows)
	l.best = make([]int32, rows)
	l.bestV = make([]float64, rows)
	// Level 0: spacing DA 2^(Levels-1), halved at each later level (with
	// SubGrid, at most the spacing of a window that spans [AMin, AMax],
	// see spacing). With SubGrid, every row holds a window of
	// 2 RefineJ + 1 actions centred in [AMin, AMax] and moving with the
	// row's greedy action; otherwise a uniform grid on [AMin, AMax].
	da0 := l.spacing(0)
	mid := (g.AMin + g.AMax) / 2
	na, err := levelZeroActions(cfg, g.AMin, g.AMax)
	if err != nil {
		return nil, err
	}
	l.da, l.na, l.half = da0, na, na/2
	for i := range l.center {
		l.center[i] = mid
	}
	l.q = make([]float64, rows*na)
	l.visits = make([]uint32, rows*na)
	l.initQ(seed)
	for row := range l.center {
		l.rescan(row)
	}
	if cfg.SubGrid {
		l.fit, l.win = true, newWindow(cfg.RefineJ)
		l.s0, l.s1, l.s2, l.gU = make([]float64, rows), make([]float64, rows), make([]float64, rows), make([]float64, rows)
		if !l.quadraticIn(true) {
			l.resid, l.rfit = make([]float64, rows*len(l.win.fine)), make([]float64, 3*rows)
			for row := range l.center {
				l.fitReward(row)
			}
		}
		l.fitAll()
	}
	l.cubic = cfg.SubGrid && !cfg.Nearest && !l.quadraticIn(false)
	if cfg.Beyond == nil && cfg.Edges == EdgesExtrapolate {
		l.edge = make([]quad, N)
		l.fitEdges()
	}
	return l, nil
}

func (c Config) check() error {
	switch {
	case !(c.DX > 0) || !(c.DA > 0) || math.IsInf(c.DX, 0) || math.IsInf(c.DA, 0):
		return fmt.Errorf("tabular: spacings dx = %v, da = %v", c.DX, c.DA)
	case c.Levels < 1 || c.Levels > 20:
		return fmt.Errorf("tabular: %d levels", c.Levels)
	case c.SubGrid && c.RefineJ < 2, c.Levels > 1 && c.RefineJ < 1:
		return fmt.Errorf("tabular: refine_j = %d", c.RefineJ)
	case !(c.ExpQ > 0 && c.ExpQ <= 1) || !(c.ExpMu > 0 && c.ExpMu <= 1):
		return fmt.Errorf("tabular: learning-rate exponents %v, %v", c.ExpQ, c.ExpMu)
	case c.Pilot < 1:
		return fmt.Errorf("tabular: a pilot of %d episodes", c.Pilot)
	case c.Beyond == nil && c.Edges != EdgesClip && c.Edges != EdgesExtrapolate:
		return fmt.Errorf("tabular: edges %q", c.Edges)
	}
	return nil
}

// levelZeroActions returns the actions per row at level 0: a window of
// 2 RefineJ + 1 with SubGrid, else the uniform grid on [amin, amax] in
// steps of DA 2^(Levels-1), an odd number.
func levelZeroActions(c Config, amin, amax float64) (int, error) {
	if c.SubGrid {
		return 2*c.RefineJ + 1, nil
	}
	f := math.Ceil((amax-amin)/(c.DA*math.Ldexp(1, c.Levels-1))-1e-9) + 1
	if !(f <= math.MaxInt32) {
		return 0, fmt.Errorf("tabular: %.3g actions per row", f)
	}
	na := int(f)
	if na%2 == 0 {
		na++
	}
	return na, nil
}

// initQ sets Q before any episode from black-box queries of the
// environment. Without SubGrid: the terminal reward g(x) (the literal
// algorithm's start, flat in a). With SubGrid: the value of taking a for
// one step from x and then holding the action range's centre a0 at the
// step's mean end state y(a) until T,
//
//	r_n(x, a, s_n) + Σ_{m>n} r_m(y(a), a0, s_m) + g(y(a)),
//
// with s_m the pilot population's statistics and y(a) the mean of four
// draws of the step with common random numbers (the same draws for every
// a of a row). It is concave in a wherever the reward is, and pessimistic
// in x (the agent is not allowed to trade the inventory away), so that
// unvisited states do not attract the agents.
func (l *Learner) initQ(seed uint64) {
	env, g, N, na := l.env, l.g, l.N, l.na
	if !l.cfg.SubGrid {
		for n := 0; n < N; n++ {
			for i := 0; i < g.NX; i++ {
				v := env.Terminal(g.X(i))
				for j := 0; j < na; j++ {
					l.q[(n*g.NX+i)*na+j] = v
				}
			}
		}
		return
	}
	const draws = 4
	a0 := (g.AMin + g.AMax) / 2
	crn := rand.NewPCG(0, 0)
	r := rand.New(crn)
	for n := 0; n < N; n++ {
		s := mfrl.Stats{MeanX: l.xbar[n], MeanA: l.abar[n]}
		for i := 0; i < g.NX; i++ {
			x := g.X(i)
			row := n*g.NX + i
			for j := 0; j < na; j++ {
				a := l.action(row, j)
				crn.Seed(seed^uint64(row), initStream)
				var y float64
				for k := 0; k < draws; k++ {
					y += env.Step(n, x, a, r)
				}
				y /= draws
				v := env.Reward(n, x, a, s) + env.Terminal(y)
				for m := n + 1; m < N; m++ {
					v += env.Reward(m, y, a0, mfrl.Stats{MeanX: l.xbar[m], MeanA: l.abar[m]})
				}
				l.q[row*na+j] = v
			}
		}
	}
}

// spacing returns the action spacing of a level: DA 2^(Levels-1-level),
// and with SubGrid at most (AMax - AMin)/(2 RefineJ), the spacing of a
// window that spans the action range, so that every window fits in it
// (a narrow range, such as a cap on the trading rate, gets one spacing
// at every level).
func (l *Learner) spacing(level int) float64 {
	da := l.cfg.DA * math.Ldexp(1, l.cfg.Levels-1-level)
	if l.cfg.SubGrid {
		da = math.Min(da, (l.g.AMax-l.g.AMin)/float64(2*l.cfg.RefineJ))
	}
	return da
}

// inRange reports whether the window of half-width half actions of
// spacing da centred at c lies in the action range (to within rounding).
func (l *Learner) inRange(c, da float64, half int) bool {
	tol := 1e-9 * (l.g.AMax - l.g.AMin)
	w := float64(half) * da
	return c-w >= l.g.AMin-tol && c+w <= l.g.AMax+tol
}

// clampCenter returns c moved into the range of centres whose window of
// half-width half actions of spacing da lies in the action range (its
// middle when the window is wider than the range).
func (l *Learner) clampCenter(c, da float64, half int) float64 {
	lo, hi := l.g.AMin+float64(half)*da, l.g.AMax-float64(half)*da
	if lo > hi {
		return (l.g.AMin + l.g.AMax) / 2
	}
	return math.Max(lo, math.Min(hi, c))
}

// action returns the action of column j in row.
func (l *Learner) action(row, j int) float64 { return l.center[row] + float64(j-l.half)*l.da }

// rescan recomputes the argmax of a row.
func (l *Learner) rescan(row int) {
	qs := l.q[row*l.na : (row+1)*l.na]
	b, bv := 0, qs[0]
	for j := 1; j < len(qs); j++ {
		if qs[j] > bv {
			b, bv = j, qs[j]
		}
	}
	l.best[row], l.bestV[row] = int32(b), bv
}

// Run trains for episodes episodes at the current level.
func (l *Learner) Run(episodes int) {
	if l.fit {
		l.runFit(episodes)
		return
	}
	env, g, cfg := l.env, l.g, l.cfg
	N, NX, na, half := l.N, g.NX, l.na, l.half
	xmin, dx := g.XMin, g.DX
	xmax := g.X(NX - 1)
	invdx := 1 / dx
	eps := cfg.Epsilon
	random := !cfg.Nearest
	q, visits, best, bestV, center := l.q, l.visits, l.best, l.bestV, l.center
	abar, xbar := l.abar, l.xbar
	da := l.da
	rng := l.rng
	var tdSum float64
	for e := 0; e < episodes; e++ {
		l.startEpisode()
		rhoMu := l.lrMu.at(uint32(min(l.episode, math.MaxUint32-1)))
		l.episode++
		// Initial state: X_0 projected onto the grid.
		i := project(env.Initial(rng), xmin, xmax, invdx, NX, random, rng)
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
			rew := l.reward(n, x, a, a, rhoMu)
			// Population update toward the visited (x, a).
			abar[n] += rhoMu * (a - abar[n])
			xbar[n] += rhoMu * (x - xbar[n])
			y := env.Step(n, x, a, rng)
			target, next := l.tdTarget(n, y, rew, xmin, xmax, invdx, random)
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

// reward returns the reward charged for step n at (x, a): the
// environment's, plus with Marginal the estimated marginal social reward
// gradX_n x + gradA_n a, after which the estimates move toward this
// sample's derivatives, at (x, pop), pop the action the population
// records (a, or the greedy action of an exploratory step that the
// population does not record, see runFit), at rate rhoMu (the
// population's).
//
// The population's reward at time n is R(mu) = ∫ r_n(x, a, S(mu)) mu(dx, da)
// with S(mu) = (∫ x dmu, ∫ a dmu); its linear derivative at (x, a) is
// r_n(x, a, S) + E_mu[∂_MeanX r_n] x + E_mu[∂_MeanA r_n] a. Charged that, the
// agent's best response to the population is the planner's optimum: the
// learner's fixed point is the mean-field control's. The expectations are
// running means, over the visited (x, a), of central differences of the
// black-box reward in each statistic.
func (l *Learner) reward(n int, x, a, pop, rhoMu float64) float64 {
	s := mfrl.Stats{MeanX: l.xbar[n], MeanA: l.abar[n]}
	r := l.env.Reward(n, x, a, s)
	if !l.cfg.Marginal {
		return r
	}
	r += l.gradX[n]*x + l.gradA[n]*a
	sx, sa := s, s
	sx.MeanX += l.hX
	sa.MeanA += l.hA
	gx := l.env.Reward(n, x, pop, sx)
	ga := l.env.Reward(n, x, pop, sa)
	sx.MeanX, sa.MeanA = s.MeanX-l.hX, s.MeanA-l.hA
	gx = (gx - l.env.Reward(n, x, pop, sx)) / (2 * l.hX)
	ga = (ga - l.env.Reward(n, x, pop, sa)) / (2 * l.hA)
	l.gradX[n] += rhoMu * (gx - l.gradX[n])
	l.gradA[n] += rhoMu * (ga - l.gradA[n])
	return r
}

// tdTarget returns the TD target of a step from time index n, with reward
// rew, to the unprojected next state y, and the grid index the episode moves
// to: the terminal reward at y after the last step; beyond the grid's ends,
// the edge's extrapolated value (outside); inside, the next row's best value
// at the randomized rounding of y in expectation (the linear interpolation;
// the index drawn with P(upper) = y's fractional position; with cubic, at
// least one state from both ends, the cubic through the four neighbours)
// or at its nearest rounding. Both loops, Run's and runFit's, take their
// targets here.
func (l *Learner) tdTarget(n int, y, rew, xmin, xmax, invdx float64, random bool) (target float64, next int) {
	N, NX, bestV := l.N, l.g.NX, l.bestV
	if n == N-1 {
		return rew + l.env.Terminal(y), 0 // terminal reward at the unprojected state
	}
	nr := (n + 1) * NX
	if y >= xmax {
		return rew + l.outside(n+1, NX-1, y), NX - 1
	}
	if !(y > xmin) { // NaN included
		return rew + l.outside(n+1, 0, y), 0
	}
	u := (y - xmin) * invdx
	k := int(u)
	w := u - float64(k)
	if k >= NX-1 {
		k, w = NX-2, 1
	}
	if random {
		if l.cubic && k >= 1 && k+2 < NX {
			target = rew + cubicAt(bestV[nr+k-1:nr+k+3], w)
		} else {
			target = rew + (1-w)*bestV[nr+k] + w*bestV[nr+k+1]
		}
		if l.rng.Float64() < w {
			return target, k + 1
		}
		return target, k
	}
	next = k
	if w >= 0.5 {
		next = k + 1
	}
	return rew + bestV[nr+next], next
}

// cubicAt returns the cubic through v[0..3] at the states -1, 0, 1, 2 (in
// spacings) evaluated at w in [0, 1] (Lagrange's form).
func cubicAt(v []float64, w float64) float64 {
	wm, w1, w2 := w+1, w-1, w-2
	return -w*w1*w2/6*v[0] + wm*w1*w2/2*v[1] - wm*w*w2/2*v[2] + wm*w*w1/6*v[3]
}

// project maps a state onto a grid index: randomized rounding between the
// two neighbours with P(upper) = the fractional position (so the projected
// state has the same mean), or nearest rounding; clipped to the grid.
func project(y, xmin, xmax, invdx float64, nx int, random bool, rng *rand.Rand) int {
	if !(y > xmin) { // NaN included
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

// TakeLoss returns the mean squared TD error since the previous call (NaN
// when no step was taken) and starts a new mean.
func (l *Learner) TakeLoss() float64 {
	loss := math.NaN()
	if l.tdCnt > 0 {
		loss = l.tdSum / float64(l.tdCnt)
	}
	l.tdSum, l.tdCnt = 0, 0
	return loss
}

// Episode returns the number of episodes done.
func (l *Learner) Episode() int { return l.episode }

// Level returns the current action level.
func (l *Learner) Level() int { return l.level }

// Grid returns the learner's grid.
func (l *Learner) Grid() Grid { return l.g }

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
