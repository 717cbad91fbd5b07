// Package importcheck lists what a package's source files import beyond
// the standard library, for the tests that keep the model-free learners
// model-free by their imports.
package importcheck

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// NonStandard returns, for each non-test Go file of the package in dir, the
// paths it imports that are not in the standard library (a path whose
// first element has a dot). A dir without Go files is an error.
func NonStandard(dir string) (map[string][]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			return nil, err
		}
		out[f] = nil
		for _, im := range af.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			if strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
				out[f] = append(out[f], path)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("importcheck: no Go files in %s", dir)
	}
	return out, nil
}
