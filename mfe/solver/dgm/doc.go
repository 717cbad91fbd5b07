// Package dgm solves the mean-field game (package mfe's doc) by the Deep
// Galerkin method (Memoir.pdf, section "Five methods"): two DGM networks
// (nn.DGM, Sirignano–Spiliopoulos LSTM-like layers, 3 × 50, tanh) give the
// value v(t, x) and a potential u(t, x) with the population density
// m = e^{-u}/∫e^{-u} (positive, mass 1 by construction). They are trained to
// make the RMS residuals of the HJB equation
//
//	∂t v - gamma x abar + cX/2 x^2 + sigma^2/2 ∂xx v - (∂x v)^2/(2 ca) = 0,  abar = ∫ -∂x v/ca m dx,
//
// and of the Fokker–Planck equation written for u,
//
//	∂t u + c'/c + ∂xx v/ca - ∂x v ∂x u/ca + sigma^2/2 ((∂x u)^2 - ∂xx u) = 0,  c'/c = -∫ ∂t u m dx,
//
// small on random batches of (t, x) points. The mean-field integrals are
// softmax(-u)-weighted sums over each time's x points. Derivatives are
// reverse-mode gradients of the networks; the residuals, the second
// derivatives, their weight gradients and the Adam update are one compiled
// graph per iteration. The control is alpha = -∂x v/ca.
//
// What makes it converge, where the memoir's version stalled:
//
//   - Sampling where the population lives: at each time, x is stratified
//     uniform on mean ± 4 sd of the learned law m(t, ·) (its moments are
//     tracked from the training batches), not on a fixed [-1, 1].
//   - Boundary conditions built in: v = cg x^2/2 + (T - t)/T · net_v and
//     u = (x - mu0)^2/(2 (s0^2 + sigma^2 t)) + t/T · net_u (the heat kernel of
//     the initial law: exact at t = 0, and a good prior later), so the
//     terminal and initial losses vanish identically.
//   - Adam at a learning rate 1,000 times the memoir's (1e-2), decayed by a
//     cosine in log space to 1e-4: the large early steps get out of the
//     initial transient in a few hundred iterations, the small late ones
//     settle the residuals.
//
// A point mass X_0 (x0-std = 0) is replaced by the narrow Gaussian
// N(mu0, MinStd^2) (MinStd = 0.05 by default).
//
// The prior of u spreads with time. Where the optimal control contracts the
// population instead, the network must supply the difference in u's
// curvature, and the error grows with the ratio of the prior's variance at
// T to the law's: over the robustness box (package mfe/sweep) the default
// profile is within its target where that ratio is at most about 11, and
// misses above it (about 19 at the sweep's set 7), without noise (where
// the equation for u loses its diffusion) and from a point mass.
//
// The method takes a model (package mfe/model; mfe.Run.Model) whose
// Hamiltonian minimiser has a graph form (model.GraphMinimiser): LQ,
// capped, or a user's model registered by name (model.Register) that gives
// MinimiserGraph. A model without it is refused when the run is built, with
// an error wrapping model.ErrNoGraphMinimiser. The
// residuals are then written for the model: with the feedback
// a* = MinimiserGraph(t, x, ∂x v, xbar, abar) (for the capped model,
// clip(-∂x v/ca, -A, A)),
//
//	∂t v + sigma^2/2 ∂xx v + a* ∂x v + f(t, x, a*, xbar, abar) = 0,  xbar = ∫ x m dx,  abar = ∫ a* m dx,
//	∂t u + c'/c - ∂x a* + a* ∂x u + sigma^2/2 ((∂x u)^2 - ∂xx u) = 0,
//
// f the model's running cost (RunningGraph), v = g(x) + (T - t)/T · net_v
// with g its terminal cost (TerminalGraph), and ∂x a* = ∂a*/∂q ∂xx v + ∂a*/∂x
// from the gradients of the minimiser alone (the clip's is -1/ca inside the
// cap, 0 beyond: defined almost everywhere, which is all training needs).
// The Fokker–Planck residual trains u alone (a* enters it as a constant):
// where the cap starts to bind ∂x a*, hence ∂xx u, jumps, a residual the
// smooth network cannot make vanish, and let into v it bent the control
// (residuals says by how much).
// The means a minimiser may read, xbar and abar, are given to it as the
// solver tracks them (exponential averages over the iterations, at each
// time stratum, like the sampling moments; saved with a checkpoint), so
// that the control the run returns, the minimiser at the learned co-state,
// is the one trained; LQ and capped minimisers read neither. The returned
// control lies in the control set (the minimiser's). The LQ model
// (model.LQ itself, not a user's model that embeds it) keeps the
// closed-form residuals above, its training graph unchanged. A run of a
// model other than LQ is measured against the finite-difference solution of
// the same model (finitedifference.Reference), its metrics control_mse and
// control_rel only: the method knows no exact solution of another model.
package dgm
