// Command mfe is the command line of mf-optimal-execution: exact solutions,
// training runs and benchmarks, a thin shell over the mfe packages.
//
//	mfe analytic [parameter flags] [-nt 10] [-x -1.5:2:0.25]
//	mfe train -method M [-regime mfg|mfc] [-profile quick|default|memoir] [-seed N] [-backend B] [-out DIR] [-fresh] [-adopt-legacy] [-reevaluate] [parameter flags]
//	mfe train -seeds 1,2,3 [the same flags but -seed]
//	mfe summary DIR
//
// train -seeds trains each seed N into OUT/seed-N, exactly as -seed N -out
// OUT/seed-N would (a finished seed is reloaded, an interrupted one
// resumes), then writes OUT/summary.json: the mean, sample standard
// deviation, least and greatest value of every final metric over the seeds,
// and each seed's wall time. summary DIR writes DIR/summary.json again from
// the runs in DIR/seed-N (seeds trained one at a time and copied in).
//
// train -reevaluate recomputes a finished run's final metrics from its
// verified checkpoint with the current evaluation code, exactly as at the
// end of training; control_mse and control_rel must be the stored ones
// (relative 1e-6), the others replace the stored ones in the checkpoint
// (its manifest rewritten), result.json and control.json, and each change
// is written to stderr, old → new.
//
// Exit status: 0 on success; 2 for invalid input (usage), with one line on
// stderr naming the flag (or $MFE_MEMORY_BUDGET); 1 for a run that failed
// (divergence, a refused checkpoint, a run directory in use, I/O, a run
// refused because it would need more memory than the budget, an exact
// solution beyond float64's range), with one line on stderr. An internal
// error (a panic) also exits with 1, printing one line that names the file
// holding its full trace.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	_ "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/all" // every method registers itself
)

// usageError is bad input: exit status 2, one line on stderr.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `usage: mfe <command> [flags]

commands:
  analytic   print the exact MFG and MFC solutions as JSON
  train      train a method and write result.json, control.json and figures
  nplayer    gap of one trader's best deviation in games of N traders
  figures    the memoir's figures and tables from result directories
  methods    list the methods and their regimes
  summary    mean, sd, min and max of every final metric over the seed-N runs of a directory
  sweep      every method at parameter sets drawn from the robustness box, against its target
  doctor     the backends found, and every method trained briefly on each, compared with Go
  bench      the memoir-size epoch of direct MFC and FBSDE timed here and in PyTorch, side by side
Run 'mfe <command> -h' for the command's flags.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			code = crashed(v, debug.Stack(), stderr)
		}
	}()
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "analytic":
		err = analytic(args[1:], stdout)
	case "train":
		err = train(ctx, args[1:], stdout, stderr)
	case "figures":
		err = figures(ctx, args[1:], stdout, stderr)
	case "nplayer":
		err = nplayerCmd(ctx, args[1:], stdout)
	case "doctor":
		err = doctor(ctx, args[1:], stdout, stderr)
	case "bench":
		err = benchCmd(ctx, args[1:], stdout, stderr)
	case "methods":
		err = listMethods(stdout)
	case "summary":
		err = summaryCmd(args[1:], stdout)
	case "sweep":
		err = sweepCmd(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return 0
	default:
		err = usagef("mfe: unknown command %q (want analytic, train, nplayer, figures, methods, summary, sweep, doctor or bench)", args[0])
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, ue.msg)
		return 2
	default:
		fmt.Fprintln(stderr, "mfe:", err)
		return 1
	}
}

// crashed reports a recovered panic: the full trace goes to a file in
// $TMPDIR, stderr gets one line naming it, and the exit status is 1 (a
// run that failed, not a usage error).
func crashed(v any, stack []byte, stderr io.Writer) int {
	msg := strings.Join(strings.Fields(fmt.Sprint(v)), " ")
	f, err := os.CreateTemp("", "mfe-crash-*.txt")
	if err == nil {
		_, err = fmt.Fprintf(f, "mfe %s\npanic: %v\n\n%s", strings.Join(os.Args[1:], " "), v, stack)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "mfe: internal error: %s (could not save the trace: %v)\n", msg, err)
		return 1
	}
	fmt.Fprintf(stderr, "mfe: internal error: %s; the full trace is in %s\n", msg, f.Name())
	return 1
}
