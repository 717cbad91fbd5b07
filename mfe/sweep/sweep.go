package sweep

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// Range is a closed interval [Min, Max] of one parameter.
type Range struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Box bounds each parameter of the model; its JSON names are the
// parameters' flag names.
type Box struct {
	T      Range `json:"T"`
	Sigma  Range `json:"sigma"`
	Gamma  Range `json:"gamma"`
	Ca     Range `json:"ca"`
	CX     Range `json:"cx"`
	Cg     Range `json:"cg"`
	X0Mean Range `json:"x0-mean"`
	X0Std  Range `json:"x0-std"`
}

// DefaultBox returns the box of the package doc.
func DefaultBox() Box {
	return Box{
		T: Range{0.25, 2}, Sigma: Range{0, 1}, Gamma: Range{0, 2.5}, Ca: Range{0.5, 2},
		CX: Range{0, 3}, Cg: Range{0, 1.5}, X0Mean: Range{-1, 1}, X0Std: Range{0, 0.5},
	}
}

// fields returns the box's ranges with their names, in the order of
// mfe.Params.
func (b *Box) fields() []struct {
	name string
	r    *Range
} {
	return []struct {
		name string
		r    *Range
	}{{"T", &b.T}, {"sigma", &b.Sigma}, {"gamma", &b.Gamma}, {"ca", &b.Ca},
		{"cx", &b.CX}, {"cg", &b.Cg}, {"x0-mean", &b.X0Mean}, {"x0-std", &b.X0Std}}
}

// Validate reports a range that is empty or whose ends are not valid
// parameters.
func (b Box) Validate() error {
	for _, f := range b.fields() {
		if !(f.r.Min <= f.r.Max) {
			return fmt.Errorf("sweep: range of %s is [%v, %v], want min <= max", f.name, f.r.Min, f.r.Max)
		}
	}
	for _, p := range []mfe.Params{b.corner(func(r Range) float64 { return r.Min }), b.corner(func(r Range) float64 { return r.Max })} {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("sweep: box reaches an %w", err)
		}
	}
	return nil
}

func (b Box) corner(end func(Range) float64) mfe.Params {
	return mfe.Params{T: end(b.T), Sigma: end(b.Sigma), Gamma: end(b.Gamma), Ca: end(b.Ca),
		CX: end(b.CX), Cg: end(b.Cg), X0Mean: end(b.X0Mean), X0Std: end(b.X0Std)}
}

// Contains reports whether p lies in the box.
func (b Box) Contains(p mfe.Params) bool {
	v := []float64{p.T, p.Sigma, p.Gamma, p.Ca, p.CX, p.Cg, p.X0Mean, p.X0Std}
	for i, f := range b.fields() {
		if v[i] < f.r.Min || v[i] > f.r.Max {
			return false
		}
	}
	return true
}

// MinSets is the fewest sets Draw makes: one for each pinned corner.
const MinSets = 4

// Draw returns n >= MinSets parameter sets drawn uniformly from the box
// with a generator seeded by seed (the same seed, the same sets), each
// rounded to three significant digits so that tables and flags reproduce
// it exactly. The first four are pinned to the corners the methods find
// hardest, one each: the longest horizon T = T.Max, no noise (sigma =
// Sigma.Min), a point-mass initial law (x0-std = X0Std.Min), and price
// impact below the terminal penalty (gamma drawn below cg).
func (b Box) Draw(n int, seed uint64) ([]mfe.Params, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	if n < MinSets {
		return nil, fmt.Errorf("sweep: %d parameter sets, want at least %d (one per pinned corner)", n, MinSets)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed5eed))
	u := func(r Range) float64 { return round3(r.Min + (r.Max-r.Min)*rng.Float64()) }
	sets := make([]mfe.Params, n)
	for i := range sets {
		p := mfe.Params{T: u(b.T), Sigma: u(b.Sigma), Gamma: u(b.Gamma), Ca: u(b.Ca),
			CX: u(b.CX), Cg: u(b.Cg), X0Mean: u(b.X0Mean), X0Std: u(b.X0Std)}
		switch i {
		case 0:
			p.T = b.T.Max
		case 1:
			p.Sigma = b.Sigma.Min
		case 2:
			p.X0Std = b.X0Std.Min
		case 3:
			if p.Cg <= b.Gamma.Min {
				p.Cg = b.Cg.Max
			}
			hi := min(p.Cg, b.Gamma.Max)
			p.Gamma = round3(b.Gamma.Min + (hi-b.Gamma.Min)*rng.Float64())
			if p.Gamma >= p.Cg {
				p.Gamma = b.Gamma.Min
			}
		}
		sets[i] = p
	}
	return sets, nil
}

// round3 rounds v to three significant digits.
func round3(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return r
}

// Job is one run of a sweep: a method in a regime at a parameter set.
type Job struct {
	Set    int        `json:"set"` // index into the sweep's sets, from 0
	Params mfe.Params `json:"params"`
	Method string     `json:"method"`
	Regime mfe.Regime `json:"regime"`
	Dir    string     `json:"dir"` // the run directory
}

