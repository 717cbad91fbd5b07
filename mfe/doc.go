// Package mfe is the root of mf-optimal-execution: the mean-field optimal
// execution model, shared by the exact solutions, the particle simulator and
// the numerical methods.
//
// # The model
//
// A representative trader liquidates inventory X_t over [0, T] by trading at
// rate alpha_t,
//
//	dX_t = alpha_t dt + sigma dW_t,   X_0 ~ N(mu0, s0^2),
//
// paying the running cost f(x, a, abar) = cX/2 x^2 + ca/2 a^2 - gamma x abar,
// where abar_t is the population's mean trading rate (through the permanent
// price impact gamma), and the terminal cost g(x) = cg/2 x^2:
//
//	J(alpha; abar) = E[ ∫_0^T f(X_t, alpha_t, abar_t) dt + g(X_T) ].
//
// [Params] holds the eight model parameters; [Reference] returns the
// memoir's reference set. Two problems ([Regime]) share the model: the
// mean-field game ([MFG]: each trader minimises J with abar frozen, and abar
// is the mean of the resulting control, a Nash equilibrium) and mean-field
// control ([MFC]: a planner minimises J over everyone's common control, abar
// moving with it). Both have closed-form linear feedbacks,
// alpha(t, x) = -(A(t) x + B(t))/ca with ca A' = A^2 - ca cX, A(T) = cg,
// and B(t) particular to each problem; the MFC's exists only while a second
// Riccati equation does not blow up, which can happen when
// gamma > cg + sqrt(cX ca) (package exact; the derivations are in
// Memoir.pdf).
//
// A method is measured against them ([Metrics]): control_mse is the mean, over
// particles simulated under the learned control and over the grid times, of
// the squared difference between the exact and learned controls, and
// control_rel = sqrt(control_mse / mean(alpha_exact^2)); the exploitability
// (MFG) is what one trader gains by deviating alone, J(alpha; abar) -
// min_beta J(beta; abar), and the social-cost gap (MFC) the planner's cost
// above the optimum, both reported with their Monte-Carlo standard errors
// (estimated by verification identities that make them non-negative:
// package sim). [StandardGrid] is the grid the learned controls are
// reported on, its x continued where the population goes beyond it
// (rundir.GridX).
//
// # One way through the code
//
// Parameters → model → exact solution or solver → [Result] → figure or JSON:
// [Params] and a [Regime] define the problem; package exact solves it in
// closed form; a solver package, registered as a [Method] ([Register],
// [Methods], [LookupMethod]), trains a [Control] for a [Run] with the
// configuration of a [Profile] and returns a [Result] (history, metrics from
// package eval, timings, the learned control); package rundir saves it as
// result.json and control.json, and packages report and figure draw it.
// The command line, the notebooks' training panels, the comparison and the
// memoir all enumerate [Methods]: a method is added by one solver package
// and one import in solver/all.
//
// # Packages
//
// The module's packages, under mfe/:
//
//   - mfe: the model ([Params], [Regime], [Profile], [Control], [Result],
//     [Progress]) and the method registry ([Method], [Spec], [Register]).
//   - backend: chooses the GoMLX backend (Go, or XLA when a plugin is
//     installed), never downloading.
//   - backend/backendtest: runs a test on every backend found (Go always,
//     XLA where its plugin is installed), with the same assertions.
//   - exact: closed-form MFG and MFC solutions, laws of X_t and alpha_t, best
//     response to any flow, exploitability.
//   - sim: Euler–Maruyama particles under any feedback [Control], costs and
//     error metrics against an exact control.
//   - eval: the final metrics of a learned control, the same for every
//     solver.
//   - nn: the networks of the solvers (MLP, DGM layers), with second-order
//     gradients on every backend.
//   - solver/directmfc, solver/fbsde, solver/dgm, solver/qlearn,
//     solver/actorcritic: the five methods, each registering itself.
//   - solver/all: imports every solver, so that [Methods] lists them all.
//   - solver/internal/nettrain: the training skeleton shared by the network
//     solvers (check the run, resume or reload its checkpoint, loop with a
//     divergence guard, evaluate, save).
//   - solver/internal/nettrain/resumetest: checks that an interrupted and
//     resumed run ends where an uninterrupted one does.
//   - solver/internal/runkey: a run's identity in its checkpoint.
//   - solver/internal/benchutil: what the solvers' benchmarks report beyond
//     time.
//   - bench: the memoir-size epoch of direct MFC and the FBSDE timed on the
//     project's backend and in PyTorch, side by side (mfe bench), and where
//     its time goes.
//   - rundir: run directories (result.json, control.json, checkpoint and
//     its manifest), written atomically by one run at a time and read back.
//   - report: figures and tables from results (it evaluates, figure draws).
//   - figure: gonum/plot figures from plain data (no computation).
//   - nplayer: the finite game of N traders that the mean-field controls
//     approximate.
//   - progress: a terminal progress bar (an mfe.Progress).
//   - notebook: GoNB display helpers and the notebooks' run profile.
//   - notebook/interactive: live controls in notebooks (the parameter
//     explorer, the training panels).
//   - memoir: Memoir.pdf's LaTeX sources, run data and generator, and the
//     test that the PDF is up to date.
//   - cmd/mfe: the command line, a thin shell over the packages.
//   - cmd/pjrt-install: installs a PJRT plugin for the XLA backend ahead of
//     time.
package mfe
