package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// buildScript is the script the image's RUN calls; it must call setupScripts.
const buildScript = "setup/image_build.sh"

var setupScripts = []string{"setup/install.sh", "setup/install_xla.sh"}

// projectRules are this project's requirements on its image.
func projectRules(path string, stages []instructions.Stage, metaArgs []instructions.ArgCommand) []string {
	var p []string
	bad := func(format string, a ...any) { p = append(p, path+": "+fmt.Sprintf(format, a...)) }
	if len(stages) == 0 {
		bad("no FROM")
		return p
	}
	root := filepath.Dir(path)
	env := map[string]string{}
	args := map[string]*string{}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			args[kv.Key] = kv.Value
		}
	}
	var runs, exposed []string
	var user string
	var cmd *instructions.CmdCommand
	for _, st := range stages {
		base := st.BaseName
		if !strings.Contains(base, ":") || strings.HasSuffix(base, ":latest") {
			bad("base image %q is not pinned to a tag", base)
		}
		user, cmd = "", nil // what a stage inherits from another is not checked
		for _, c := range st.Commands {
			switch c := c.(type) {
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					env[kv.Key] = kv.Value
				}
			case *instructions.ArgCommand:
				for _, kv := range c.Args {
					args[kv.Key] = kv.Value
				}
			case *instructions.RunCommand:
				runs = append(runs, strings.Join(c.CmdLine, " "))
			case *instructions.ExposeCommand:
				exposed = append(exposed, c.Ports...)
			case *instructions.UserCommand:
				user = c.User
			case *instructions.CmdCommand:
				cmd = c
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
	if !strings.Contains(all, buildScript) {
		bad("no RUN calls %s (the image must be made by the setup/ scripts)", buildScript)
	} else if script, err := os.ReadFile(filepath.Join(root, buildScript)); err != nil {
		bad("RUN calls %s, which does not exist", buildScript)
	} else {
		for _, s := range setupScripts {
			if !strings.Contains(string(script), s) {
				bad("%s does not call %s", buildScript, s)
			} else if _, err := os.Stat(filepath.Join(root, s)); err != nil {
				bad("%s calls %s, which does not exist", buildScript, s)
			}
		}
	}
	for _, dup := range []string{"apt-get install", "gonb --install"} {
		if strings.Contains(all, dup) {
			bad("RUN repeats %q: call the setup/ scripts instead", dup)
		}
	}
	if v, ok := args["PJRT_PLUGIN"]; !ok || v == nil || !slices.Contains([]string{"cpu", "cuda", "none"}, *v) {
		bad("ARG PJRT_PLUGIN with a default of cpu, cuda or none missing")
	}
	if !slices.Contains(exposed, "8888") {
		bad("EXPOSE 8888 missing (Jupyter's port)")
	}
	if u, _, _ := strings.Cut(user, ":"); u == "" || u == "root" || u == "0" {
		bad("the image runs as root: the last stage needs a USER that is not root (have %q)", user)
	}
	if _, ok := env["JUPYTER_TOKEN"]; ok {
		bad("ENV JUPYTER_TOKEN: a token written in the image is no secret (set it with docker run -e)")
	}
	if cmd == nil {
		bad("no CMD (the image serves the notebooks)")
	} else {
		for _, a := range cmd.CmdLine {
			for _, f := range strings.Fields(a) {
				k, v, hasValue := strings.Cut(strings.TrimLeft(f, "-"), "=")
				v = strings.Trim(v, `"'`)
				switch {
				case f == "--allow-root":
					bad("CMD runs Jupyter with --allow-root: run it as the image's USER")
				case hasValue && strings.HasSuffix(k, "App.token") && v == "":
					bad("CMD turns Jupyter's token off (%s): whoever reaches the port could run code", f)
				case hasValue && strings.HasSuffix(k, "App.token"):
					bad("CMD fixes Jupyter's token (%s): let Jupyter generate it or pass JUPYTER_TOKEN with docker run -e", f)
				case hasValue && strings.HasSuffix(k, "disable_check_xsrf") && v == "True":
					bad("CMD turns Jupyter's XSRF check off (%s)", f)
				}
			}
		}
	}
	return p
}
