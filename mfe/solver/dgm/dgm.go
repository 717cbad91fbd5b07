package dgm

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nn"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// DensityTimes are the fractions of T at which density_l1 is reported.
var DensityTimes = []float64{0.1, 0.4, 0.7, 1.0}

// nets is the pair of networks and their parametrisation in one graph.
type nets struct {
	m      mfemodel.Model
	p      mfe.Params
	cfg    Config
	s0     float64 // initial std, at least MinStd
	xc, xs float64 // input normalisation of x
	v, u   *nn.DGM
}

func newNets(scope *model.Scope, g *Graph, m mfemodel.Model, cfg Config) *nets {
	p := m.Params()
	n := &nets{m: m, p: p, cfg: cfg}
	n.s0 = math.Max(p.X0Std, cfg.MinStd)
	n.xc = p.X0Mean
	n.xs = 2 * math.Sqrt(n.s0*n.s0+p.Sigma*p.Sigma*p.T)
	dc := nn.DGMConfig{In: 2, Width: cfg.Width, Layers: cfg.Layers}
	n.v = nn.NewDGM(scope.In("v"), g, dc)
	n.u = nn.NewDGM(scope.In("u"), g, dc)
	return n
}

// apply evaluates a network on t, x of shape [a, b], returning [a, b].
func (n *nets) apply(net *nn.DGM, t, x *Node) *Node {
	dims := x.Shape().Dimensions
	size := x.Shape().Size()
	tn := Reshape(MulScalar(t, 1/n.p.T), size, 1)
	xn := Reshape(MulScalar(AddScalar(x, -n.xc), 1/n.xs), size, 1)
	return Reshape(net.Apply(Concatenate([]*Node{tn, xn}, -1)), dims...)
}

// V is the value v(t, x); with HardBC, g(x) + (T - t)/T net_v (g the
// model's TerminalGraph).
func (n *nets) V(t, x *Node) *Node {
	out := n.apply(n.v, t, x)
	if !n.cfg.HardBC {
		return out
	}
	term := n.m.TerminalGraph(x)
	return Add(term, Mul(MulScalar(AddScalar(Neg(t), n.p.T), 1/n.p.T), out))
}

// prior is the heat kernel of the initial law, (x - mu0)^2/(2 (s0^2 + sigma^2 t)).
func (n *nets) prior(t, x *Node) *Node {
	d := AddScalar(x, -n.p.X0Mean)
	vr := AddScalar(MulScalar(t, n.p.Sigma*n.p.Sigma), n.s0*n.s0)
	return Div(Square(d), MulScalar(vr, 2))
}

// U is the log-density potential u(t, x), m = e^{-u}/∫e^{-u}.
func (n *nets) U(t, x *Node) *Node {
	out := n.apply(n.u, t, x)
	if n.cfg.HardBC {
		out = Mul(MulScalar(t, 1/n.p.T), out)
	}
	return Add(n.prior(t, x), out)
}

// History keys of the loss terms, recorded at every iteration: the RMS
// residuals of the HJB and Fokker–Planck equations and the RMS errors of the
// terminal and initial conditions.
const (
	KeyHJB      mfe.HistoryKey = "hjb"
	KeyKFP      mfe.HistoryKey = "kfp"
	KeyTerminal mfe.HistoryKey = "terminal"
	KeyInitial  mfe.HistoryKey = "initial"
)

// LossComponents are the history keys of the loss terms, in the order
// figures draw them.
var LossComponents = []mfe.HistoryKey{KeyHJB, KeyKFP, KeyTerminal, KeyInitial}

// lossTerms are the training loss and its components.
type lossTerms struct {
	Loss, HJB, KFP, Terminal, Initial *Node
	Mean, Var                         *Node // [nt], the learned law's moments
	Abar                              *Node // [nt, 1], its mean action
}

