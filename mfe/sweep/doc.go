// Package sweep checks the methods beyond the reference parameters. A [Box]
// bounds each of the model's eight parameters; [Box.Draw] draws seeded
// parameter sets from it, with the first sets pinned to the box's awkward
// corners (the longest horizon, no noise, a point-mass initial law, price
// impact below the terminal penalty); [Plan] lays out one run per set,
// method and regime; [Row] records a run's final metrics beside the
// method's target (mfe.Target), and [Markdown] writes the table.
//
// The command `mfe sweep` trains the plan (each run an ordinary run
// directory, so an interrupted sweep resumes and a finished run is
// reloaded) and writes sweep.json and sweep.md after every run.
//
// The default box ([DefaultBox]) is the range over which the methods'
// default profiles are checked against their targets:
//
//	T in [0.25, 2], sigma in [0, 1], gamma in [0, 2.5], ca in [0.5, 2],
//	cX in [0, 3], cg in [0, 1.5], x0-mean in [-1, 1], x0-std in [0, 0.5].
//
// It contains the reference parameters. The stored sweeps
// (notebooks/results/sweep) say per method and set whether the target was
// met; the README says, where it was not, what is known of why. Where the
// mean-field control problem has no solution (the exact MFC blows up,
// exact.ErrNoSolution) its rows say so instead of holding a run.
package sweep
