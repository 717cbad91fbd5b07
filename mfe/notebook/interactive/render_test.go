package interactive

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
)

func TestExactViewReference(t *testing.T) {
	p := mfe.Reference()
	ex, err := ExactView(p, Both)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Notes) != 0 {
		t.Errorf("notes at the reference parameters: %q", ex.Notes)
	}
	if got := len(ex.Figure.Plots) * len(ex.Figure.Plots[0]); got != 4 {
		t.Errorf("%d panels, want 4", got)
	}
	// Costs: the MFC optimum is below the social cost of the MFG equilibrium,
	// so the price of anarchy (their ratio) is above 1 and their gap positive.
	if len(ex.Costs) != 5 {
		t.Fatalf("costs %q", ex.Costs)
	}
	if poa, err := strconv.ParseFloat(ex.Costs[3][1], 64); err != nil || poa <= 1 {
		t.Errorf("price of anarchy %s, want > 1", ex.Costs[3][1])
	}
	if strings.HasPrefix(ex.Costs[4][1], "-") {
		t.Errorf("negative excess social cost %s", ex.Costs[4][1])
	}
	if _, err := figure.PNG(ex.Figure, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := figure.CheckText(ex.Figure); err != nil {
		t.Error(err)
	}
}

func TestExactViewInvalid(t *testing.T) {
	p := mfe.Reference()
	p.Ca = 0
	_, err := ExactView(p, Both)
	var pe *mfe.ParamError
	if !errors.As(err, &pe) || pe.Name != "ca" {
		t.Fatalf("ca = 0: got %v, want a ParamError naming ca", err)
	}
}

func TestExactViewMFCBlowUp(t *testing.T) {
	// gamma > cg + sqrt(cx ca) with a long horizon: the planner's Riccati
	// equation blows up, the MFG still exists.
	p := mfe.Reference()
	p.Gamma, p.T = 4, 3
	ex, err := ExactView(p, Both)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Notes) != 1 || !strings.Contains(ex.Notes[0], "MFC") {
		t.Fatalf("notes %q, want one about the MFC", ex.Notes)
	}
	if len(ex.Costs) != 1 {
		t.Errorf("costs %q, want the MFG's alone", ex.Costs)
	}
	if _, err := ExactView(p, MFCOnly); err == nil || !strings.Contains(err.Error(), "no solution") {
		t.Fatalf("MFC alone: got %v, want 'no solution'", err)
	}
}

func TestExactViewDeterministic(t *testing.T) {
	p := mfe.Reference()
	p.Sigma, p.X0Std = 0, 0
	ex, err := ExactView(p, MFGOnly)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Notes) == 0 {
		t.Fatal("no note about the missing densities")
	}
	if _, err := figure.PNG(ex.Figure, 0, 0); err != nil {
		t.Fatal(err)
	}
}

func TestSpecs(t *testing.T) {
	ref := mfe.Reference()
	names := map[string]bool{}
	for _, s := range Specs() {
		names[s.Name] = true
		v := s.Get(ref)
		if v < s.Min || v > s.Max {
			t.Errorf("%s: reference value %v outside [%v, %v]", s.Name, v, s.Min, s.Max)
		}
		q := ref
		s.Set(&q, s.Max)
		if s.Get(q) != s.Max {
			t.Errorf("%s: Set/Get disagree", s.Name)
		}
	}
	if len(names) != 8 {
		t.Fatalf("%d distinct parameters, want 8", len(names))
	}
	p := ref
	if !Apply(&p, Specs(), "gamma", 99) || p.Gamma != 4 {
		t.Errorf("Apply clamps to the slider range: gamma = %v", p.Gamma)
	}
	if Apply(&p, Specs(), "nope", 1) {
		t.Error("Apply accepted an unknown name")
	}
	if Format(0.1+0.2) != "0.3" {
		t.Errorf("Format(0.1+0.2) = %s", Format(0.1+0.2))
	}
}
