// Package tabular is the learner of mean-field Q-learning (package qlearn):
// the tabular two-timescale algorithm of Angiuli, Fouque and Laurière,
// finite horizon, for the mean-field game (MFG) and the mean-field control
// (MFC), in plain Go. It is model-free by construction: it sees its
// problem only as an mfrl.Env (the time grid, the action range, sampled
// transitions, a black-box reward r(n, x, a, population statistics) and
// terminal reward g(x)), imports nothing but the standard library and
// package mfrl (TestModelFree checks so), and is told nothing else but its
// Config.
//
// # Algorithm
//
// Times n = 0..N-1 (the environment's steps), states on a grid of spacing
// DX, actions on a grid. An episode is one agent's path: X_0 drawn from the
// environment and projected on the state grid; at each n the agent takes
// an exploratory action with probability Epsilon and the greedy action of
// Q_n otherwise, is paid the reward r(n, x, a, s_n), s_n = (xbar_n, abar_n)
// the population's statistics, and moves to the environment's next state,
// projected on the state grid; the last step is paid the terminal reward g
// at the unprojected state. Q_n(x, a) moves toward
// r + max_a' Q_{n+1}(x', a') at rate (1 + visits(n,x,a))^-ExpQ; the
// population's moments xbar_n = Σ x mu_n(x,a) and abar_n = Σ a mu_n(x,a)
// move toward the visited (x, a) at rate (1 + k)^-ExpMu at episode k.
// MFG: Q faster than the population; MFC: the population faster.
//
// # What the learner does with samples alone
//
//   - State grid (XMin = XMax = 0): sized from the simulator. Before
//     training a pilot of Pilot episodes takes uniformly random actions in
//     the action range; the grid covers, at every time t_0..t_N, the mean
//     ± RangeK sd of the states it reached (with Reach, more: see below).
//     Random actions spread the states further than any sensible policy
//     (in a wide action range), so the learned population
//     stays well inside; the pilot's moments are also the population's
//     first estimate (xbar_n its mean states, abar_n its mean action).
//   - Initial Q: from black-box queries (see initQ), pessimistic in x so
//     that unvisited states do not attract the agents.
//   - Grid edges (Edges): a next state beyond the grid is valued at the
//     edge's value plus the loss, from the edge to it, of a concave
//     parabola fitted by least squares to the learned values of its time
//     (weighted by visits, refitted every refitEvery episodes); a gain is
//     never counted, so the edge is no free sink for inventory, as it is
//     when a state beyond it is valued at the edge's value alone
//     (EdgesClip). A linear extrapolation from the edge's own learned
//     slope instead multiplies that slope by the overshoot at every step
//     back in time and diverges. On the pilot's wide grid the population
//     rarely reaches the edges at all.
//   - MFC reward (Marginal): swapping the learning rates alone does not
//     change the learner's fixed point (Q the best response to the
//     population, the population that of the greedy policy), which is the
//     MFG equilibrium. The MFC agent is therefore paid its marginal social
//     reward, the linear derivative of the population's reward
//     ∫ r_n(x, a, S(mu)) mu(dx, da), S(mu) = (xbar, abar):
//     r_n(x, a, S) + E_mu[∂r_n/∂xbar] x + E_mu[∂r_n/∂abar] a, whose
//     equilibrium is the planner's optimum. The expectations are running
//     means, at the population's rate, of central differences of the
//     black-box reward in each statistic at the visited (x, a).
//
// # What makes it accurate
//
//   - Randomized rounding of the next state between its two grid
//     neighbours, with probabilities that preserve the mean: nearest
//     rounding (Nearest) loses the drift whenever a step moves less than
//     DX/2. The TD target takes the expectation over that rounding (the
//     linear interpolation of max_a' Q_{n+1} between the neighbours).
//   - Windows and sub-grid greedy actions (SubGrid): every row (n, x)
//     holds a window of 2 RefineJ + 1 actions. Where Q is smooth in a its
//     maximiser is that of the least-squares parabola through the window's
//     entries: the greedy action is that vertex, played by randomized
//     rounding between its grid neighbours (so the population's mean
//     action is the greedy one), and max_a' Q in the target is the
//     parabola's maximum. The control is not quantised to the grid, and a
//     wide spacing gives the vertex from well-separated Q values (the
//     vertex error of a noisy fit falls as 1/spacing). The window moves by
//     one spacing when the vertex is more than 0.75 spacing from its
//     centre; each level halves the spacing around the previous level's
//     greedy actions (NextLevel).
//   - Mean-neutral exploration: with SubGrid the explored action is an
//     entry of the window drawn with linearly tilted probabilities whose
//     mean is the greedy action. Uniform exploration drags the
//     population's mean action toward the window's centre, and an MFC
//     close to blowing up amplifies any bias of the population's moments.
//
// # A reward not quadratic in the action or the state
//
// The window's parabola and the linear interpolation of the next values
// are exact, to the sampling, for the linear-quadratic rewards. Before
// training the learner probes the black-box reward (quadraticIn: third
// differences over the action range and over the state grid, at every
// time) and, where it is not quadratic, does more; a quadratic reward
// leaves every step as it was, bit for bit.
//
//   - Not quadratic in the action (a trading cost that differs between
//     buying and selling, a kink at a = 0): Q = r + C with C, the
//     expected next value, smooth in a, but the window's least-squares
//     parabola through r averages the curvatures either side of the kink
//     and puts the greedy action off toward the cheaper side (about
//     0.4 spacing when the maximiser is near the kink and selling costs
//     twice buying). Every row then holds its reward's residual, the
//     reward at a finer grid of the window's offsets less the parabola
//     through the reward at the entries, and the greedy action maximises
//     the entries' parabola plus that residual, r plus the fit of the
//     smooth C (see subSteps in fit.go).
//   - Not quadratic in the state (a quartic inventory penalty): the
//     learned control is no longer linear in x, nor the values quadratic,
//     and the state grid's discretisation biases it twice. The linear
//     interpolation of the next time's values in the TD target (the
//     randomized rounding's expectation) is off by the values' curvature
//     times dx^2 w(1-w)/2, which now varies with x and tilts the learned
//     gradient: the target then interpolates by the cubic through the
//     four neighbouring states (exact for values of degree up to 3 in x).
//     And an agent that moves from grid state to grid state gathers the
//     roundings' variance, about dx^2/6 a step, on top of the noise's,
//     which a control curved in x turns into a biased mean action: the
//     agent's path then goes on from its unrounded state (a second draw
//     of the step), each step's row the randomized rounding of that
//     state, while Q's transition still starts from the row's state.
//     At notebook 07's user model (quick profile, MFC, seed 1) the
//     first took control_rel from 0.22 to 0.11, the second to 0.09.
//
// # A narrow action range (a cap on the control)
//
// Every action the learner plays lies in the environment's range: a window
// moves only while it stays inside it, and its spacing is at most the
// range over 2 RefineJ, so that a range narrower than the first level's
// window (a cap on the trading rate) is spanned by one window at every
// level, its entries at the same spacing, and a level that does not
// change the spacing keeps the windows as they are (NextLevel: restarting
// their learning rates would only jolt the population). The greedy action
// then reaches the range's end where the fitted parabola's vertex lies
// beyond it (the control at the cap). Such a window cannot move toward its greedy
// action, and the tilted exploration cannot keep an entry far from it
// visited while keeping its mean there: beyond the steepest tilt's mean,
// a held window explores its entries uniformly (none goes stale and
// bends the fit), and the population records the greedy action of such a
// step in place of the explored one (its moments, and the MFC's marginal
// reward, stay the greedy policy's). With Reach, the pilot's state range
// also covers the band that holding an end of the action range reaches
// from the initial mean, where a policy at the cap takes the population.
//
// The learned control (Control) is the greedy action of each row, rows
// visited fewer than MinVisits times filled from their neighbours.
package tabular