// loss builds the training loss and its components for the batch: t [nt, 1],
// x [nt, nx], x0 and xT [1, nx] (points at t = 0 and t = T), and mf [nt, 2],
// the means the minimiser is given (residuals; nil for the LQ model).
func (n *nets) loss(t, x, x0, xT, mf *Node) lossTerms {
	r := residuals(n.m, t, x, mf, n.V, n.U)
	g := x.Graph()
	tT := FillScalar(g, xT.Shape(), n.p.T)
	terminal := rms(Sub(n.V(tT, xT), n.m.TerminalGraph(xT)))
	t0 := ZerosLike(x0)
	d0 := Sub(n.U(t0, x0), n.prior(t0, x0))
	initial := rms(Sub(d0, ReduceAllMean(d0))) // u is defined up to a constant
	hjb, kfp := rms(r.HJB), rms(r.KFP)
	c := n.cfg
	loss := Add(MulScalar(hjb, c.WHJB), MulScalar(kfp, c.WKFP))
	if !c.HardBC {
		loss = Add(loss, Add(MulScalar(terminal, c.WTerminal), MulScalar(initial, c.WInitial)))
	}
	return lossTerms{Loss: loss, HJB: hjb, KFP: kfp, Terminal: terminal, Initial: initial, Mean: r.Mean, Var: r.Var, Abar: r.Abar}
}

// trainer is the method as nettrain.Train runs it.
var trainer = nettrain.Method[Config]{Name: Method, Regimes: []mfe.Regime{mfe.MFG}, CheckpointEvery: 100, Build: build}

// Train solves the MFG of run (regime mfe.MFG) of its model (run.Model: LQ,
// capped, or any model of package mfe/model with a graph form of its
// minimiser, a user's registered by name included, model.Register; one
// without it is refused with an error wrapping model.ErrNoGraphMinimiser;
// a model other than LQ is measured against its
// finite-difference solution, nettrain.Env.Reference) by the Deep Galerkin
// method, saving and resuming the run as mfe.Run says (a checkpoint every
// 100 iterations unless run.CheckpointEvery says otherwise; it holds the
// sampler's random numbers and tracked means too). A cancelled run
// returns its partial result, metrics included, with ctx.Err(); a diverged
// one with a *mfe.DivergenceError and the weights of its last good
// iteration.
func Train(ctx context.Context, run mfe.Run, cfg Config) (*mfe.Result, error) {
	return nettrain.Train(ctx, trainer, run, cfg)
}

// build makes the solver and its part of the run. The loop evaluates the
// control tabulated on TrainTable points; the final metrics, also those of
// a run stopped early, are computed by metrics.
func build(env nettrain.Env, cfg Config) (*nettrain.Job, error) {
	s, err := newSolver(env, cfg)
	if err != nil {
		return nil, err
	}
	snap := newSnapshots(s.store)
	return &nettrain.Job{
		Epochs: cfg.Iterations, EvalEvery: cfg.EvalEvery,
		Step: func(it int) (float64, map[mfe.HistoryKey]float64, error) {
			if err := snap.save(); err != nil {
				return 0, nil, err
			}
			lr := nettrain.CosineLR(cfg.LR, cfg.LRFinal, it, cfg.Iterations)
			out, err := s.step(lr)
			if err != nil {
				return 0, nil, err
			}
			out.extra[mfe.KeyLR] = lr
			return out.loss, out.extra, nil
		},
		Control: s.control, Value: s.value,
		Current:         func() mfe.Control { return s.control.Tabulate(TrainTable) },
		Metrics:         s.metrics,
		EvaluateStopped: true,
		SaveState:       s.saveState, LoadState: s.loadState,
		OnDivergence: func(div *mfe.DivergenceError) error {
			// A non-finite loss (or loss term) was computed on the weights
			// the iteration started from, which are then bad: go back to
			// those of the iteration before. Non-finite parameters after
			// the update (param_norm) leave the starting weights good.
			lossBad := div.Quantity == "loss" || slices.Contains(LossComponents, mfe.HistoryKey(div.Quantity))
			return snap.restoreGood(lossBad)
		},
	}, nil
}

// solver holds the compiled graphs and the sampling state.
type solver struct {
	m     mfemodel.Model
	lq    bool // m is the LQ model: closed-form residuals (lqResiduals), no tracked mean action
	ref   *eval.Reference
	p     mfe.Params
	cfg   Config
	ex    *exact.MFG // the LQ model's exact solution (SampleExact, the density's metrics); nil for another model
	store *model.Store
	exec  *model.Exec
	rng   *rand.Rand
	pcg   *rand.PCG // rng's source, whose state a checkpoint keeps
	s0    float64

	// The learned law's moments at the centres of the NT time strata, and
	// (a model other than LQ) its mean action there: the tracked means that
	// place the sampling intervals and that the minimiser is given.
	mean, sd, abar []float64

	control *Control
	value   *Value
}

