package mfe

import (
	"errors"
	"math"
	"testing"
)

func TestValidate(t *testing.T) {
	if err := Reference().Validate(); err != nil {
		t.Fatalf("reference parameters: %v", err)
	}
	edge := Reference()
	edge.Ca, edge.T, edge.X0Mean, edge.Sigma = MinCa, MaxParam, -MaxParam, 0
	if err := edge.Validate(); err != nil {
		t.Errorf("parameters at the bounds: %v", err)
	}
	for name, mod := range map[string]func(*Params){
		"T":       func(p *Params) { p.T = 0 },
		"sigma":   func(p *Params) { p.Sigma = -1 },
		"gamma":   func(p *Params) { p.Gamma = math.Inf(1) },
		"ca":      func(p *Params) { p.Ca = 1e-21 },
		"cx":      func(p *Params) { p.CX = 2e20 },
		"cg":      func(p *Params) { p.Cg = math.NaN() },
		"x0-mean": func(p *Params) { p.X0Mean = -1e21 },
		"x0-std":  func(p *Params) { p.X0Std = 1e300 },
	} {
		p := Reference()
		mod(&p)
		var pe *ParamError
		if err := p.Validate(); !errors.As(err, &pe) || pe.Name != name {
			t.Errorf("%s: Validate() = %v, want a ParamError naming %s", name, err, name)
		}
	}
}
