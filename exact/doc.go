// Package exact holds the closed-form solutions of the mean-field optimal
// execution problem (SPEC §2–3): the mean-field game equilibrium ([MFG]), the
// mean-field control optimum ([MFC]), the best response to any mean-action
// flow ([BestResponse]) and the exploitability of affine controls ([Affine]).
//
// The formulas are written in forms that stay finite for every valid
// parameter set: the Riccati solution A(t) uses rho(tau) = tanh(k tau)/(k ca),
// which tends to tau/ca as cX -> 0, and the mean inventory E(t) uses
// (1 - exp(-delta tau))/delta, which tends to tau as delta -> 0. Integrals
// without a closed form use composite Gauss–Legendre quadrature (gonum's
// quad.Fixed), with panels fine enough for the boundary layers of fast
// exponentials.
package exact