func newSolver(env nettrain.Env, cfg Config) (*solver, error) {
	p, be, m := env.Run.Params, env.Backend, env.Model
	_, lq := m.(mfemodel.LQ)
	if _, ok := m.(mfemodel.GraphMinimiser); !ok && !lq {
		return nil, fmt.Errorf("dgm: model %s: %w, which the residuals' feedback from the value's gradient needs", m.Spec().Label(), mfemodel.ErrNoGraphMinimiser)
	}
	if !lq && cfg.Sampling == SampleExact {
		return nil, fmt.Errorf("dgm: sampling %q needs the LQ model's exact law; model %s has none", SampleExact, m.Spec().Label())
	}
	s := &solver{m: m, lq: lq, ref: env.Reference, p: p, cfg: cfg, store: env.Store, pcg: rand.NewPCG(env.Run.Seed, 0x64676d)}
	if lq {
		s.ex = exact.MustMFG(p)
	}
	s.rng = rand.New(s.pcg)
	s.s0 = math.Max(p.X0Std, cfg.MinStd)
	s.mean = make([]float64, cfg.NT)
	s.sd = make([]float64, cfg.NT)
	if !lq {
		s.abar = make([]float64, cfg.NT)
	}
	for k := range cfg.NT {
		t := (float64(k) + 0.5) / float64(cfg.NT) * p.T
		s.mean[k] = p.X0Mean
		s.sd[k] = math.Sqrt(s.s0*s.s0 + p.Sigma*p.Sigma*t) // free diffusion of the initial law
	}
	opt := optimizer.Adam().LearningRate(cfg.LR).WeightDecay(cfg.WeightDecay).Done()
	var err error
	stepGraph := func(scope *model.Scope, lr, t, x, x0, xT, mf *Node) []*Node {
		g := lr.Graph()
		// Variables as parameters: a run resumed from a checkpoint has them
		// all valued when this graph compiles, and would otherwise freeze
		// them (Adam's moments and step) as constants.
		nettrain.Live(scope, g)
		optimizer.LearningRateVar(scope, dtypes.Float32, cfg.LR).SetNodeValue(lr)
		n := newNets(scope, g, m, cfg)
		l := n.loss(t, x, x0, xT, mf)
		opt.UpdateGraph(scope, g, l.Loss)
		out := []*Node{l.Loss, l.HJB, l.KFP, l.Terminal, l.Initial, l.Mean, l.Var, nettrain.ParamNorm(scope, g)}
		if mf != nil {
			out = append(out, Reshape(l.Abar, cfg.NT))
		}
		return out
	}
	if lq {
		s.exec, err = model.NewExec(be, s.store, func(scope *model.Scope, lr, t, x, x0, xT *Node) []*Node {
			return stepGraph(scope, lr, t, x, x0, xT, nil)
		})
	} else {
		s.exec, err = model.NewExec(be, s.store, stepGraph)
	}
	if err != nil {
		return nil, err
	}
	if s.control, err = newControl(be, s.store, s, cfg); err != nil {
		return nil, err
	}
	if s.value, err = newValue(be, s.store, m, cfg, s); err != nil {
		return nil, err
	}
	return s, nil
}

// samplerState is the part of a run outside the GoMLX store: the state of
// the batches' random numbers and the tracked moments of the learned law,
// and its mean action (a model other than LQ). (JSON writes each float64 so
// that it reads back exactly.)
type samplerState struct {
	RNG  []byte    `json:"rng"`
	Mean []float64 `json:"mean"`
	SD   []float64 `json:"sd"`
	Abar []float64 `json:"abar,omitempty"`
}

func (s *solver) saveState() (json.RawMessage, error) {
	b, err := s.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return json.Marshal(samplerState{RNG: b, Mean: s.mean, SD: s.sd, Abar: s.abar})
}

