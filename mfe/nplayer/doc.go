// Package nplayer checks mean-field controls in the finite game they
// approximate: N traders each use the same feedback control alpha(t, x), and
// trader i's price impact term is -gamma X^i abar^{-i}_t with abar^{-i} the
// empirical mean action of the other N-1 traders (so one trader's deviation
// does not move the price it pays, and the others' flow is exogenous to it;
// the mean over all N traders differs by O(1/N)). How much can one trader gain
// by deviating?
//
// Two answers are computed.
//
// The realised-flow gap ([Gaps], any mfe.Control, learned ones included) is
// the Monte Carlo mean over traders and realisations of the gain of a
// trader who best-responds to the others' realised mean-action path, known
// in advance: pathwise the best response is exact (the exact package's
// best-response equation ca B' = A B + gamma ca abar, B(T) = 0, solved on the
// realised flow), and the gain has the LQ verification form
//
//	J(alpha; f) - J(beta*; f) = ca/2 E ∫_0^T (alpha(t, X_t) + (A(t) X_t + B_f(t))/ca)^2 dt
//
// along the trader's own path X under alpha, which needs no second
// simulation and is never negative. A trader who knows the future flow can
// do no worse than one who does not, so this bounds the N-player Nash gap
// from above. It is reported as mean ± standard error over independent
// realisations (each realisation's value is the mean over its N traders).
//
// The Nash gap ([ExactNash], affine controls alpha = -(K x + L)) is the
// gain of the best adapted deviation, in closed form: the others' mean
// state Y = mean_{j≠i} X^j is then a linear diffusion, the deviator's value
// is quadratic in (X, Y) with dV/dx = A x + b + c y,
//
//	c' = (A/ca + K) c - gamma K,    b' = (A/ca) b + (c - gamma) L,    b(T) = c(T) = 0,
//
// and since Y has the mean m(t) and the variance V(t)/(N-1) of one trader's
// state, the gap is exactly Limit + Slope/(N-1): Limit is the control's
// mean-field exploitability (zero for the MFG equilibrium) and
// Slope = (1/(2 ca)) ∫ c^2 V dt.
//
// The traders move by Heun's predictor–corrector step (weak order 2 for the
// additive noise), the cost integrals use the trapezoid rule, and the
// best-response equation is integrated exactly for a flow linear between
// grid times, so that the time-discretisation floor of the realised-flow gap
// lies well below its 1/N decrease at the default 200 steps.
package nplayer
