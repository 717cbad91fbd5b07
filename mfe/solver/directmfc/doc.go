// Package directmfc solves the mean-field control problem directly
// (Memoir.pdf, section "Five methods"): a feedback network alpha_theta(t, x)
// (ReLU; 3 hidden layers of 128 in the memoir profile) is trained by gradient
// descent on the empirical social cost of N particles driven by it, the mean
// action being taken across the particles at each step. The whole N_T-step
// rollout, its gradient and the Adam update are one compiled GoMLX graph per
// training step. The particles are rows [1, N] and the network runs
// feature-major on them (nn.MLP.ApplyCols), whose gradients on GoMLX's Go
// backend need no materialised transposes of the activations (package
// bench, "Feature-major layout").
//
// Two time schemes are offered. "euler" is the memoir's: Euler–Maruyama
// particles and a left-point rule for the cost; the discrete problem's
// optimum then differs from the continuous one by O(dt), which is where the
// memoir lost precision. "heun" (the default) uses the predictor–corrector
// step X' = X + (alpha(t, X) + alpha(t+dt, X + alpha dt + sigma dW))/2 dt +
// sigma dW and the trapezoid rule for the cost, whose discrete optimum is
// O(dt^2) from the exact control, at twice the network evaluations per step.
// The number of steps is the configuration's on a horizon T <= 1 and grows
// with T beyond (Config.RolloutSteps), so that dt stays at most 1/Steps.
//
// The default profile trains a narrower network (3 hidden layers of 64) for
// more epochs than the memoir's, with moment-matched draws (Config.MomentMatch:
// each epoch's X_0 and Brownian increments shifted and scaled to sample mean
// 0 and variance 1). The controls at t = 0 and t = T act for half a step
// each: they get the weakest gradients, and the discrete problem's own
// optimum is O(dt) from the exact control there, while O(dt^2) inside
// (TestSchemeFloorOverBox prints it over the robustness box: at the
// default's steps 1-14 % at the ends, below 0.9 % inside), so the error of
// a trained run gathers at the two ends. The final control's law-weighted
// relative error at each
// time of the standard grid is recorded in the history ("t",
// "control_rel_by_time").
//
// The method takes a model (package mfe/model; mfe.Run.Model): the social
// cost is built from the model's graph forms of its running and terminal
// costs, and the network's output z is mapped into the model's control set
// by model.Bound: for the capped model, |a| <= A, the clip of z to
// [-A, A], since the capped optimum is the clip of a smooth feedback (a
// smooth squashing, A tanh(z/A), has to reach the cap's kink with z →
// ±Inf: at the default profile, A = 1, seed 1, control_rel 0.0105 through
// tanh, 0.0073 through the clip; model.Bound says more); for the LQ model
// z itself, the graph being the one before models existed. A capped run
// has no exact solution: it is measured against the finite-difference
// solution of the same model (finitedifference.Reference), its metrics
// control_mse and control_rel only.
package directmfc
