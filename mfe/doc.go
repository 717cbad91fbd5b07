// Package mfe is the root of mf-optimal-execution: the mean-field optimal
// execution model, shared by the exact solutions, the particle simulator and
// the five numerical solvers.
//
// A representative trader liquidates inventory X_t over [0, T] by trading at
// rate alpha_t,
//
//	dX_t = alpha_t dt + sigma dW_t,   X_0 ~ N(mu0, s0^2),
//
// paying the running cost cX/2 x^2 + ca/2 a^2 - gamma x abar_t, where abar_t is
// the population's mean trading rate, and the terminal cost cg/2 X_T^2.
// [Params] holds the eight model parameters; [Reference] returns the memoir's
// Table 2.1. Two problems share the model: the mean-field game ([MFG], a Nash
// equilibrium) and mean-field control ([MFC], a social planner).
//
// The package layout follows the data path, parameters → solution → result →
// figure:
//
//   - exact: closed-form MFG and MFC solutions, best response, exploitability.
//   - sim: Euler–Maruyama particles under any feedback [Control], costs and
//     error metrics against an exact control.
//   - solver/...: the five numerical methods, each returning a [Result].
//   - figure: gonum/plot figures from plain data (no computation).
//   - notebook, progress: GoNB display and progress reporting.
//   - cmd/mfe: the command line, a thin shell over the packages.
package mfe
