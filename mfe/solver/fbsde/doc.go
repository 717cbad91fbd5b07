// Package fbsde solves the MFG and the MFC by the deep McKean–Vlasov FBSDE
// method (Memoir.pdf, section "Five methods"): Y_0 = Y_theta(X_0) (2×64 ReLU)
// and Z_t = Z_theta(t, X_t) (2×128 ReLU) are trained so that the forward
// system of the run's model (package mfe/model: running cost
// f(t, x, a, xbar, abar), terminal cost g, the minimiser a*(t, x, q, xbar,
// abar) of a q + f over the control set)
//
//	MFG: alpha = a*(t, X, Y, E[X], E[alpha]),
//	     dY = -∂f/∂x dt + Z dW,
//	MFC: alpha = a*(t, X, Y + E[∂f/∂abar], E[X], E[alpha]),
//	     dY = -(∂f/∂x + E[∂f/∂xbar]) dt + Z dW,
//	dX = alpha dt + sigma dW,
//
// the derivatives taken at (t, X, alpha, E[X], E[alpha]), meets the
// terminal condition Y_T = g'(X_T), the loss being mean (Y_T - g'(X_T))^2
// over N particles. The MFC's are Pontryagin's conditions for a cost that
// depends on the law of the state and of the control: the co-state adds
// the mean of the cost's derivatives in the mean terms. Expectations are
// particle means. For the LQ model of package mfe, f = cX/2 x^2 + ca/2
// a^2 - gamma x abar, this is alpha = -Y/ca (MFG) or -(Y - gamma E[X])/ca
// (MFC), dY = -(cX X - gamma E[alpha]) dt + Z dW, Y_T = cg X_T; for the
// capped model, |a| <= A, alpha is that clipped to [-A, A].
//
// The derivatives are GoMLX's automatic derivatives of the model's graph
// forms (RunningGraph, TerminalGraph) and the minimiser its graph form
// (model.GraphMinimiser; a model without it is refused). The LQ model's
// step is built in closed form, the graph of the solver before it took a
// model (the same values, to float32 rounding, at fewer nodes). E[alpha_t]
// depends on alpha_t: the minimiser and ∂f/∂abar are given the mean action
// (and ∂f/∂abar the control) of the previous evaluation, which changes
// nothing for a model whose minimiser does not take abar and whose cost is
// affine in abar with a coefficient free of a (LQ and capped), and is
// first order in the time step otherwise.
//
// The rollout, its gradient and the Adam update are one compiled GoMLX
// graph per training step. The particles are rows [1, N] and the networks
// run feature-major on them (nn.MLP.ApplyCols), whose gradients on GoMLX's
// Go backend need no materialised transposes of the activations (package
// bench, "Feature-major layout").
//
// Schemes: "euler" is the memoir's forward Euler; "heun" (every profile) a
// predictor–corrector on the drifts of X and Y, whose discrete solution is
// O(dt^2) rather than O(dt) from the continuous one. The networks converge to
// the discrete solution (it zeroes the loss), so its distance to the exact
// control is a floor under the learned control's error, first order in dt
// with Euler and second order with Heun. TestSchemeBias computes it; the
// memoir's table of scheme floors lists its values.
//
// The learned feedback is the minimiser at the co-state E[Y_t | X_t = x]
// (plus E[∂f/∂abar] in the MFC) and the mean field of time t, within the
// model's control set: E[Y_t | X_t = x] is estimated after training by
// least squares over freshly simulated particles at each grid time,
// interpolated linearly in t, as is the mean field. The LQ model's
// co-state is affine in x and its fit a cubic polynomial; another model's
// bends where its minimiser changes form (the capped one's where the cap
// starts to bind) and its fit is a linear spline with knots at the
// particles' quantiles: fitted to the exact co-state of sweep set 0's
// capped model, a cubic alone was 1.3e-2 from its control, the spline
// 1.4e-3 (TestSplineFeedback). At a grid time where the particles are at
// one point (t = 0 with a point-mass initial law) the fit keeps the mean
// of Y_t and takes its shape in x from the next grid time: a constant
// there gave the feedback half its slope half a step later, a floor of
// 7.5e-3 at sweep set 2 (TestPointMassFeedback) where the scheme's own is
// 2.6e-4.
//
// For the LQ model the mean field comes from the mean equations of the
// learned system, E[X]' = E[alpha], E[Y]' = -(cX E[X] - gamma E[alpha]),
// started at E[Y_theta(X_0)] computed by Gauss–Hermite quadrature, so it
// carries no sampling noise; they do not close for another model (E[alpha]
// is not the feedback at the means once it is clipped), whose mean field
// is that of the simulated particles.
//
// On the LQ model the default profile's 50 Heun steps stay at every
// horizon of the robustness box: the scheme's floor at its eight sets is
// 2e-5 to 3e-4, below half the 1e-3 target (TestSchemeFloorOverBox), and
// depends on the costs' stiffness more than on T. On another model the
// steps grow with T beyond 1 (Config.RunSteps says why).
//
// A run of a model without an exact solution (the capped one) is measured
// against the finite-difference solution of that model
// (finitedifference.Reference).
//
// Moment matching (Config.MomentMatch, every profile): every
// draw of X_0 and of each Brownian increment, in training and in the
// regression's simulation, is shifted and scaled to sample mean 0 and
// variance 1 over the particles. The mean field (E[alpha], E[X]) of a finite
// batch then follows the mean equations without first-order sampling noise:
// without it the 50,000 regression particles alone moved the MFG feedback's
// level by about 1e-3, and each training batch's mean jittered the learned
// Y_0, both above the 1e-3 target. What remains is the scheme's O(dt^2) error
// on the mean path, which the default profile's 50 steps keep below it.
package fbsde
