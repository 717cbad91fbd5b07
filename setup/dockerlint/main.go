// Command dockerlint checks the repository's Dockerfile without a Docker
// engine: BuildKit's own parser and linter (the rules `docker build --check`
// applies while parsing), then this project's rules — a pinned base image,
// the toolchain environment, the image made by the setup/ scripts rather
// than by repeated steps, the notebook port, and COPY sources that exist.
//
//	cd setup/dockerlint && go run . ../../Dockerfile
//
// It prints one line per problem and exits 1 if there is any.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/sirupsen/logrus"
)

func main() {
	// BuildKit tries to resolve the base image's metadata and logs at info
	// level when it cannot (no registry here); the lint does not need it.
	logrus.SetLevel(logrus.WarnLevel)
	path := "Dockerfile"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	problems, err := lint(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dockerlint:", err)
		os.Exit(1)
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	fmt.Printf("dockerlint: %s: no problems\n", path)
}

func lint(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var problems []string
	for _, w := range res.Warnings {
		problems = append(problems, fmt.Sprintf("%s: parser: %s", path, w.Short))
	}
	lc := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		problems = append(problems, fmt.Sprintf("%s:%d: %s: %s", path, line, rule, msg))
	}})
	stages, metaArgs, err := instructions.Parse(res.AST, lc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dt, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lr, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
		SourceMap: &llb.SourceMap{Filename: path, Data: dt, Definition: &llb.Definition{}},
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, w := range lr.Warnings {
		line := 0
		if len(w.Location.Ranges) > 0 {
			line = int(w.Location.Ranges[0].Start.Line)
		}
		problems = append(problems, fmt.Sprintf("%s:%d: %s: %s", path, line, w.RuleName, w.Detail))
	}
	problems = append(problems, projectRules(path, stages, metaArgs)...)
	return problems, nil
}

// projectRules are this project's requirements on its image.
func projectRules(path string, stages []instructions.Stage, _ []instructions.ArgCommand) []string {
	var p []string
	bad := func(format string, a ...any) { p = append(p, path+": "+fmt.Sprintf(format, a...)) }
	if len(stages) == 0 {
		bad("no FROM")
		return p
	}
	root := filepath.Dir(path)
	env := map[string]string{}
	var runs, exposed []string
	for _, st := range stages {
		base := st.BaseName
		if !strings.Contains(base, ":") || strings.HasSuffix(base, ":latest") {
			bad("base image %q is not pinned to a tag", base)
		}
		for _, c := range st.Commands {
			switch c := c.(type) {
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					env[kv.Key] = kv.Value
				}
			case *instructions.RunCommand:
				runs = append(runs, strings.Join(c.CmdLine, " "))
			case *instructions.ExposeCommand:
				exposed = append(exposed, c.Ports...)
			case *instructions.CopyCommand:
				if c.From != "" {
					continue
				}
				for _, src := range c.SourcePaths {
					if _, err := os.Stat(filepath.Join(root, src)); err != nil {
						bad("COPY source %q does not exist", src)
					}
				}
			}
		}
	}
	for k, v := range map[string]string{"GOTOOLCHAIN": "go1.27.3", "GOEXPERIMENT": "simd"} {
		if env[k] != v {
			bad("ENV %s=%s missing (have %q)", k, v, env[k])
		}
	}
	all := strings.Join(runs, "\n")
	for _, script := range []string{"setup/install.sh", "setup/install_xla.sh"} {
		if !strings.Contains(all, script) {
			bad("no RUN calls %s (the image must be made by the setup/ scripts)", script)
		} else if _, err := os.Stat(filepath.Join(root, script)); err != nil {
			bad("RUN calls %s, which does not exist", script)
		}
	}
	for _, dup := range []string{"apt-get install", "gonb --install"} {
		if strings.Contains(all, dup) {
			bad("RUN repeats %q: call the setup/ scripts instead", dup)
		}
	}
	if !contains(exposed, "8888") {
		bad("EXPOSE 8888 missing (Jupyter's port)")
	}
	return p
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
