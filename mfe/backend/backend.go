package backend

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // registers the pure Go backend "go".
)

// EnvVar is the environment variable that forces a backend configuration.
const EnvVar = compute.ConfigEnvVar // "GOMLX_BACKEND"

// Go is the name of the pure Go backend, the fallback that is always compiled in.
const Go = "go"

// XLA is the name of the XLA (PJRT) backend, available when compiled in (see package doc).
const XLA = "xla"

// xlaSupport is set by xla.go when XLA is compiled in.
var xlaSupport *xlaHooks

type xlaHooks struct {
	// plugins lists the usable PJRT plugins, preferred first (e.g. "cuda", "cpu").
	plugins func() []string
}

// XLACompiled reports whether XLA support is compiled into this binary.
func XLACompiled() bool { return xlaSupport != nil }

// Known lists the backend names compiled into this binary, sorted.
func Known() []string {
	names := compute.List()
	slices.Sort(names)
	return names
}

// Choice is the outcome of the selection logic, before any backend is created.
type Choice struct {
	// Config is what is passed to compute.NewWithConfig, e.g. "go" or "xla:cpu".
	Config string
	// Reason is a short human-readable justification, e.g. "GOMLX_BACKEND is set".
	Reason string
}

// Name returns the backend name of the choice: the part of Config before any ':'.
func (c Choice) Name() string {
	name, _, _ := strings.Cut(c.Config, ":")
	return name
}

// Choose applies the selection logic of the package documentation to the current
// environment and returns the configuration to use. It creates no backend and
// never downloads anything. It fails only when $GOMLX_BACKEND names an unknown backend.
// A Go backend's configuration comes with [GoParallelism] unless it sets a parallelism.
func Choose() (Choice, error) {
	c, err := choose()
	if err == nil && c.Name() == Go {
		c.Config = goConfig(c.Config)
	}
	return c, err
}

// choose is Choose before the Go backend's configuration is completed.
func choose() (Choice, error) {
	if cfg := strings.TrimSpace(os.Getenv(EnvVar)); cfg != "" {
		if err := checkConfig(cfg); err != nil {
			return Choice{}, err
		}
		return Choice{Config: cfg, Reason: fmt.Sprintf("$%s=%q", EnvVar, cfg)}, nil
	}
	if xlaSupport != nil {
		if plugins := xlaSupport.plugins(); len(plugins) > 0 {
			return Choice{
				Config: XLA + ":" + plugins[0],
				Reason: fmt.Sprintf("PJRT plugin %q installed (plugins: %s)", plugins[0], strings.Join(plugins, ", ")),
			}, nil
		}
		return Choice{Config: Go, Reason: "no PJRT plugin installed; XLA support is compiled in"}, nil
	}
	if found := FindPJRTPlugins(); len(found) > 0 {
		return Choice{Config: Go, Reason: fmt.Sprintf(
			"PJRT plugin found (%s) but XLA support is not compiled in (needs cgo, and no \"noxla\" tag)",
			found[0])}, nil
	}
	return Choice{Config: Go, Reason: "default (no PJRT plugin installed)"}, nil
}

// checkConfig verifies that the backend name of a "<name>[:<config>]" string is compiled in.
func checkConfig(cfg string) error {
	name, _, _ := strings.Cut(cfg, ":")
	known := Known()
	if slices.Contains(known, name) {
		return nil
	}
	hint := ""
	if name == XLA && xlaSupport == nil {
		hint = " (XLA support is not compiled in: it needs cgo, i.e. a C compiler, and no \"noxla\" build tag)"
	}
	return fmt.Errorf("backend: unknown backend %q in %s=%q%s; known backends: %s",
		name, EnvVar, cfg, hint, strings.Join(known, ", "))
}

// New creates a backend following [Choose] and returns it with its configuration
// string (e.g. "go", "xla:cpu"). If XLA was chosen automatically (not forced by
// $GOMLX_BACKEND) and fails to start, it falls back to the Go backend.
func New() (compute.Backend, string, error) {
	c, err := Choose()
	if err != nil {
		return nil, "", err
	}
	b, err := NewWithConfig(c.Config)
	if err != nil && strings.TrimSpace(os.Getenv(EnvVar)) == "" && c.Name() != Go {
		fmt.Fprintf(os.Stderr, "backend: %s failed (%v); falling back to %q\n", c.Config, err, Go)
		b, err = NewWithConfig(Go)
		return b, goConfig(Go), err
	}
	return b, c.Config, err
}

