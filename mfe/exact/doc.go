// Package exact holds the closed-form solutions of the mean-field optimal
// execution problem (derived in Memoir.pdf, section "Exact solutions"): the
// mean-field game equilibrium ([MFG]), the mean-field control optimum ([MFC]),
// the best response to any mean-action flow ([BestResponse], and
// [GridResponse] for flows known on a time grid) and the exploitability of
// affine controls ([Affine]).
//
// The formulas are written in forms that stay finite for every valid
// parameter set: the Riccati solution A(t) uses rho(tau) = tanh(k tau)/(k ca),
// which tends to tau/ca as cX -> 0, and the mean inventory E(t) uses
// (1 - exp(-delta tau))/delta, which tends to tau as delta -> 0. Integrals
// without a closed form use composite Gauss–Legendre quadrature (gonum's
// quad.Fixed), with panels fine enough for the boundary layers of fast
// exponentials.
//
// For every parameter set that mfe.Params.Validate accepts (magnitudes up to
// 1e20, ca at least 1e-20) the constructors return a solution whose values
// are finite for t in [0, T] and |x| <= 1e20, or, for the MFC above its
// blow-up threshold, an error wrapping ErrNoSolution; FuzzExact checks this
// and the identities that hold to rounding. Quadrature panels are capped
// (4000 per integral), so at extreme rates (rate·T beyond about 10^4) the
// integrals (C, the laws of X) lose accuracy but stay finite.
package exact
