package backend

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// withXLA replaces the compiled-in XLA hooks for one test.
func withXLA(t *testing.T, h *xlaHooks) {
	t.Helper()
	saved := xlaSupport
	xlaSupport = h
	t.Cleanup(func() { xlaSupport = saved })
}

func TestChooseEnvSet(t *testing.T) {
	t.Setenv(EnvVar, "go")
	c, err := Choose()
	if err != nil {
		t.Fatal(err)
	}
	want := "go:" + GoParallelism
	if c.Config != want || c.Name() != "go" || !strings.Contains(c.Reason, EnvVar) {
		t.Fatalf("got %+v, want config %q chosen because of %s", c, want, EnvVar)
	}
	if got := Name(); got != want {
		t.Fatalf("Name() = %q, want %q", got, want)
	}
	t.Setenv(EnvVar, "go:parallelism=3")
	if c, _ := Choose(); c.Config != "go:parallelism=3" {
		t.Fatalf("got %+v, want the parallelism given", c)
	}
}

func TestChooseEnvUnknown(t *testing.T) {
	t.Setenv(EnvVar, "bogus:thing")
	_, err := Choose()
	if err == nil {
		t.Fatal("want an error for an unknown backend")
	}
	for _, want := range []string{`"bogus"`, "known backends", "go"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, _, err := New(); err == nil {
		t.Fatal("New: want an error for an unknown backend")
	}
	if got := Name(); !strings.HasPrefix(got, "invalid: ") {
		t.Fatalf("Name() = %q, want it to start with \"invalid: \"", got)
	}
}

func TestChooseEnvXLANotCompiled(t *testing.T) {
	if XLACompiled() {
		t.Skip("XLA is compiled in")
	}
	t.Setenv(EnvVar, "xla:cpu")
	_, err := Choose()
	if err == nil || !strings.Contains(err.Error(), "not compiled in") {
		t.Fatalf("want a 'not compiled in' error, got %v", err)
	}
}

func TestChooseUnsetNoPlugins(t *testing.T) {
	t.Setenv(EnvVar, "")
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", t.TempDir())
	withXLA(t, &xlaHooks{plugins: func() []string { return nil }})
	c, err := Choose()
	if err != nil {
		t.Fatal(err)
	}
	if c.Config != goConfig(Go) {
		t.Fatalf("got %+v, want the Go backend", c)
	}
	withXLA(t, nil)
	if c, _ = Choose(); c.Config != goConfig(Go) {
		t.Fatalf("XLA not compiled in: got %+v, want the Go backend", c)
	}
}

func TestChooseUnsetWithPlugins(t *testing.T) {
	os.Unsetenv(EnvVar) // t.Setenv restores it afterwards.
	t.Setenv(EnvVar, "")
	withXLA(t, &xlaHooks{plugins: func() []string { return []string{"cuda", "cpu"} }})
	c, err := Choose()
	if err != nil {
		t.Fatal(err)
	}
	if c.Config != "xla:cuda" || c.Name() != XLA {
		t.Fatalf("got %+v, want xla:cuda", c)
	}
}

func TestPluginFileWithoutXLA(t *testing.T) {
	dir := t.TempDir()
	plugin := filepath.Join(dir, "pjrt_c_api_cpu_plugin.so")
	if err := os.WriteFile(plugin, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", dir)
	t.Setenv(EnvVar, "")
	if got := FindPJRTPlugins(); len(got) != 1 || got[0] != plugin {
		t.Fatalf("FindPJRTPlugins() = %v, want [%s]", got, plugin)
	}
	withXLA(t, nil)
	c, err := Choose()
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != Go || !strings.Contains(c.Reason, "not compiled in") {
		t.Fatalf("got %+v, want Go with a 'not compiled in' note", c)
	}
}

func TestNewGo(t *testing.T) {
	t.Setenv(EnvVar, "go")
	b, cfg, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Finalize()
	if cfg != "go:"+GoParallelism || b == nil {
		t.Fatalf("New() = backend %v, config %q; want the Go backend", b, cfg)
	}
	if !strings.Contains(Describe(), `"go"`) {
		t.Fatalf("Describe() = %q", Describe())
	}
}

func TestNewWithConfigUnknown(t *testing.T) {
	if _, err := NewWithConfig("nope"); err == nil || !strings.Contains(err.Error(), "known backends") {
		t.Fatalf("want an unknown-backend error, got %v", err)
	}
}

func TestForcedXLAWithoutPluginDoesNotPanic(t *testing.T) {
	if !XLACompiled() {
		t.Skip("XLA is not compiled in")
	}
	if len(xlaSupport.plugins()) > 0 {
		t.Skip("a PJRT plugin is installed here")
	}
	b, err := NewWithConfig("xla:cpu")
	if err == nil {
		b.Finalize()
		t.Fatal("want an error: no PJRT plugin is installed")
	}
}

func TestDefaultIsShared(t *testing.T) {
	t.Setenv(EnvVar, "go")
	b1, err := DefaultErr()
	if err != nil {
		t.Fatal(err)
	}
	if b2 := Default(); b1 != b2 {
		t.Fatal("Default() returned two different backends")
	}
	if Name() != "go:"+GoParallelism {
		t.Fatalf("Name() = %q after Default()", Name())
	}
}

func TestCandidates(t *testing.T) {
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", t.TempDir())
	configs := func(cs []Candidate) (found, missing []string) {
		for _, c := range cs {
			if c.Note == "" {
				t.Errorf("%s: no note", c.Config)
			}
			if c.Found {
				found = append(found, c.Config)
			} else {
				missing = append(missing, c.Config)
			}
		}
		return found, missing
	}
	withXLA(t, &xlaHooks{plugins: func() []string { return []string{"cuda", "rocm"} }})
	found, missing := configs(Candidates())
	if strings.Join(found, " ") != "go xla:cuda xla:rocm" || strings.Join(missing, " ") != "xla:cpu" {
		t.Errorf("plugins cuda and rocm: found %v, missing %v", found, missing)
	}
	if c := Candidates()[1]; !strings.Contains(c.Note, "install_xla.sh cpu") {
		t.Errorf("missing CPU plugin: note %q does not say how to install it", c.Note)
	}
	withXLA(t, nil)
	found, missing = configs(Candidates())
	if strings.Join(found, " ") != "go" || strings.Join(missing, " ") != "xla:cpu xla:cuda" {
		t.Errorf("XLA not compiled in: found %v, missing %v", found, missing)
	}
	if c := Candidates()[1]; !strings.Contains(c.Note, "not compiled in") {
		t.Errorf("XLA not compiled in: note %q", c.Note)
	}
}

func TestGoConfig(t *testing.T) {
	for cfg, want := range map[string]string{
		"go":                      "go:" + GoParallelism,
		"go:":                     "go:" + GoParallelism,
		"go:ops_sequential":       "go:ops_sequential," + GoParallelism,
		"go:parallelism=4":        "go:parallelism=4",
		"go:no_ops,parallelism=2": "go:no_ops,parallelism=2",
	} {
		if got := goConfig(cfg); got != want {
			t.Errorf("goConfig(%q) = %q, want %q", cfg, got, want)
		}
	}
}

// TestNewGoQuiet checks that the Go backend gets the unlimited pool and
// that creating it writes nothing on stdout (GoMLX prints the parallelism
// it is given there).
func TestNewGoQuiet(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = w
	b, err := NewWithConfig(Go)
	os.Stdout = saved
	w.Close()
	out, _ := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Finalize()
	if len(out) > 0 {
		t.Errorf("creating the Go backend wrote %q on stdout", out)
	}
	if d := b.Description(); !strings.Contains(d, "parallelism=-1") {
		t.Errorf("Description() = %q, want the unlimited pool (parallelism=-1)", d)
	}
}
