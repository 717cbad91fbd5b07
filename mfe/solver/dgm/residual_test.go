package dgm

import (
	"math"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend/backendtest"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// exactFields returns, per time t_k, the coefficients of first-order Taylor
// expansions in t of the exact v and u = (x - mu)^2/(2 S) (m ∝ e^{-u}), so
// that the graph's derivatives at t = t_k are those of the exact solution:
// value, ∂t value and x derivatives are exact at the expansion point.
//
//	v = A/2 x^2 + B x + C,  ca A' = A^2 - ca cX,  B = -(A E + ca E'),
//	ca E'' = cX E - gamma E',  C' = -(sigma^2/2 A - B^2/(2 ca)),
//	mu' = -(A mu + B)/ca,  S' = -2 A S/ca + sigma^2.
type exactRow struct{ A, B, C, dA, dB, dC, mu, S, dmu, dS float64 }

func exactRows(p mfe.Params, ts []float64, perturb func(*exactRow)) []exactRow {
	m := exact.MustMFG(p)
	rows := make([]exactRow, len(ts))
	for k, t := range ts {
		a, e, de := m.A(t), m.E(t), m.DE(t)
		dde := (p.CX*e - p.Gamma*de) / p.Ca
		da := (a*a - p.Ca*p.CX) / p.Ca
		b := m.B(t)
		law := m.LawX(t)
		r := exactRow{A: a, B: b, C: m.C(t), dA: da, dB: -(da*e + a*de + p.Ca*dde),
			dC: -(p.Sigma*p.Sigma/2*a - b*b/(2*p.Ca)), mu: law.Mean, S: law.Var}
		r.dmu = -(a*r.mu + b) / p.Ca
		r.dS = -2*a*r.S/p.Ca + p.Sigma*p.Sigma
		if perturb != nil {
			perturb(&r)
		}
		rows[k] = r
	}
	return rows
}

// exactResiduals evaluates the package's residual code for model m on the
// exact solution of the LQ model at m's parameters (or a perturbed one) at
// times ts, on x = mean ± 6 sd per time, and returns the RMS of the HJB and
// KFP residuals and abar per time.
func exactResiduals(t *testing.T, be compute.Backend, m mfemodel.Model, ts []float64, perturb func(*exactRow)) (hjb, kfp float64, abar []float64) {
	t.Helper()
	p := m.Params()
	rows := exactRows(p, ts, perturb)
	nt, nx := len(ts), 2001
	xs := make([]float64, nt*nx)
	coef := make([][]float64, 10)
	for k, r := range rows {
		sd := math.Sqrt(r.S)
		copy(xs[k*nx:], mfe.Linspace(r.mu-6*sd, r.mu+6*sd, nx))
		for i, c := range []float64{r.A, r.B, r.C, r.dA, r.dB, r.dC, r.mu, r.S, r.dmu, r.dS} {
			coef[i] = append(coef[i], c)
		}
	}
	exec, err := NewExec(be, func(tn, xn, cn *Node) []*Node {
		col := func(i int) *Node { // [nt, 1]
			return Reshape(Slice(cn, AxisElem(i), AxisRange()), nt, 1)
		}
		A, B, C, dA, dB, dC, mu, S, dmu, dS := col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7), col(8), col(9)
		taylor := func(t, f0, f1 *Node) *Node { return Add(f0, Mul(Sub(t, StopGradient(t)), f1)) }
		quad := func(a, b, c, x *Node) *Node { return Add(Add(Mul(MulScalar(a, 0.5), Square(x)), Mul(b, x)), c) }
		v := func(t, x *Node) *Node { return taylor(t, quad(A, B, C, x), quad(dA, dB, dC, x)) }
		u := func(t, x *Node) *Node {
			d := Sub(x, mu)
			u0 := Div(Square(d), MulScalar(S, 2))
			// ∂t of (x - mu)^2/(2S) = -(x - mu) mu'/S - (x - mu)^2 S'/(2 S^2)
			u1 := Sub(Neg(Div(Mul(d, dmu), S)), Div(Mul(Square(d), dS), MulScalar(Square(S), 2)))
			return taylor(t, u0, u1)
		}
		var mf *Node // the means the minimiser is given, which the LQ minimiser ignores
		if _, lq := m.(mfemodel.LQ); !lq {
			mf = Zeros(tn.Graph(), shapes.Make(tn.DType(), nt, 2))
		}
		r := residuals(m, tn, xn, mf, v, u)
		return []*Node{rms(r.HJB), rms(r.KFP), Reshape(r.Abar, nt)}
	})
	if err != nil {
		t.Fatal(err)
	}
	flat := make([]float64, 0, 10*nt)
	for _, c := range coef {
		flat = append(flat, c...)
	}
	out, err := exec.Call(tensors.FromFlatDataAndDimensions(ts, nt, 1),
		tensors.FromFlatDataAndDimensions(xs, nt, nx),
		tensors.FromFlatDataAndDimensions(flat, 10, nt))
	if err != nil {
		t.Fatal(err)
	}
	return tensors.MustCopyFlatData[float64](out[0])[0], tensors.MustCopyFlatData[float64](out[1])[0],
		tensors.MustCopyFlatData[float64](out[2])
}

