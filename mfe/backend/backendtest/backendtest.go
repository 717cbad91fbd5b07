// Package backendtest runs a test on every backend found here, so that the
// same assertions hold for the Go backend (always) and for XLA wherever a
// PJRT plugin is installed:
//
//	func TestSomething(t *testing.T) {
//		backendtest.Each(t, func(t *testing.T, be compute.Backend) { ... })
//	}
//
// Each candidate of [backend.Candidates] is a subtest named by its
// configuration ("go", "xla:cpu", "xla:cuda"); one not found here is skipped
// with the reason (XLA not compiled in, or its plugin not installed), and one
// found but failing to start fails. $GOMLX_BACKEND, when set, keeps only the
// backend it names ("go", "xla:cpu"; "xla" keeps every XLA plugin). The
// backends are created once per test binary and shared.
package backendtest

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/gomlx/compute"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
)

var (
	mu      sync.Mutex
	created = map[string]compute.Backend{}
)

// Get returns the shared backend of configuration cfg, creating it on first use.
func Get(cfg string) (compute.Backend, error) {
	mu.Lock()
	defer mu.Unlock()
	if b, ok := created[cfg]; ok {
		return b, nil
	}
	b, err := backend.NewWithConfig(cfg)
	if err != nil {
		return nil, err
	}
	created[cfg] = b
	return b, nil
}

// Each runs f in one subtest per backend candidate, as described in the
// package documentation.
func Each(t *testing.T, f func(t *testing.T, be compute.Backend)) {
	t.Helper()
	only := strings.TrimSpace(os.Getenv(backend.EnvVar))
	for _, c := range backend.Candidates() {
		t.Run(c.Config, func(t *testing.T) {
			if !keep(only, c.Config) {
				t.Skipf("backend %s left out: $%s=%q", c.Config, backend.EnvVar, only)
			}
			if !c.Found {
				t.Skipf("backend %s not available: %s", c.Config, c.Note)
			}
			be, err := Get(c.Config)
			if err != nil {
				t.Fatalf("backend %s (%s) does not start: %v", c.Config, c.Note, err)
			}
			f(t, be)
		})
	}
}

// keep reports whether $GOMLX_BACKEND = only keeps configuration cfg.
func keep(only, cfg string) bool {
	name, _, _ := strings.Cut(cfg, ":")
	return only == "" || only == cfg || only == name
}
