// Package nn holds the small networks of the solvers, built only from Dot,
// Add and elementwise activations so that derivatives of derivatives work on
// every backend (GoMLX's fused dense op has no second-order gradient on the
// Go backend).
//
// A network is created once per graph from a model.Scope: New* reads (or
// creates) the variables and returns their nodes, and Apply can then be
// called many times in the same graph with shared weights, as a time-stepping
// rollout needs:
//
//	net := nn.NewMLP(scope.In("control"), g, nn.MLPConfig{In: 2, Hidden: []int{128, 128, 128}, Out: 1})
//	for i := range steps {
//		a := net.Apply(Concatenate([]*Node{t[i], x}, -1))
//		...
//	}
//
// MLP.ApplyCols evaluates the same network feature-major, on x of shape
// [In, batch] (one column per sample), from the same variables: on GoMLX's
// Go backend its gradients need no materialised transposes of the
// activations, where Apply's weight gradients need two per layer
// (DenseCols says why). The FBSDE's rollout runs on particle rows [1, N]
// with it. Its input gradient is a custom one (DenseCols.Apply), checked
// against Apply's to first and second order (TestApplyCols,
// TestApplyColsSecondOrder).
package nn
