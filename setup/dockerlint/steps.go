package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// step is one thing a build of the Dockerfile's last stage does, in order:
// RUN (Argv in Workdir as User, with Env: the ENV so far and the ARGs in
// scope), COPY (Src of the build context to Dest), and last the CMD the
// container starts with (Env: the ENV only). Words are expanded as Docker
// expands them; a RUN's shell form is Argv ["/bin/sh", "-c", line].
type step struct {
	Op      string   `json:"op"`
	Argv    []string `json:"argv,omitempty"`
	Src     []string `json:"src,omitempty"`
	Dest    string   `json:"dest,omitempty"`
	Env     []string `json:"env,omitempty"`
	Workdir string   `json:"workdir"`
	User    string   `json:"user"`
	Line    int      `json:"line"`
}

// printSteps writes the steps of the Dockerfile at path as a JSON array,
// starting from the base image's environment baseEnv (K=V) with the build
// arguments buildArgs (K=V) given.
func printSteps(w io.Writer, file string, baseEnv, buildArgs []string) error {
	steps, err := buildSteps(file, baseEnv, buildArgs)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(steps)
}

// kvList is an ordered environment: later keys replace earlier ones in place.
type kvList []string

func (l *kvList) set(k, v string) {
	for i, kv := range *l {
		if key, _, _ := strings.Cut(kv, "="); key == k {
			(*l)[i] = k + "=" + v
			return
		}
	}
	*l = append(*l, k+"="+v)
}

func buildSteps(file string, baseEnv, buildArgs []string) ([]step, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	stages, _, err := instructions.Parse(res.AST, linter.New(&linter.Config{}))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("%s: no FROM", file)
	}
	given := map[string]string{}
	for _, kv := range buildArgs {
		k, v, _ := strings.Cut(kv, "=")
		given[k] = v
	}
	env := kvList(slices.Clone(baseEnv))
	var args kvList // the ARGs in scope, with their values
	workdir, user := "/", "root"
	lex := shell.NewLex(res.EscapeToken)
	expand := func(word string) (string, error) {
		// ENV takes precedence over ARG in expansions, as in Docker.
		all := append(slices.Clone([]string(args)), env...)
		s, _, err := lex.ProcessWord(word, shell.EnvsFromSlice(all))
		return s, err
	}
	var steps []step
	for _, c := range stages[len(stages)-1].Commands {
		line := 0
		if loc := c.Location(); len(loc) > 0 {
			line = loc[0].Start.Line
		}
		if e, ok := c.(instructions.SupportsSingleWordExpansion); ok {
			if err := e.Expand(expand); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", file, line, err)
			}
		}
		switch c := c.(type) {
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				v, ok := given[kv.Key]
				if !ok && kv.Value != nil {
					v = *kv.Value
				}
				args.set(kv.Key, v)
			}
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				env.set(kv.Key, kv.Value)
			}
		case *instructions.WorkdirCommand:
			workdir = path.Join(workdir, c.Path)
			if path.IsAbs(c.Path) {
				workdir = path.Clean(c.Path)
			}
		case *instructions.UserCommand:
			user = c.User
		case *instructions.CopyCommand:
			steps = append(steps, step{Op: "COPY", Src: c.SourcePaths, Dest: c.DestPath, Workdir: workdir, User: user, Line: line})
		case *instructions.RunCommand:
			all := slices.Clone([]string(args))
			for _, kv := range env {
				k, v, _ := strings.Cut(kv, "=")
				(*kvList)(&all).set(k, v)
			}
			steps = append(steps, step{Op: "RUN", Argv: argv(c.ShellDependantCmdLine), Env: all, Workdir: workdir, User: user, Line: line})
		case *instructions.CmdCommand:
			steps = slices.DeleteFunc(steps, func(s step) bool { return s.Op == "CMD" })
			steps = append(steps, step{Op: "CMD", Argv: argv(c.ShellDependantCmdLine), Line: line})
		case *instructions.ExposeCommand, *instructions.LabelCommand, *instructions.MaintainerCommand:
		default:
			return nil, fmt.Errorf("%s:%d: %s: not emulated", file, line, c.Name())
		}
	}
	// The CMD runs with the image's final ENV, as its last USER, in its last WORKDIR.
	for i := range steps {
		if steps[i].Op == "CMD" {
			steps[i].Env, steps[i].User, steps[i].Workdir = slices.Clone([]string(env)), user, workdir
		}
	}
	return steps, nil
}

func argv(c instructions.ShellDependantCmdLine) []string {
	if c.PrependShell {
		return []string{"/bin/sh", "-c", strings.Join(c.CmdLine, " ")}
	}
	return slices.Clone(c.CmdLine)
}
