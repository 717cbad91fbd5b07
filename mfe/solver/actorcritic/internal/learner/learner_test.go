package learner

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/importcheck"
)

const (
	module      = "github.com/mf-optimal-execution/mf-optimal-execution/"
	mfgraphPath = module + "mfe/solver/internal/mfrl/mfgraph"
	nnPath      = module + "mfe/nn"
)

// TestModelFree: the learner's package imports the standard library, GoMLX,
// package nn (networks) and package mfgraph (the contract) only, and those
// two import the standard library and GoMLX only, so that no parameter of
// the model and nothing of its exact solution can reach the learner but
// through an mfgraph.Env (or what its Config is told).
func TestModelFree(t *testing.T) {
	allowed := map[string][]string{
		".": {mfgraphPath, nnPath},
		filepath.Join("..", "..", "..", "internal", "mfrl", "mfgraph"): nil,
		filepath.Join("..", "..", "..", "..", "nn"):                    nil,
	}
	for dir, own := range allowed {
		imports, err := importcheck.NonStandard(dir)
		if err != nil {
			t.Fatal(err)
		}
		for f, paths := range imports {
			for _, path := range paths {
				if !strings.HasPrefix(path, "github.com/gomlx/") && !slices.Contains(own, path) {
					t.Errorf("%s imports %s: the learner sees the model only through an mfgraph.Env", f, path)
				}
			}
		}
	}
}
