// Package notebook holds small helpers for GoNB (Go Jupyter kernel) notebooks:
// inline display of gonum/plot figures ([Show], [ShowPNG], [ShowFigure]),
// HTML and Markdown ([ShowHTML], [ShowMarkdown], [ShowTable]), an in-place
// progress bar ([NewProgress], an mfe.Progress), the run profile selected by
// the environment ([Profile]), and the load-or-train step of a method
// notebook ([Run]: the registered method, trained or reloaded in its run
// directory under notebooks/results, seed 1's, [RunDir]; it says which,
// with the run's configuration, [RunReport]) and the summary of a run's
// saved seeds ([Summary]). Tables a method notebook shows beside its
// figures: seed 1's headline metrics beside their spread over the seeds
// ([ShowSeeds]) and where the learned control departs most from the exact
// one ([ShowControlErrors]); an ablation table's rows are trained or
// reloaded over seeds by [Ablate].
//
// A notebook's markdown cells state no number that its cells do not
// produce: sentences with numbers are generated (ShowMarkdown), and a test
// of this package (TestNotebookNumbers) checks every committed notebook.
//
// Every display helper flushes its output with gonbui.Sync, so figures survive
// headless execution (jupyter nbconvert --execute), and does nothing when the
// program is not running under GoNB (gonbui.IsNotebook is false): the same code
// can run in tests and command-line tools.
package notebook
