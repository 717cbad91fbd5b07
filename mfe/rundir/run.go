package rundir

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
)

// The files and the checkpoint directory of a run directory.
const (
	ResultFile    = "result.json"
	ControlFile   = "control.json"
	CheckpointDir = "checkpoint"
)

// Name is the name of a run's directory in a results directory:
// METHOD-REGIME-PROFILE, e.g. "fbsde-mfg-quick".
func Name(method string, r mfe.Regime, p mfe.Profile) string {
	return method + "-" + string(r) + "-" + string(p)
}

// ControlGrid is the content of control.json: the learned control on the
// times of the standard grid (mfe.StandardGrid) and the x points of
// GridX, in the layout of `mfe analytic`'s alpha ([t][x]), with the exact
// control beside it (for a model without a closed form, the reference its
// metrics name: mfe.Result.Reference). It is the one form in which every method's learned
// control comes back without its solver.
type ControlGrid struct {
	Method string      `json:"method"`
	Regime mfe.Regime  `json:"regime"`
	Params mfe.Params  `json:"params"`
	T      []float64   `json:"t"`
	X      []float64   `json:"x"`
	Alpha  [][]float64 `json:"alpha"`
	Exact  [][]float64 `json:"exact_alpha"`
}

// GridReach is how far GridX reaches around the population's mean, in
// standard deviations of the exact law of X_t.
const GridReach = 3

// maxGridExtension bounds the points GridX adds beyond either end of the
// standard grid (20 in x at its step).
const maxGridExtension = 80

// GridX returns the x points of the control.json of a run in regime r at
// parameters p: the standard grid's (-1.5, -1.25, ..., 2), continued at
// the same step beyond either end as far as the population reaches at
// some time of the standard grid, mean ± GridReach sd of the exact law of
// X_t (eval.LawX), by at most maxGridExtension points, so that the
// learned control is stored where the traders are. At the reference
// parameters the MFG's population stays within the standard grid, whose x
// GridX returns; the MFC's reaches 3.72 at T and its x run to 3.75.
func GridX(p mfe.Params, r mfe.Regime) ([]float64, error) {
	ts, xs := mfe.StandardGrid(p.T)
	law, err := eval.LawX(p, r)
	if err != nil {
		return nil, err
	}
	lo, hi := xs[0], xs[len(xs)-1]
	for _, t := range ts {
		l := law(t)
		m, s := l.Mean, l.Std()
		if math.IsNaN(m) || math.IsInf(m, 0) || math.IsNaN(s) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("rundir: the exact law of X_t at t = %g is not finite (mean %v, sd %v)", t, m, s)
		}
		lo, hi = math.Min(lo, m-GridReach*s), math.Max(hi, m+GridReach*s)
	}
	step := xs[1] - xs[0]
	below := min(int(math.Ceil((xs[0]-lo)/step-1e-9)), maxGridExtension)
	above := min(int(math.Ceil((hi-xs[len(xs)-1])/step-1e-9)), maxGridExtension)
	x := make([]float64, 0, below+len(xs)+above)
	for k := below; k > 0; k-- {
		x = append(x, xs[0]-float64(k)*step)
	}
	x = append(x, xs...)
	for k := 1; k <= above; k++ {
		x = append(x, xs[len(xs)-1]+float64(k)*step)
	}
	return x, nil
}

// GridControl evaluates res.Control and the exact control of res's regime
// (res.Reference in its place when set: a model without a closed form) on
// the times of the standard grid and the x of GridX.
func GridControl(res *mfe.Result) (*ControlGrid, error) {
	t, _ := mfe.StandardGrid(res.Params.T)
	x, err := GridX(res.Params, res.Regime)
	if err != nil {
		return nil, err
	}
	ex := res.Reference
	if ex == nil {
		if ex, err = eval.ExactControl(res.Params, res.Regime); err != nil {
			return nil, err
		}
	}
	return &ControlGrid{Method: res.Method, Regime: res.Regime, Params: res.Params, T: t, X: x,
		Alpha: mfe.OnGrid(res.Control, t, x), Exact: mfe.OnGrid(ex, t, x)}, nil
}

