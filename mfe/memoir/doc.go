// Package memoir holds the LaTeX source of Memoir.pdf and the run data its
// figures are drawn from; build it with `bash memoir/build.sh` from the
// repository root. The package has no code: its test checks that
// Memoir.pdf was built from the current sources (memoir/SOURCES.sha256).
package memoir
