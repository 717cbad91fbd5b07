package fbsde

import (
	"fmt"
	"math"
	"math/rand/v2"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"gonum.org/v1/gonum/mat"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x66627364)) }

// degree is the degree of the polynomial regression of Y_t on X_t.
const degree = 3

// regression is the feedback alpha(t, x) from per-time polynomial fits of
// E[Y_t | X_t = x], linear in t between grid times.
type regression struct {
	p     mfe.Params
	mfc   bool
	dt    float64
	coef  [][degree + 1]float64 // per grid time, in powers of (x - center)/scale
	ctr   []float64
	scale []float64
	meanX []float64 // E[X_t] of the learned system (MFC)
}

func newRegression(p mfe.Params, mfc bool, steps, n int, xs, ys []float32, meanX []float64) (*regression, error) {
	r := &regression{p: p, mfc: mfc, dt: p.T / float64(steps), meanX: meanX}
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
		if sd == 0 {
			sd = 1 // a point mass (t = 0 with s0 = 0, or sigma = 0): fit the constant
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
	}
	return r, nil
}

func (r *regression) yAt(i int, x float64) float64 {
	u := (x - r.ctr[i]) / r.scale[i]
	c := r.coef[i]
	return c[0] + u*(c[1]+u*(c[2]+u*c[3]))
}

// Eval implements mfe.Control.
func (r *regression) Eval(t float64, x, out []float64) {
	u := t / r.dt
	i := int(math.Floor(u))
	last := len(r.coef) - 1
	i = max(0, min(i, last-1))
	w := math.Max(0, math.Min(1, u-float64(i)))
	mx := r.meanX[i]*(1-w) + r.meanX[i+1]*w
	for k, xk := range x {
		y := r.yAt(i, xk)*(1-w) + r.yAt(i+1, xk)*w
		if r.mfc {
			out[k] = -(y - r.p.Gamma*mx) / r.p.Ca
		} else {
			out[k] = -y / r.p.Ca
		}
	}
}

// meanPath integrates the mean equations of the learned system with the same
// scheme as the particles, from E[Y_theta(X_0)] by Gauss–Hermite quadrature.
func (f *feedbackBuilder) meanPath() ([]float64, error) {
	p, cfg := f.sys.p, f.cfg
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
		return nil, fmt.Errorf("fbsde: evaluating Y_0: %w", err)
	}
	y0 := tensors.MustCopyFlatData[float32](out)
	var ey float64
	for i, w := range weights {
		ey += w * float64(y0[i])
	}
	ey /= math.Sqrt(math.Pi)
	dt := p.T / float64(cfg.Steps)
	alpha := func(mx, my float64) float64 {
		if f.sys.mfc {
			return -(my - p.Gamma*mx) / p.Ca
		}
		return -my / p.Ca
	}
	drift := func(mx, ma float64) float64 { return -(p.CX*mx - p.Gamma*ma) }
	mx, my := p.X0Mean, ey
	path := []float64{mx}
	for i := 0; i < cfg.Steps; i++ {
		a := alpha(mx, my)
		fy := drift(mx, a)
		if cfg.Scheme == "euler" {
			mx, my = mx+a*dt, my+fy*dt
		} else {
			xp, yp := mx+a*dt, my+fy*dt
			ap := alpha(xp, yp)
			mx, my = mx+(a+ap)*dt/2, my+(fy+drift(xp, ap))*dt/2
		}
		path = append(path, mx)
	}
	return path, nil
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
