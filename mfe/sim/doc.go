// Package sim simulates particles of the mean-field optimal execution model
// with the Euler–Maruyama scheme,
//
//	X_{i+1} = X_i + alpha(t_i, X_i) dt + sigma sqrt(dt) xi_i,  xi_i ~ N(0, 1),
//
// under any feedback control (mfe.Control), and computes from the particles
// the costs and the error metrics of package mfe's doc: control_mse and
// control_rel against an exact control, the exploitability of an MFG
// control and the social-cost gap of an MFC control.
//
// A Sim is seeded: the same seed gives the same initial states and Brownian
// increments, so two controls simulated with one Sim see common random
// numbers, and their cost difference carries much less noise than either cost.
//
// # Exploitability and social-cost gap
//
// Both are estimated from an identity that writes them as the mean of a
// non-negative quantity along the paths of the control itself, rather than
// as a difference of two Monte-Carlo costs (whose time-step bias, O(dt)
// times the costs, is larger than the gaps of good controls).
//
// Exploitability. Fix the mean-action flow abar of a population using alpha.
// The best response to it has value v(t, x) = A/2 x^2 + B x + C, with
// ca A' = A^2 - ca cX, A(T) = cg and ca B' = A B + gamma ca abar, B(T) = 0
// (package exact), and v solves the HJB equation
// v_t + sigma^2/2 v_xx + min_a (a v_x + f(x, a, abar)) = 0, the minimum at
// alpha_BR = -v_x/ca. For any a, a v_x + ca/2 a^2 = ca/2 (a - alpha_BR)^2 -
// ca/2 alpha_BR^2, so Itô's formula for v(t, X_t), X driven by alpha (its
// dynamics do not depend on abar), gives the verification identity
//
//	J(alpha; abar) - J(alpha_BR; abar) = (ca/2) E ∫_0^T (alpha(t, X_t) - alpha_BR(t, X_t))^2 dt.
//
// Social-cost gap. Split X into its mean xbar = E X_t and the centred part
// X~ = X - xbar, with abar = xbar' and alpha~ = alpha - abar. Since
// -gamma xbar abar = -(gamma/2) (xbar^2)', the planner's cost is
//
//	∫ (cX/2 xbar^2 + ca/2 abar^2) dt + (cg - gamma)/2 xbar_T^2 + gamma/2 mu0^2
//	  + E[∫ (cX/2 X~^2 + ca/2 alpha~^2) dt + cg/2 X~_T^2],
//
// and Itô's formula for zeta/2 xbar^2 (ca zeta' = zeta^2 - ca cX,
// zeta(T) = cg - gamma) and for eta/2 X~^2 (eta = A) completes the squares
// of the two parts. With the optimal cost J_MFC(alpha^) = etabar(0) mu0^2/2 +
// eta(0) s0^2/2 + sigma^2/2 ∫ eta, etabar = zeta + gamma, the two squares
// sum to
//
//	J_MFC(alpha) - J_MFC(alpha^) = (ca/2) E ∫_0^T (alpha(t, X_t) + (eta X_t + (zeta - eta) xbar(t))/ca)^2 dt,
//
// xbar the mean of alpha's own population: the distance, along alpha's
// paths, from the planner's optimal feedback taken at alpha's own mean
// (alpha^ itself at xbar = the optimal mean). It holds while zeta stays
// finite on [0, T], that is, while the MFC has a solution.
//
// In both, with delta = alpha - alpha* (alpha^ for the MFC) along alpha's
// paths, the gap is (ca/2) ∫ (Var delta + (E delta - r)^2) dt, r a
// deterministic reaction to alpha's mean (the best response's to the
// flow, the planner's to the mean inventory): the centred part of the
// error counts in full, so the gap is about (ca T/2) control_mse when the
// reaction is small against E delta or the centred part dominates.
//
// The estimator ([Sim.Exploitability], [Sim.SocialGap]). The particles move
// under alpha by Heun's predictor–corrector step (weak order 2); at each
// grid time their mean and the centred sum of squares of
// u = alpha + A X/ca give the mean of (u + b)^2, b = B/ca for the game and
// (zeta - eta) xbar/ca for the planner, and the trapezoid rule integrates
// it: non-negative by construction. The flow (abar, or xbar) is that of the
// same particles, with the exact control (alpha* or alpha^) simulated on
// the same noise as control variate: abar = E'(t) + mean(alpha) -
// mean(alpha*), and B is the exact best response to it, linear between
// grid times (exact.GridResponse). The flow's noise is then of the size of
// the control's error, and the exact control's own estimate is zero to
// rounding. The standard error is the jackknife's over 100 batches of
// particles, so it includes the flow's noise; the flow's O(1/N) bias is far
// below it. Heun's bias is O(dt^2); at the evaluation's 100 steps (more
// where the parameters' rates need them, [GapSteps]) it is below the
// standard error of 100,000 particles for controls whose error varies with
// x, and below 1e-3 of the value in every case the tests measure (errors
// the same on every path, which have no Monte-Carlo error, included).
package sim
