package actorcritic

import (
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic/internal/learner"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl/mfgraph"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// Field is one of the learned functions of (t, z) evaluated by a compiled
// graph on a batch: the actor's mean alpha(t, x) (an mfe.Control), the
// critic v(t, x) (an mfe.ValueFunc) or the score S(t, a). It reads the
// current weights at every call, so it follows training; it is safe for
// sequential use.
type Field struct {
	net    *nettrain.NetControl
	fields *Fields // the run's fields, this one among them
}

func newField(be compute.Backend, store *model.Store, env mfgraph.Env, cfg Config, sc learner.Scales, f func(n *learner.Nets, t, z *Node) *Node) (*Field, error) {
	net, err := nettrain.NewNetControl(be, store, func(scope *model.Scope, t, z *Node) *Node {
		n := learner.NewNets(scope, z.Graph(), env, cfg.learner(), sc)
		size := z.Shape().Dim(0)
		return Reshape(f(n, Reshape(t, 1, 1), Reshape(z, 1, size)), size)
	})
	if err != nil {
		return nil, err
	}
	return &Field{net: net}, nil
}

// Eval sets out[i] to the field at (t, z[i]).
func (f *Field) Eval(t float64, z, out []float64) { f.net.Eval(t, z, out) }

// Fields are the three learned functions of a run.
type Fields struct {
	Control *Field // actor mean alpha(t, x)
	Value   *Field // critic v(t, x)
	Score   *Field // score S(t, a) of the population's action law
}

func newFields(be compute.Backend, store *model.Store, env mfgraph.Env, cfg Config, sc learner.Scales) (*Fields, error) {
	var fs Fields
	var err error
	if fs.Control, err = newField(be, store, env, cfg, sc, (*learner.Nets).Mean); err != nil {
		return nil, err
	}
	if fs.Value, err = newField(be, store, env, cfg, sc, (*learner.Nets).Value); err != nil {
		return nil, err
	}
	if fs.Score, err = newField(be, store, env, cfg, sc, (*learner.Nets).Score); err != nil {
		return nil, err
	}
	fs.Control.fields, fs.Value.fields, fs.Score.fields = &fs, &fs, &fs
	return &fs, nil
}

// FieldsOf returns the learned fields of a result of Train, nil for another
// result.
func FieldsOf(res *mfe.Result) *Fields {
	if res == nil {
		return nil
	}
	if c, ok := res.Control.(*Field); ok {
		return c.fields
	}
	return nil
}
