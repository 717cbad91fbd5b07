// Package fbsde solves the MFG and the MFC by the deep McKean–Vlasov FBSDE
// method (SPEC §4.2): Y_0 = Y_theta(X_0) (2×64 ReLU) and Z_t = Z_theta(t, X_t)
// (2×128 ReLU) are trained so that the forward system
//
//	MFG: alpha = -Y/ca,                 MFC: alpha = -(Y - gamma E[X])/ca,
//	dX = alpha dt + sigma dW,           dY = -(cX X - gamma E[alpha]) dt + Z dW,
//
// meets the terminal condition Y_T = cg X_T, the loss being mean (Y_T - cg X_T)^2
// over N particles. Expectations are particle means. The rollout, its gradient
// and the Adam update are one compiled GoMLX graph per training step.
//
// Schemes: "euler" is the memoir's forward Euler; "heun" (the default
// profiles) a predictor–corrector on the drifts of X and Y, whose discrete
// solution is O(dt^2) rather than O(dt) from the continuous one.
//
// The learned feedback is E[Y_t | X_t = x], estimated after training by a
// least-squares cubic polynomial regression of Y_t on X_t over freshly
// simulated particles at each grid time, interpolated linearly in t. The MFC
// feedback also needs E[X_t]: it comes from the mean equations of the learned
// system, E[X]' = E[alpha], E[Y]' = -(cX E[X] - gamma E[alpha]), started at
// E[Y_theta(X_0)] computed by Gauss–Hermite quadrature, so it carries no
// sampling noise.
package fbsde
