package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRepositoryDockerfile(t *testing.T) {
	problems, err := lint("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("problems:\n%s", strings.Join(problems, "\n"))
	}
}

// good is a Dockerfile that passes every rule; each case below breaks one.
const good = `FROM golang:1.26-bookworm
ARG PJRT_PLUGIN=cpu
ENV GOTOOLCHAIN=go1.27.3 GOEXPERIMENT=simd
WORKDIR /mfe
COPY . .
RUN bash setup/image_build.sh "$PJRT_PLUGIN"
USER mfe
EXPOSE 8888
CMD ["jupyter", "notebook", "--ip=0.0.0.0", "--port=8888", "--no-browser"]
`

// lintText lints a Dockerfile in a directory holding the setup/ scripts.
func lintText(t *testing.T, text string) []string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "setup"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"Dockerfile":           text,
		"setup/image_build.sh": "bash setup/install_xla.sh\nbash setup/install.sh\n",
		"setup/install.sh":     "",
		"setup/install_xla.sh": "",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	problems, err := lint(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	return problems
}

func TestRules(t *testing.T) {
	if p := lintText(t, good); len(p) > 0 {
		t.Fatalf("the good Dockerfile has problems:\n%s", strings.Join(p, "\n"))
	}
	for _, tc := range []struct{ old, new, want string }{
		{"USER mfe\n", "", "runs as root"},
		{"USER mfe\n", "USER root\n", "runs as root"},
		{`"--no-browser"]`, `"--no-browser", "--NotebookApp.token="]`, "token off"},
		{`"--no-browser"]`, `"--no-browser", "--ServerApp.token=''"]`, "token off"},
		{`"--no-browser"]`, `"--no-browser", "--NotebookApp.token=abc"]`, "fixes Jupyter's token"},
		{`"--no-browser"]`, `"--no-browser", "--allow-root"]`, "--allow-root"},
		{"EXPOSE 8888\n", "EXPOSE 8888\nENV JUPYTER_TOKEN=x\n", "JUPYTER_TOKEN"},
		{"ARG PJRT_PLUGIN=cpu\n", "", "ARG PJRT_PLUGIN"},
		{"ARG PJRT_PLUGIN=cpu\n", "ARG PJRT_PLUGIN=tpu\n", "ARG PJRT_PLUGIN"},
		{`RUN bash setup/image_build.sh "$PJRT_PLUGIN"`, "RUN bash setup/install.sh", "no RUN calls setup/image_build.sh"},
		{"EXPOSE 8888\n", "", "EXPOSE 8888"},
		{"golang:1.26-bookworm", "golang", "not pinned"},
		{"GOEXPERIMENT=simd", "", "GOEXPERIMENT"},
	} {
		text := strings.Replace(good, tc.old, tc.new, 1)
		p := lintText(t, text)
		if !slices.ContainsFunc(p, func(s string) bool { return strings.Contains(s, tc.want) }) {
			t.Errorf("%q -> %q: problems %q, want one saying %q", tc.old, tc.new, p, tc.want)
		}
	}
}

func TestSteps(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(file, []byte(good+"ENV PATH=/x:$PATH\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{{nil, "PJRT_PLUGIN=cpu"}, {[]string{"PJRT_PLUGIN=none"}, "PJRT_PLUGIN=none"}} {
		steps, err := buildSteps(file, []string{"PATH=/bin"}, tc.args)
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, s := range steps {
			ops = append(ops, s.Op)
		}
		if strings.Join(ops, " ") != "COPY RUN CMD" {
			t.Fatalf("steps %v, want COPY RUN CMD", ops)
		}
		run, cmd := steps[1], steps[2]
		if !slices.Contains(run.Env, tc.want) || run.User != "root" || run.Workdir != "/mfe" ||
			strings.Join(run.Argv, " ") != `/bin/sh -c bash setup/image_build.sh "$PJRT_PLUGIN"` {
			t.Errorf("build args %v: RUN step %+v, want %s as root in /mfe", tc.args, run, tc.want)
		}
		if cmd.User != "mfe" || cmd.Argv[0] != "jupyter" || !slices.Contains(cmd.Env, "PATH=/x:/bin") || slices.ContainsFunc(cmd.Env, func(s string) bool { return strings.HasPrefix(s, "PJRT_PLUGIN=") }) {
			t.Errorf("CMD step %+v, want jupyter as mfe with the ENV (PATH expanded) and no ARG", cmd)
		}
	}
}
