package finitedifference

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// Solution is the grid solution of a model's MFG or MFC: the feedback
// alpha(t_n, x_i), the value v(t_n, x_i) of the representative agent (for
// the MFC, of the agent charged its marginal social cost) and the law
// (Mass[n][i], the probability of node i at time n), with the mean flow they
// make and how the fixed point ended.
type Solution struct {
	Model  model.Model
	Regime mfe.Regime
	Grid   Grid
	Alpha  [][]float64
	Value  [][]float64
	Mass   [][]float64
	Flow   Flow
	// Iterations is the number of fixed-point iterations done; Residual
	// the last one's relative change of the flow (sup norm); Converged
	// whether it reached Config.Tol.
	Iterations int
	Residual   float64
	Converged  bool
}

// Iteration is what Solve reports after each fixed-point iteration on the
// final grid: its number (from 1), the flow's relative change, and the
// solution as it stands (its arrays are reused by the next iteration).
type Iteration struct {
	Index    int
	Residual float64
	Solution *Solution
}

// Solve solves the regime r (mfe.MFG or mfe.MFC) of model m on the grids
// of cfg: the domain in x is found by coarse solves (domain), then the
// fixed point on the mean flow runs on the final grid (TimeSteps, Steps).
// observe, if not nil, is called after each iteration on the final grid;
// an error from it stops the solve. It returns the solution reached when the
// flow's relative change falls below cfg.Tol or after cfg.Iterations
// iterations (Converged says which); on cancellation, ctx's error (with the
// solution so far, if the final grid was reached).
func Solve(ctx context.Context, m model.Model, r mfe.Regime, cfg Config, observe func(Iteration) error) (*Solution, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if r != mfe.MFG && r != mfe.MFC {
		return nil, fmt.Errorf("finitedifference: unknown regime %q", r)
	}
	p := m.Params()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	nt := timeSteps(m, cfg.TimeSteps, cfg.MaxTimeSteps)
	lo, hi, err := domain(ctx, m, r, cfg)
	if err != nil {
		return nil, err
	}
	g := Grid{NT: nt, DT: p.T / float64(nt), NX: cfg.SpaceSteps + 1, X0: lo, DX: (hi - lo) / float64(cfg.SpaceSteps)}
	s := newScheme(m, r, g)
	sol := &Solution{Model: m, Regime: r, Grid: g, Alpha: s.a, Value: s.v, Mass: s.w, Flow: s.fl}
	err = s.fixedPoint(ctx, cfg.Iterations, cfg.Tol, cfg.Anderson, cfg.Damping, func(k int, res float64) error {
		sol.Iterations, sol.Residual, sol.Converged = k, res, res <= cfg.Tol
		if observe == nil {
			return nil
		}
		return observe(Iteration{Index: k, Residual: res, Solution: sol})
	})
	if err != nil {
		if sol.Iterations == 0 {
			return nil, err
		}
		return sol, err
	}
	return sol, nil
}

// timeSteps returns the number of time steps: perUnit times
// max(1, T rate), rate the model's fastest (Model.Rate), at most maxSteps.
func timeSteps(m model.Model, perUnit, maxSteps int) int {
	n := math.Ceil(float64(perUnit) * math.Max(1, m.Params().T*m.Rate()))
	if !(n < float64(maxSteps)) { // NaN too
		return maxSteps
	}
	return int(n)
}

// Sizes of the coarse solves that find the domain: coarseSteps time steps
// per unit of max(1, T rate), at most coarseMaxSteps, coarseCells cells, at
// most domainPasses passes, each flow to within coarseTol.
const (
	coarseSteps    = 25
	coarseMaxSteps = 500
	coarseCells    = 100
	domainPasses   = 12
	coarseTol      = 1e-6
)

