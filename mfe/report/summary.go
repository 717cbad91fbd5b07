package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// MeanSD formats a metric's spread over seeds as "mean ± sd", both with
// verb f (sd the sample standard deviation); the mean alone for a single
// run, "–" for none.
func MeanSD(s rundir.Stat, f string) string {
	switch s.N {
	case 0:
		return "–"
	case 1:
		return fmt.Sprintf(f, s.Mean)
	}
	return fmt.Sprintf(f+" ± "+f, s.Mean, s.SD)
}

// MeanSDSeeds is MeanSD followed by the number of seeds: "mean ± sd
// (n seeds)", "mean (1 seed)", or "–".
func MeanSDSeeds(s rundir.Stat, f string) string {
	if s.N == 0 {
		return "–"
	}
	return MeanSD(s, f) + " (" + seedCount(s.N) + ")"
}

// Separation says whether the means of a metric over two sets of seeds, a
// and b, differ by more than the seeds' spread, the sum of the two sample
// standard deviations: "within the seeds' spread", or "3.2× the seeds'
// spread" (|mean a - mean b| over that sum, two digits, "217×" from 100 on); "one seed" when either has
// fewer than two. A change that an ablation table reports as mattering
// needs the latter.
func Separation(a, b rundir.Stat) string {
	if a.N < 2 || b.N < 2 {
		return "one seed"
	}
	d, spread := math.Abs(a.Mean-b.Mean), a.SD+b.SD
	if d <= spread {
		return "within the seeds' spread"
	}
	if spread == 0 {
		return "the seeds do not spread"
	}
	f := "%.2g× the seeds' spread"
	if d/spread >= 100 {
		f = "%.0f× the seeds' spread"
	}
	return fmt.Sprintf(f, d/spread)
}

func seedCount(n int) string {
	if n == 1 {
		return "1 seed"
	}
	return strconv.Itoa(n) + " seeds"
}

// SummaryRows is the comparison table over seeds (the counterpart of
// ComparisonRows for rundir.Summary): per run, its seeds, and the mean ±
// sample standard deviation over them (MeanSD) of the control error, of
// the game's exploitability or the planner's social-cost gap, followed by
// the mean of their Monte-Carlo standard errors in parentheses, of the
// value error where the method learns a value, and of the wall time. A
// cell over fewer runs than the row's seeds says over how many
// (MeanSDSeeds).
func SummaryRows(sums ...*rundir.Summary) (header []string, rows [][]string) {
	header = []string{"method", "regime", "profile", "seeds", "control_rel", "exploitability / gap (MC s.e.)", "value_rel", "wall s"}
	for _, s := range sums {
		n := len(s.Seeds)
		cell := func(st rundir.Stat, f string) string {
			if st.N == n || st.N == 0 {
				return MeanSD(st, f)
			}
			return MeanSDSeeds(st, f)
		}
		gap, se := s.Gap()
		g := "–"
		if gap != nil {
			g = cell(*gap, "%.2e")
			if se != nil {
				g += fmt.Sprintf(" (%.1e)", se.Mean)
			}
		}
		seeds := make([]string, n)
		for i, v := range s.Seeds {
			seeds[i] = strconv.FormatUint(v, 10)
		}
		rows = append(rows, []string{s.Method, string(s.Regime), string(s.Profile),
			fmt.Sprintf("%d (%s)", n, strings.Join(seeds, ", ")),
			cell(s.Metrics["control_rel"], "%.2e"), g, cell(s.Metrics["value_rel"], "%.2e"), cell(s.Wall(), "%.1f")})
	}
	return header, rows
}

// Markdown writes a table as GitHub-flavoured Markdown, one line per row.
func Markdown(header []string, rows [][]string) string {
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	b.WriteString("|" + strings.Join(sep, "|") + "|\n")
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

// ModelRows is the table of runs over seeds on models without a closed
// form (rundir.LoadModelSummaries): per run, the model, its seeds, the
// mean ± sample standard deviation of control_rel against the model's
// reference (the reference named in the header when every run shares it),
// the largest seed's, and the method's target on such a model
// (mfe.ModelTarget).
func ModelRows(sums ...*rundir.Summary) (header []string, rows [][]string) {
	against := "the reference"
	for i, s := range sums {
		if i == 0 {
			against = s.Reference
		} else if s.Reference != against {
			against = "each model's reference"
		}
	}
	header = []string{"method", "regime", "model", "seeds", "control_rel against " + against, "largest seed", "target"}
	for _, s := range sums {
		rel := s.Metrics["control_rel"]
		target := "–"
		if m, err := mfe.LookupMethod(s.Method); err == nil {
			if t, ok := mfe.ModelTarget(m, s.Model); ok {
				target = fmt.Sprintf("%g", t)
			}
		}
		rows = append(rows, []string{mfe.MethodTitle(s.Method), strings.ToUpper(string(s.Regime)), s.Model.String(),
			fmt.Sprint(len(s.Seeds)), MeanSD(rel, "%.2g"), fmt.Sprintf("%.2g", rel.Max), target})
	}
	return header, rows
}