// NewWithConfig creates the backend for an explicit configuration "<name>[:<config>]",
// returning an error (never panicking) for an unknown name.
func NewWithConfig(cfg string) (b compute.Backend, err error) {
	if cfg == "" {
		cfg = Go
	}
	name, _, _ := strings.Cut(cfg, ":")
	if !slices.Contains(Known(), name) {
		return nil, fmt.Errorf("backend: unknown backend %q; known backends: %s", name, strings.Join(Known(), ", "))
	}
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("backend: creating %q: %v", cfg, r)
		}
	}()
	if name == Go {
		cfg = goConfig(cfg)
		withoutStdout(func() { b, err = compute.NewWithConfig(cfg) })
	} else {
		b, err = compute.NewWithConfig(cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("backend: creating %q: %w", cfg, err)
	}
	return b, nil
}

// GoParallelism is the worker-pool option that [NewWithConfig] gives the Go
// backend unless its configuration sets one: no limit on the pool's
// goroutines. With GoMLX's default limit (twice GOMAXPROCS) the graph's
// executors hold most of the pool's places while they wait for ready ops,
// and an op that splits its work (a matrix product, an element-wise pass
// over 1.28 million values) waits for another task to end before it
// starts its own: on 2 cores a memoir-size direct-MFC epoch took about as
// long as on one.
// An op still splits its work into as many parts as with the limit (the
// pool's adjusted parallelism is GOMAXPROCS either way), so results are
// the same to the last bit; package bench has the measurements.
const GoParallelism = "parallelism=-1"

// goConfig returns the Go backend's configuration cfg ("go" or
// "go:<options>") with [GoParallelism] added unless cfg sets a parallelism.
func goConfig(cfg string) string {
	_, opts, _ := strings.Cut(cfg, ":")
	for opt := range strings.SplitSeq(opts, ",") {
		if key, _, _ := strings.Cut(opt, "="); strings.TrimSpace(key) == "parallelism" {
			return cfg
		}
	}
	if strings.TrimSpace(opts) == "" {
		return Go + ":" + GoParallelism
	}
	return Go + ":" + opts + "," + GoParallelism
}

// withoutStdout runs f with os.Stdout sent to the null device (or as it
// is, if that cannot be opened): the Go backend prints a line on stdout
// when given a parallelism, which would mix with the output of mfe's
// commands (tables, JSON, a bench worker's report) and of the notebooks'
// cells. Backends are created at start-up, before anything else writes.
func withoutStdout(f func()) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		f()
		return
	}
	defer null.Close()
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	saved := os.Stdout
	os.Stdout = null
	defer func() { os.Stdout = saved }()
	f()
}

var stdoutMu sync.Mutex

var (
	defaultMu      sync.Mutex
	defaultDone    bool
	defaultBackend compute.Backend
	defaultConfig  string
	defaultErr     error
)

// Default returns the process-wide backend, created by [New] on first use and
// shared afterwards. It panics if the backend cannot be created (e.g. an unknown
// $GOMLX_BACKEND); use [DefaultErr] to get the error instead.
func Default() compute.Backend {
	b, err := DefaultErr()
	if err != nil {
		panic(err)
	}
	return b
}

// DefaultErr is [Default] returning the creation error instead of panicking.
func DefaultErr() (compute.Backend, error) {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	if !defaultDone {
		defaultBackend, defaultConfig, defaultErr = New()
		defaultDone = true
	}
	return defaultBackend, defaultErr
}

// Name returns the configuration of the backend in use (e.g. "go", "xla:cpu"):
// that of [Default] if it was already created, else the one [Choose] would pick,
// without creating anything. If the choice fails it returns "invalid: " and the error.
func Name() string {
	defaultMu.Lock()
	done, cfg, err := defaultDone, defaultConfig, defaultErr
	defaultMu.Unlock()
	if done && err == nil {
		return cfg
	}
	c, err := Choose()
	if err != nil {
		return "invalid: " + err.Error()
	}
	return c.Config
}

