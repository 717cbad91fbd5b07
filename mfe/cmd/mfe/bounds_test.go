package main

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
)

// quickCuts are the settings that cut each method's quick profile to a few
// epochs (iterations, episodes), evaluated once on the way (eval_every,
// checkpoints), so that a fuzzed run takes about a second at moderate
// parameters: the sizes, and so the memory, stay the profile's, but for
// DGM's width, 8 instead of 32: its final metrics tabulate the network at
// each time of the gap's grid (up to sim.MaxGapSteps at stiff parameters),
// which at the quick width takes some 40 s, near the fuzzing engine's limit
// of a minute per input.
var quickCuts = map[string]map[string]string{
	"direct-mfc":        {"epochs": "3", "eval_every": "3"},
	"fbsde":             {"epochs": "3", "eval_every": "3", "n_regress": "2000"},
	"dgm":               {"iterations": "3", "eval_every": "3", "width": "8"},
	"q-learning":        {"episodes": "2000", "batch": "500", "checkpoints": "2", "eval_n": "200"},
	"actor-critic":      {"episodes": "3", "eval_every": "3"},
	"finite-difference": {"iterations": "3"},
}

// fuzzBudget is the memory budget of the fuzzed runs, small enough that
// Q-learning's grid reaches it at moderate parameters, large enough for
// every quick profile.
const fuzzBudget = 512 << 20

// fuzzEval is the final evaluation of the fuzzed runs: eval.Default's seed,
// fewer particles and steps.
var fuzzEval = eval.Config{N: 500, NCost: 1000, Steps: 20, Seed: eval.Default.Seed}

// fuzzParams maps fuzzed numbers to valid parameters, from the corners of
// mfe.Params.Validate's range: T in [1e-6, 1e3], ca in [1e-20, 1e20],
// sigma, gamma, cX, cg, x0-std in [0, 1e20] and x0-mean in [-1e20, 1e20]
// (NaN maps to the lower end, ±Inf to the nearer end).
func fuzzParams(T, sigma, gamma, ca, cx, cg, mu0, s0 float64) mfe.Params {
	clamp := func(v, lo, hi float64) float64 {
		switch {
		case math.IsNaN(v):
			return lo
		case v < lo:
			return lo
		case v > hi:
			return hi
		}
		return v
	}
	abs := func(v, lo, hi float64) float64 { return clamp(math.Abs(v), lo, hi) }
	return mfe.Params{
		T: abs(T, 1e-6, 1e3), Sigma: abs(sigma, 0, mfe.MaxParam), Gamma: abs(gamma, 0, mfe.MaxParam),
		Ca: abs(ca, mfe.MinCa, mfe.MaxParam), CX: abs(cx, 0, mfe.MaxParam), Cg: abs(cg, 0, mfe.MaxParam),
		X0Mean: clamp(mu0, -mfe.MaxParam, mfe.MaxParam), X0Std: abs(s0, 0, mfe.MaxParam),
	}
}

// trainSeed is a seed input of FuzzTrainQuick: a method, one of its
// regimes and parameters.
type trainSeed struct {
	method string
	regime mfe.Regime
	p      mfe.Params
}

