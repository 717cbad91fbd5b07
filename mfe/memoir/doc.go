// Package memoir is the memoir of the project: the LaTeX source of
// Memoir.pdf (main.tex, sections/), the runs its numbers come from (data/)
// and the generator that turns those runs into its figures and tables, so
// that every number and figure of the memoir comes from a run whose command
// is known.
//
// # Data
//
// data/runs/KEY holds the run the memoir reports for KEY = METHOD-REGIME:
// every registered method (mfe.Methods, in their order) in each of its
// regimes; data/runs/KEY@NAME holds the same run on another backend (the
// timing table). A run directory is what `mfe train` writes, copied by
// [Import] (`mfe figures import`) with its training history thinned, and for
// the actor–critic with value.json, its critic tabulated on the grid of
// control.json ([ValueGrid]) from the run reloaded with its networks.
// data/ablations/KEY--VARIANT ([AblationsDir]) holds the summary over seeds
// of a notebook's ablation row: the method of KEY with one choice undone,
// trained with several seeds by notebook.Ablate, which [Import] summarizes;
// the memoir compares it with the reported run's spread over its seeds.
//
// # Generation
//
// [Generate] (`mfe figures`) writes into build/gen the figures (PNG) and
// the LaTeX fragments that main.tex inputs: the exact solutions and their
// Monte Carlo check, one fragment per reported run (figures, settings,
// command, or a "not run" note when the run is missing; for the FBSDE
// method the law of the inventory under its control, for the Deep Galerkin
// method its loss components, for the actor–critic its value function where
// value.json holds it and its three losses), the comparison
// tables, the ablations and the commands of every run. The methods' titles
// are their registered titles, written for LaTeX.
//
// # Build
//
// From the repository root,
//
//	bash mfe/memoir/build.sh
//
// installs TeX when it is missing, builds mfe, imports the notebooks' runs
// (notebooks/results/METHOD-REGIME-PROFILE, its seed-N when it holds several
// seeds) or trains the missing ones,
// summarizes the notebooks' ablations of that profile, runs `mfe figures`
// and latexmk, and copies the PDF to Memoir.pdf; MFE_MEMOIR_PROFILE chooses
// the profile (see the script).
//
// # Staleness
//
// build.sh records in SOURCES.sha256 the SHA-256 of what the PDF shows: the
// LaTeX sources and the run data (every file under mfe/memoir except
// build/, Go code, scripts and dotfiles), every generated fragment and
// figure, and Memoir.pdf. The package's test generates the fragments and
// figures again from data/ and fails when any hash differs, so it fails when
// the text, the data or the generator's output changed, and not when Go code
// is edited without changing them. A figure's content is its PNG bytes:
// gonum/plot draws equal data into equal bytes with the same Go toolchain
// and module versions on the same architecture (the hashes are those of
// linux/amd64; an architecture whose compiler fuses multiply-adds may round
// otherwise and then reports a change). The Monte Carlo check uses a fixed
// seed and its full particle count, so the test takes some ten seconds.
package memoir