// domain returns the interval of x the final grid covers: the envelope,
// over the grid times, of the law's mean ± k sd (k = cfg.RangeK), from a
// coarse solve on a first interval, widened by a tenth of its width and
// 0.05 L on each side (L = max(|x0-mean|, S), or 1 where both are 0,
// S = sqrt(x0-std^2 + sigma^2 T)), and solved again until the envelope stays
// off the ends by two cells and moves them by less than a fifth of the
// width. The first interval is min(0, x0-mean) - k S .. max(0, x0-mean) +
// k S, widened the same way; an end the envelope reaches is pushed out by
// the interval's width. The domain comes from the parameters and the
// coarse solutions, never from an exact solution.
func domain(ctx context.Context, m model.Model, r mfe.Regime, cfg Config) (lo, hi float64, err error) {
	p := m.Params()
	k := cfg.RangeK
	S := math.Sqrt(p.X0Std*p.X0Std + p.Sigma*p.Sigma*p.T)
	L := math.Max(math.Abs(p.X0Mean), S)
	if !(L > 0) || math.IsInf(L, 0) {
		L = 1
	}
	floor := 0.05 * L
	lo = math.Min(0, p.X0Mean) - k*S - floor
	hi = math.Max(0, p.X0Mean) + k*S + floor
	nt := timeSteps(m, coarseSteps, coarseMaxSteps)
	for range domainPasses {
		g := Grid{NT: nt, DT: p.T / float64(nt), NX: coarseCells + 1, X0: lo, DX: (hi - lo) / coarseCells}
		if !(g.DX > 0) || math.IsInf(g.DX, 0) {
			return 0, 0, &mfe.DivergenceError{Quantity: "finite-difference domain width", Value: hi - lo}
		}
		s := newScheme(m, r, g)
		if err := s.fixedPoint(ctx, cfg.Iterations, coarseTol, cfg.Anderson, cfg.Damping, nil); err != nil {
			return 0, 0, err
		}
		elo, ehi := envelope(s.w, g, k)
		pad := 0.1*(ehi-elo) + floor
		nlo, nhi := elo-pad, ehi+pad
		touchLo, touchHi := elo < lo+2*g.DX, ehi > hi-2*g.DX
		if touchLo {
			nlo = math.Min(nlo, lo-(hi-lo))
		}
		if touchHi {
			nhi = math.Max(nhi, hi+(hi-lo))
		}
		done := !touchLo && !touchHi && math.Abs(nlo-lo) <= 0.2*(hi-lo) && math.Abs(nhi-hi) <= 0.2*(hi-lo)
		lo, hi = nlo, nhi
		if done {
			break
		}
	}
	return lo, hi, nil
}

// envelope returns the smallest mean - k sd and the largest mean + k sd of
// the laws w[n] on g.
func envelope(w [][]float64, g Grid, k float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range w {
		var m1, m2 float64
		for i, m := range row {
			x := g.X(i)
			m1 += m * x
			m2 += m * x * x
		}
		sd := math.Sqrt(math.Max(m2-m1*m1, 0))
		lo = math.Min(lo, m1-k*sd)
		hi = math.Max(hi, m1+k*sd)
	}
	return lo, hi
}

// fixedPoint iterates on the mean flow: the flow assumed (first that of
// the law under the control 0, clamped to the control set) gives the
// feedback (hjb) and its law (fp), whose flow is the next; the iterates
// are mixed by Anderson acceleration of depth depth (0: the damped
// iteration x + beta (F(x) - x)). It stops when the relative change
// |F(x) - x|_∞ / max(|F(x)|_∞, |x|_∞) is at most tol or after iterations
// iterations, leaving in s the feedback and the law of the last flow
// assumed; report, if not nil, is called after each iteration. Each of the
// flow's four series counts on its own: its change relative to the largest
// of |F(x)|, |x| and the mean absolute value of what it averages (|X|,
// |alpha|, ...), below which its digits are rounding (a flow that is 0, as
// from x0-mean = 0, changes by rounding only). An
// accelerated iterate whose HJB equation cannot be solved (a wild
// extrapolation) is replaced by the damped step, the acceleration's
// history dropped.
func (s *scheme) fixedPoint(ctx context.Context, iterations int, tol float64, depth int, beta float64, report func(k int, res float64) error) error {
	g := s.g
	zero := math.Max(s.amin, math.Min(s.amax, 0))
	for _, row := range s.a {
		for i := range row {
			row[i] = zero
		}
	}
	if err := s.fp(ctx); err != nil {
		return err
	}
	L := g.NT + 1
	x := make([]float64, 4*L)
	fx := make([]float64, 4*L)
	f := make([]float64, 4*L)
	xGood, fGood := make([]float64, 4*L), make([]float64, 4*L)
	abs := make([]float64, 4*L)
	view := func(v []float64) Flow {
		return Flow{XBar: v[:L], ABar: v[L : 2*L], DXBar: v[2*L : 3*L], DABar: v[3*L:]}
	}
	s.flow(view(x), view(abs))
	acc := newAnderson(depth, beta)
	best := math.Inf(1)
	accelerated := false
	for k := 1; k <= iterations; k++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		copy(s.fl.XBar, x[:L])
		copy(s.fl.ABar, x[L:2*L])
		copy(s.fl.DXBar, x[2*L:3*L])
		copy(s.fl.DABar, x[3*L:])
		err := s.hjb(ctx)
		if err != nil && accelerated && ctx.Err() == nil {
			acc.restart()
			for i := range x {
				x[i] = xGood[i] + beta*fGood[i]
			}
			accelerated = false
			k--
			continue
		}
		if err != nil {
			return err
		}
		if err := s.fp(ctx); err != nil {
			return err
		}
		s.flow(view(fx), view(abs))
		res := 0.0
		for b := 0; b < 4*L; b += L {
			var num, den float64
			for i := b; i < b+L; i++ {
				f[i] = fx[i] - x[i]
				num = math.Max(num, math.Abs(f[i]))
				den = math.Max(den, math.Max(math.Abs(fx[i]), math.Max(math.Abs(x[i]), abs[i])))
			}
			if math.IsNaN(num) || math.IsInf(num, 0) || math.IsInf(den, 0) {
				return &mfe.DivergenceError{Epoch: k, Quantity: "mean flow", Value: num}
			}
			if num > 0 {
				res = math.Max(res, num/den)
			}
		}
		if report != nil {
			if err := report(k, res); err != nil {
				return err
			}
		}
		if res <= tol {
			return nil
		}
		if res > 100*best {
			acc.restart() // the accelerated iterates went astray
		}
		best = math.Min(best, res)
		copy(xGood, x)
		copy(fGood, f)
		accelerated = acc.next(x, f)
	}
	return nil
}

