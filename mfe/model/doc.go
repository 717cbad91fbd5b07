// Package model is the mean-field execution model every solver takes: the
// dynamics dX = a dt + sigma dW on [0, T] from X_0 ~ N(x0-mean, x0-std^2),
// a running cost f(t, x, a, xbar, abar), with xbar = E[X_t] and
// abar = E[alpha_t] (the population's interaction), a terminal cost g(x),
// a control set [amin, amax] (either end may be infinite), and the
// minimiser of the Hamiltonian a q + f over the control set. Each cost has
// a plain-Go form (the grid solver of package
// solver/finitedifference) and a GoMLX graph form, from which the network
// solvers get their derivatives by automatic differentiation.
//
// LQ is the price-impact model of package mfe (whose exact solutions are
// package exact's); Capped is the LQ model with the trading rate capped,
// |a| <= A, a participation limit: as A grows it is the LQ model, and
// with A = +Inf it is that model exactly. New builds either from the
// mfe.ModelSpec a run records.
//
// A user's model implements Model, and Register makes it solvable by name:
// the methods that take any model (mfe.Spec.UserModels) train on it through
// the run's mfe.ModelSpec, whose Coeffs its Spec fills so that results and
// checkpoints tell its variants apart. Without a closed-form minimiser it can
// return Minimise (a 1-D search over the control set), and without
// MeanPartials the solvers differentiate its running cost in the mean
// terms numerically (Partials). The solvers that take the feedback from a
// learned co-state inside the graph (FBSDE, DGM) need the minimiser's graph
// form too (GraphMinimiser; LQ and Capped give it). CheckGraph compares its
// graph forms with its plain ones. A network whose output must lie in the control set gets
// it through Bound (a clip to the set).
//
// The package is apart from package mfe so that mfe need not import GoMLX.
package model
