package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// TestAnalyticStrongImpact: `mfe analytic -gamma 1e20 -cx 0 -cg 0` exited 1
// with "json: unsupported value: NaN" (the MFG mean inventory cancelled to
// NaN); nobody trades there, so the mean inventory is x0-mean throughout,
// and the MFC, which blows up, is a note.
func TestAnalyticStrongImpact(t *testing.T) {
	code, out, errs := runCLI("analytic", "-gamma", "1e20", "-cx", "0", "-cg", "0")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var a analyticOutput
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	for i, m := range a.MFG.MeanX {
		if math.Abs(m-0.5) > 1e-14 || math.Abs(a.MFG.MeanAlpha[i]) > 1e-12 {
			t.Errorf("t = %v: mean_x %v, mean_alpha %v; want 0.5, 0", a.T[i], m, a.MFG.MeanAlpha[i])
		}
	}
	if a.MFC != nil || len(a.Notes) != 1 || !strings.Contains(a.Notes[0], "no solution") {
		t.Errorf("MFC %v, notes %q; want the blow-up's note", a.MFC, a.Notes)
	}
}

// TestAnalyticNonFinite: a value beyond float64's range is named, in the
// MFG (mfe analytic refuses, exit 1) and in the MFC (left out with a note).
func TestAnalyticNonFinite(t *testing.T) {
	p := mfe.Reference()
	out, err := analyticSolution(p, 2, []float64{0, 1})
	if err != nil || out.nonFinite() != "" || out.MFC == nil || out.MFC.nonFinite(out.T, out.X) != "" {
		t.Fatalf("reference: %v, %v", out, err)
	}
	out.MFG.Value[1][1] = math.Inf(1)
	if got, want := out.nonFinite(), "value(t = 0.5, x = 1) = +Inf"; got != want {
		t.Errorf("nonFinite() = %q, want %q", got, want)
	}
	out.MFG.Value[1][1] = 0
	out.MFG.VarX[2] = math.NaN()
	if got, want := out.nonFinite(), "var_x(t = 1) = NaN"; got != want {
		t.Errorf("nonFinite() = %q, want %q", got, want)
	}
	out.MFC.MeanX[0] = math.Inf(-1)
	if got, want := out.MFC.nonFinite(out.T, out.X), "mean_x(t = 0) = -Inf"; got != want {
		t.Errorf("MFC nonFinite() = %q, want %q", got, want)
	}
}
