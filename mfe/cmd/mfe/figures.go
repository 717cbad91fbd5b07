package main

// `mfe figures` turns result directories (what `mfe train` writes) into the
// memoir's figures and LaTeX fragments, so that every number and figure of
// the memoir comes from a run whose command is known:
//
//	mfe figures [-runs memoir/data] [-out memoir/build/gen] [-expect method:regime,...] [parameter flags]
//	mfe figures import SRC DST     copy a run (result.json with its history thinned, control.json)
//	mfe figures variant -method M -regime R -profile P -set key=value ... -out DIR
//	                               train with some settings of the profile changed (ablations)
//
// The runs directory holds runs/KEY (KEY = method-regime: the run the memoir
// reports; runs/KEY@NAME: the same method on another backend, for the
// timing table) and variants/NAME (ablations, each with a variant.json).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/progress"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
)

// memoirRuns is the default -expect list: the runs the memoir reports, in
// its order.
const memoirRuns = "direct-mfc:mfc,fbsde:mfg,fbsde:mfc,dgm:mfg,q-learning:mfg,q-learning:mfc,actor-critic:mfg,actor-critic:mfc"

// methodTitle is how the memoir names a method: its registered title, in
// LaTeX.
func methodTitle(name string) string { return texText(mfe.MethodTitle(name)) }

// texText writes the characters of a title that LaTeX spells otherwise.
func texText(s string) string { return strings.ReplaceAll(s, "–", "--") }

func figures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return figuresImport(args[1:])
		case "variant":
			return figuresVariant(ctx, args[1:], stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("figures", flag.ContinueOnError)
	p := paramFlags(fs)
	runs := fs.String("runs", "memoir/data", "directory of runs/ and variants/ result directories")
	out := fs.String("out", "memoir/build/gen", "output directory for figures (PNG) and LaTeX fragments")
	expect := fs.String("expect", memoirRuns, "method:regime list of the runs the memoir reports, in order")
	simN := fs.Int("sim-n", 100000, "particles of the Monte Carlo check of the exact solutions")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if err := checkParams("figures", *p); err != nil {
		return err
	}
	if *simN < 1000 {
		return usagef("mfe figures: invalid value %d for flag -sim-n: want at least 1000", *simN)
	}
	keys, err := parseExpect(*expect)
	if err != nil {
		return usagef("mfe figures: invalid value %q for flag -expect: %v", *expect, err)
	}
	g := &gen{P: *p, Out: *out, Keys: keys, SimN: *simN, Args: args}
	if err := g.load(*runs); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	steps := []func() error{g.exactFigures, g.exactMacros, g.monteCarlo, g.perRun, g.results, g.backends,
		g.errorByTime, g.accuracyTime, g.variants, g.commands}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "mfe figures: %d runs (%d of %d expected), %d variants; wrote %s\n",
		len(g.Runs), g.present(), len(keys), len(g.Variants), *out)
	return nil
}

// runKey is one method in one regime.
type runKey struct{ Method, Regime string }

func (k runKey) String() string { return k.Method + "-" + k.Regime }

func parseExpect(s string) ([]runKey, error) {
	var keys []runKey
	for _, item := range strings.Split(s, ",") {
		m, r, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok || m == "" || (r != "mfg" && r != "mfc") {
			return nil, fmt.Errorf("want method:mfg or method:mfc items, got %q", item)
		}
		keys = append(keys, runKey{m, r})
	}
	return keys, nil
}

// runDir is one result directory.
type runDir struct {
	Dir     string
	Name    string // directory name
	Res     mfe.Result
	Grid    *report.ControlGrid // nil without control.json
	Variant *variantInfo        // variants only
}

func (r *runDir) key() runKey { return runKey{r.Res.Method, string(r.Res.Regime)} }

// variantInfo is variant.json: what an ablation changed.
type variantInfo struct {
	Label string            `json:"label"`
	Set   map[string]string `json:"set"`
}

type gen struct {
	P        mfe.Params
	Out      string
	Keys     []runKey
	SimN     int
	Args     []string
	Runs     []*runDir          // runs/*, sorted by name
	Primary  map[runKey]*runDir // runs/KEY
	Variants []*runDir          // variants/*, sorted by name
	macros   *strings.Builder   // metrics.tex
}

func (g *gen) present() int {
	n := 0
	for _, k := range g.Keys {
		if g.Primary[k] != nil {
			n++
		}
	}
	return n
}

