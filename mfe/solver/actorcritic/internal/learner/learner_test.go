package learner

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
		imports:
			for _, im := range af.Imports {
				path, _ := strconv.Unquote(im.Path.Value)
				if !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") || strings.HasPrefix(path, "github.com/gomlx/") {
					continue
				}
				for _, ok := range own {
					if path == ok {
						continue imports
					}
				}
				t.Errorf("%s imports %s: the learner sees the model only through an mfgraph.Env", f, path)
			}
		}
	}
}