// trainFuzzSeeds are the corners of the issue that crashed Q-learning or
// exhausted memory (T = 100 and 10, ca = 0.01, gamma = 20, x0-mean = 1e9,
// sigma = 1e4 and 1e5) and made mfe analytic fail (gamma = 1e20 without
// penalties), and, for every method, the reference parameters, a model
// where nobody trades (every parameter 0 but T and ca), a long horizon
// with the smallest ca and the edges of the parameters' range.
func trainFuzzSeeds() []trainSeed {
	ref := mfe.Reference()
	with := func(f func(p *mfe.Params)) mfe.Params { p := ref; f(&p); return p }
	q := []mfe.Params{
		with(func(p *mfe.Params) { p.T = 100 }),
		with(func(p *mfe.Params) { p.T = 10 }),
		with(func(p *mfe.Params) { p.Ca = 0.01 }),
		with(func(p *mfe.Params) { p.Gamma = 20 }),
		with(func(p *mfe.Params) { p.X0Mean = 1e9 }),
		with(func(p *mfe.Params) { p.Sigma = 1e4 }),
		with(func(p *mfe.Params) { p.Sigma = 1e5 }),
		with(func(p *mfe.Params) { p.Gamma, p.CX, p.Cg = 1e20, 0, 0 }),
	}
	var seeds []trainSeed
	for _, p := range q {
		seeds = append(seeds, trainSeed{"q-learning", mfe.MFG, p})
	}
	all := []mfe.Params{
		ref,
		{T: 1, Ca: 1},
		{T: 1e3, Sigma: 0.5, Ca: mfe.MinCa, X0Mean: -0.5},
		{T: 1e-6, Sigma: 1e20, Gamma: 1e20, Ca: 1e20, CX: 1e20, Cg: 1e20, X0Mean: -1e20, X0Std: 1e20},
	}
	for _, m := range mfe.Methods() {
		if m.Name() == fakeMethod {
			continue
		}
		for i, p := range all {
			rs := m.Regimes()
			seeds = append(seeds, trainSeed{m.Name(), rs[i%len(rs)], p})
		}
	}
	return seeds
}

// FuzzTrainQuick trains every registered method's quick profile, cut to a
// few epochs (quickCuts), with fuzzed valid parameters (fuzzParams) under a
// memory budget of 512 MiB, and runs `mfe analytic` with them. A run must
// end with finite metrics and a result that mfe train can write (no NaN in
// result.json or control.json), or refuse cleanly: a *mfe.BudgetError, the
// MFC's exact.ErrNoSolution, a *mfe.DivergenceError or sim.ErrDiverged (the
// learned control's simulation leaves float64's range); never panic, and
// never let the process's peak resident memory pass the budget. `mfe
// analytic` must print finite JSON (exit 0) or refuse in one line (exit 1)
// where the solution is beyond float64's range.
func FuzzTrainQuick(f *testing.F) {
	f.Setenv(mfe.MemoryBudgetEnv, strconv.Itoa(fuzzBudget))
	saved := eval.Default
	eval.Default = fuzzEval
	f.Cleanup(func() { eval.Default = saved })
	methods := fuzzMethods(f)
	for _, sd := range trainFuzzSeeds() {
		i := slices.IndexFunc(methods, func(m mfe.Method) bool { return m.Name() == sd.method })
		j := slices.Index(methods[i].Regimes(), sd.regime)
		p := sd.p
		f.Add(uint8(i+j*len(methods)), p.T, p.Sigma, p.Gamma, p.Ca, p.CX, p.Cg, p.X0Mean, p.X0Std)
	}
	f.Fuzz(func(t *testing.T, pick uint8, T, sigma, gamma, ca, cx, cg, mu0, s0 float64) {
		p := fuzzParams(T, sigma, gamma, ca, cx, cg, mu0, s0)
		checkAnalytic(t, p)
		m := methods[int(pick)%len(methods)]
		r := m.Regimes()[int(pick)/len(methods)%len(m.Regimes())]
		cfg, err := m.Config(mfe.Quick)
		if err != nil {
			t.Fatal(err)
		}
		if cfg, err = mfe.SetConfig(cfg, quickCuts[m.Name()]); err != nil {
			t.Fatal(err)
		}
		peak := startPeak()
		res, err := m.Train(context.Background(), mfe.Run{Params: p, Regime: r, Profile: mfe.Quick, Seed: 1}, cfg)
		if used, ok := peak(); ok && used > fuzzBudget {
			t.Errorf("%s %s at %+v: peak resident memory %s, more than the budget %s",
				m.Name(), r, p, mfe.FormatSize(used), mfe.FormatSize(fuzzBudget))
		}
		if err == nil {
			// mfe train writes the result: result.json and control.json.
			if werr := rundir.Write(t.TempDir(), res); werr != nil {
				t.Fatalf("%s %s at %+v: the result cannot be written: %v", m.Name(), r, p, werr)
			}
		}
		var be *mfe.BudgetError
		var de *mfe.DivergenceError
		switch {
		case err == nil:
			mt := res.Metrics
			for _, v := range []*float64{&mt.ControlMSE, &mt.ControlRel, mt.Exploitability, mt.SocialGap} {
				if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
					t.Fatalf("%s %s at %+v: metrics %+v not finite", m.Name(), r, p, mt)
				}
			}
		case errors.As(err, &be):
			if !strings.Contains(err.Error(), m.Name()) {
				t.Fatalf("%s %s at %+v: the refusal does not name the method: %v", m.Name(), r, p, err)
			}
		case errors.Is(err, exact.ErrNoSolution) && r == mfe.MFC, errors.As(err, &de), errors.Is(err, sim.ErrDiverged):
		default:
			t.Fatalf("%s %s at %+v: %v", m.Name(), r, p, err)
		}
	})
}

