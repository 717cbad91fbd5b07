package finitedifference

import (
	"context"
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// Grid is the discretisation of a solve: times t_n = n DT, n = 0..NT, and
// nodes x_i = X0 + i DX, i = 0..NX-1.
type Grid struct {
	NT int     `json:"nt"`
	DT float64 `json:"dt"`
	NX int     `json:"nx"`
	X0 float64 `json:"x0"`
	DX float64 `json:"dx"`
}

// X returns node i.
func (g Grid) X(i int) float64 { return g.X0 + float64(i)*g.DX }

// T returns time n.
func (g Grid) T(n int) float64 { return float64(n) * g.DT }

// Flow is the population's mean flow at the grid times: the mean state
// XBar_n = E[X_{t_n}] and the mean action ABar_n = E[alpha(t_n, X_{t_n})],
// and, for the MFC, the mean partial derivatives of the running cost in them,
// DXBar_n = E[∂f/∂xbar] and DABar_n = E[∂f/∂abar] (zero for the MFG).
type Flow struct {
	XBar, ABar, DXBar, DABar []float64
}

// scheme holds a model on a grid and the arrays of one pass of the fixed
// point: the value v, the feedback a and the law w (w[n][i] the probability
// of node i at time n), each indexed [n][i].
type scheme struct {
	m     model.Model
	r     mfe.Regime
	g     Grid
	sigma float64
	amin  float64
	amax  float64
	part  func(t, x, a, xbar, abar float64) (float64, float64)
	v     [][]float64
	a     [][]float64
	w     [][]float64
	fl    Flow

	// HJB workspace.
	lNext, rhs, lCur, dp, d2, delta []float64
	jac                             *band
	// Fokker–Planck workspace: the tridiagonal system, the particles'
	// positions and masses.
	lo, diag, up, c, pos, pm []float64
}

func newScheme(m model.Model, r mfe.Regime, g Grid) *scheme {
	amin, amax := m.Controls()
	s := &scheme{m: m, r: r, g: g, sigma: m.Params().Sigma, amin: amin, amax: amax, part: model.Partials(m)}
	grid := func() [][]float64 {
		out := make([][]float64, g.NT+1)
		buf := make([]float64, (g.NT+1)*g.NX)
		for n := range out {
			out[n] = buf[n*g.NX : (n+1)*g.NX]
		}
		return out
	}
	s.v, s.a, s.w = grid(), grid(), grid()
	vec := func() []float64 { return make([]float64, g.NX) }
	s.lNext, s.rhs, s.lCur, s.dp, s.d2, s.delta = vec(), vec(), vec(), vec(), vec(), vec()
	s.lo, s.diag, s.up, s.c, s.pos, s.pm = vec(), vec(), vec(), vec(), vec(), vec()
	s.jac = newBand(g.NX)
	nt := g.NT + 1
	s.fl = Flow{XBar: make([]float64, nt), ABar: make([]float64, nt), DXBar: make([]float64, nt), DABar: make([]float64, nt)}
	return s
}

// derivatives sets dp and d2 to the first and second differences of v:
// central inside, and at the two end nodes the one-sided second-order first
// difference and the second difference of the next node inside. Both are
// exact for a quadratic v.
func (s *scheme) derivatives(v []float64) {
	n, h := s.g.NX, s.g.DX
	for i := 1; i < n-1; i++ {
		s.dp[i] = (v[i+1] - v[i-1]) / (2 * h)
		s.d2[i] = (v[i+1] - 2*v[i] + v[i-1]) / (h * h)
	}
	s.dp[0] = (-3*v[0] + 4*v[1] - v[2]) / (2 * h)
	s.d2[0] = s.d2[1]
	s.dp[n-1] = (3*v[n-1] - 4*v[n-2] + v[n-3]) / (2 * h)
	s.d2[n-1] = s.d2[n-2]
}

// operator sets a to the feedback and l to the HJB operator
// sigma^2/2 v_xx + H(t_n, x, v_x) of v at time n, for the flow s.fl:
// H(t, x, p) = min_a {a (p + DABar) + f(t, x, a, XBar, ABar)} + x DXBar,
// the minimum at a = Minimiser(t, x, p + DABar, XBar, ABar).
func (s *scheme) operator(n int, v, a, l []float64) {
	s.derivatives(v)
	t := s.g.T(n)
	xb, ab, dx, da := s.fl.XBar[n], s.fl.ABar[n], s.fl.DXBar[n], s.fl.DABar[n]
	half := s.sigma * s.sigma / 2
	for i := range v {
		x := s.g.X(i)
		q := s.dp[i] + da
		ai := s.m.Minimiser(t, x, q, xb, ab)
		a[i] = ai
		l[i] = half*s.d2[i] + ai*q + s.m.Running(t, x, ai, xb, ab) + x*dx
	}
}

// maxNewton bounds the Newton iterations of one HJB step.
const maxNewton = 50

// hjb solves the HJB equation backward from v(T) = g for the flow s.fl by
// the Crank–Nicolson scheme at the inner nodes, each step's nonlinear
// equations by Newton's method, and sets the feedback a at every grid
// time. The end nodes extrapolate the inner ones quadratically (zero third
// difference, v_0 = 3 v_1 - 3 v_2 + v_3 and mirrored): where the optimal
// paths leave the grid (a pointing outward at an end), the equation there
// would need values from beyond it, and a one-sided difference in its
// place grows like exp(|a| t/dx); the extrapolation is exact for a
// quadratic value and stable either way.
func (s *scheme) hjb(ctx context.Context) error {
	g := s.g
	vT := s.v[g.NT]
	for i := range vT {
		vT[i] = s.m.Terminal(g.X(i))
	}
	s.operator(g.NT, vT, s.a[g.NT], s.lNext)
	half, h := s.sigma*s.sigma/2, g.DX
	k := g.DT / 2
	last := g.NX - 1
	for n := g.NT - 1; n >= 0; n-- {
		if n%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		next, v := s.v[n+1], s.v[n]
		scale := 0.0
		for i := range v {
			s.rhs[i] = next[i] + k*s.lNext[i]
			scale = math.Max(scale, math.Abs(next[i])+math.Abs(k*s.lNext[i]))
		}
		copy(v, next)
		// Newton's iterates converge quadratically to within rounding,
		// about 1e-16 scale times the Jacobian's condition number: stop
		// below 1e-11 scale, or where a small step stops halving.
		tol, prev := 1e-11*scale, math.Inf(1)
		for it := 0; ; it++ {
			s.operator(n, v, s.a[n], s.lCur)
			// F(v) = v - dt/2 L(v) - rhs inside, the extrapolation at the
			// ends; the Jacobian inside is I - dt/2 (sigma^2/2 D2 + diag(a) D1).
			s.jac.reset()
			for i := 1; i < last; i++ {
				s.delta[i] = -(v[i] - k*s.lCur[i] - s.rhs[i])
			}
			s.delta[0] = -(v[0] - 3*v[1] + 3*v[2] - v[3])
			s.delta[last] = -(v[last] - 3*v[last-1] + 3*v[last-2] - v[last-3])
			s.jacobianRows(s.a[n], k, half, h)
			if err := s.jac.solve(s.delta); err != nil {
				return fmt.Errorf("%w at t = %g", err, g.T(n))
			}
			step := 0.0
			for i := range v {
				v[i] += s.delta[i]
				step = math.Max(step, math.Abs(s.delta[i]))
			}
			if math.IsNaN(step) || math.IsInf(step, 0) {
				return &mfe.DivergenceError{Quantity: fmt.Sprintf("HJB value at t = %g", g.T(n)), Value: step}
			}
			if step <= tol || (step < 1e-8*scale && step > prev/2) {
				break
			}
			prev = step
			if it == maxNewton {
				return &mfe.DivergenceError{Quantity: fmt.Sprintf("HJB Newton step at t = %g (no convergence in %d iterations)", g.T(n), maxNewton), Value: step}
			}
		}
		s.operator(n, v, s.a[n], s.lNext)
	}
	return nil
}

// jacobianRows fills s.jac with I - k (half D2 + diag(a) D1) in the inner
// rows and the extrapolation's coefficients in the end rows.
func (s *scheme) jacobianRows(a []float64, k, half, h float64) {
	n := s.g.NX
	dif := half / (h * h)
	for i := 1; i < n-1; i++ {
		adv := a[i] / (2 * h)
		*s.jac.at(i, i-1) = -k * (dif - adv)
		*s.jac.at(i, i) = 1 + 2*k*dif
		*s.jac.at(i, i+1) = -k * (dif + adv)
	}
	for j, c := range []float64{1, -3, 3, -1} {
		*s.jac.at(0, j) = c
		*s.jac.at(n-1, n-1-j) = c
	}
}

// interp returns the feedback of time n at x: linear between nodes,
// extrapolated linearly beyond the grid and kept in the control set.
func (s *scheme) interp(n int, x float64) float64 {
	return interpRow(s.a[n], s.g, x, s.amin, s.amax)
}

// interpRow interpolates row (values at the nodes of g) at x linearly,
// extrapolating linearly beyond the end nodes, and clamps to [lo, hi].
func interpRow(row []float64, g Grid, x, lo, hi float64) float64 {
	j, f := g.cell(x)
	return math.Max(lo, math.Min(hi, row[j]+f*(row[j+1]-row[j])))
}

// cell returns the cell j (0 <= j < NX-1) of x, the end cells beyond the
// grid, and x's offset f = (x - x_j)/dx in it (outside [0, 1] beyond the
// grid).
func (g Grid) cell(x float64) (j int, f float64) {
	u := (x - g.X0) / g.DX
	switch {
	case u < 1 || math.IsNaN(u):
		j = 0
	case u >= float64(g.NX-2):
		j = g.NX - 2
	default:
		j = int(u)
	}
	return j, u - float64(j)
}

// initialLaw sets w[0] to the initial law N(mu0, s0^2) on the nodes: the
// Gaussian's values at the nodes, normalised, when s0 >= dx (its mean and
// variance are then those of the law to within exp(-2 pi^2) relative, by
// Poisson's summation formula); otherwise the law's mass deposited at mu0
// with its variance (deposit), and, where s0 > dx/2, the rest of the
// variance added by the diffusion step. A point mass (s0 = 0) lands on the
// two nodes around mu0, with mean mu0.
func (s *scheme) initialLaw() {
	p := s.m.Params()
	g := s.g
	w := s.w[0]
	clear(w)
	mu, sd := p.X0Mean, p.X0Std
	if sd >= g.DX {
		sum := 0.0
		for i := range w {
			z := (g.X(i) - mu) / sd
			w[i] = math.Exp(-z * z / 2)
			sum += w[i]
		}
		if sum > 0 && !math.IsInf(sum, 0) {
			for i := range w {
				w[i] /= sum
			}
			return
		}
		clear(w)
	}
	v := sd * sd / (g.DX * g.DX)
	s.deposit(w, 1, mu, math.Min(v, 0.25))
	if v > 0.25 {
		s.diffuse(w, (v-0.25)/2)
	}
}

// deposit adds mass at y to w on the nodes nearest y, with variance v dx^2
// about y (0 <= v <= 1/4): on nodes j-1, j, j+1 around the nearest node j,
// at offset d = (y - x_j)/dx in [-1/2, 1/2], the weights (v' + d^2 - d)/2,
// 1 - v' - d^2, (v' + d^2 + d)/2 with v' = max(v, |d| - d^2), which are
// non-negative and have mass 1, mean y and variance v' dx^2; v' exceeds v
// where v is below the linear interpolation's |d| - d^2 (the two nodes
// around y). Beyond the grid the mass goes to the end node; next to it, the
// two nodes around y share it linearly.
func (s *scheme) deposit(w []float64, mass, y, v float64) {
	g := s.g
	u := (y - g.X0) / g.DX
	if !(u > 0) { // NaN too
		w[0] += mass
		return
	}
	if u >= float64(g.NX-1) {
		w[g.NX-1] += mass
		return
	}
	j := int(math.Round(u))
	d := u - float64(j)
	if j == 0 || j == g.NX-1 {
		k := int(math.Floor(u))
		f := u - float64(k)
		w[k] += mass * (1 - f)
		w[k+1] += mass * f
		return
	}
	vv := math.Max(v, math.Abs(d)-d*d)
	lo := (vv + d*d - d) / 2
	hi := (vv + d*d + d) / 2
	w[j-1] += mass * lo
	w[j] += mass * (1 - lo - hi)
	w[j+1] += mass * hi
}

// diffuse applies one implicit step (I - c Lap) w' = w of the discrete heat
// equation with reflecting ends, Lap w_i = w_{i+1} - 2 w_i + w_{i-1}: it
// keeps w's mass, positivity and (away from the ends) mean, and adds
// exactly 2 c dx^2 to its variance.
func (s *scheme) diffuse(w []float64, c float64) {
	n := s.g.NX
	for i := range n {
		s.lo[i], s.up[i], s.diag[i] = -c, -c, 1+2*c
	}
	s.lo[0], s.up[n-1] = 0, 0
	s.diag[0], s.diag[n-1] = 1+c, 1+c
	tridiag(s.lo, s.diag, s.up, w, s.c)
	for i := range w {
		w[i] = math.Max(w[i], 0) // rounding
	}
}

// fp solves the Fokker–Planck equation forward under the feedback a, from
// the initial law, by particles that start at the nodes with the law's
// masses and are re-binned onto the nodes whenever the diffusion they owe
// reaches dx^2/4. Each step moves every particle along its characteristic
// by Heun's step, y = x + dt/2 (a_n(x) + a_{n+1}(x + dt a_n(x))) (the
// feedback interpolated as interp does), and adds sigma^2 dt to the
// variance owed. A re-binning deposits each particle's mass around it with
// the variance owed, at most dx^2/4 (deposit), and an implicit diffusion
// step adds the rest (diffuse); the particles restart at the nodes with
// the masses deposited. Between re-binnings the law at a grid time is the
// particles' linear deposit. Where sigma^2 dt >= dx^2/4 every step
// re-bins; with sigma = 0 the particles are the characteristics from the
// initial nodes and never re-bin.
//
// Mass and positivity are kept exactly; the mean moves by Heun's step of
// the mean drift, and the variance grows by sigma^2 dt per step but for
// what is owed (less than dx^2/4) and the linear deposit's spread (less
// than dx^2/4, not carried over): the scheme's numerical diffusion is
// O(dx^2), not O(dx^2/dt) as a deposit at every step would make it.
func (s *scheme) fp(ctx context.Context) error {
	g := s.g
	s.initialLaw()
	h2 := g.DX * g.DX
	step := s.sigma * s.sigma * g.DT
	for i, m := range s.w[0] {
		s.pos[i], s.pm[i] = g.X(i), m
	}
	owed := 0.0
	for n := range g.NT {
		if n%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		for i, m := range s.pm {
			if m == 0 {
				continue
			}
			x := s.pos[i]
			a := s.interp(n, x)
			s.pos[i] = x + g.DT/2*(a+s.interp(n+1, x+g.DT*a))
		}
		owed += step
		to := s.w[n+1]
		clear(to)
		if owed < h2/4 {
			for i, m := range s.pm {
				if m != 0 {
					s.deposit(to, m, s.pos[i], 0)
				}
			}
			continue
		}
		v := owed / h2
		for i, m := range s.pm {
			if m != 0 {
				s.deposit(to, m, s.pos[i], math.Min(v, 0.25))
			}
		}
		if v > 0.25 {
			s.diffuse(to, (v-0.25)/2)
		}
		for i, m := range to {
			s.pos[i], s.pm[i] = g.X(i), m
		}
		owed = 0
	}
	return nil
}

// flow sets out to the flow of the law w under the feedback a: the means
// of X and of the action at every grid time and, for the MFC, the means of
// the running cost's partial derivatives in them; and abs to the means of
// their absolute values, the scale below which the flow's digits are
// rounding.
func (s *scheme) flow(out, abs Flow) {
	g := s.g
	for n := range g.NT + 1 {
		var xb, ab, xa, aa float64
		w, a := s.w[n], s.a[n]
		for i, m := range w {
			x := g.X(i)
			xb += m * x
			ab += m * a[i]
			xa += m * math.Abs(x)
			aa += m * math.Abs(a[i])
		}
		out.XBar[n], out.ABar[n], abs.XBar[n], abs.ABar[n] = xb, ab, xa, aa
		out.DXBar[n], out.DABar[n], abs.DXBar[n], abs.DABar[n] = 0, 0, 0, 0
		if s.r != mfe.MFC {
			continue
		}
		t := g.T(n)
		var dx, da, dxa, daa float64
		for i, m := range w {
			if m == 0 {
				continue
			}
			px, pa := s.part(t, g.X(i), a[i], xb, ab)
			dx += m * px
			da += m * pa
			dxa += m * math.Abs(px)
			daa += m * math.Abs(pa)
		}
		out.DXBar[n], out.DABar[n], abs.DXBar[n], abs.DABar[n] = dx, da, dxa, daa
	}
}
