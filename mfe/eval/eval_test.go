package eval

import (
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// TestGapMetrics: the final metrics carry the exploitability (MFG) or the
// social-cost gap (MFC) with its standard error; zero for the exact
// control, and the closed form of exact for a perturbed affine control
// within 3 standard errors plus 2e-3 of it (the time step's bias).
func TestGapMetrics(t *testing.T) {
	p := mfe.Reference()
	mfg := exact.AffineMFG(exact.MustMFG(p))
	mfc := exact.MustMFC(p)
	pert := mfg
	pert.K = func(t float64) float64 { return 1.05 * mfg.K(t) }
	pert.L = func(t float64) float64 { return mfg.L(t) + 0.02*math.Sin(4*t) }
	wantExpl, err := pert.Exploitability()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		r    mfe.Regime
		ctl  mfe.Control
		want float64
	}{
		{mfe.MFG, mfg.Control(), 0},
		{mfe.MFG, pert.Control(), wantExpl},
		{mfe.MFC, mfc.Control(), 0},
		{mfe.MFC, pert.Control(), pert.SocialCost() - mfc.Cost()},
	} {
		m, err := Control(t.Context(), p, c.r, c.ctl, Default)
		if err != nil {
			t.Fatal(err)
		}
		v, se := m.Gap()
		if v == nil || se == nil || (c.r == mfe.MFG) != (m.Exploitability != nil) || (c.r == mfe.MFC) != (m.SocialGapSE != nil) {
			t.Fatalf("%s: metrics %+v", c.r, m)
		}
		t.Logf("%s: %s, exact %.4g", c.r, m.GapText("%.4g"), c.want)
		if !(*v >= 0) || math.Abs(*v-c.want) > 3**se+2e-3*c.want+1e-20 {
			t.Errorf("%s: gap %v ± %v, exact %v", c.r, *v, *se, c.want)
		}
	}
}

// TestControlAgainst: measured against a reference that is the exact
// control, a control has the control_mse and control_rel of Control, bit
// for bit (the same particles), the reference's name and no other metric.
func TestControlAgainst(t *testing.T) {
	p := mfe.Reference()
	mfc := exact.MustMFC(p)
	c := mfe.ControlFunc(func(t, x float64) float64 { return 0.9 * x })
	cfg := Config{N: 500, NCost: 500, Steps: 20, Seed: 3}
	want, err := Control(t.Context(), p, mfe.MFC, c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ControlAgainst(t.Context(), p, c, Reference{Name: "exact, by another name", Control: mfc.Control()}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got.ControlMSE != want.ControlMSE || got.ControlRel != want.ControlRel || got.Reference != "exact, by another name" ||
		got.SocialGap != nil || got.Exploitability != nil || !(got.ControlRel > 0.1) {
		t.Errorf("against the exact control as a reference: %+v; Control: %+v", got, want)
	}
}
