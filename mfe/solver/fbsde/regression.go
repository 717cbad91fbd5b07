package fbsde

import (
	"fmt"
	"math"
	"math/rand/v2"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"gonum.org/v1/gonum/mat"

	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x66627364)) }

// degree is the degree of the polynomial regression of Y_t on X_t.
const degree = 3

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
// E[Y_t | X_t = x] from per-time polynomial fits, it and the mean field
// linear in t between grid times.
//
// At a grid time whose particles have no spread (t = 0 with a point-mass
// initial law) the paths say nothing about how Y varies in x there, only
// its mean: the fit keeps that mean and borrows its shape in x from the
// nearest grid time with spread (shape[i]), where a constant fit would
// give the feedback no slope at that time and, interpolated, half its
// slope at the next half step, where the particles have spread.
type regression struct {
	m     mfemodel.Model
	dt    float64
	coef  [][degree + 1]float64 // per grid time, in powers of (x - center)/scale
	ctr   []float64
	scale []float64
	shape []int // per grid time, the grid time whose polynomial gives the shape in x
	mf    meanField
}

// pointMass says that particles of mean mu and standard deviation sd are
// all at one point, up to float32 rounding.
func pointMass(mu, sd float64) bool { return sd <= 1e-6*(1+math.Abs(mu)) }

func newRegression(m mfemodel.Model, steps, n int, xs, ys []float32, mf meanField) (*regression, error) {
	r := &regression{m: m, dt: m.Params().T / float64(steps), mf: mf}
	for i := 0; i <= steps; i++ {
		x, y := xs[i*n:(i+1)*n], ys[i*n:(i+1)*n]
		var mu, sd float64
		for _, v := range x {
			mu += float64(v)
		}
		mu /= float64(n)
		for _, v := range x {
			sd += (float64(v) - mu) * (float64(v) - mu)
		}
		sd = math.Sqrt(sd / float64(n))
		if pointMass(mu, sd) {
			var my float64
			for _, v := range y {
				my += float64(v)
			}
			r.coef = append(r.coef, [degree + 1]float64{my / float64(n)})
			r.ctr, r.scale, r.shape = append(r.ctr, mu), append(r.scale, 1), append(r.shape, -1)
			continue
		}
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
		var c [degree + 1]float64
		var sol mat.VecDense
		if err := sol.SolveVec(A, b); err != nil {
			// Degenerate spread: fall back to the mean of Y.
			var my float64
			for _, v := range y {
				my += float64(v)
			}
			c[0] = my / float64(n)
		} else {
			for d := range c {
				c[d] = sol.AtVec(d)
			}
		}
		r.coef = append(r.coef, c)
		r.ctr = append(r.ctr, mu)
		r.scale = append(r.scale, sd)
		r.shape = append(r.shape, i)
	}
	// A point mass takes the shape of the nearest time with spread (the
	// next one first); with none at all (no noise and a point-mass law,
	// one deterministic path) the constant is the whole fit.
	for i := range r.shape {
		for d := 1; r.shape[i] < 0 && d <= steps; d++ {
			for _, j := range []int{i + d, i - d} {
				if j >= 0 && j <= steps && r.shape[i] < 0 && r.shape[j] == j {
					r.shape[i] = j
				}
			}
		}
	}
	return r, nil
}

// poly is the polynomial fitted at grid time i.
func (r *regression) poly(i int, x float64) float64 {
	u := (x - r.ctr[i]) / r.scale[i]
	c := r.coef[i]
	return c[0] + u*(c[1]+u*(c[2]+u*c[3]))
}

// yAt is E[Y | X = x] at grid time i: its own fit, or at a point mass its
// mean plus the variation in x of the fit whose shape it takes.
func (r *regression) yAt(i int, x float64) float64 {
	switch j := r.shape[i]; {
	case j == i:
		return r.poly(i, x)
	case j >= 0:
		return r.coef[i][0] + r.poly(j, x) - r.poly(j, r.ctr[i])
	default:
		return r.coef[i][0]
	}
}

// Eval implements mfe.Control: within the model's control set, the
// minimiser's.
func (r *regression) Eval(t float64, x, out []float64) {
	u := t / r.dt
	i := int(math.Floor(u))
	last := len(r.coef) - 1
	i = max(0, min(i, last-1))
	w := math.Max(0, math.Min(1, u-float64(i)))
	at := func(v []float64) float64 { return v[i]*(1-w) + v[i+1]*w }
	xbar, abar, shift := at(r.mf.xbar), at(r.mf.abar), at(r.mf.shift)
	for k, xk := range x {
		y := r.yAt(i, xk)*(1-w) + r.yAt(i+1, xk)*w
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