func loadRun(dir string) (*runDir, error) {
	r := &runDir{Dir: dir, Name: filepath.Base(dir)}
	if err := mfe.ReadJSON(filepath.Join(dir, "result.json"), &r.Res); err != nil {
		return nil, err
	}
	var cg report.ControlGrid
	switch err := mfe.ReadJSON(filepath.Join(dir, "control.json"), &cg); {
	case err == nil:
		if len(cg.T) == 0 || len(cg.Alpha) != len(cg.T) || len(cg.Exact) != len(cg.T) {
			return nil, fmt.Errorf("%s/control.json: malformed grid", dir)
		}
		r.Grid = &cg
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	var v variantInfo
	switch err := mfe.ReadJSON(filepath.Join(dir, "variant.json"), &v); {
	case err == nil:
		r.Variant = &v
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	return r, nil
}

func loadDirs(parent string) ([]*runDir, error) {
	entries, err := os.ReadDir(parent)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []*runDir
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		if _, err := os.Stat(filepath.Join(dir, "result.json")); err != nil {
			continue
		}
		r, err := loadRun(dir)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (g *gen) load(dir string) error {
	var err error
	if g.Runs, err = loadDirs(filepath.Join(dir, "runs")); err != nil {
		return err
	}
	if g.Variants, err = loadDirs(filepath.Join(dir, "variants")); err != nil {
		return err
	}
	g.Primary = map[runKey]*runDir{}
	for _, r := range append(append([]*runDir(nil), g.Runs...), g.Variants...) {
		if !r.Res.Params.Equal(g.P) {
			return fmt.Errorf("mfe figures: %s used parameters %+v, not those of the memoir %+v", r.Dir, r.Res.Params, g.P)
		}
	}
	for _, r := range g.Runs {
		if r.Name == r.key().String() {
			g.Primary[r.key()] = r
		} else if base, _, ok := strings.Cut(r.Name, "@"); !ok || base != r.key().String() {
			return fmt.Errorf("mfe figures: %s holds a %s run: name it %s or %s@BACKEND", r.Dir, r.key(), r.key(), r.key())
		}
	}
	for _, v := range g.Variants {
		if v.Variant == nil {
			return fmt.Errorf("mfe figures: %s has no variant.json", v.Dir)
		}
	}
	return nil
}

// write writes a generated file into the output directory.
func (g *gen) write(name string, data []byte) error {
	return mfe.WriteFileAtomic(filepath.Join(g.Out, name), data)
}

// figureDPI is the resolution of the memoir's figures. They are PNG: gonum's
// PDF canvas loses the Greek letters of the labels.
const figureDPI = 200

// figureW × figureH is the size of a single plot: smaller than package
// figure's default, so that its text stays legible at half the text width.
const (
	figureW = 4.6 * vg.Inch
	figureH = 3.3 * vg.Inch
)

func (g *gen) save(name string, f figure.Figure) error {
	w, h := figureW, figureH
	if _, ok := f.(*figure.Grid); ok {
		w, h = figure.Size(f)
	}
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(figureDPI))}
	f.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return g.write(name, buf.Bytes())
}

// exactFigures draws the exact solutions.
func (g *gen) exactFigures() error {
	p := g.P
	figs := []struct {
		name string
		mk   func() (figure.Figure, error)
	}{
		{"exact-controls.png", func() (figure.Figure, error) { return report.ExactControls(p, report.Times(p.T, 0, 0.5, 1)) }},
		{"exact-meanpaths.png", func() (figure.Figure, error) { return report.ExactMeanPaths(p) }},
		{"exact-value.png", func() (figure.Figure, error) { return report.ExactValue(p, report.Times(p.T, 0, 0.5, 1)) }},
		{"gamma-sweep.png", func() (figure.Figure, error) {
			return report.GammaSweep(p, 0, []float64{0, p.Cg, 1, p.Gamma})
		}},
		{"density-mfg.png", func() (figure.Figure, error) {
			return report.DensityFigure(p, mfe.MFG, nil, report.Times(p.T, 0.1, 0.4, 0.7, 1), 1)
		}},
		{"density-mfc.png", func() (figure.Figure, error) {
			return report.DensityFigure(p, mfe.MFC, nil, report.Times(p.T, 0.1, 0.4, 0.7, 1), 1)
		}},
	}
	for _, f := range figs {
		fig, err := f.mk()
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if err := g.save(f.name, fig); err != nil {
			return err
		}
	}
	return nil
}

// exactMacros writes exact.tex (numbers of the exact solutions as macros)
// and exact-table.tex (the two controls on a small grid).
func (g *gen) exactMacros() error {
	p := g.P
	m, err := exact.NewMFG(p)
	if err != nil {
		return err
	}
	c, err := exact.NewMFC(p)
	if err != nil {
		return err
	}
	mfgCost, mfcCost, mfgSocial, err := report.Costs(p)
	if err != nil {
		return err
	}
	ca := p.Ca
	mfcAffine := exact.Affine{P: p,
		K: func(t float64) float64 { return c.Eta(t) / ca },
		L: func(t float64) float64 { return (c.EtaBar(t) - c.Eta(t) - p.Gamma) * c.XBar(t) / ca }}
	mfcExploit, err := mfcAffine.Exploitability()
	if err != nil {
		return err
	}
	var b strings.Builder
	def := func(name string, v float64) { fmt.Fprintf(&b, "\\newcommand{\\%s}{%s}\n", name, texNum(v, 4)) }
	par := func(name string, v float64) { fmt.Fprintf(&b, "\\newcommand{\\%s}{%s}\n", name, texShort(v)) }
	b.WriteString("% Generated by mfe figures from the exact solutions (package exact). Do not edit.\n")
	par("pT", p.T)
	par("pSigma", p.Sigma)
	par("pGamma", p.Gamma)
	par("pCa", p.Ca)
	par("pCx", p.CX)
	par("pCg", p.Cg)
	par("pMu", p.X0Mean)
	par("pSd", p.X0Std)
	def("exAzero", m.A(0))
	def("exBzero", m.B(0))
	def("exMFGalphaZero", m.Alpha(0, p.X0Mean))
	def("exMFCalphaZero", c.Alpha(0, p.X0Mean))
	def("exMFGmeanT", m.E(p.T))
	def("exMFCmeanT", c.XBar(p.T))
	def("exMFGabarZero", m.DE(0))
	def("exMFCabarZero", c.MeanAlpha(0))
	def("exEtabarZero", c.EtaBar(0))
	def("exZetaT", p.Cg-p.Gamma)
	def("exMFGcost", mfgCost)
	def("exMFCcost", mfcCost)
	def("exMFGsocial", mfgSocial)
	def("exPoA", mfgSocial-mfcCost)
	def("exMFCexploit", mfcExploit)
	// The planner's Riccati zeta = etabar - gamma (ca zeta' = zeta^2 - ca cX,
	// zeta(T) = cg - gamma) blows up at the distance tau* = ln(r)/(2k) from T
	// when r = (z - s)/(z + s) > 1, z = cg - gamma, s = sqrt(ca cX): the MFC
	// has a solution only on horizons T < tau*.
	if z, s := p.Cg-p.Gamma, math.Sqrt(p.Ca*p.CX); z+s < 0 && s > 0 {
		def("exBlowUp", math.Log((z-s)/(z+s))/(2*s/p.Ca))
	} else {
		b.WriteString("\\newcommand{\\exBlowUp}{\\ensuremath{\\infty}}\n")
	}
	if err := g.write("exact.tex", []byte(b.String())); err != nil {
		return err
	}

	ts := report.Times(p.T, 0, 0.5, 0.9, 1)
	xs := []float64{-1, 0, 0.5, 1, 2}
	var t strings.Builder
	t.WriteString("% Generated by mfe figures. Do not edit.\n")
	fmt.Fprintf(&t, "\\begin{tabular}{ll%s}\n\\toprule\n & $t$", strings.Repeat("r", len(xs)))
	for _, x := range xs {
		fmt.Fprintf(&t, " & $x=%s$", strconv.FormatFloat(x, 'g', -1, 64))
	}
	t.WriteString(" \\\\\n\\midrule\n")
	for _, reg := range []struct {
		name string
		f    func(t, x float64) float64
	}{{"MFG $\\alpha^*$", m.Alpha}, {"MFC $\\hat\\alpha$", c.Alpha}} {
		for i, ti := range ts {
			name := ""
			if i == 0 {
				name = reg.name
			}
			fmt.Fprintf(&t, "%s & %s", name, strconv.FormatFloat(ti, 'g', 3, 64))
			for _, x := range xs {
				fmt.Fprintf(&t, " & $%.4f$", reg.f(ti, x))
			}
			t.WriteString(" \\\\\n")
		}
		t.WriteString("\\midrule\n")
	}
	s := strings.TrimSuffix(t.String(), "\\midrule\n") + "\\bottomrule\n\\end{tabular}\n"
	return g.write("exact-table.tex", []byte(s))
}

// monteCarlo checks the exact laws and costs against particles driven by
// the exact controls (mc-check.tex).
func (g *gen) monteCarlo() error {
	p := g.P
	m, err := exact.NewMFG(p)
	if err != nil {
		return err
	}
	c, err := exact.NewMFC(p)
	if err != nil {
		return err
	}
	mfgCost, mfcCost, _, err := report.Costs(p)
	if err != nil {
		return err
	}
	const steps = 1000
	s := sim.Sim{P: p, N: g.SimN, Steps: steps, Seed: 7}
	rg, err := s.Run(m.Control(), sim.Options{})
	if err != nil {
		return err
	}
	rc, err := s.Run(c.Control(), sim.Options{})
	if err != nil {
		return err
	}
	lg, lc := m.LawX(p.T), c.LawX(p.T)
	var b strings.Builder
	b.WriteString("% Generated by mfe figures. Do not edit.\n")
	b.WriteString("\\begin{tabular}{llrrr}\n\\toprule\n & quantity & exact & particles & difference \\\\\n\\midrule\n")
	row := func(reg, q string, ex, mc float64) {
		fmt.Fprintf(&b, "%s & %s & %s & %s & %s \\\\\n", reg, q, texNum(ex, 5), texNum(mc, 5), texNum(mc-ex, 2))
	}
	row("MFG", "$\\mathbb{E}[X_T]$", lg.Mean, rg.MeanX[steps])
	row("", "$\\mathrm{Var}\\,X_T$", lg.Var, rg.VarX[steps])
	row("", "$\\bar\\alpha_0$", m.DE(0), rg.MeanAlpha[0])
	row("", "cost $J$", mfgCost, rg.Cost)
	b.WriteString("\\midrule\n")
	row("MFC", "$\\mathbb{E}[X_T]$", lc.Mean, rc.MeanX[steps])
	row("", "$\\mathrm{Var}\\,X_T$", lc.Var, rc.VarX[steps])
	row("", "$\\bar\\alpha_0$", c.MeanAlpha(0), rc.MeanAlpha[0])
	row("", "cost $J$", mfcCost, rc.Cost)
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	if err := g.write("mc-check.tex", []byte(b.String())); err != nil {
		return err
	}
	macros := fmt.Sprintf("\\newcommand{\\mcN}{%s}\n\\newcommand{\\mcSteps}{%d}\n", texInt(g.SimN), steps)
	return g.write("mc-check-macros.tex", []byte(macros))
}

// perRun writes, for every expected run, run-KEY.tex (figures, settings,
// command, or a "not run" note), and metrics.tex with each run's metrics
// as \mfemetric{KEY}{name}.
func (g *gen) perRun() error {
	g.macros = &strings.Builder{}
	g.macros.WriteString("% Generated by mfe figures from the result directories. Do not edit.\n")
	var status strings.Builder
	for _, k := range g.Keys {
		r := g.Primary[k]
		var frag string
		if r == nil {
			reason := missingReason(k)
			frag = fmt.Sprintf("\\notrun{%s}{%s}{%s}\n", methodTitle(k.Method), strings.ToUpper(k.Regime), reason)
			fmt.Fprintf(&status, "\\mfedefmetric{%s}{status}{%s}\n", k, reason)
		} else {
			var err error
			if frag, err = g.runFragment(r); err != nil {
				return fmt.Errorf("%s: %w", r.Dir, err)
			}
			g.defMetrics(k.String(), r)
			fmt.Fprintf(&status, "\\mfedefmetric{%s}{status}{run}\n", k)
		}
		if err := g.write("run-"+k.String()+".tex", []byte("% Generated by mfe figures. Do not edit.\n"+frag)); err != nil {
			return err
		}
	}
	for _, v := range g.Variants {
		key := "variant-" + v.Name
		g.defMetrics(key, v)
		if base := g.variantBase(v); base != nil && base != v && base.Res.Metrics.ControlRel > 0 {
			fmt.Fprintf(g.macros, "\\mfedefmetric{%s}{ratio}{%s}\n", key, texNum(v.Res.Metrics.ControlRel/base.Res.Metrics.ControlRel, 2))
		}
	}
	g.macros.WriteString(status.String())
	return g.write("metrics.tex", []byte(g.macros.String()))
}

// missingReason says why an expected run has no result directory.
func missingReason(k runKey) string {
	m, err := mfe.LookupMethod(k.Method)
	if err != nil {
		return "solver not present in this build"
	}
	if !mfe.Solves(m, mfe.Regime(k.Regime)) {
		return "the solver does not treat this regime"
	}
	return "not run in this build"
}

func (g *gen) defMetrics(key string, r *runDir) {
	mt := r.Res.Metrics
	d := func(name, val string) { fmt.Fprintf(g.macros, "\\mfedefmetric{%s}{%s}{%s}\n", key, name, val) }
	d("control_mse", texNum(mt.ControlMSE, 3))
	d("control_rel", texNum(mt.ControlRel, 3))
	d("control_pct", texNum(100*mt.ControlRel, 3)+"\\,\\%")
	if mt.Exploitability != nil {
		d("exploitability", texNum(*mt.Exploitability, 3))
	}
	if mt.SocialGap != nil {
		d("social_cost_gap", texNum(*mt.SocialGap, 3))
	}
	if mt.ValueRel != nil {
		d("value_rel", texNum(*mt.ValueRel, 3))
	}
	if mt.TimeToAccuracy != nil {
		d("time_to_1pct", texNum(*mt.TimeToAccuracy, 3))
	}
	d("wall", texNum(r.Res.WallTime, 3))
	d("epoch_time", texNum(r.Res.EpochTime, 3))
	d("profile", texEscape(string(r.Res.Profile)))
	d("backend", texEscape(r.Res.Backend))
	if n := len(r.Res.History.Epoch); n > 0 {
		d("epochs", texInt(r.Res.History.Epoch[n-1]))
	}
	if r.Grid != nil {
		errs := g.timeErrors(r)
		d("err_t0", texNum(errs[0], 2))
		d("err_tT", texNum(errs[len(errs)-1], 2))
	}
}

// runFragment is the LaTeX of one reported run.
func (g *gen) runFragment(r *runDir) (string, error) {
	k := r.key().String()
	var figs []string
	if r.Grid != nil {
		f, err := gridControlFigure(g.P, r)
		if err != nil {
			return "", err
		}
		if err := g.save(k+"-control.png", f); err != nil {
			return "", err
		}
		figs = append(figs, k+"-control.png")
	}
	if f, err := historyFigure(r); err != nil {
		return "", err
	} else if f != nil {
		if err := g.save(k+"-training.png", f); err != nil {
			return "", err
		}
		figs = append(figs, k+"-training.png")
	}
	var b strings.Builder
	title := methodTitle(r.Res.Method)
	if len(figs) > 0 {
		b.WriteString("\\begin{figure}[htbp]\n\\centering\n")
		for i, f := range figs {
			if i > 0 {
				b.WriteString("\\hfill\n")
			}
			fmt.Fprintf(&b, "\\includegraphics[width=0.485\\linewidth]{%s}\n", f)
		}
		fmt.Fprintf(&b, "\\caption{%s, %s (profile \\texttt{%s}, seed %d, %s). ", title, strings.ToUpper(string(r.Res.Regime)),
			texEscape(string(r.Res.Profile)), r.Res.Seed, texEscape(r.Res.Backend))
		if r.Grid != nil {
			b.WriteString("Left: learned control on the reporting grid (dots) against the exact control (lines). ")
		}
		if len(r.Res.History.ControlMSE) > 0 {
			b.WriteString("Right: control error \\texttt{control\\_mse} during training (band: one standard deviation over particles) and the training loss. ")
		} else {
			b.WriteString("Right: the training loss. ")
		}
		fmt.Fprintf(&b, "Final \\texttt{control\\_rel} %s, wall time %s\\,s. Run: \\cmd{%s}.}\n",
			texNum(r.Res.Metrics.ControlRel, 3), texNum(r.Res.WallTime, 3), texCmd(trainCommand(r)))
		fmt.Fprintf(&b, "\\label{fig:%s}\n\\end{figure}\n", k)
	}
	if len(figs) > 0 {
		fmt.Fprintf(&b, "{\\raggedright\\paragraph{Settings of the run of Figure~\\ref{fig:%s}.} %s.\\par}\n", k, configText(r.Res.Config))
	} else {
		fmt.Fprintf(&b, "{\\raggedright\\paragraph{Settings of the %s run (%s).} %s.\\par}\n", title, strings.ToUpper(string(r.Res.Regime)), configText(r.Res.Config))
	}
	return b.String(), nil
}

// gridControlFigure draws the learned control of control.json (dots) against
// the exact control (lines, on a fine x grid) at six times.
func gridControlFigure(p mfe.Params, r *runDir) (*plot.Plot, error) {
	cg := r.Grid
	ex, err := exactControlOf(p, r.Res.Regime)
	if err != nil {
		return nil, err
	}
	fine := mfe.Linspace(cg.X[0], cg.X[len(cg.X)-1], 141)
	var panels []figure.ControlPanel
	n := len(cg.T)
	for _, i := range []int{0, (n - 1) / 5, 2 * (n - 1) / 5, 3 * (n - 1) / 5, 4 * (n - 1) / 5, n - 1} {
		cp := figure.ControlPanel{Label: fmt.Sprintf("t=%.3g", cg.T[i]), X: fine, Exact: make([]float64, len(fine)),
			LearnedX: cg.X, Learned: cg.Alpha[i]}
		ex.Eval(cg.T[i], fine, cp.Exact)
		panels = append(panels, cp)
	}
	return figure.Control(panels, figure.Options{
		Title: fmt.Sprintf("%s (%s): learned (dots) vs exact (lines)", r.Res.Method, r.Res.Regime)})
}

func exactControlOf(p mfe.Params, r mfe.Regime) (mfe.Control, error) {
	if r == mfe.MFG {
		m, err := exact.NewMFG(p)
		if err != nil {
			return nil, err
		}
		return m.Control(), nil
	}
	c, err := exact.NewMFC(p)
	if err != nil {
		return nil, err
	}
	return c.Control(), nil
}

// historyFigure draws control_mse during training (when recorded) and the
// loss; nil when the run recorded neither.
func historyFigure(r *runDir) (*plot.Plot, error) {
	h := r.Res.History
	var series []figure.TrainSeries
	ex := h.EvalEpoch
	if len(ex) == 0 && len(h.ControlMSE) == len(h.Epoch) {
		ex = h.Epoch // some solvers evaluate at every recorded epoch
	}
	if len(h.ControlMSE) > 0 && len(ex) == len(h.ControlMSE) {
		var std []float64
		if len(h.ControlMSEStd) == len(h.ControlMSE) {
			std = h.ControlMSEStd
		}
		if s, ok := positiveSeries("control_mse", ints(ex), h.ControlMSE, std); ok {
			series = append(series, s)
		}
	}
	if len(h.Loss) == len(h.Epoch) && len(h.Loss) > 0 {
		abs := make([]float64, len(h.Loss))
		for i, v := range h.Loss {
			abs[i] = math.Abs(v)
		}
		if s, ok := positiveSeries("|loss|", ints(h.Epoch), abs, nil); ok {
			series = append(series, s)
		}
	}
	if len(series) == 0 {
		return nil, nil
	}
	return figure.Training(series, figure.Options{
		Title:  fmt.Sprintf("%s (%s): training", r.Res.Method, r.Res.Regime),
		XLabel: "epoch / iteration / episode", YLabel: "control_mse, |loss|"})
}

// positiveSeries keeps the finite positive points of a series, for a log axis.
func positiveSeries(label string, x, y, std []float64) (figure.TrainSeries, bool) {
	s := figure.TrainSeries{Label: label}
	for i := range y {
		if y[i] > 0 && !math.IsInf(y[i], 0) && !math.IsNaN(x[i]) {
			s.X = append(s.X, x[i])
			s.Mean = append(s.Mean, y[i])
			if std != nil {
				sd := std[i]
				if !(sd >= 0) || math.IsInf(sd, 0) {
					sd = 0
				}
				s.Std = append(s.Std, sd)
			}
		}
	}
	return s, len(s.X) > 0
}

func ints(v []int) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// timeErrors is the control error of a run at each time of its grid: the
// root mean square over the grid's x of learned - exact, weighted by the
// exact density of X_t (a point mass X_0 is widened to sd 0.05).
func (g *gen) timeErrors(r *runDir) []float64 {
	cg := r.Grid
	var law func(t float64) exact.Law
	if r.Res.Regime == mfe.MFC {
		law = exact.MustMFC(g.P).LawX
	} else {
		law = exact.MustMFG(g.P).LawX
	}
	out := make([]float64, len(cg.T))
	for i, t := range cg.T {
		l := law(t)
		l.Var = math.Max(l.Var, 0.05*0.05)
		var sw, se float64
		for j, x := range cg.X {
			w := l.Density(x)
			d := cg.Alpha[i][j] - cg.Exact[i][j]
			sw += w
			se += w * d * d
		}
		out[i] = math.Sqrt(se / sw)
	}
	return out
}

// results writes results.tex: one row per expected run.
func (g *gen) results() error {
	var b strings.Builder
	b.WriteString("% Generated by mfe figures from the result directories. Do not edit.\n")
	b.WriteString("\\begin{tabular}{llllllllr}\n\\toprule\n")
	b.WriteString("method & regime & profile & \\texttt{control\\_mse} & \\texttt{control\\_rel} & exploit.\\ / gap & \\texttt{value\\_rel} & \\texttt{density\\_l1} & wall (s) \\\\\n\\midrule\n")
	for _, k := range g.Keys {
		r := g.Primary[k]
		fmt.Fprintf(&b, "%s & %s & ", methodTitle(k.Method), strings.ToUpper(k.Regime))
		if r == nil {
			reason := missingReason(k)
			fmt.Fprintf(&b, "\\multicolumn{7}{l}{\\emph{%s}} \\\\\n", reason)
			continue
		}
		mt := r.Res.Metrics
		gap := "--"
		if mt.Exploitability != nil {
			gap = texNum(*mt.Exploitability, 2)
		}
		if mt.SocialGap != nil {
			gap = texNum(*mt.SocialGap, 2)
		}
		vr := "--"
		if mt.ValueRel != nil {
			vr = texNum(*mt.ValueRel, 2)
		}
		dl := "--"
		if len(mt.DensityL1) > 0 {
			s := 0.0
			for _, v := range mt.DensityL1 {
				s += v
			}
			dl = texNum(s/float64(len(mt.DensityL1)), 2)
		}
		fmt.Fprintf(&b, "\\texttt{%s} & %s & %s & %s & %s & %s & %s \\\\\n", texEscape(string(r.Res.Profile)),
			texNum(mt.ControlMSE, 2), texNum(mt.ControlRel, 2), gap, vr, dl, texNum(r.Res.WallTime, 3))
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	return g.write("results.tex", []byte(b.String()))
}

// backends writes backends.tex: wall time of every run, by backend.
func (g *gen) backends() error {
	var b strings.Builder
	b.WriteString("% Generated by mfe figures from the result directories. Do not edit.\n")
	b.WriteString("\\begin{tabular}{lllrrr}\n\\toprule\n")
	b.WriteString("method & regime & backend & s/epoch & wall (s) & \\texttt{control\\_rel} \\\\\n\\midrule\n")
	runs := append([]*runDir(nil), g.Runs...)
	sort.SliceStable(runs, func(i, j int) bool { return keyIndex(g.Keys, runs[i].key()) < keyIndex(g.Keys, runs[j].key()) })
	for _, r := range runs {
		fmt.Fprintf(&b, "%s & %s & %s & %s & %s & %s \\\\\n", methodTitle(r.Res.Method), strings.ToUpper(string(r.Res.Regime)),
			texEscape(r.Res.Backend), texNum(r.Res.EpochTime, 3), texNum(r.Res.WallTime, 3), texNum(r.Res.Metrics.ControlRel, 2))
	}
	if len(runs) == 0 {
		b.WriteString("\\multicolumn{6}{l}{\\emph{no runs in this build}} \\\\\n")
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	return g.write("backends.tex", []byte(b.String()))
}

func keyIndex(keys []runKey, k runKey) int {
	for i, x := range keys {
		if x == k {
			return i
		}
	}
	return len(keys)
}

// errorByTime writes error-by-time.png and .tex: the law-weighted control
// error of each reported run against time.
func (g *gen) errorByTime() error {
	var series []figure.Series
	var b strings.Builder
	b.WriteString("% Generated by mfe figures from control.json of each run. Do not edit.\n")
	var cols []float64
	for _, k := range g.Keys {
		r := g.Primary[k]
		if r == nil || r.Grid == nil {
			continue
		}
		errs := g.timeErrors(r)
		s := figure.Series{Label: fmt.Sprintf("%s %s", k.Method, k.Regime), Points: true}
		for i, e := range errs {
			if e > 0 {
				s.X = append(s.X, r.Grid.T[i])
				s.Y = append(s.Y, e)
			}
		}
		if len(s.X) > 0 {
			series = append(series, s)
		}
		if cols == nil {
			cols = r.Grid.T
			b.WriteString("\\begin{tabular}{ll" + strings.Repeat("r", len(cols)) + "}\n\\toprule\nmethod & regime")
			for _, t := range cols {
				fmt.Fprintf(&b, " & $t=%s$", strconv.FormatFloat(t, 'g', 3, 64))
			}
			b.WriteString(" \\\\\n\\midrule\n")
		}
		if len(errs) != len(cols) {
			return fmt.Errorf("%s: control grid has %d times, others %d", r.Dir, len(errs), len(cols))
		}
		fmt.Fprintf(&b, "%s & %s", methodTitle(k.Method), strings.ToUpper(k.Regime))
		for _, e := range errs {
			fmt.Fprintf(&b, " & %s", texNum(e, 2))
		}
		b.WriteString(" \\\\\n")
	}
	if cols == nil {
		b.WriteString("\\emph{No run with a control grid in this build.}\n")
	} else {
		b.WriteString("\\bottomrule\n\\end{tabular}\n")
	}
	if err := g.write("error-by-time.tex", []byte(b.String())); err != nil {
		return err
	}
	if len(series) == 0 {
		return g.placeholder("error-by-time.png", "no runs")
	}
	f, err := figure.Lines(series, figure.Options{Title: "Control error against time",
		XLabel: "time t", YLabel: "RMS error of α(t, ·)", LogY: true})
	if err != nil {
		return err
	}
	return g.save("error-by-time.png", f)
}

// placeholder draws an empty figure with a note, so that the LaTeX source
// can include a figure whatever the build contains.
func (g *gen) placeholder(name, note string) error {
	f, err := figure.Lines([]figure.Series{{Label: note, X: []float64{0, 1}, Y: []float64{0, 0}}},
		figure.Options{Title: note})
	if err != nil {
		return err
	}
	return g.save(name, f)
}

// accuracyTime writes accuracy-time.png: control_rel against wall time.
func (g *gen) accuracyTime() error {
	var pts []figure.Point
	for i, k := range g.Keys {
		r := g.Primary[k]
		if r == nil || !(r.Res.Metrics.ControlRel > 0) || !(r.Res.WallTime > 0) {
			continue
		}
		pts = append(pts, figure.Point{Label: fmt.Sprintf("%s %s", k.Method, k.Regime),
			X: r.Res.WallTime, Y: r.Res.Metrics.ControlRel, Group: i})
	}
	if len(pts) == 0 {
		return g.placeholder("accuracy-time.png", "no runs")
	}
	f, err := figure.Scatter(pts, figure.Options{Title: "Accuracy against wall time", XLabel: "wall time (s)",
		YLabel: "control_rel", LogX: true, LogY: true})
	if err != nil {
		return err
	}
	return g.save("accuracy-time.png", f)
}

// variants writes variants.tex: each ablation beside the reported run of
// its method and regime.
func (g *gen) variants() error {
	var b strings.Builder
	b.WriteString("% Generated by mfe figures from the variant result directories. Do not edit.\n")
	if len(g.Variants) == 0 {
		b.WriteString("\\emph{No variant runs in this build.}\n")
		return g.write("variants.tex", []byte(b.String()))
	}
	byKey := map[runKey][]*runDir{}
	for _, v := range g.Variants {
		byKey[v.key()] = append(byKey[v.key()], v)
	}
	keys := make([]runKey, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keyIndex(g.Keys, keys[i]) < keyIndex(g.Keys, keys[j]) })
	b.WriteString("\\begin{tabular}{lp{0.34\\linewidth}lrrr}\n\\toprule\n")
	b.WriteString("run & changed settings & profile & \\texttt{control\\_rel} & exploit.\\ / gap & wall (s) \\\\\n")
	row := func(label, set string, r *runDir) {
		mt := r.Res.Metrics
		gap := "--"
		if mt.Exploitability != nil {
			gap = texNum(*mt.Exploitability, 2)
		}
		if mt.SocialGap != nil {
			gap = texNum(*mt.SocialGap, 2)
		}
		fmt.Fprintf(&b, "%s & %s & \\texttt{%s} & %s & %s & %s \\\\\n", label, set, texEscape(string(r.Res.Profile)),
			texNum(mt.ControlRel, 2), gap, texNum(r.Res.WallTime, 3))
	}
	for _, k := range keys {
		fmt.Fprintf(&b, "\\midrule\n\\multicolumn{6}{l}{\\textbf{%s, %s}} \\\\\n", methodTitle(k.Method), strings.ToUpper(k.Regime))
		shown := map[*runDir]bool{}
		for _, v := range byKey[k] {
			if base := g.variantBase(v); base != nil && !shown[base] {
				shown[base] = true
				row("this implementation", "none (profile settings)", base)
			}
		}
		for _, v := range byKey[k] {
			if len(v.Variant.Set) > 0 {
				row(texEscape(v.Variant.Label), setText(v.Variant.Set), v)
			}
		}
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	return g.write("variants.tex", []byte(b.String()))
}

// variantBase is the run a variant departs from: a variant of the same
// method, regime and profile that changes nothing (a base trained for the
// ablations at another profile than the reported run), else the reported
// run when it has the variant's profile; nil if neither exists.
func (g *gen) variantBase(v *runDir) *runDir {
	for _, b := range g.Variants {
		if b.key() == v.key() && len(b.Variant.Set) == 0 && b.Res.Profile == v.Res.Profile {
			return b
		}
	}
	if p := g.Primary[v.key()]; p != nil && p.Res.Profile == v.Res.Profile {
		return p
	}
	return nil
}

// commands writes commands.tex: the command of every run and of this
// generation, for the reproduction appendix.
func (g *gen) commands() error {
	var b strings.Builder
	b.WriteString("% Generated by mfe figures. Do not edit.\n\\begin{itemize}\n")
	all := append(append([]*runDir(nil), g.Runs...), g.Variants...)
	for _, r := range all {
		fmt.Fprintf(&b, "\\item \\cmd{%s} (%s; %s\\,s)\n", texCmd(trainCommand(r)), texEscape(r.Res.Backend), texNum(r.Res.WallTime, 3))
	}
	fmt.Fprintf(&b, "\\item \\cmd{%s}\n\\end{itemize}\n", texCmd(strings.Join(append([]string{"mfe", "figures"}, g.Args...), " ")))
	return g.write("commands.tex", []byte(b.String()))
}

// trainCommand is the command that produces a run directory like r.
func trainCommand(r *runDir) string {
	res := r.Res
	var args []string
	if r.Variant != nil {
		args = []string{"mfe", "figures", "variant"}
	} else {
		args = []string{"mfe", "train"}
	}
	args = append(args, "-method", res.Method, "-regime", string(res.Regime), "-profile", string(res.Profile),
		"-seed", strconv.FormatUint(res.Seed, 10))
	args = append(args, paramArgs(res.Params)...)
	if r.Variant != nil {
		keys := make([]string, 0, len(r.Variant.Set))
		for k := range r.Variant.Set {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			args = append(args, "-set", k+"="+r.Variant.Set[k])
		}
		args = append(args, "-label", strconv.Quote(r.Variant.Label))
	}
	return strings.Join(append(args, "-out", filepath.ToSlash(r.Dir)), " ")
}

// paramArgs lists the parameter flags that differ from the reference.
func paramArgs(p mfe.Params) []string {
	ref := mfe.Reference()
	var out []string
	add := func(name string, v, r float64) {
		if v != r {
			out = append(out, "-"+name, strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	add("T", p.T, ref.T)
	add("sigma", p.Sigma, ref.Sigma)
	add("gamma", p.Gamma, ref.Gamma)
	add("ca", p.Ca, ref.Ca)
	add("cx", p.CX, ref.CX)
	add("cg", p.Cg, ref.Cg)
	add("x0-mean", p.X0Mean, ref.X0Mean)
	add("x0-std", p.X0Std, ref.X0Std)
	return out
}

// configText renders a method's configuration as "key = value" items.
func configText(cfg any) string {
	m, ok := cfg.(map[string]any)
	if !ok || len(m) == 0 {
		return "not recorded"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var items []string
	for _, k := range keys {
		items = append(items, fmt.Sprintf("\\texttt{%s}~=~%s", texEscape(k), configValue(m[k])))
	}
	return strings.Join(items, ", ")
}

func configValue(v any) string {
	switch v := v.(type) {
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return texInt(int(v))
		}
		return texShort(v)
	case string:
		return "\\texttt{" + texEscape(v) + "}"
	case bool:
		return strconv.FormatBool(v)
	case []any:
		var parts []string
		for _, x := range v {
			parts = append(parts, configValue(x))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case nil:
		return "--"
	}
	b, _ := json.Marshal(v)
	return "\\texttt{" + texEscape(string(b)) + "}"
}

func setText(set map[string]string) string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var items []string
	for _, k := range keys {
		items = append(items, fmt.Sprintf("\\texttt{%s=%s}", texEscape(k), texEscape(set[k])))
	}
	return strings.Join(items, ", ")
}

// texNum formats v for text or math mode (\ensuremath) with the given significant digits:
// plain decimals between 1e-3 and 1e4, m×10^e otherwise.
func texNum(v float64, digits int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 0):
		return "\\ensuremath{\\infty}"
	case v == 0:
		return "\\ensuremath{0}"
	}
	e := int(math.Floor(math.Log10(math.Abs(v))))
	// Rounding may carry into the next decade (9.996 → 10.0).
	if r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'e', digits-1, 64), 64); math.Abs(r) >= math.Pow(10, float64(e+1)) {
		e++
	}
	if e >= -3 && e < 4 {
		dec := max(digits-1-e, 0)
		return "\\ensuremath{" + strconv.FormatFloat(v, 'f', dec, 64) + "}"
	}
	m := v / math.Pow(10, float64(e))
	ms := strconv.FormatFloat(m, 'f', digits-1, 64)
	return fmt.Sprintf("\\ensuremath{%s\\times10^{%d}}", ms, e)
}

// texShort formats v exactly (shortest representation) in math mode,
// m×10^e for the small and the large.
func texShort(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if m, e, ok := strings.Cut(s, "e"); ok {
		n, _ := strconv.Atoi(e)
		return fmt.Sprintf("\\ensuremath{%s\\times10^{%d}}", m, n)
	}
	return "\\ensuremath{" + s + "}"
}

// texInt writes n with thin-space thousands separators.
func texInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	parts = append([]string{s}, parts...)
	out := strings.Join(parts, "\\,")
	if neg {
		out = "$-$" + out
	}
	return out
}

var texEscaper = strings.NewReplacer(
	`\`, `\textbackslash{}`, `_`, `\_`, `%`, `\%`, `&`, `\&`, `#`, `\#`, `$`, `\$`,
	`{`, `\{`, `}`, `\}`, `~`, `\textasciitilde{}`, `^`, `\textasciicircum{}`)

func texEscape(s string) string { return texEscaper.Replace(s) }

// texCmd escapes a command line for \texttt and lets it break after each
// slash (typewriter text does not hyphenate, and paths are long).
func texCmd(s string) string { return strings.ReplaceAll(texEscape(s), "/", "/\\allowbreak{}") }

// figuresImport copies a run directory into the memoir's data: result.json
// with its history thinned to at most maxHistory points per series (the
// numbers are kept as written), control.json and variant.json as they are.
func figuresImport(args []string) error {
	if len(args) != 2 {
		return usagef("mfe figures import: want SRC DST, got %d arguments", len(args))
	}
	src, dst := args[0], args[1]
	b, err := os.ReadFile(filepath.Join(src, "result.json"))
	if err != nil {
		return err
	}
	thin, err := thinResult(b, maxHistory)
	if err != nil {
		return fmt.Errorf("%s/result.json: %w", src, err)
	}
	if err := mfe.WriteFileAtomic(filepath.Join(dst, "result.json"), thin); err != nil {
		return err
	}
	for _, name := range []string{"control.json", "variant.json"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if errors.Is(err, os.ErrNotExist) {
			os.Remove(filepath.Join(dst, name))
			continue
		}
		if err != nil {
			return err
		}
		if err := mfe.WriteFileAtomic(filepath.Join(dst, name), b); err != nil {
			return err
		}
	}
	return nil
}

const maxHistory = 400

// thinResult keeps at most n evenly spaced points (first and last
// included) of the history's per-epoch and per-evaluation series.
func thinResult(b []byte, n int) ([]byte, error) {
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		return nil, err
	}
	if raw, ok := top["history"]; ok {
		var h map[string]json.RawMessage
		if err := json.Unmarshal(raw, &h); err != nil {
			return nil, err
		}
		var epoch, eval []json.RawMessage
		json.Unmarshal(h["epoch"], &epoch)
		json.Unmarshal(h["eval_epoch"], &eval)
		lens := map[int][]int{}
		for _, l := range []int{len(epoch), len(eval)} {
			if l > n {
				lens[l] = thinIndex(l, n)
			}
		}
		thinArray := func(raw json.RawMessage) json.RawMessage {
			var a []json.RawMessage
			if json.Unmarshal(raw, &a) != nil {
				return raw
			}
			idx, ok := lens[len(a)]
			if !ok {
				return raw
			}
			out := make([]json.RawMessage, len(idx))
			for i, j := range idx {
				out[i] = a[j]
			}
			r, _ := json.Marshal(out)
			return r
		}
		for k, v := range h {
			if k == "extra" {
				var ex map[string]json.RawMessage
				if json.Unmarshal(v, &ex) == nil {
					for ek, ev := range ex {
						ex[ek] = thinArray(ev)
					}
					h[k], _ = json.Marshal(ex)
				}
				continue
			}
			h[k] = thinArray(v)
		}
		top["history"], _ = json.Marshal(h)
	}
	// Keys come out sorted; every number keeps the text it was written with.
	var out bytes.Buffer
	enc, err := json.Marshal(top)
	if err != nil {
		return nil, err
	}
	if err := json.Indent(&out, enc, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func thinIndex(l, n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = int(math.Round(float64(i) * float64(l-1) / float64(n-1)))
	}
	return idx
}

// setFlag collects repeated -set key=value flags.
type setFlag map[string]string

func (s setFlag) String() string { return setText(s) }

func (s setFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", v)
	}
	s[k] = val
	return nil
}

