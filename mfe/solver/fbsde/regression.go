package fbsde

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"gonum.org/v1/gonum/mat"

	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x66627364)) }

// degree is the degree of the polynomial regression of Y_t on X_t (the
// LQ model's), knots the number of knots of the linear spline (another
// model's).
const (
	degree = 3
	knots  = 16
)

// meanField is the mean field at the grid times that the feedback takes
// besides E[Y_t | X_t = x]: E[X_t], the mean action given to the
// minimiser, and the MFC's shift of the co-state, E[∂f/∂abar] (0 in the
// MFG).
type meanField struct {
	xbar, abar, shift []float64
}

// particleMeans is the mean field of simulated paths: E[X_t] the
// particles' mean (xs, [steps+1][n]), the mean action and the shift those
// the rollout gave the minimiser (its evaluations' abarIn and shift).
func particleMeans(steps, n int, xs, abar, shift []float32) meanField {
	mf := meanField{xbar: make([]float64, steps+1), abar: make([]float64, steps+1), shift: make([]float64, steps+1)}
	for i := range mf.xbar {
		var s float64
		for _, v := range xs[i*n : (i+1)*n] {
			s += float64(v)
		}
		mf.xbar[i], mf.abar[i], mf.shift[i] = s/float64(n), float64(abar[i]), float64(shift[i])
	}
	return mf
}

// regression is the feedback alpha(t, x), the model's minimiser at the
// co-state q = E[Y_t | X_t = x] + shift_t and the mean field of time t:
// E[Y_t | X_t = x] from per-time least-squares fits, it and the mean field
// linear in t between grid times.
//
// The LQ model's co-state is affine in x, so a cubic polynomial holds it
// exactly with four coefficients. Another model's bends where its
// minimiser changes form (the capped one's where the cap starts to bind),
// which a global polynomial follows slowly (the fit alone, to the
// finite-difference co-state, is 1.3e-2 from its control at sweep set 0's
// capped model with a cubic, 3.5e-3 with degree 7): its fit is a linear
// spline with knots at the particles' quantiles (1.4e-3 there,
// TestSplineFeedback).
//
// At a grid time whose particles have no spread (t = 0 with a point-mass
// initial law) the paths say nothing about how Y varies in x there, only
// its mean: the fit keeps that mean and borrows its shape in x from the
// nearest grid time with spread, where a constant fit would give the
// feedback no slope at that time and, interpolated, half its slope at the
// next half step, where the particles have spread.
type regression struct {
	m   mfemodel.Model
	dt  float64
	fit []fit
	mf  meanField
}

// fit is E[Y_t | X_t = x] at one grid time.
type fit interface{ at(x float64) float64 }

// poly is a polynomial of degree [degree] in (x - ctr)/scale.
type poly struct {
	coef       [degree + 1]float64
	ctr, scale float64
}

func (p poly) at(x float64) float64 {
	u := (x - p.ctr) / p.scale
	c := p.coef
	return c[0] + u*(c[1]+u*(c[2]+u*c[3]))
}

// spline is linear between its knots and beyond the end ones.
type spline struct{ knot, val []float64 }

func (s spline) at(x float64) float64 {
	j, w := s.cell(x)
	return s.val[j]*(1-w) + s.val[j+1]*w
}

// cell returns the knot interval of x, the end ones extended, and x's
// place in it.
func (s spline) cell(x float64) (int, float64) {
	j := max(0, min(sort.SearchFloat64s(s.knot, x)-1, len(s.knot)-2))
	return j, (x - s.knot[j]) / (s.knot[j+1] - s.knot[j])
}

// level is a point mass's fit: its mean mean at ctr and the shape in x of
// another time's fit (nil: constant).
type level struct {
	mean, ctr float64
	shape     fit
}

func (l level) at(x float64) float64 {
	if l.shape == nil {
		return l.mean
	}
	return l.mean + l.shape.at(x) - l.shape.at(l.ctr)
}

// pointMass says that particles of mean mu and standard deviation sd are
// all at one point, up to float32 rounding.
func pointMass(mu, sd float64) bool { return sd <= 1e-6*(1+math.Abs(mu)) }

