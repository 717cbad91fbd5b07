// Package qlearn is finite-horizon mean-field Q-learning (Memoir.pdf, section
// "Five methods"): the tabular two-timescale algorithm of Angiuli, Fouque and
// Laurière, in plain Go, for the mean-field game (MFG) and mean-field control
// (MFC).
//
// # Model-free by construction
//
// The learner is package tabular (internal to this one, documented there).
// It sees the problem only through an mfrl.Env: the time grid, the range
// of admissible actions, a sampler of initial states and of transitions
// (state, action → next state) that it cannot open, and a black-box reward
// r(n, x, a, population statistics) and terminal reward g(x) that it may
// query where it likes. It imports nothing but the standard library and
// package mfrl, so no parameter of the model (sigma, gamma, ca, cX, cg) and
// nothing of package exact can reach it: Train wires the run's model
// (package model: LQ, Capped or a user's) into an Env (modelEnv) and
// compares the learned control with the exact one, or with the
// finite-difference solution of a model without one, outside the
// learner. Given another model behind the same interface,
// the same learner learns that model's solution (TestOtherModel).
//
// What Train gives the learner, besides the Env, is its Config: spacings,
// levels, rates, exploration. Three settings hand it knowledge of the
// model instead, as ablations (see Config): XRange = "model" (the state
// grid's range from the parameters, where "pilot" sizes it from the
// simulator), Edges = "model-hold" (a next state beyond the grid charged
// the model's cost of holding the excess to T, where "extrapolate" uses
// the learned values) and MFCReward = "model-marginal" (the MFC agent paid
// the model's marginal social reward, a formula in gamma, xbar and abar,
// where "marginal" estimates it from the black-box reward). The memoir
// profile is the literal algorithm (one uniform action grid, nearest
// rounding, the grid argmax, the left-point reward, edges clipped, the
// private MFC reward).
//
// Measured at the reference parameters, default profile, seeds 1-3:
// control_rel 0.033-0.035 (MFG) and 0.015-0.024 (MFC), at most 0.041 and
// 0.038 over the grid times, t = T included. No next state left the
// pilot's grid in these runs (Edges = "clip", "extrapolate" and
// "model-hold" give the same runs, bit for bit); the three model-aware
// settings together give 0.034 and 0.011-0.012, within the seeds' spread.
// The literal algorithm reaches 0.18-0.20 on the MFG (0.48-0.71 at t = T),
// and with the private reward the MFC learner finds the MFG equilibrium
// (control_rel 1.09 against the planner's control) whatever its rates.
//
// # The environment
//
// The Env of a run (modelEnv), from the run's model: X_0 ~ N(mu0, s0^2);
// the Euler step x + a dt + sigma sqrt(dt) xi; the action range
// [AMin, AMax] (derived from the parameters unless set, see
// Config.actionRange) within the model's control set (Config.actions: the
// capped model's [-A, A]); the terminal reward -g(x); the reward of step
// n minus the running cost charged for it (Config.Reward): "step", the
// expected running cost over the step, ∫ E f(X_s, a, xbar_n + abar_n s,
// abar_n) ds from the step's start state with the action held, the cost
// of the continuous problem for controls constant on each step (in closed
// form for the LQ costs, the LQ and capped models'; by Gauss–Legendre ×
// Gauss–Hermite quadrature for a user's model, exact for costs polynomial
// of degree up to 5 in x); or "left", the left-point rule
// f(t_n, x_n, a, xbar_n, abar_n) dt. The
// left-point rule misses, in -gamma x abar, the telescoping ∫ x dx = x^2/2
// by gamma/2 Σ abar_n^2 dt^2: it raises the planner's trading cost by
// gamma dt, and at the reference parameters (gamma just above
// cg + sqrt(cX ca), the MFC Riccati close to blowing up) that moves the MFC
// control by about 6 dt relative (0.2 at dt = 1/32).
//
// # Other models
//
// Any model of package model (mfe.Run.Model: the capped model, a user's
// registered one) is learned the same way, the learner seeing it only
// through the Env, and measured against the model's finite-difference
// solution (control_mse and control_rel). The capped model's actions are
// [-A, A]: the learner keeps every action in that range, one window
// spanning it at every level, a window held at the cap exploring so that
// no entry goes stale while the population keeps the greedy policy's
// moments, and the state grid covering where holding the cap leads (see
// package tabular). The learned control stays in the range at every t, x
// (Tables.Eval). Default profile, A = 1 at the reference parameters,
// seeds 1-3: control_rel 0.040, 0.043, 0.028 (MFG) and 0.072, 0.073, 0.069
// (MFC) against the finite-difference solution. Before the learner kept
// its windows in the range as it does now (windows poking beyond the cap,
// the tilted exploration cut at the cap, levels restarting the learning
// rates), seed 1 reached 0.11 (MFG) and 0.37 (MFC).
//
// A reward that is not quadratic in the action or in the state (found so
// by the learner's probe of the black-box reward; the LQ and capped
// models' rewards are quadratic and their runs unchanged, bit for bit)
// makes the learner take the greedy action from the window's Q less the
// reward's own non-quadratic part, interpolate the next values by cubics
// and let an episode's path go on from its unrounded states (package
// tabular). Notebook 07's user model (a trading cost with a kink at
// a = 0, selling at twice buying's coefficient, and a quartic inventory
// penalty; TestQuickKinked) shows why: before, default profile, seeds
// 1-3, control_rel 0.60 (MFG) and 0.67-0.68 (MFC) against its
// finite-difference solution, the window's parabola across the kink
// tilting the control toward buying by 0.3-0.4 wherever it is near 0,
// and the state grid's linear interpolation and rounding, harmless for
// values quadratic in x, tilting the planner's control toward selling by
// about 0.12. After, seed 1: 0.041 (MFG) and 0.077 (MFC); quick profile,
// seeds 1-3: 0.045-0.047 (MFG) and 0.092-0.107 (MFC).
//
// # The learned control
//
// The control (a *Tables, an mfe.Control) is the learner's greedy action
// on the grid, linear in x between grid states and constant beyond them.
// Time placement: the action of index n is constant over [t_n, t_n + dt]
// and approximates the continuous control at its midpoint: it sits at time
// t_n + TimeNode·dt (TimeNode = 0.5), linear in t between nodes and
// extrapolated linearly from the two nearest nodes before the first and
// after the last (so t = 0 and t = T are second-order too).
//
// Learning rates: see Config.ExpQ; for the MFC the Q exponent decides
// between overshooting (0.55), tracking the population's noise (0.4, the
// quick profile) and a slow approach from below (0.7, the default).
//
// Interruption and resumption: with mfe.Run.Checkpoint set, Train saves
// the learner's whole state (Q tables, visits, window fits, population
// moments, the MFC's reward derivatives, the edges' fits, action levels,
// episode counter, history and the PCG generator's state) in
// Checkpoint/state.json, replaced atomically and listed with its checksum
// in a manifest written after it (package rundir), every CheckpointEvery
// episodes, on cancellation and finished at the end; a later Train of the
// same run resumes it and ends bit for bit where an uninterrupted run ends
// (TestResume). A state.json that does not match its manifest is refused
// (TestCheckpointIntegrity).
//
// Over the robustness box (package mfe/sweep; `mfe sweep -methods
// q-learning`, notebooks/results/sweep/sweep-q-learning.md) the default
// profile meets control_rel 0.1 at every set in both regimes, pooled over
// time, and at every grid time but t = T at two sets, over three seeds
// each (notebooks/results/sweep/q-learning-set-*): one where the exact
// control at T is nearly zero (a relative error of a small absolute one)
// and one where it steepens towards T, where twice the time steps lower
// the error at t = T for some seeds and not for others. The time grid is
// given to the learner, which does not size it from the model's
// coefficients.
package qlearn
