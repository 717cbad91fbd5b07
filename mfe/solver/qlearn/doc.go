// Package qlearn is finite-horizon mean-field Q-learning (Memoir.pdf, section
// "Five methods"): the tabular two-timescale algorithm of Angiuli, Fouque and
// Laurière, in plain Go, for the mean-field game (MFG) and mean-field control
// (MFC).
//
// # Algorithm
//
// Times n = 0..N_T-1 (dt = T/N_T), states on a grid of spacing dx, actions
// on a grid. An episode is one agent's path: X_0 ~ N(mu0, s0^2) projected on
// the grid; at each n the agent takes an exploratory action with probability
// epsilon and the greedy action of Q_n otherwise, pays the step's cost and
// moves to the Euler step x + a dt + sigma sqrt(dt) xi, projected on the
// state grid (clipped to its range); the last step pays the terminal cost g
// at the unprojected state. Q_n(x, a) moves toward
// -cost + max_a' Q_{n+1}(x', a') at rate (1 + visits(n,x,a))^-ExpQ; the
// population's moments abar_n = Σ a mu_n(x,a) and xbar_n = Σ x mu_n(x,a)
// (all the running cost needs of the state–action distribution mu_n) move
// toward the visited (x, a) at rate (1 + k)^-ExpMu at episode k. MFG: Q
// faster than the population; MFC: the population faster.
//
// # What makes it accurate
//
//   - Step cost: an action is charged the expected running cost over its
//     step, ∫ E f(X_s, a, abar_n) ds from the step's start state with the
//     action held (Config.Reward = "step"), the cost of the continuous
//     problem for controls constant on each step. The left-point rule
//     f(x_n, a, abar_n) dt misses, in -gamma x abar, the telescoping
//     ∫ x dx = x^2/2 by gamma/2 Σ abar_n^2 dt^2: it raises the planner's
//     trading cost by gamma dt, and at the reference parameters (gamma just
//     above cg + sqrt(cX ca), the MFC Riccati close to blowing up) that
//     moves the MFC control by about 6 dt relative (0.2 at dt = 1/32).
//   - Randomized rounding of the next state between its two grid
//     neighbours, with probabilities that preserve the mean: nearest
//     rounding loses the drift a dt whenever it is below dx/2. The TD
//     target takes the expectation over that rounding (the linear
//     interpolation of max_a' Q_{n+1} between the neighbours).
//   - Windows and sub-grid greedy actions (Config.SubGrid): every row
//     (n, x) holds a window of 2J+1 actions. Q is quadratic in a in this
//     model (to within the state interpolation, whose kinks the step's
//     noise smooths), so the greedy action is the maximiser of the
//     least-squares parabola through the window's entries, and max_a' Q in
//     the target is that parabola's maximum: the control is not quantised
//     to the grid, and a wide spacing gives its vertex from well-separated
//     Q values (the vertex error of a noisy fit falls as 1/spacing). The
//     greedy action is played by randomized rounding between its grid
//     neighbours, so the population's mean action is the greedy one. The
//     window moves by one spacing when the vertex is more than 0.75 spacing
//     from its centre (so the window stays centred on it); each level
//     halves the spacing around the previous level's greedy actions.
//   - Mean-neutral exploration: the explored action is an entry of the
//     window drawn with linearly tilted probabilities whose mean is the
//     greedy action. Uniform exploration drags the population's mean action
//     toward the window's centre, and the MFC at the reference parameters
//     amplifies any bias of the population's moments about twelvefold (its
//     best-response iteration contracts by only 0.92 a round, against 0.25
//     for the MFG).
//   - Time placement: the action of index n is constant over
//     [t_n, t_n + dt] and approximates the continuous control at its
//     midpoint: it sits at time t_n + TimeNode·dt (TimeNode = 0.5), linear
//     in t between nodes and extrapolated linearly from the two nearest
//     nodes before the first and after the last (so t = 0 and t = T are
//     second-order too).
//   - Grid edges: a next state beyond the state grid is valued at the
//     edge's value less the cost of holding the excess to T,
//     (cX (T - t) + cg)/2 (y^2 - edge^2). Valued at the edge alone, the
//     clipped edge is a free sink for inventory, and an MFC learner that
//     overshoots (its social reward pays gamma xbar per unit bought) can
//     settle in a spurious equilibrium where the population buys and sits
//     at the upper edge. A linear extrapolation of the value instead
//     multiplies the edge's slope by the overshoot at every step back in
//     time and diverges.
//   - Learning rates: see Config.ExpQ; for the MFC the Q exponent decides
//     between overshooting (0.55), tracking the population's noise (0.4,
//     the quick profile) and a slow approach from below (0.7, the default).
//   - MFC reward: swapping the learning rates alone does not change the
//     learner's fixed point (Q the best response to the population, the
//     population that of the greedy policy), which is the MFG equilibrium.
//     The MFC agent is therefore charged its marginal social cost, the
//     linear derivative of the population's step cost
//     -gamma dt (xbar abar + abar^2 dt/2), that is its own step cost plus
//     -gamma dt (xbar_n + abar_n dt/2) a, whose equilibrium is the
//     planner's optimum; MFCReward = "private" gives the literal algorithm.
//
// Grid ranges come from the parameters, never from the exact solution (see
// Grid). The learned control (a *Tables, an mfe.Control) is linear in x
// between grid states and constant beyond them.
//
// Interruption and resumption: with mfe.Run.Checkpoint set, Train saves
// the learner's whole state (Q tables, visits, window fits, population
// moments, action levels, episode counter, history and the PCG generator's
// state) in Checkpoint/state.json, replaced atomically and listed with its
// checksum in a manifest written after it (package rundir), every
// CheckpointEvery episodes, on cancellation and finished at the end; a
// later Train of the same run resumes it and ends bit for bit where an
// uninterrupted run ends (TestResume). A state.json that does not match
// its manifest is refused (TestCheckpointIntegrity).
package qlearn