func newRegression(m mfemodel.Model, steps, n int, xs, ys []float32, mf meanField) (*regression, error) {
	r := &regression{m: m, dt: m.Params().T / float64(steps), mf: mf, fit: make([]fit, steps+1)}
	lq := m.Spec().IsLQ()
	var flat []int // grid times at a point mass
	for i := 0; i <= steps; i++ {
		x, y := xs[i*n:(i+1)*n], ys[i*n:(i+1)*n]
		mu, sd := meanSD(x)
		switch {
		case pointMass(mu, sd):
			r.fit[i] = level{mean: meanOf(y), ctr: mu}
			flat = append(flat, i)
		case lq:
			r.fit[i] = fitPoly(x, y, mu, sd)
		default:
			sp, err := fitSpline(x, y)
			if err != nil {
				return nil, fmt.Errorf("fbsde: the feedback's fit at step %d: %w", i, err)
			}
			r.fit[i] = sp
		}
	}
	// A point mass takes the shape of the nearest time with spread (the
	// next one first); with none at all (no noise and a point-mass law,
	// one deterministic path) its level is the whole fit.
	for _, i := range flat {
		l := r.fit[i].(level)
	search:
		for d := 1; d <= steps; d++ {
			for _, j := range []int{i + d, i - d} {
				if j < 0 || j > steps {
					continue
				}
				if _, ok := r.fit[j].(level); !ok {
					l.shape = r.fit[j]
					break search
				}
			}
		}
		r.fit[i] = l
	}
	return r, nil
}

func meanOf(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x)
	}
	return s / float64(len(v))
}

func meanSD(v []float32) (mu, sd float64) {
	mu = meanOf(v)
	for _, x := range v {
		sd += (float64(x) - mu) * (float64(x) - mu)
	}
	return mu, math.Sqrt(sd / float64(len(v)))
}

// fitPoly is the least-squares polynomial of y on x in powers of
// (x - mu)/sd; a singular system (a spread too small to resolve) falls
// back to the mean of y.
func fitPoly(x, y []float32, mu, sd float64) poly {
	n := len(x)
	A := mat.NewDense(n, degree+1, nil)
	b := mat.NewVecDense(n, nil)
	for k := range x {
		u := (float64(x[k]) - mu) / sd
		pw := 1.0
		for d := 0; d <= degree; d++ {
			A.Set(k, d, pw)
			pw *= u
		}
		b.SetVec(k, float64(y[k]))
	}
	p := poly{ctr: mu, scale: sd}
	var sol mat.VecDense
	if err := sol.SolveVec(A, b); err != nil {
		p.coef[0] = meanOf(y)
		return p
	}
	for d := range p.coef {
		p.coef[d] = sol.AtVec(d)
	}
	return p
}

// fitSpline is the least-squares linear spline of y on x with [knots]
// knots at the quantiles 0.5 %, ..., 99.5 % of x (repeated ones merged).
func fitSpline(x, y []float32) (spline, error) {
	n := len(x)
	sorted := make([]float64, n)
	for k, v := range x {
		sorted[k] = float64(v)
	}
	sort.Float64s(sorted)
	var s spline
	for j := range knots {
		q := 0.005 + 0.99*float64(j)/float64(knots-1)
		v := sorted[int(q*float64(n-1))]
		if len(s.knot) == 0 || v > s.knot[len(s.knot)-1] {
			s.knot = append(s.knot, v)
		}
	}
	if len(s.knot) < 2 {
		return spline{knot: []float64{sorted[0], sorted[0] + 1}, val: []float64{meanOf(y), meanOf(y)}}, nil
	}
	A := mat.NewDense(n, len(s.knot), nil)
	b := mat.NewVecDense(n, nil)
	for k := range x {
		j, w := s.cell(float64(x[k]))
		A.Set(k, j, 1-w)
		A.Set(k, j+1, w)
		b.SetVec(k, float64(y[k]))
	}
	var sol mat.VecDense
	if err := sol.SolveVec(A, b); err != nil {
		return spline{}, err
	}
	s.val = make([]float64, len(s.knot))
	for j := range s.val {
		s.val[j] = sol.AtVec(j)
	}
	return s, nil
}

// Eval implements mfe.Control: within the model's control set, the
// minimiser's.
func (r *regression) Eval(t float64, x, out []float64) {
	u := t / r.dt
	i := int(math.Floor(u))
	last := len(r.fit) - 1
	i = max(0, min(i, last-1))
	w := math.Max(0, math.Min(1, u-float64(i)))
	at := func(v []float64) float64 { return v[i]*(1-w) + v[i+1]*w }
	xbar, abar, shift := at(r.mf.xbar), at(r.mf.abar), at(r.mf.shift)
	for k, xk := range x {
		y := r.fit[i].at(xk)*(1-w) + r.fit[i+1].at(xk)*w
		out[k] = r.m.Minimiser(t, xk, y+shift, xbar, abar)
	}
}

