package model

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
)

// TestNew: New builds the model a spec names and records it back; an
// unknown name, a cap that is not finite and positive, and a cap given to
// the LQ model are refused, naming what is wrong.
func TestNew(t *testing.T) {
	p := mfe.Reference()
	for _, s := range []mfe.ModelSpec{{}, {Name: "lq"}, {Name: "capped", AMax: 1}} {
		m, err := New(s, p)
		if err != nil {
			t.Fatalf("%v: %v", s, err)
		}
		if got := m.Spec(); got.Label() != s.Label() || got.AMax != s.AMax || m.Params() != p {
			t.Errorf("%v: New gives the model of spec %v, params %+v", s, got, m.Params())
		}
	}
	for _, tc := range []struct {
		s    mfe.ModelSpec
		want string
	}{
		{mfe.ModelSpec{Name: "quartic"}, "unknown model"},
		{mfe.ModelSpec{Name: "capped"}, "amax = 0"},
		{mfe.ModelSpec{Name: "capped", AMax: -1}, "amax = -1"},
		{mfe.ModelSpec{Name: "capped", AMax: math.NaN()}, "amax = NaN"},
		{mfe.ModelSpec{Name: "capped", AMax: math.Inf(1)}, "amax = +Inf"},
		{mfe.ModelSpec{Name: "lq", AMax: 2}, "only the capped model"},
	} {
		if _, err := New(tc.s, p); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one saying %q", tc.s, err, tc.want)
		}
	}
}

// TestCappedInfinite: with A = +Inf the capped model is the LQ model: the
// same control set, minimiser and costs at every point, and Bound leaves
// the network's output as it is.
func TestCappedInfinite(t *testing.T) {
	p := mfe.Reference()
	lq, capped := LQ{p}, Capped{LQ{p}, math.Inf(1)}
	lo, hi := capped.Controls()
	if l, h := lq.Controls(); lo != l || hi != h {
		t.Errorf("controls [%g, %g], want [%g, %g]", lo, hi, l, h)
	}
	for _, q := range []float64{-1e300, -250, -1, 0, 0.3, 7, 1e300} {
		if a, b := capped.Minimiser(0, 0.5, q, 0, 0), lq.Minimiser(0, 0.5, q, 0, 0); a != b {
			t.Errorf("q = %g: minimiser %g, LQ's %g", q, a, b)
		}
	}
	g := NewGraph(backend.Default(), "bound")
	z := Parameter(g, "z", shapes.Make(dtypes.Float64, 3))
	if Bound(capped, z) != z || Bound(lq, z) != z {
		t.Errorf("Bound changes the output of a network on the whole line")
	}
}

// TestGraphForms: the graph forms of LQ and Capped are their plain forms
// (to float64 rounding), and CheckGraph catches a model that embeds LQ but
// changes only its plain running cost.
func TestGraphForms(t *testing.T) {
	b := backend.Default()
	p := mfe.Reference()
	for _, m := range []Model{LQ{p}, Capped{LQ{p}, 1}, LQ{mfe.Params{T: 2, Sigma: 0.1, Gamma: 0.3, Ca: 0.2, CX: 5, Cg: 3, X0Mean: -1, X0Std: 0.5}}} {
		if err := CheckGraph(b, m, 1e-12); err != nil {
			t.Error(err)
		}
	}
	if err := CheckGraph(b, quartic{LQ{p}}, 1e-6); err == nil || !strings.Contains(err.Error(), "plain") {
		t.Errorf("a model whose graph is not its cost: CheckGraph says %v", err)
	}
	if err := CheckGraph(b, halfCap{Capped{LQ{p}, 1}}, 1e-6); err == nil || !strings.Contains(err.Error(), "minimiser") {
		t.Errorf("a model whose graph minimiser is not its minimiser: CheckGraph says %v", err)
	}
}

// halfCap changes Capped's plain minimiser (a cap at A/2) but not its graph
// form.
type halfCap struct{ Capped }

func (m halfCap) Minimiser(t, x, q, xbar, abar float64) float64 {
	return math.Max(-m.A/2, math.Min(m.A/2, m.Capped.Minimiser(t, x, q, xbar, abar)))
}

// quartic changes LQ's running cost but not its graph form.
type quartic struct{ LQ }

func (m quartic) Running(t, x, a, xbar, abar float64) float64 {
	return m.LQ.Running(t, x, a, xbar, abar) + x*x*x*x
}

