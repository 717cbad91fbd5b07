package dgm

import (
	. "github.com/gomlx/gomlx/core/graph"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// Field is a function of (t, x) built in a graph: t and x have the same
// shape [nt, nx] and so does the result.
type Field func(t, x *Node) *Node

// Residuals are the PDE residuals on an [nt, nx] batch (row k: time t_k,
// columns: x points spread uniformly over the row's interval), and the
// mean-field terms that couple them, per row.
type Residuals struct {
	HJB  *Node // ∂t v - gamma x abar + cX/2 x^2 + sigma^2/2 ∂xx v - (∂x v)^2/(2 ca)
	KFP  *Node // the Fokker–Planck equation written for u (see residuals)
	Abar *Node // [nt, 1]: abar(t) = ∫ -∂x v/ca m dx
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

// residuals builds the residuals of the MFG system for the value v and the
// log-density potential u, m = e^{-u}/c, c(t) = ∫ e^{-u} dx, at times t
// [nt, 1] and points x [nt, nx] spread uniformly over an interval per time
// (so that ∫ f m dx is the softmax(-u)-weighted sum of f along each row).
//
// HJB: ∂t v - gamma x abar + cX/2 x^2 + sigma^2/2 ∂xx v - (∂x v)^2/(2 ca) = 0.
//
// KFP for u: with alpha = -∂x v/ca, ∂t m = -∂x(alpha m) + sigma^2/2 ∂xx m.
// Since ∂t m/m = -∂t u - c'/c, ∂x m = -∂x u m and ∂xx m = ((∂x u)^2 - ∂xx u) m,
//
//	∂t u + c'/c - ∂x alpha + alpha ∂x u + sigma^2/2 ((∂x u)^2 - ∂xx u) = 0,
//	∂x alpha = -∂xx v/ca,   c'/c = ∫ -∂t u e^{-u} dx / c = -∫ ∂t u m dx.
func residuals(p mfe.Params, t, x *Node, v, u Field) Residuals {
	nt, nx := x.Shape().Dim(0), x.Shape().Dim(1)
	tt := BroadcastToDims(t, nt, nx)
	_, vt, vx, vxx := derivs(v, tt, x)
	uu, ut, ux, uxx := derivs(u, tt, x)
	w := Softmax(Neg(uu), -1) // m dx along each row
	mean := func(f *Node) *Node { return ReduceAndKeep(Mul(w, f), ReduceSum, -1) }
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