// Plan returns the runs of a sweep of methods over sets, by set, then
// method order and regime; each run's directory is
// dir/set-I/METHOD-REGIME.
func Plan(sets []mfe.Params, methods []mfe.Method, dir string) []Job {
	var jobs []Job
	for i, p := range sets {
		for _, m := range methods {
			for _, r := range m.Regimes() {
				jobs = append(jobs, Job{Set: i, Params: p, Method: m.Name(), Regime: r,
					Dir: filepath.Join(dir, fmt.Sprintf("set-%d", i), m.Name()+"-"+string(r))})
			}
		}
	}
	return jobs
}

// Solvable reports whether the job's problem has a solution: an error
// wrapping exact.ErrNoSolution means the MFC blows up at its parameters
// (the row then records that instead of a run); any other error is
// returned as is.
func (j Job) Solvable() (bool, error) {
	_, err := eval.ExactControl(j.Params, j.Regime)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, exact.ErrNoSolution):
		return false, nil
	}
	return false, err
}

// File is what `mfe sweep` writes to OUT/sweep.json after every run: the
// box, the draw, the training seed and profile, the parameter sets and a
// row per job.
type File struct {
	Box      Box          `json:"box"`
	DrawSeed uint64       `json:"draw_seed"`
	Seed     uint64       `json:"seed"`
	Profile  mfe.Profile  `json:"profile"`
	Sets     []mfe.Params `json:"sets"`
	Rows     []Row        `json:"rows"`
}

// ReadFile reads a sweep.json that `mfe sweep` wrote.
func ReadFile(path string) (File, error) {
	var f File
	err := rundir.ReadJSON(path, &f)
	return f, err
}

// WorstTime returns the largest control_rel over the times at which the
// run res measured it (mfe.KeyControlRelByTime; t = 0 and t = T
// included), 0 where it records none.
func WorstTime(res *mfe.Result) float64 {
	w := 0.0
	for _, v := range res.History.Extra[mfe.KeyControlRelByTime] {
		w = max(w, v)
	}
	return w
}

// Row is the outcome of a job: the run's final metrics beside the method's
// target, or a note saying why there is no run.
type Row struct {
	Job
	Metrics *mfe.Metrics `json:"metrics,omitempty"`
	// Target is the method's control_rel target (mfe.Target), 0 if none.
	Target float64 `json:"target,omitempty"`
	// WorstTime is the run's WorstTime.
	WorstTime float64 `json:"control_rel_worst_time,omitempty"`
	Seconds   float64 `json:"wall_time_s,omitempty"`
	Note      string  `json:"note,omitempty"`
}

// Met reports whether the run met its target: false without a run or a
// target.
func (r Row) Met() bool {
	return r.Metrics != nil && r.Target > 0 && r.Metrics.ControlRel <= r.Target
}

// NewRow returns the row of job j whose run res ended (res may be nil with
// note saying why).
func NewRow(j Job, res *mfe.Result, note string) Row {
	row := Row{Job: j, Note: note}
	if m, err := mfe.LookupMethod(j.Method); err == nil {
		row.Target, _ = mfe.Target(m)
	}
	if res != nil {
		mt := res.Metrics
		row.Metrics = &mt
		row.Seconds = res.WallTime
		row.WorstTime = WorstTime(res)
	}
	return row
}

// Markdown writes the sweep as two Markdown tables: the parameter sets, and
// one line per run with its control_rel, the target and whether it was
// met, its largest control_rel over time (Row.WorstTime) and its gap (±
// standard error).
func Markdown(sets []mfe.Params, rows []Row) string {
	var b strings.Builder
	b.WriteString("| set | T | sigma | gamma | ca | cX | cg | x0-mean | x0-std |\n|---|---|---|---|---|---|---|---|---|\n")
	for i, p := range sets {
		fmt.Fprintf(&b, "| %d | %g | %g | %g | %g | %g | %g | %g | %g |\n", i, p.T, p.Sigma, p.Gamma, p.Ca, p.CX, p.Cg, p.X0Mean, p.X0Std)
	}
	b.WriteString("\n| set | method | regime | control_rel | target | met | worst time | exploitability / gap | time (s) | note |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		rel, gap, met, target := "", "", "", ""
		if r.Metrics != nil {
			rel = fmt.Sprintf("%.3g", r.Metrics.ControlRel)
			gap = r.Metrics.GapText("%.3g")
			met = "no"
			if r.Met() {
				met = "yes"
			}
		}
		if r.Target > 0 {
			target = fmt.Sprintf("%g", r.Target)
		} else if r.Metrics != nil {
			met = ""
		}
		secs, worst := "", ""
		if r.Seconds > 0 {
			secs = fmt.Sprintf("%.0f", r.Seconds)
		}
		if r.WorstTime > 0 {
			worst = fmt.Sprintf("%.3g", r.WorstTime)
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Set, mfe.MethodTitle(r.Method), r.Regime, rel, target, met, worst, gap, secs, r.Note)
	}
	return b.String()
}
