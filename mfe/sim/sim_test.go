package sim

import (
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

var paramSets = map[string]mfe.Params{
	"reference":     mfe.Reference(),
	"deterministic": {T: 1, Sigma: 0, Gamma: 1.75, Ca: 1, CX: 2, Cg: 0.3, X0Mean: 0.5, X0Std: 0},
	"other":         {T: 2, Sigma: 0.8, Gamma: 0.5, Ca: 0.5, CX: 1, Cg: 1, X0Mean: -1, X0Std: 0.4},
}

// TestParticlesReproduceLaw: particles under alpha* have the exact mean and
// variance of X_t. The tolerance is 4 Monte-Carlo standard errors plus the
// Euler scheme's weak error, bounded by 2 dt times the quantity's scale.
func TestParticlesReproduceLaw(t *testing.T) {
	for name, p := range paramSets {
		t.Run(name, func(t *testing.T) {
			m := exact.MustMFG(p)
			s := Sim{P: p, N: 100000, Steps: 1000, Seed: 1}
			r, err := s.Run(t.Context(), m.Control(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			dt := p.T / float64(s.Steps)
			for i := 0; i <= s.Steps; i += 100 {
				law := m.LawX(r.T[i])
				se := math.Sqrt(law.Var / float64(s.N))
				if d := math.Abs(r.MeanX[i] - law.Mean); d > 4*se+2*dt*(1+math.Abs(law.Mean)) {
					t.Errorf("t=%v: mean %v, exact %v", r.T[i], r.MeanX[i], law.Mean)
				}
				seVar := law.Var * math.Sqrt(2/float64(s.N))
				if d := math.Abs(r.VarX[i] - law.Var); d > 4*seVar+2*dt*(1+law.Var) {
					t.Errorf("t=%v: variance %v, exact %v", r.T[i], r.VarX[i], law.Var)
				}
			}
			// The cost under its own flow is the equilibrium cost.
			if d := math.Abs(r.Cost - m.Cost()); d > 0.01*(1+math.Abs(m.Cost())) {
				t.Errorf("particle cost %v, exact %v", r.Cost, m.Cost())
			}
		})
	}
}

func TestSeedReproducible(t *testing.T) {
	s := Sim{P: mfe.Reference(), N: 100, Steps: 10, Seed: 7}
	c := exact.MustMFG(s.P).Control()
	a, _ := s.Run(t.Context(), c, Options{})
	b, _ := s.Run(t.Context(), c, Options{})
	if a.Cost != b.Cost || a.MeanX[10] != b.MeanX[10] {
		t.Fatal("the same seed gave different runs")
	}
	s.Seed = 8
	d, _ := s.Run(t.Context(), c, Options{})
	if d.Cost == a.Cost {
		t.Fatal("different seeds gave the same run")
	}
}

func TestControlError(t *testing.T) {
	p := mfe.Reference()
	m := exact.MustMFG(p)
	s := Sim{P: p, N: 2000, Steps: 50, Seed: 3}
	e, err := s.ControlError(t.Context(), m.Control(), m.Control())
	if err != nil {
		t.Fatal(err)
	}
	if e.MSE != 0 || e.Rel != 0 {
		t.Fatalf("exact against itself: %+v", e)
	}
	const eps = 0.1
	shifted := mfe.ControlFunc(func(t, x float64) float64 { return m.Alpha(t, x) + eps })
	e, err = s.ControlError(t.Context(), shifted, m.Control())
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(e.MSE-eps*eps) > 1e-12 {
		t.Fatalf("offset %v: control_mse = %v, want %v", eps, e.MSE, eps*eps)
	}
	if len(e.PerTime) != s.Steps+1 {
		t.Fatalf("per-time MSE has %d values", len(e.PerTime))
	}
}

func TestInvalid(t *testing.T) {
	c := exact.MustMFG(mfe.Reference()).Control()
	for _, s := range []Sim{
		{P: mfe.Reference(), N: 0, Steps: 10},
		{P: mfe.Reference(), N: 10, Steps: 0},
		{P: mfe.Params{T: -1, Ca: 1}, N: 10, Steps: 10},
	} {
		if _, err := s.Run(t.Context(), c, Options{}); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
	s := Sim{P: mfe.Reference(), N: 10, Steps: 10}
	if _, err := s.Run(t.Context(), c, Options{Flow: []float64{1}}); err == nil {
		t.Error("short flow accepted")
	}
	blow := mfe.ControlFunc(func(t, x float64) float64 { return math.Inf(1) })
	if _, err := s.Run(t.Context(), blow, Options{}); err == nil {
		t.Error("non-finite control accepted")
	}
}
