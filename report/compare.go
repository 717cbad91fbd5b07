package report

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gonum.org/v1/plot"

	"github.com/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mfe/figure"
)

// MethodOrder is the order the methods are compared in: the SPEC's.
var MethodOrder = []string{"direct-mfc", "fbsde", "dgm", "q-learning", "actor-critic"}

// LoadRuns reads the result.json of every run saved under dir (one
// sub-directory per run, as notebook.RunDir makes them) whose profile is
// profile, sorted by MethodOrder then regime. Runs without a result.json are
// skipped; missing names the method–regime pairs of MethodOrder not found.
func LoadRuns(dir, profile string) (runs []*mfe.Result, missing []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return nil, nil, err
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasSuffix(e.Name(), "-"+profile) {
			continue
		}
		path := filepath.Join(dir, e.Name(), "result.json")
		if _, err := os.Stat(path); err != nil {
			continue
		}
		var r mfe.Result
		if err := mfe.ReadJSON(path, &r); err != nil {
			return nil, nil, err
		}
		if r.Profile == "" {
			r.Profile = profile
		}
		runs = append(runs, &r)
	}
	SortRuns(runs)
	have := map[string]bool{}
	for _, r := range runs {
		have[r.Method] = true
	}
	for _, m := range MethodOrder {
		if !have[m] {
			missing = append(missing, m)
		}
	}
	return runs, missing, nil
}

// SortRuns orders results by MethodOrder, then regime (MFG first).
func SortRuns(runs []*mfe.Result) {
	rank := func(m string) int {
		for i, n := range MethodOrder {
			if n == m {
				return i
			}
		}
		return len(MethodOrder)
	}
	sort.SliceStable(runs, func(i, j int) bool {
		a, b := runs[i], runs[j]
		if ra, rb := rank(a.Method), rank(b.Method); ra != rb {
			return ra < rb
		}
		return a.Regime == mfe.MFG && b.Regime != mfe.MFG
	})
}

// ComparisonRows is the comparison table: per run, the control error, the
// game's exploitability or the planner's social-cost gap, the value error
// where the method learns a value, the time to 1% control error, and the
// cost in time.
func ComparisonRows(runs ...*mfe.Result) (header []string, rows [][]string) {
	header = []string{"method", "regime", "profile", "backend", "control_rel", "exploitability / gap", "value_rel", "time to 1% (s)", "wall s"}
	opt := func(v *float64, f string) string {
		if v == nil {
			return "–"
		}
		return fmt.Sprintf(f, *v)
	}
	for _, r := range runs {
		gap := opt(r.Metrics.Exploitability, "%.2e")
		if r.Metrics.SocialGap != nil {
			gap = opt(r.Metrics.SocialGap, "%.2e")
		}
		rows = append(rows, []string{r.Method, string(r.Regime), r.Profile, r.Backend,
			fmt.Sprintf("%.2e", r.Metrics.ControlRel), gap, opt(r.Metrics.ValueRel, "%.2e"),
			opt(r.Metrics.TimeToAccuracy, "%.1f"), fmt.Sprintf("%.1f", r.WallTime)})
	}
	return header, rows
}

// AccuracyFigure plots each run's control_rel against its wall time, both
// on log scales, one colour per method.
func AccuracyFigure(runs ...*mfe.Result) (*plot.Plot, error) {
	var pts []figure.Point
	group := map[string]int{}
	for _, r := range runs {
		g, ok := group[r.Method]
		if !ok {
			g = len(group)
			group[r.Method] = g
		}
		if r.Metrics.ControlRel <= 0 || r.WallTime <= 0 {
			return nil, fmt.Errorf("report: %s %s has no control_rel or wall time", r.Method, r.Regime)
		}
		pts = append(pts, figure.Point{Label: fmt.Sprintf("%s %s", r.Method, r.Regime), X: r.WallTime, Y: r.Metrics.ControlRel, Group: g})
	}
	return figure.Scatter(pts, figure.Options{Title: "Accuracy against wall time", XLabel: "wall time (s)", YLabel: "control_rel", LogX: true, LogY: true})
}
