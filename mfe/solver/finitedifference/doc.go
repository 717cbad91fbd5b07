// Package finitedifference is the grid reference solver of the framework:
// the HJB–Fokker–Planck system of a mean-field execution model on a grid in
// (t, x), for the mean-field game (MFG) and, through its potential game,
// for mean-field control (MFC). It is plain Go (gonum for the fixed
// point's least squares) and takes seconds.
//
// # Model
//
// The solver takes a model.Model (package mfe/model): the running cost
// f(t, x, a, xbar, abar), with xbar = E[X_t] and abar = E[alpha_t], the
// terminal cost g(x), the control set [amin, amax] (either end may be
// infinite), the minimiser of a q + f(t, x, a, xbar, abar) over the control
// set, and, through its mfe.Params, the horizon T, sigma and the initial
// law N(x0-mean, x0-std^2) of dX = a dt + sigma dW; it uses the plain-Go
// forms only. The registered method ("finite-difference", Train) solves
// the model a run names (mfe.Run.Model): model.LQ, the price-impact model
// of package mfe, or model.Capped, the LQ model with |a| <= A. A model
// without a closed-form minimiser can use model.Minimise (a 1-D search over
// the control set), and one without model.MeanPartials has its cost
// differentiated numerically (model.Partials).
//
// # Scheme
//
// Given a mean flow (xbar_n, abar_n) at the grid times, the representative
// agent's value solves, backward from v(T) = g,
//
//	v_t + sigma^2/2 v_xx + H(t, x, v_x) = 0,   H(t, x, p) = min_a {a p + f(t, x, a, xbar, abar)},
//
// by the Crank–Nicolson scheme in t and central differences in x (at the
// two end nodes one-sided second-order first differences and the second
// difference of the next node: both exact for a quadratic v); each step's
// nonlinear equations are solved by Newton's method, whose Jacobian
// I - dt/2 (sigma^2/2 D2 + diag(a) D1) is banded (a* = ∂H/∂p is the
// minimiser). The feedback at the nodes is the minimiser at the central
// difference v_x. The scheme is second order in t and x and is not
// monotone: the value functions of these models are smooth (quadratic for
// the LQ model, on which the differences are exact, so that the only
// error left is the time step's), and Crank–Nicolson is stable for the
// linearised equation whatever dt, sigma = 0 included.
//
// The law is carried forward by particles that start at the nodes with the
// law's masses: each step moves them along the characteristics by Heun's
// step under the feedback, and whenever the diffusion they owe, sigma^2 dt
// per step, reaches dx^2/4, re-bins them onto the nodes with that
// variance (a three-node deposit with non-negative weights that keeps mass,
// mean and variance) and an implicit diffusion step (an M-matrix: it keeps
// mass and positivity). Mass and positivity hold exactly, the mean moves by
// Heun's step of the mean drift, and the numerical diffusion is O(dx^2)
// (a deposit at every step would add dx^2/6 per step, O(dx^2/dt) in all).
// With sigma = 0 the particles are the characteristics from the initial
// nodes and are never re-binned: the transport has no numerical diffusion
// and no step restriction. A point-mass initial law (x0-std = 0) is its
// mass on the two nodes around x0-mean, with mean x0-mean; a law narrower
// than a cell is deposited with its variance, a wider one is the Gaussian
// at the nodes, normalised.
//
// # Fixed point
//
// The flow assumed (first that of the law under the control 0) gives the
// feedback and its law, whose flow is the next; the iterates are mixed by
// Anderson acceleration (which converges like GMRES on the LQ model's
// affine flow map; an extrapolation gone wild falls back to the plain
// step) until the flow's relative change is below Config.Tol.
// MFG: the agent best-responds to the flow. MFC: the planner's optimum is
// the equilibrium of the game whose agent pays its marginal social cost,
//
//	f~(t, x, a) = f(t, x, a, xbar, abar) + x E[∂f/∂xbar] + a E[∂f/∂abar],
//
// the expectations under the population, the means held fixed when the
// agent optimises; the flow then carries E[∂f/∂xbar] and E[∂f/∂abar] too,
// and the minimiser of a p + f~ is the model's at co-state p + E[∂f/∂abar].
// The two derivatives are the model's own (MeanPartials; LQ: 0 and
// -gamma x, so f~ = f - gamma xbar a) or central differences of f.
//
// # Grids
//
// Everything is sized from the parameters and coarse solutions, never from
// an exact solution. The time step resolves the model's fastest rate
// (Model.Rate; LQ: the largest of sqrt(cX/ca), cg/ca, gamma/ca):
// Config.TimeSteps steps per unit of max(1, T rate), at most
// Config.MaxTimeSteps (which bounds the time and memory of long horizons
// and stiff costs, at the price of accuracy there). The x domain is the
// envelope over time of the law's mean ± Config.RangeK sd, widened, from
// coarse solves (100 cells) repeated until it stops moving (domain); the
// final grid has Config.SpaceSteps cells across it. The solution is the
// feedback on the grid, cubic in t and linear in x between nodes (linear
// extrapolation beyond), the value and the law.
//
// At the reference parameters the default profile reaches control_rel
// about 4e-7 (MFG) and 1.2e-5 (MFC) in a few seconds; the error falls by 4
// when dt and dx halve.
//
// # Checkpoints
//
// A finished run saves its history, metrics and the control on the
// standard grid; reloading it solves again (deterministic, seconds) and
// checks the control. Nothing is saved during a solve.
//
// # Reference
//
// A model without an exact solution (the capped one) is measured against
// a finite-difference solution of the same model: Reference solves it at
// ReferenceProfile for the learning methods; Train measures its own runs
// against the memoir profile's solution. The metrics then name it
// (mfe.Metrics.Reference) and hold control_mse and control_rel only.
package finitedifference