func (s *solver) loadState(raw json.RawMessage) error {
	var st samplerState
	if err := json.Unmarshal(raw, &st); err != nil || len(raw) == 0 {
		return fmt.Errorf("no readable sampler state (%v)", err)
	}
	if len(st.Mean) != s.cfg.NT || len(st.SD) != s.cfg.NT || len(st.Abar) != len(s.abar) {
		return fmt.Errorf("sampler state has %d/%d/%d moments, want %d/%d/%d", len(st.Mean), len(st.SD), len(st.Abar), s.cfg.NT, s.cfg.NT, len(s.abar))
	}
	if err := s.pcg.UnmarshalBinary(st.RNG); err != nil {
		return fmt.Errorf("sampler state: %w", err)
	}
	copy(s.mean, st.Mean)
	copy(s.sd, st.SD)
	copy(s.abar, st.Abar)
	return nil
}

// interval returns the sampling interval at time t.
func (s *solver) interval(t float64) (lo, hi float64) {
	c := s.cfg
	var mean, sd float64
	switch c.Sampling {
	case SampleFixed:
		return c.XMin, c.XMax
	case SampleExact:
		l := s.ex.LawX(t)
		mean, sd = l.Mean, l.Std()
	case SampleLearned:
		mean, sd = s.learnedLaw(t)
	}
	sd = math.Max(sd, c.MinStd)
	return mean - c.XSD*sd, mean + c.XSD*sd
}

// learnedLaw interpolates the tracked moments at time t (the initial law at t = 0).
func (s *solver) learnedLaw(t float64) (mean, sd float64) {
	return s.track(s.mean, s.p.X0Mean, t), s.track(s.sd, s.s0, t)
}

// means returns the population's mean state and action at time t that the
// minimiser is given: the tracked ones (a model other than LQ).
func (s *solver) means(t float64) (xbar, abar float64) {
	return s.track(s.mean, s.p.X0Mean, t), s.track(s.abar, s.abar[0], t)
}

// track interpolates values tracked at the centres of the NT time strata
// at time t, linearly between the centres, from v0 at t = 0 to the first
// centre, and constant after the last one.
func (s *solver) track(vals []float64, v0, t float64) float64 {
	nt := s.cfg.NT
	h := s.p.T / float64(nt)
	pos := t/h - 0.5 // index coordinate of the stratum centres
	switch {
	case pos <= 0:
		w := t / (h / 2)
		return (1-w)*v0 + w*vals[0]
	case pos >= float64(nt-1):
		return vals[nt-1]
	}
	k := int(pos)
	w := pos - float64(k)
	return (1-w)*vals[k] + w*vals[k+1]
}

type stepOut struct {
	loss  float64
	extra map[mfe.HistoryKey]float64
}

// batch draws stratified times and, per time, stratified uniform x points on
// the time's sampling interval.
func (s *solver) batch() (t, x, x0, xT []float32) {
	c := s.cfg
	t = make([]float32, c.NT)
	x = make([]float32, c.NT*c.NX)
	fill := func(dst []float32, lo, hi float64) {
		for j := range dst {
			dst[j] = float32(lo + (hi-lo)*(float64(j)+s.rng.Float64())/float64(len(dst)))
		}
	}
	for k := range c.NT {
		tk := (float64(k) + s.rng.Float64()) / float64(c.NT) * s.p.T
		t[k] = float32(tk)
		lo, hi := s.interval(tk)
		fill(x[k*c.NX:(k+1)*c.NX], lo, hi)
	}
	x0 = make([]float32, c.NX)
	xT = make([]float32, c.NX)
	lo, hi := s.interval(0)
	fill(x0, lo, hi)
	lo, hi = s.interval(s.p.T)
	fill(xT, lo, hi)
	return
}

