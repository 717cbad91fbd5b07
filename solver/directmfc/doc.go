// Package directmfc solves the mean-field control problem directly (SPEC
// §4.1): a feedback network alpha_theta(t, x) (3 hidden layers of 128, ReLU)
// is trained by gradient descent on the empirical social cost of N particles
// driven by it, the mean action being taken across the particles at each
// step. The whole N_T-step rollout, its gradient and the Adam update are one
// compiled GoMLX graph per training step.
//
// Two time schemes are offered. "euler" is the memoir's: Euler–Maruyama
// particles and a left-point rule for the cost; the discrete problem's
// optimum then differs from the continuous one by O(dt), which is where the
// memoir lost precision. "heun" (the default) uses the predictor–corrector
// step X' = X + (alpha(t, X) + alpha(t+dt, X + alpha dt + sigma dW))/2 dt +
// sigma dW and the trapezoid rule for the cost, whose discrete optimum is
// O(dt^2) from the exact control, at twice the network evaluations per step.
package directmfc