// anderson is Anderson acceleration (type II) of a fixed-point iteration
// x -> F(x) with residual f = F(x) - x: the next iterate is
// x + beta f - (ΔX + beta ΔF) gamma, gamma minimising |f - ΔF gamma|_2
// over the differences ΔX, ΔF of the last depth iterates and residuals.
// For an affine map (the LQ model's flow) it converges like GMRES.
type anderson struct {
	depth        int
	beta         float64
	dX, dF       [][]float64
	xPrev, fPrev []float64
}

func newAnderson(depth int, beta float64) *anderson { return &anderson{depth: depth, beta: beta} }

// restart forgets the history.
func (a *anderson) restart() { a.dX, a.dF, a.xPrev, a.fPrev = nil, nil, nil, nil }

// next overwrites x with the next iterate, given its residual f, and
// reports whether it is accelerated (not the damped step). An accelerated
// step more than 10 times the size of x and of the damped step is an
// extrapolation gone wild: the damped step replaces it and the history is
// dropped.
func (a *anderson) next(x, f []float64) (accelerated bool) {
	if a.depth > 0 && a.xPrev != nil {
		dx, df := make([]float64, len(x)), make([]float64, len(x))
		for i := range x {
			dx[i], df[i] = x[i]-a.xPrev[i], f[i]-a.fPrev[i]
		}
		a.dX, a.dF = append(a.dX, dx), append(a.dF, df)
		if len(a.dX) > a.depth {
			a.dX, a.dF = a.dX[1:], a.dF[1:]
		}
	}
	if a.depth > 0 {
		a.xPrev = append(a.xPrev[:0], x...)
		a.fPrev = append(a.fPrev[:0], f...)
	}
	gamma := a.coefficients(f)
	if len(gamma) > 0 {
		var size, step, damped float64
		for i := range x {
			st := a.beta * f[i]
			for j, gj := range gamma {
				st -= gj * (a.dX[j][i] + a.beta*a.dF[j][i])
			}
			size = math.Max(size, math.Abs(x[i]))
			damped = math.Max(damped, math.Abs(a.beta*f[i]))
			step = math.Max(step, math.Abs(st))
		}
		if step > 10*math.Max(size, damped) {
			a.restart()
			gamma = nil
		}
	}
	for i := range x {
		st := a.beta * f[i]
		for j, gj := range gamma {
			st -= gj * (a.dX[j][i] + a.beta*a.dF[j][i])
		}
		x[i] += st
	}
	return len(gamma) > 0
}

// coefficients returns gamma, the least-squares solution of ΔF gamma = f
// by the singular value decomposition, the directions of singular values
// below 1e-10 times the largest left out (differences that repeat each
// other), or none when there is no history.
func (a *anderson) coefficients(f []float64) []float64 {
	m := len(a.dF)
	if m == 0 {
		return nil
	}
	n := len(f)
	dF := mat.NewDense(n, m, nil)
	for j, col := range a.dF {
		for i, v := range col {
			dF.Set(i, j, v)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(dF, mat.SVDThin) {
		a.restart()
		return nil
	}
	rank := svd.Rank(1e-10)
	if rank == 0 {
		a.restart()
		return nil
	}
	var gamma mat.VecDense
	svd.SolveVecTo(&gamma, mat.NewVecDense(n, append([]float64(nil), f...)), rank)
	out := gamma.RawVector().Data
	for _, v := range out {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			a.restart()
			return nil
		}
	}
	return out
}