// Write writes res into dir: result.json, and control.json when res has a
// control, each atomically.
func Write(dir string, res *mfe.Result) error {
	if err := WriteJSON(filepath.Join(dir, ResultFile), res); err != nil {
		return err
	}
	if res.Control == nil {
		return nil
	}
	g, err := GridControl(res)
	if err != nil {
		return err
	}
	return WriteJSON(filepath.Join(dir, ControlFile), g)
}

// ReadResult reads dir's result.json. The result comes back without its
// Control and Value, which JSON does not hold (ReadControlGrid reads the
// control back as a grid).
func ReadResult(dir string) (*mfe.Result, error) {
	var r mfe.Result
	if err := ReadJSON(filepath.Join(dir, ResultFile), &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ReadControlGrid reads dir's control.json.
func ReadControlGrid(dir string) (*ControlGrid, error) {
	var g ControlGrid
	if err := ReadJSON(filepath.Join(dir, ControlFile), &g); err != nil {
		return nil, err
	}
	return &g, nil
}

// LoadRuns reads the result.json of one run per run directory under dir
// whose profile is profile (its name ends in -PROFILE), sorted as SortRuns
// does: of a multi-seed directory (seed-N subdirectories, SeedDirs) the
// run of its lowest seed, seed 1 in the saved runs (the one the method
// notebooks show; LoadSummaries summarizes every seed). Run directories
// without a result.json are skipped (a run still training, say). missing
// lists, as "METHOD REGIME", each registered method (mfe.Methods) in each
// regime it solves that has no run. A missing dir is no run at all, not an
// error. The results come back without their Control and Value:
// LoadControlGrids reads the controls.
func LoadRuns(dir string, profile mfe.Profile) (runs []*mfe.Result, missing []string, err error) {
	groups, err := runGroups(dir, profile, ResultFile)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range groups {
		r, err := ReadResult(g[0])
		if err != nil {
			return nil, nil, err
		}
		if r.Profile == "" {
			r.Profile = profile
		}
		runs = append(runs, r)
	}
	SortRuns(runs)
	have := map[string]bool{}
	for _, r := range runs {
		have[r.Method+" "+string(r.Regime)] = true
	}
	for _, m := range mfe.Methods() {
		for _, r := range m.Regimes() {
			if name := m.Name() + " " + string(r); !have[name] {
				missing = append(missing, name)
			}
		}
	}
	return runs, missing, nil
}

// LoadControlGrids reads the control.json of one run per run directory
// under dir whose profile is profile (the run LoadRuns reads), sorted like
// SortRuns.
func LoadControlGrids(dir string, profile mfe.Profile) ([]*ControlGrid, error) {
	groups, err := runGroups(dir, profile, ControlFile)
	if err != nil {
		return nil, err
	}
	var grids []*ControlGrid
	for _, g := range groups {
		c, err := ReadControlGrid(g[0])
		if err != nil {
			return nil, err
		}
		grids = append(grids, c)
	}
	sort.SliceStable(grids, func(i, j int) bool {
		return runBefore(grids[i].Method, grids[i].Regime, grids[j].Method, grids[j].Regime)
	})
	return grids, nil
}

// runGroups returns, for each directory under dir whose name ends in
// -PROFILE, its run directories holding the file name (RunDirs: the
// directory itself, or its seeds by increasing seed); directories with
// none are left out.
func runGroups(dir string, profile mfe.Profile, name string) ([][]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var groups [][]string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasSuffix(e.Name(), "-"+string(profile)) {
			continue
		}
		dirs, err := RunDirs(filepath.Join(dir, e.Name()), name)
		if err != nil {
			return nil, err
		}
		if len(dirs) > 0 {
			groups = append(groups, dirs)
		}
	}
	return groups, nil
}

// SortRuns orders results by the registered methods' order (mfe.MethodRank;
// methods this build lacks last), then regime (MFG first).
func SortRuns(runs []*mfe.Result) {
	sort.SliceStable(runs, func(i, j int) bool {
		return runBefore(runs[i].Method, runs[i].Regime, runs[j].Method, runs[j].Regime)
	})
}

func runBefore(methodA string, regimeA mfe.Regime, methodB string, regimeB mfe.Regime) bool {
	if ra, rb := mfe.MethodRank(methodA), mfe.MethodRank(methodB); ra != rb {
		return ra < rb
	}
	return regimeA == mfe.MFG && regimeB != mfe.MFG
}
