// Package fbsde solves the MFG and the MFC by the deep McKean–Vlasov FBSDE
// method (Memoir.pdf, section "Five methods"): Y_0 = Y_theta(X_0) (2×64 ReLU)
// and Z_t = Z_theta(t, X_t) (2×128 ReLU) are trained so that the forward
// system
//
//	MFG: alpha = -Y/ca,                 MFC: alpha = -(Y - gamma E[X])/ca,
//	dX = alpha dt + sigma dW,           dY = -(cX X - gamma E[alpha]) dt + Z dW,
//
// meets the terminal condition Y_T = cg X_T, the loss being mean (Y_T - cg X_T)^2
// over N particles. Expectations are particle means. The rollout, its gradient
// and the Adam update are one compiled GoMLX graph per training step. The
// particles are rows [1, N] and the networks run feature-major on them
// (nn.MLP.ApplyCols), whose gradients on GoMLX's Go backend need no
// materialised transposes of the activations (package bench,
// "Feature-major layout").
//
// Schemes: "euler" is the memoir's forward Euler; "heun" (every profile) a
// predictor–corrector on the drifts of X and Y, whose discrete solution is
// O(dt^2) rather than O(dt) from the continuous one. The networks converge to
// the discrete solution (it zeroes the loss), so its distance to the exact
// control is a floor under the learned control's error, first order in dt
// with Euler and second order with Heun. TestSchemeBias computes it; the
// memoir's table of scheme floors lists its values.
//
// The learned feedback is E[Y_t | X_t = x], estimated after training by a
// least-squares cubic polynomial regression of Y_t on X_t over freshly
// simulated particles at each grid time, interpolated linearly in t. The MFC
// feedback also needs E[X_t]: it comes from the mean equations of the learned
// system, E[X]' = E[alpha], E[Y]' = -(cX E[X] - gamma E[alpha]), started at
// E[Y_theta(X_0)] computed by Gauss–Hermite quadrature, so it carries no
// sampling noise.
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