// TestResidualsVanishOnExact feeds the exact MFG solution through the
// package's residual code, both the LQ model's closed form (lqResiduals) and
// the general one (the model's minimiser and running cost on the graph) for
// the capped model with an infinite cap, which is the LQ model: the HJB and
// KFP residuals must vanish and the mean-field term abar must equal E'(t).
// A perturbed v or m must not pass. On every backend found.
func TestResidualsVanishOnExact(t *testing.T) {
	backendtest.Each(t, testResidualsVanishOnExact)
}

func testResidualsVanishOnExact(t *testing.T, be compute.Backend) {
	ts := []float64{0.05, 0.3, 0.6, 0.95}
	for _, mp := range []struct {
		name string
		p    mfe.Params
	}{{"lq", mfe.Reference()}, {"lq", mfe.Params{T: 2, Sigma: 0.8, Gamma: 0.5, Ca: 0.7, CX: 1, Cg: 1.5, X0Mean: -0.4, X0Std: 0.5}},
		{"capped-inf", mfe.Reference()}, {"capped-inf", mfe.Params{T: 2, Sigma: 0.8, Gamma: 0.5, Ca: 0.7, CX: 1, Cg: 1.5, X0Mean: -0.4, X0Std: 0.5}}} {
		p := mp.p
		var md mfemodel.Model = mfemodel.LQ{P: p}
		if mp.name == "capped-inf" {
			md = mfemodel.Capped{LQ: mfemodel.LQ{P: p}, A: math.Inf(1)}
		}
		tsP := make([]float64, len(ts))
		for i, f := range ts {
			tsP[i] = f * p.T
		}
		hjb, kfp, abar := exactResiduals(t, be, md, tsP, nil)
		t.Logf("%s %+v: on the exact solution, RMS hjb %.2g, kfp %.2g", mp.name, p, hjb, kfp)
		if hjb > 1e-6 || kfp > 1e-5 {
			t.Errorf("%s %+v: residuals on the exact solution: hjb %.3g, kfp %.3g, want ~0", mp.name, p, hjb, kfp)
		}
		m := exact.MustMFG(p)
		for k, tk := range tsP {
			if d := math.Abs(abar[k] - m.DE(tk)); d > 1e-6 {
				t.Errorf("%s %+v: abar(%g) = %.8g, exact E' = %.8g", mp.name, p, tk, abar[k], m.DE(tk))
			}
		}
		// Sensitivity: a 5 % error in B (the mean-field part of v) or a
		// shifted drift of the mean of m must show.
		hjb, _, _ = exactResiduals(t, be, md, tsP, func(r *exactRow) { r.B *= 1.05 })
		t.Logf("%s %+v: perturbed, RMS hjb %.2g", mp.name, p, hjb)
		if hjb < 1e-3 {
			t.Errorf("%s %+v: HJB residual with B·1.05 = %.3g, too small to see", mp.name, p, hjb)
		}
		_, kfp, _ = exactResiduals(t, be, md, tsP, func(r *exactRow) { r.dmu += 0.05 })
		t.Logf("%s %+v: perturbed, RMS kfp %.2g", mp.name, p, kfp)
		if kfp < 1e-2 {
			t.Errorf("%s %+v: KFP residual with mu' + 0.05 = %.3g, too small to see", mp.name, p, kfp)
		}
	}
}