func (s *solver) step(lr float64) (stepOut, error) {
	c := s.cfg
	t, x, x0, xT := s.batch()
	in := []any{float32(lr),
		tensors.FromFlatDataAndDimensions(t, c.NT, 1),
		tensors.FromFlatDataAndDimensions(x, c.NT, c.NX),
		tensors.FromFlatDataAndDimensions(x0, 1, c.NX),
		tensors.FromFlatDataAndDimensions(xT, 1, c.NX)}
	if !s.lq {
		mf := make([]float32, 0, 2*c.NT)
		for _, tk := range t {
			xbar, abar := s.means(float64(tk))
			mf = append(mf, float32(xbar), float32(abar))
		}
		in = append(in, tensors.FromFlatDataAndDimensions(mf, c.NT, 2))
	}
	out, err := s.exec.Call(in...)
	if err != nil {
		return stepOut{}, err
	}
	o := stepOut{loss: nettrain.ScalarOf(out[0]), extra: map[mfe.HistoryKey]float64{
		KeyHJB: nettrain.ScalarOf(out[1]), KeyKFP: nettrain.ScalarOf(out[2]),
		KeyTerminal: nettrain.ScalarOf(out[3]), KeyInitial: nettrain.ScalarOf(out[4]),
		mfe.KeyParamNorm: nettrain.ScalarOf(out[7]),
	}}
	// The tracked means: the moments place the sampling intervals
	// (SampleLearned), and they and the mean action are what the minimiser
	// of a model other than LQ is given.
	if (c.Sampling == SampleLearned || !s.lq) && !math.IsNaN(o.loss) {
		mean := tensors.MustCopyFlatData[float32](out[5])
		vr := tensors.MustCopyFlatData[float32](out[6])
		var abar []float32
		if !s.lq {
			abar = tensors.MustCopyFlatData[float32](out[8])
		}
		a := c.MomentRate
		for k := range c.NT {
			m, v := float64(mean[k]), float64(vr[k])
			if math.IsNaN(m) || math.IsNaN(v) || math.IsInf(m, 0) || math.IsInf(v, 0) {
				continue
			}
			s.mean[k] = (1-a)*s.mean[k] + a*m
			s.sd[k] = math.Max((1-a)*s.sd[k]+a*math.Sqrt(math.Max(v, 0)), c.MinStd)
			if s.lq {
				continue
			}
			if ab := float64(abar[k]); !math.IsNaN(ab) && !math.IsInf(ab, 0) {
				s.abar[k] = (1-a)*s.abar[k] + a*ab
			}
		}
	}
	return o, nil
}

// metrics fills the final metrics (mfe.Metrics): those of the control
// tabulated on FinalTable points and of the value, and the density's L1
// error at DensityTimes; for a model other than LQ, those of the control
// against the reference (nettrain.EvaluateAgainst) only.
func (s *solver) metrics(ctx context.Context, res *mfe.Result) error {
	if s.ref != nil {
		return nettrain.EvaluateAgainst(ctx, res, s.control.Tabulate(FinalTable), s.ref)
	}
	if err := nettrain.Evaluate(ctx, res, s.control.Tabulate(FinalTable)); err != nil {
		return err
	}
	m := &res.Metrics
	m.DensityL1 = map[string]float64{}
	for _, f := range DensityTimes {
		t := f * s.p.T
		law := s.ex.LawX(t)
		sd := math.Sqrt(law.Var)
		xs := mfe.Linspace(law.Mean-6*sd, law.Mean+6*sd, 601)
		d, err := eval.DensityL1(s.p, mfe.MFG, t, xs, s.value.Density(t, xs))
		if err != nil {
			return err
		}
		m.DensityL1[fmt.Sprintf("%g", f)] = d
	}
	return nil
}

// snapshots keeps the store's variables (weights and optimizer state) as they
// were before the last two steps.
type snapshots struct {
	store      *model.Store
	prev, last map[string]*tensors.Tensor
}

func newSnapshots(store *model.Store) *snapshots { return &snapshots{store: store} }

func (s *snapshots) save() error {
	cur := map[string]*tensors.Tensor{}
	for v := range s.store.IterVariables() {
		val, err := v.Value()
		if err != nil {
			return err
		}
		c, err := val.LocalClone()
		if err != nil {
			return err
		}
		cur[v.Path()] = c
	}
	s.prev, s.last = s.last, cur
	return nil
}

// restoreGood restores the variables to the last good state. When the
// failing step's loss was not finite (lossBad), it was computed on the
// weights saved before it (last), so the state is the one before the step
// before (prev), whose loss was finite; else it is last.
func (s *snapshots) restoreGood(lossBad bool) error {
	snap := s.last
	if lossBad && s.prev != nil {
		snap = s.prev
	}
	for v := range s.store.IterVariables() {
		if val, ok := snap[v.Path()]; ok {
			if err := v.SetValue(val); err != nil {
				return err
			}
		}
	}
	return nil
}