// Describe returns a one-line description of the choice, e.g.
// `backend "go" (default (no PJRT plugin installed))`.
func Describe() string {
	c, err := Choose()
	if err != nil {
		return "backend: " + err.Error()
	}
	return fmt.Sprintf("backend %q (%s)", c.Config, c.Reason)
}

// Log writes [Describe]'s line to w (os.Stderr if w is nil).
func Log(w io.Writer) {
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintln(w, Describe())
}

// Candidate is one backend configuration and whether it is there to use.
type Candidate struct {
	// Config is what [NewWithConfig] takes: "go", "xla:cpu", "xla:cuda", ...
	Config string
	// Found reports that the configuration can be asked for here: the Go
	// backend always, XLA when it is compiled in and the PJRT plugin of
	// that name is installed. Creating it may still fail (a CUDA plugin
	// without a GPU).
	Found bool
	// Note says why, e.g. "PJRT plugin installed" or how to install it.
	Note string
}

// Candidates lists the Go backend, then XLA's CPU and CUDA configurations
// and any other installed PJRT plugin, each with whether it is found and why.
// Like [Choose], it creates no backend and never downloads anything.
func Candidates() []Candidate {
	out := []Candidate{{Config: Go, Found: true, Note: "pure Go, always compiled in"}}
	if xlaSupport == nil {
		note := "XLA support is not compiled in (it needs cgo, i.e. a C compiler, and no \"noxla\" build tag)"
		if found := FindPJRTPlugins(); len(found) > 0 {
			note += "; PJRT plugin files found: " + strings.Join(found, ", ")
		}
		for _, p := range []string{"cpu", "cuda"} {
			out = append(out, Candidate{Config: XLA + ":" + p, Note: note})
		}
		return out
	}
	installed := xlaSupport.plugins()
	for _, p := range []string{"cpu", "cuda"} {
		c := Candidate{Config: XLA + ":" + p, Found: slices.Contains(installed, p)}
		if c.Found {
			c.Note = "PJRT plugin installed"
		} else {
			c.Note = fmt.Sprintf("no PJRT plugin %q installed (bash setup/install_xla.sh %s)", p, p)
		}
		out = append(out, c)
	}
	for _, p := range installed {
		if p != "cpu" && p != "cuda" {
			out = append(out, Candidate{Config: XLA + ":" + p, Found: true, Note: "PJRT plugin installed"})
		}
	}
	return out
}

// FindPJRTPlugins lists PJRT plugin files present in the directories where
// go-xla looks for them ($PJRT_PLUGIN_LIBRARY_PATH if set, else
// ~/.local/lib/go-xla, /usr/local/lib/go-xla, their nvidia/ subdirectories,
// the older gomlx/pjrt directories and $LD_LIBRARY_PATH). It only looks at
// file names: it does not load them. It works whether or not XLA is compiled in.
func FindPJRTPlugins() []string {
	var dirs []string
	if p, ok := os.LookupEnv("PJRT_PLUGIN_LIBRARY_PATH"); ok {
		for d := range strings.SplitSeq(p, ":") {
			if d != "" {
				dirs = append(dirs, d)
			}
		}
	} else {
		if home, err := os.UserHomeDir(); err == nil {
			d := filepath.Join(home, ".local", "lib", "go-xla")
			dirs = append(dirs, d, filepath.Join(d, "nvidia"), filepath.Join(home, ".local", "lib", "gomlx", "pjrt"))
		}
		dirs = append(dirs, "/usr/local/lib/go-xla", "/usr/local/lib/go-xla/nvidia", "/usr/local/lib/gomlx/pjrt")
		for d := range strings.SplitSeq(os.Getenv("LD_LIBRARY_PATH"), ":") {
			if filepath.IsAbs(d) {
				dirs = append(dirs, d)
			}
		}
	}
	var found []string
	for _, d := range dirs {
		for _, pat := range []string{"pjrt-plugin-*.so", "pjrt_plugin_*.so", "pjrt_c_api_*_plugin.so"} {
			m, _ := filepath.Glob(filepath.Join(d, pat))
			found = append(found, m...)
		}
	}
	return found
}
