// Package qlearn is finite-horizon mean-field Q-learning (SPEC §4.4): the
// tabular two-timescale algorithm of Angiuli, Fouque and Laurière, in plain
// Go, for the mean-field game (MFG) and mean-field control (MFC).
//
// # Algorithm
//
// Times n = 0..N_T-1 (dt = T/N_T), states on a grid of spacing dx, actions
// on a grid. An episode is one agent's path: X_0 ~ N(mu0, s0^2) projected on
// the grid; at each n the agent takes a uniform random action with
// probability epsilon and the greedy action of Q_n otherwise, receives
// -f(x, a, abar_n) dt and moves to the Euler step x + a dt + sigma sqrt(dt) xi,
// projected on the state grid (clipped to its range); the last step receives
// the terminal reward -g at the unprojected state. Q_n(x, a) moves toward
// r + max_a' Q_{n+1}(x', a') at rate (1 + visits(n,x,a))^-ExpQ; the
// population's moments abar_n = Σ a mu_n(x,a) and xbar_n = Σ x mu_n(x,a)
// move toward the visited (x, a) at rate (1 + k)^-ExpMu at episode k
// (updating mu_n toward the one-hot of the visit and taking its moments).
// MFG: Q faster than the population; MFC: the population faster.
//
// # What makes it accurate
//
//   - Randomized rounding of the next state between its two grid
//     neighbours, with probabilities that preserve the mean: nearest
//     rounding loses the drift a dt whenever it is below dx/2 (here it
//     always is), which biases the learned control toward zero. The TD
//     target takes the expectation over that rounding, the linear
//     interpolation of max_a' Q_{n+1} between the neighbours, which removes
//     the rounding's own noise from the target.
//   - Action-grid refinement: level 0 is a coarse uniform grid over a wide,
//     parameter-derived range; each later level re-centres every (n, x) row
//     on that row's refined greedy action, halves the spacing and keeps
//     RefineJ actions either side (uniform exploration is then symmetric
//     about the greedy action, so it hardly biases abar).
//   - Sub-grid greedy action: the control is the vertex of a least-squares
//     parabola through Q at the argmax and its neighbours (exact when Q is
//     quadratic in a, second-order otherwise), not the grid argmax, whose
//     error da/2 swamps the small controls near t = T.
//   - Time placement: the discrete Bellman step makes the action of index n
//     approximate the continuous control at t_{n+1} (a_n = -∂x V_{n+1}/ca at
//     the predicted state); the control of index n therefore sits at time
//     t_n + TimeNode·dt (TimeNode = 1 by default), linear in t between
//     nodes, the last index at t = T, and a linear extrapolation from the
//     first two nodes before the first.
//   - MFC reward: swapping the learning rates alone does not change the
//     learner's fixed point (Q the best response to the population, the
//     population that of the greedy policy), which is the MFG equilibrium.
//     The MFC agent is therefore charged its marginal social cost
//     f + a·E[∂f/∂abar] = f - gamma xbar_n a (the linear derivative of the
//     population cost), whose equilibrium is the planner's optimum;
//     MFCReward = "private" gives the literal algorithm.
//
// Grid ranges come from the parameters, never from the exact solution (see
// Grid). The learned control (a *Tables, an mfe.Control) is linear in x
// between grid states and constant beyond them.
package qlearn
