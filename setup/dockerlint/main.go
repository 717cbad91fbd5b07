// Command dockerlint checks the repository's Dockerfile without a Docker
// engine: BuildKit's own parser and linter (the rules `docker build --check`
// applies while parsing), then this project's rules — a pinned base image,
// the toolchain environment, the image made by the setup/ scripts rather
// than by repeated steps, a PJRT_PLUGIN build argument, the notebook port,
// COPY sources that exist, and a safe server: an unprivileged USER, and
// no CMD or ENV that turns Jupyter's token off or fixes it.
//
//	cd setup/dockerlint && go run . ../../Dockerfile
//
// It prints one line per problem and exits 1 if there is any. With -steps
// it prints instead, as JSON, the steps a build of the last stage runs (see
// steps.go), for setup/imagetest.sh to run them without Docker.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/sirupsen/logrus"
)

func init() {
	// BuildKit tries to resolve the base image's metadata and logs at info
	// level when it cannot (no registry here); the lint does not need it.
	logrus.SetLevel(logrus.WarnLevel)
}

func main() {
	steps := flag.Bool("steps", false, "print the build's steps as JSON instead of linting")
	var env, args multiFlag
	flag.Var(&env, "env", "with -steps: K=V of the base image's environment (repeatable)")
	flag.Var(&args, "build-arg", "with -steps: K=V, as docker build --build-arg (repeatable)")
	flag.Parse()
	path := "Dockerfile"
	if flag.NArg() > 0 {
		path = flag.Arg(0)
	}
	if *steps {
		if err := printSteps(os.Stdout, path, env, args); err != nil {
			fmt.Fprintln(os.Stderr, "dockerlint:", err)
			os.Exit(1)
		}
		return
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

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