// TestBound: the bounded output is z inside the control set and the
// nearest end outside it, on an interval, on both half-lines, and for the
// capped model whatever its cap.
func TestBound(t *testing.T) {
	p := mfe.Reference()
	zs := []float64{-1e3, -3, -1, -1e-3, 0, 1e-3, 0.5, 1, 3, 1e3}
	run := func(m Model) []float64 {
		t.Helper()
		out := MustExecOnce(backend.Default(), func(z *Node) *Node { return Bound(m, z) }, zs)
		return tensors.MustCopyFlatData[float64](out)
	}
	for _, m := range []Model{Capped{LQ{p}, 0.5}, Capped{LQ{p}, 1}, Capped{LQ{p}, 1e3},
		shifted{LQ{p}, 0.2, 0.8}, shifted{LQ{p}, -0.5, math.Inf(1)}, shifted{LQ{p}, math.Inf(-1), -0.5}} {
		lo, hi := m.Controls()
		got := run(m)
		for i, z := range zs {
			if want := math.Max(lo, math.Min(hi, z)); got[i] != want {
				t.Errorf("[%g, %g]: z = %g gives %g, want %g", lo, hi, z, got[i], want)
			}
		}
	}
}

// shifted is LQ with the control set [lo, hi].
type shifted struct {
	LQ
	lo, hi float64
}

func (m shifted) Controls() (float64, float64) { return m.lo, m.hi }

// TestMinimise: the generic minimiser finds the LQ minimiser -q/ca on the
// line, on a half-line and on an interval, inside and on the boundary, to
// 1e-7.
func TestMinimise(t *testing.T) {
	m := LQ{mfe.Reference()}
	inf := math.Inf(1)
	for _, tc := range []struct {
		q, lo, hi, want float64
	}{
		{1.3, -inf, inf, -1.3},
		{-250, -inf, inf, 250},
		{0, -inf, inf, 0},
		{1.3, -inf, 0.5, -1.3},
		{-4, -inf, 0.5, 0.5},
		{-4, 2, inf, 4},
		{4, 2, inf, 2},
		{0.2, -1, 1, -0.2},
		{3, -1, 1, -1},
	} {
		h := func(a float64) float64 { return a*tc.q + m.Running(0, 0.3, a, 0, 0) }
		if got := Minimise(h, tc.lo, tc.hi); math.Abs(got-tc.want) > 1e-7*(1+math.Abs(tc.want)) {
			t.Errorf("q = %g on [%g, %g]: %g, want %g", tc.q, tc.lo, tc.hi, got, tc.want)
		}
	}
}

// TestNumericPartials: the differences give LQ's closed-form partials to
// 1e-9.
func TestNumericPartials(t *testing.T) {
	m := LQ{mfe.Reference()}
	for _, pt := range [][5]float64{{0, 0.5, 1, 0.3, -0.2}, {0.7, -2, -3, 4, 10}} {
		dx, da := NumericPartials(m, pt[0], pt[1], pt[2], pt[3], pt[4])
		wx, wa := m.MeanPartials(pt[0], pt[1], pt[2], pt[3], pt[4])
		if math.Abs(dx-wx) > 1e-9 || math.Abs(da-wa) > 1e-9*(1+math.Abs(wa)) {
			t.Errorf("%v: (%g, %g), want (%g, %g)", pt, dx, da, wx, wa)
		}
	}
}

// terminalShift is a user's model: LQ with its terminal cost terminalShift by a
// coefficient, recorded in its spec.
type terminalShift struct {
	LQ
	c float64
}

func (m terminalShift) Spec() mfe.ModelSpec {
	return mfe.ModelSpec{Name: "test-shifted", Coeffs: fmt.Sprintf("c=%g", m.c)}
}

func (m terminalShift) Terminal(x float64) float64 { return m.LQ.Terminal(x) + m.c }

// TestRegister: New builds a registered user's model from its spec and the
// run's parameters, and refuses a maker whose model records another spec or
// other parameters, and a name that is not registered.
func TestRegister(t *testing.T) {
	p := mfe.Reference()
	s := mfe.ModelSpec{Name: "test-shifted", Coeffs: "c=2"}
	if _, err := New(s, p); err == nil {
		t.Error("New of an unregistered model")
	}
	if err := Register(s.Name, func(_ mfe.ModelSpec, p mfe.Params) (Model, error) { return terminalShift{LQ{p}, 2}, nil }); err != nil {
		t.Fatal(err)
	}
	m, err := New(s, p)
	if err != nil {
		t.Fatal(err)
	}
	if m.Terminal(1) != p.Cg/2+2 || m.Spec() != s {
		t.Errorf("New(%v) = %v", s, m.Spec())
	}
	if _, err := New(mfe.ModelSpec{Name: s.Name, Coeffs: "c=3"}, p); err == nil || !strings.Contains(err.Error(), "records itself") {
		t.Errorf("a maker that ignores the spec's coefficients: %v", err)
	}
	if err := Register(s.Name, func(_ mfe.ModelSpec, p mfe.Params) (Model, error) { return terminalShift{LQ{mfe.Reference()}, 2}, nil }); err != nil {
		t.Fatal(err)
	}
	q := p
	q.T = 2
	if _, err := New(s, q); err == nil || !strings.Contains(err.Error(), "parameters") {
		t.Errorf("a maker that ignores the run's parameters: %v", err)
	}
	if err := Register("lq", func(mfe.ModelSpec, mfe.Params) (Model, error) { return LQ{p}, nil }); err == nil {
		t.Error("Register(lq) accepted")
	}
}
