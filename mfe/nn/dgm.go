package nn

import (
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// DGMConfig describes a Deep Galerkin network (Sirignano & Spiliopoulos 2018):
// an input layer S_1 = act(x W_1 + b_1), then Layers LSTM-like layers
//
//	Z = act(x U_z + S W_z + b_z)    G = act(x U_g + S W_g + b_g)
//	R = act(x U_r + S W_r + b_r)    H = act(x U_h + (S ⊙ R) W_h + b_h)
//	S ← (1 - G) ⊙ H + Z ⊙ S
//
// and a linear output y = S W + b. Every product is a Dot and every bias an
// Add, so that second derivatives in x, and their gradients in the weights,
// work on every backend.
type DGMConfig struct {
	In         int          // input width, e.g. 2 for (t, x)
	Out        int          // output width; default 1
	Width      int          // width of the hidden state S; default 50
	Layers     int          // number of DGM layers; default 3
	Activation Activation   // default ActTanh
	DType      dtypes.DType // default Float32
}

// DGMDefaults returns cfg with its zero fields set to the defaults of the
// paper: width 50, 3 layers, tanh, one output, float32.
func DGMDefaults(cfg DGMConfig) DGMConfig {
	if cfg.Out == 0 {
		cfg.Out = 1
	}
	if cfg.Width == 0 {
		cfg.Width = 50
	}
	if cfg.Layers == 0 {
		cfg.Layers = 3
	}
	if cfg.Activation == "" {
		cfg.Activation = ActTanh
	}
	if cfg.DType == dtypes.InvalidDType {
		cfg.DType = dtypes.Float32
	}
	return cfg
}

// DGMLayer is one LSTM-like layer's weights: input maps U (from x, with the
// bias) and state maps W (no bias) for the gates z, g, r and the candidate h.
type DGMLayer struct {
	Uz, Ug, Ur, Uh Dense
	Wz, Wg, Wr, Wh *Node
}

// NewDGMLayer reads or creates one layer's variables in scope.
func NewDGMLayer(scope *model.Scope, g *Graph, in, width int, dtype dtypes.DType) DGMLayer {
	w := func(name string) *Node {
		return NewDense(scope.In("%s", name), g, width, width, dtype).W
	}
	return DGMLayer{
		Uz: NewDense(scope.In("uz"), g, in, width, dtype),
		Ug: NewDense(scope.In("ug"), g, in, width, dtype),
		Ur: NewDense(scope.In("ur"), g, in, width, dtype),
		Uh: NewDense(scope.In("uh"), g, in, width, dtype),
		Wz: w("wz"), Wg: w("wg"), Wr: w("wr"), Wh: w("wh"),
	}
}

// Apply returns the layer's new state for input x [batch, in] and state s [batch, width].
func (l DGMLayer) Apply(act Activation, x, s *Node) *Node {
	z := act.Apply(Add(l.Uz.Apply(x), Dot(s, l.Wz).Product()))
	gg := act.Apply(Add(l.Ug.Apply(x), Dot(s, l.Wg).Product()))
	r := act.Apply(Add(l.Ur.Apply(x), Dot(s, l.Wr).Product()))
	h := act.Apply(Add(l.Uh.Apply(x), Dot(Mul(s, r), l.Wh).Product()))
	one := ScalarOne(x.Graph(), x.DType())
	return Add(Mul(Sub(one, gg), h), Mul(z, s))
}

// DGM is a Deep Galerkin network's weights in one graph; build it once per
// graph and Apply it as many times as needed.
type DGM struct {
	Cfg    DGMConfig
	Input  Dense
	Layers []DGMLayer
	Output Dense
}

// NewDGM reads or creates the network's variables in scope (sub-scopes
// "input", "dgm_0", ..., "output") and returns their nodes for graph g.
func NewDGM(scope *model.Scope, g *Graph, cfg DGMConfig) *DGM {
	cfg = DGMDefaults(cfg)
	n := &DGM{Cfg: cfg}
	n.Input = NewDense(scope.In("input"), g, cfg.In, cfg.Width, cfg.DType)
	for i := range cfg.Layers {
		n.Layers = append(n.Layers, NewDGMLayer(scope.In("dgm_%d", i), g, cfg.In, cfg.Width, cfg.DType))
	}
	n.Output = NewDense(scope.In("output"), g, cfg.Width, cfg.Out, cfg.DType)
	return n
}

// Apply evaluates the network on x of shape [batch, In], returning [batch, Out].
func (n *DGM) Apply(x *Node) *Node {
	act := n.Cfg.Activation
	s := act.Apply(n.Input.Apply(x))
	for _, l := range n.Layers {
		s = l.Apply(act, x, s)
	}
	return n.Output.Apply(s)
}
