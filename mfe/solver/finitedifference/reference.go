package finitedifference

import (
	"context"
	"fmt"
	"sync"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
)

// ReferenceProfile is the profile of the reference solution of a model
// without an exact one (Reference): at the capped model's reference case
// (A = 1) it is within 1e-3 of the memoir profile's in law-weighted
// relative L2 (TestCappedBinds), ten times below the learning methods'
// targets, in seconds.
const ReferenceProfile = mfe.Default

// Reference solves regime r of m at ReferenceProfile and returns its
// feedback as the reference the learning methods' controls are measured
// against (eval.ControlAgainst), named "finite-difference (default
// profile)". A solution whose fixed point did not converge is refused.
func Reference(ctx context.Context, m model.Model, r mfe.Regime) (eval.Reference, error) {
	return referenceAt(ctx, m, r, ReferenceProfile)
}

func referenceAt(ctx context.Context, m model.Model, r mfe.Regime, p mfe.Profile) (eval.Reference, error) {
	key := refKey{typ: fmt.Sprintf("%T", m), spec: m.Spec(), params: m.Params(), regime: r, profile: p}
	if ref, ok := references.get(key); ok {
		return ref, nil
	}
	ref, err := solveReference(ctx, m, r, p)
	if err == nil {
		references.put(key, ref)
	}
	return ref, err
}

func solveReference(ctx context.Context, m model.Model, r mfe.Regime, p mfe.Profile) (eval.Reference, error) {
	cfg, err := ProfileConfig(p)
	if err != nil {
		return eval.Reference{}, err
	}
	sol, err := Solve(ctx, m, r, cfg, nil)
	if err != nil {
		return eval.Reference{}, fmt.Errorf("finitedifference: the reference solution of the %s model's %s: %w", m.Spec(), r, err)
	}
	if !sol.Converged {
		return eval.Reference{}, fmt.Errorf("finitedifference: the reference solution of the %s model's %s did not converge: "+
			"the fixed point stopped after %d iterations at a change of %.2g, above its tolerance %.0e", m.Spec(), r, sol.Iterations, sol.Residual, cfg.Tol)
	}
	return eval.Reference{Name: fmt.Sprintf("%s (%s profile)", Method, p), Control: sol.Control(), Law: sol.Law}, nil
}

// references holds the last few reference solutions of this process, so
// that the runs that share one (a run's seeds, a reloaded run, several
// methods on one model) solve it once. A solution is read-only once
// solved. A model is told apart by its Go type, its Spec (which names its
// coefficients, as a run's key does) and its parameters.
var references refCache

// maxReferences bounds the cache: a solution at the reference profile's
// grids holds a few megabytes.
const maxReferences = 8

type refKey struct {
	typ     string
	spec    mfe.ModelSpec
	params  mfe.Params
	regime  mfe.Regime
	profile mfe.Profile
}

type refEntry struct {
	key refKey
	ref eval.Reference
}

// refCache is a small most-recently-used list.
type refCache struct {
	mu      sync.Mutex
	entries []refEntry // most recent first
}

func (c *refCache) get(k refKey) (eval.Reference, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == k {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = e
			return e.ref, true
		}
	}
	return eval.Reference{}, false
}

func (c *refCache) put(k refKey, ref eval.Reference) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = append([]refEntry{{k, ref}}, c.entries...)
	if len(c.entries) > maxReferences {
		c.entries = c.entries[:maxReferences]
	}
}