// figuresVariant trains one ablation and writes its run directory with a
// variant.json naming what changed. Without -set it trains the profile as
// it is: the base of ablations made at another profile than the reported
// run.
func figuresVariant(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("figures variant", flag.ContinueOnError)
	p := paramFlags(fs)
	mf := addMethodFlags(fs)
	label := fs.String("label", "", "short name of the variant, e.g. \"nearest rounding\"")
	out := fs.String("out", "", "output directory")
	quiet := fs.Bool("quiet", false, "no progress bar")
	set := setFlag{}
	fs.Var(set, "set", "key=value: a setting of the profile to change (repeatable; keys as in result.json's config)")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if err := checkParams("figures variant", *p); err != nil {
		return err
	}
	m, r, prof, err := mf.resolve("figures variant")
	if err != nil {
		return err
	}
	if *label == "" {
		return usagef("mfe figures variant: flag -label is required")
	}
	if *out == "" {
		return usagef("mfe figures variant: flag -out is required")
	}
	cfg, err := m.Config(prof)
	if err != nil {
		return err
	}
	if cfg, err = mfe.SetConfig(cfg, set); err != nil {
		return usagef("mfe figures variant: invalid value for flag -set: %v", err)
	}
	var pr mfe.Progress = mfe.NopProgress{}
	if !*quiet {
		pr = progress.NewTerminal(stderr, fmt.Sprintf("%s %s (%s)", m.Name(), r, *label))
	}
	fmt.Fprintf(stderr, "mfe: training variant %q of %s (%s, profile %s, seed %d) on %s\n", *label, m.Name(), r, prof, *mf.seed, backend.Describe())
	res, err := m.Train(ctx, mfe.Run{Params: *p, Regime: r, Profile: prof, Seed: *mf.seed, Progress: pr}, cfg)
	if res != nil {
		if werr := writeVariantRun(*out, res); werr != nil && err == nil {
			err = werr
		}
		if werr := mfe.WriteJSON(filepath.Join(*out, "variant.json"), variantInfo{Label: *label, Set: set}); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s variant %q: control_mse %.3g, control_rel %.3g, %.1f s; wrote %s\n",
		m.Name(), r, *label, res.Metrics.ControlMSE, res.Metrics.ControlRel, res.WallTime, *out)
	return nil
}

// writeVariantRun writes result.json and control.json (the memoir draws its
// own figures, so no PNG).
func writeVariantRun(dir string, res *mfe.Result) error {
	if err := mfe.WriteJSON(filepath.Join(dir, "result.json"), res); err != nil {
		return err
	}
	if res.Control == nil {
		return nil
	}
	cg, err := report.GridControl(res)
	if err != nil {
		return err
	}
	return mfe.WriteJSON(filepath.Join(dir, "control.json"), cg)
}