// fuzzMethods returns the registered methods, less the fake one of this
// test binary, and fails if one has no quick cut or its configuration no
// memory estimate.
func fuzzMethods(f *testing.F) []mfe.Method {
	var out []mfe.Method
	for _, m := range mfe.Methods() {
		if m.Name() == fakeMethod {
			continue
		}
		if quickCuts[m.Name()] == nil {
			f.Fatalf("method %s has no quickCuts entry", m.Name())
		}
		cfg, err := m.Config(mfe.Quick)
		if err != nil {
			f.Fatal(err)
		}
		if _, ok := cfg.(mfe.MemoryEstimator); !ok {
			f.Fatalf("method %s: configuration %T does not estimate its memory (mfe.MemoryEstimator)", m.Name(), cfg)
		}
		out = append(out, m)
	}
	return out
}

// checkAnalytic runs `mfe analytic` at p on the default grid: exit 0 with
// finite JSON, or exit 1 with one line saying the solution is beyond
// float64's range.
func checkAnalytic(t *testing.T, p mfe.Params) {
	t.Helper()
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	args := []string{"analytic", "-T", f(p.T), "-sigma", f(p.Sigma), "-gamma", f(p.Gamma), "-ca", f(p.Ca),
		"-cx", f(p.CX), "-cg", f(p.Cg), "-x0-mean", f(p.X0Mean), "-x0-std", f(p.X0Std)}
	code, out, errs := runCLI(args...)
	switch code {
	case 0:
		var a analyticOutput
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("mfe analytic at %+v: %v", p, err)
		}
		if a.Params != p {
			t.Fatalf("mfe analytic: params %+v, want %+v", a.Params, p)
		}
		if a.MFC == nil && len(a.Notes) == 0 {
			t.Fatalf("mfe analytic at %+v: no MFC and no note saying why", p)
		}
	case 1:
		if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "beyond float64's range") || out != "" {
			t.Fatalf("mfe analytic at %+v: exit 1, stdout %.100q, stderr %q", p, out, errs)
		}
	default:
		t.Fatalf("mfe analytic at %+v: exit %d, stderr %q", p, code, errs)
	}
}

// startPeak resets the process's peak resident memory (VmHWM, through
// /proc/self/clear_refs) after returning what it can to the system, and
// returns a function that reads the peak since; ok is false where Linux's
// /proc does not allow it.
func startPeak() func() (bytes float64, ok bool) {
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return func() (float64, bool) { return 0, false }
	}
	return func() (float64, bool) {
		b, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return 0, false
		}
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" && f[2] == "kB" {
				kb, err := strconv.ParseFloat(f[1], 64)
				return kb * 1024, err == nil
			}
		}
		return 0, false
	}
}
