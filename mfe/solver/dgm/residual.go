package dgm

import (
	. "github.com/gomlx/gomlx/core/graph"

	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// Field is a function of (t, x) built in a graph: t and x have the same
// shape [nt, nx] and so does the result.
type Field func(t, x *Node) *Node

// Residuals are the PDE residuals on an [nt, nx] batch (row k: time t_k,
// columns: x points spread uniformly over the row's interval), and the
// mean-field terms that couple them, per row.
type Residuals struct {
	HJB  *Node // ∂t v + sigma^2/2 ∂xx v + a* ∂x v + f(t, x, a*, xbar, abar)
	KFP  *Node // the Fokker–Planck equation written for u (see residuals)
	Abar *Node // [nt, 1]: abar(t) = ∫ a* m dx
	DLC  *Node // [nt, 1]: c'(t)/c(t) = -∫ ∂t u m dx
	Mean *Node // [nt]: ∫ x m dx
	Var  *Node // [nt]: ∫ (x - mean)^2 m dx
}

// derivs returns f, ∂t f, ∂x f and ∂xx f at (t, x), by reverse-mode
// differentiation of the sum (every output depends only on its own input).
func derivs(f Field, t, x *Node) (v, vt, vx, vxx *Node) {
	v = f(t, x)
	d := Gradient(ReduceAllSum(v), t, x)
	vt, vx = d[0], d[1]
	vxx = Gradient(ReduceAllSum(vx), x)[0]
	return
}

// residuals builds the residuals of the MFG system of model m for the value
// v and the log-density potential u, m = e^{-u}/c, c(t) = ∫ e^{-u} dx, at
// times t [nt, 1] and points x [nt, nx] spread uniformly over an interval
// per time (so that ∫ f m dx is the softmax(-u)-weighted sum of f along each
// row). The feedback is the Hamiltonian's minimiser at the co-state ∂x v,
// a* = MinimiserGraph(t, x, ∂x v, xbar', abar') (mfemodel.GraphMinimiser),
// where xbar' and abar' are the columns of mf [nt, 2]: the population's
// mean state and action that the minimiser is given (the solver's tracked
// means, see solver.track). mf is nil for the LQ model, whose residuals
// are written in closed form (lqResiduals).
//
// HJB: ∂t v + sigma^2/2 ∂xx v + a* ∂x v + f(t, x, a*, xbar, abar) = 0, with
// xbar = ∫ x m dx and abar = ∫ a* m dx (f is the model's RunningGraph).
//
// KFP for u: ∂t m = -∂x(a* m) + sigma^2/2 ∂xx m. Since ∂t m/m = -∂t u - c'/c,
// ∂x m = -∂x u m and ∂xx m = ((∂x u)^2 - ∂xx u) m,
//
//	∂t u + c'/c - ∂x a* + a* ∂x u + sigma^2/2 ((∂x u)^2 - ∂xx u) = 0,
//	c'/c = ∫ -∂t u e^{-u} dx / c = -∫ ∂t u m dx,
//
// where ∂x a* = ∂a*/∂q ∂xx v + ∂a*/∂x (feedback).
//
// The KFP residual trains u alone: a* and ∂x a* enter it as constants
// (StopGradient), so that v is trained by the HJB equation (u by both,
// through abar in the HJB). Where a capped control reaches the cap, ∂x a*
// jumps (-∂xx v/ca inside, 0 beyond), and so does ∂xx u: the smooth
// network u cannot make the KFP residual vanish there, and with its
// gradient into v that residual bent v to reduce it. At the reference
// parameters and A = 1 (the cap's edge runs through the population for
// t < 0.3), the quick profile reached control_rel 0.028 and 0.0085 (seeds
// 1, 2) with the gradient into v, 0.0023 and 0.0026 without it; the
// default profile, seed 1, 0.0186 with it (errors of -0.02 on the
// uncapped part of the population near t = 0).
func residuals(m mfemodel.Model, t, x, mf *Node, v, u Field) Residuals {
	if lq, ok := m.(mfemodel.LQ); ok {
		return lqResiduals(lq, t, x, v, u)
	}
	d := derivsOf(t, x, v, u)
	mean, nt, nx := d.mean, d.nt, d.nx
	row := func(c *Node) *Node { return BroadcastToDims(c, nt, nx) }
	mfCol := func(i int) *Node { return row(Slice(mf, AxisRange(), AxisElem(i))) }
	a, ax := feedback(m.(mfemodel.GraphMinimiser), d.tt, x, d.vx, d.vxx, mfCol(0), mfCol(1))
	mx := mean(x)
	abar := mean(a)
	dlc := Neg(mean(d.ut))
	s2 := m.Params().Sigma * m.Params().Sigma / 2

	hjb := Add(d.vt, MulScalar(d.vxx, s2))
	hjb = Add(hjb, Mul(a, d.vx))
	hjb = Add(hjb, m.RunningGraph(d.tt, x, a, row(mx), row(abar)))

	kfp := Add(d.ut, dlc) // a* and ∂x a* as constants: the KFP trains u alone
	kfp = Sub(kfp, StopGradient(ax))
	kfp = Add(kfp, Mul(StopGradient(a), d.ux))
	kfp = Add(kfp, MulScalar(Sub(Square(d.ux), d.uxx), s2))

	vr := mean(Square(Sub(x, mx)))
	return Residuals{HJB: hjb, KFP: kfp, Abar: abar, DLC: dlc,
		Mean: Reshape(mx, nt), Var: Reshape(vr, nt)}
}

// batchDerivs are the fields' derivatives on a batch and the learned law's
// weights along each row.
type batchDerivs struct {
	nt, nx                   int
	tt                       *Node // the times, [nt, nx]
	vt, vx, vxx, ut, ux, uxx *Node
	w                        *Node // m dx along each row: softmax(-u)
}

// derivsOf returns the derivatives of v and u at times t [nt, 1] and points
// x [nt, nx].
func derivsOf(t, x *Node, v, u Field) batchDerivs {
	d := batchDerivs{nt: x.Shape().Dim(0), nx: x.Shape().Dim(1)}
	d.tt = BroadcastToDims(t, d.nt, d.nx)
	_, d.vt, d.vx, d.vxx = derivs(v, d.tt, x)
	var uu *Node
	uu, d.ut, d.ux, d.uxx = derivs(u, d.tt, x)
	d.w = Softmax(Neg(uu), -1)
	return d
}

// mean returns ∫ f m dx per row, [nt, 1].
func (d batchDerivs) mean(f *Node) *Node { return ReduceAndKeep(Mul(d.w, f), ReduceSum, -1) }

// feedback returns the minimiser a* = MinimiserGraph(t, x, q, xbar, abar)
// at the co-state q = ∂x v and its derivative along x,
// ∂x a* = ∂a*/∂q qx + ∂a*/∂x, qx = ∂xx v. The partials are gradients of
// the sum of a* with respect to pass-through copies of q and x, which only
// the minimiser reads (a* at one point depends on q and x at that point
// only), so that neither differentiates the network again: the capped
// model's ∂a*/∂q is -1/ca inside the cap and 0 beyond it (the clip's
// gradient, defined almost everywhere), its ∂a*/∂x zero.
func feedback(gm mfemodel.GraphMinimiser, t, x, q, qx, xbar, abar *Node) (a, ax *Node) {
	pass := func(_, v *Node) *Node { return v }
	qc, xc := IdentityWithCustomGradient(q, pass), IdentityWithCustomGradient(x, pass)
	a = gm.MinimiserGraph(t, xc, qc, xbar, abar)
	d := Gradient(ReduceAllSum(a), qc, xc)
	return a, Add(Mul(d[0], qx), d[1])
}

// lqResiduals are the residuals of the LQ model (mfemodel.LQ, whose
// feedback is a* = -∂x v/ca) in closed form: the graph the method had
// before it took models, kept so that the LQ model's training does not
// change (its KFP residual trains v too: with a smooth feedback it can
// vanish, and the LQ runs meet their targets so).
//
// HJB: ∂t v - gamma x abar + cX/2 x^2 + sigma^2/2 ∂xx v - (∂x v)^2/(2 ca) = 0.
// KFP: ∂t u + c'/c + ∂xx v/ca + a* ∂x u + sigma^2/2 ((∂x u)^2 - ∂xx u) = 0.
func lqResiduals(m mfemodel.LQ, t, x *Node, v, u Field) Residuals {
	p := m.P
	d := derivsOf(t, x, v, u)
	mean, nt := d.mean, d.nt
	vt, vx, vxx, ut, ux, uxx := d.vt, d.vx, d.vxx, d.ut, d.ux, d.uxx
	alpha := MulScalar(vx, -1/p.Ca)
	abar := mean(alpha)
	dlc := Neg(mean(ut))
	s2 := p.Sigma * p.Sigma / 2

	hjb := Add(vt, Mul(MulScalar(x, -p.Gamma), abar))
	hjb = Add(hjb, MulScalar(Square(x), p.CX/2))
	hjb = Add(hjb, MulScalar(vxx, s2))
	hjb = Sub(hjb, MulScalar(Square(vx), 1/(2*p.Ca)))

	kfp := Add(ut, dlc)
	kfp = Add(kfp, MulScalar(vxx, 1/p.Ca))
	kfp = Add(kfp, Mul(alpha, ux))
	kfp = Add(kfp, MulScalar(Sub(Square(ux), uxx), s2))

	mx := mean(x)
	vr := mean(Square(Sub(x, mx)))
	return Residuals{HJB: hjb, KFP: kfp, Abar: abar, DLC: dlc,
		Mean: Reshape(mx, nt), Var: Reshape(vr, nt)}
}

// rms returns sqrt(mean(r^2)).
func rms(r *Node) *Node { return Sqrt(ReduceAllMean(Square(r))) }