// meanPath is the LQ model's mean field: its mean equations, which close
// (E[X]' = E[alpha], E[Y]' = -(cX E[X] - gamma E[alpha]), E[alpha] the
// feedback at the means, the shift -gamma E[X] in the MFC), integrated
// with the same scheme as the particles from E[Y_theta(X_0)] by
// Gauss–Hermite quadrature, so that it carries no sampling noise. The
// mean action it gives is E[alpha_t] (the LQ minimiser takes none).
func (f *feedbackBuilder) meanPath() (meanField, error) {
	p, cfg := f.sys.m.Params(), f.cfg
	nodes, weights := hermite(40)
	xs := make([]float32, len(nodes))
	for i, z := range nodes {
		xs[i] = float32(p.X0Mean + p.X0Std*math.Sqrt2*z)
	}
	out, err := model.CallOnce(f.be, f.store, func(scope *model.Scope, x *Node) *Node {
		n := newNets(scope, x.Graph(), cfg, p.T)
		return n.y0.Apply(ExpandAxes(x, -1))
	}, tensors.FromFlatDataAndDimensions(xs, len(xs)))
	if err != nil {
		return meanField{}, fmt.Errorf("fbsde: evaluating Y_0: %w", err)
	}
	y0 := tensors.MustCopyFlatData[float32](out)
	var ey float64
	for i, w := range weights {
		ey += w * float64(y0[i])
	}
	ey /= math.Sqrt(math.Pi)
	dt := p.T / float64(cfg.Steps)
	shift := func(mx float64) float64 {
		if f.sys.mfc {
			return -p.Gamma * mx
		}
		return 0
	}
	alpha := func(mx, my float64) float64 { return -(my + shift(mx)) / p.Ca }
	drift := func(mx, ma float64) float64 { return -(p.CX*mx - p.Gamma*ma) }
	var mf meanField
	mx, my := p.X0Mean, ey
	for i := 0; ; i++ {
		a := alpha(mx, my)
		mf.xbar, mf.abar, mf.shift = append(mf.xbar, mx), append(mf.abar, a), append(mf.shift, shift(mx))
		if i == cfg.Steps {
			break
		}
		fy := drift(mx, a)
		if cfg.Scheme == "euler" {
			mx, my = mx+a*dt, my+fy*dt
		} else {
			xp, yp := mx+a*dt, my+fy*dt
			ap := alpha(xp, yp)
			mx, my = mx+(a+ap)*dt/2, my+(fy+drift(xp, ap))*dt/2
		}
	}
	return mf, nil
}

// hermite returns the n-point Gauss–Hermite nodes and weights (weight e^{-z^2}),
// by Newton iteration on the Hermite recurrence (Numerical Recipes' gauher).
func hermite(n int) (nodes, weights []float64) {
	nodes, weights = make([]float64, n), make([]float64, n)
	pim4 := math.Pow(math.Pi, -0.25)
	var z float64
	m := (n + 1) / 2
	for i := 0; i < m; i++ {
		switch i {
		case 0:
			z = math.Sqrt(float64(2*n+1)) - 1.85575*math.Pow(float64(2*n+1), -0.16667)
		case 1:
			z -= 1.14 * math.Pow(float64(n), 0.426) / z
		case 2:
			z = 1.86*z - 0.86*nodes[0]
		case 3:
			z = 1.91*z - 0.91*nodes[1]
		default:
			z = 2*z - nodes[i-2]
		}
		var pp float64
		for it := 0; it < 100; it++ {
			p1, p2 := pim4, 0.0
			for j := 1; j <= n; j++ {
				p3 := p2
				p2 = p1
				p1 = z*math.Sqrt(2/float64(j))*p2 - math.Sqrt(float64(j-1)/float64(j))*p3
			}
			pp = math.Sqrt(2*float64(n)) * p2
			z1 := z
			z = z1 - p1/pp
			if math.Abs(z-z1) <= 1e-15 {
				break
			}
		}
		nodes[i], nodes[n-1-i] = z, -z
		weights[i] = 2 / (pp * pp)
		weights[n-1-i] = weights[i]
	}
	return nodes, weights
}
