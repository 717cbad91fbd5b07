package finitedifference

import (
	"context"
	"fmt"

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
