package backendtest

import (
	"strings"
	"testing"

	"github.com/gomlx/compute"
)

// TestEachRunsGo checks that the Go backend's subtest always runs, with the
// Go backend, and that the backend is shared between calls.
func TestEachRunsGo(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	var got []compute.Backend
	Each(t, func(t *testing.T, be compute.Backend) {
		if t.Name() == "TestEachRunsGo/go" {
			got = append(got, be)
		}
	})
	Each(t, func(t *testing.T, be compute.Backend) {
		if t.Name() == "TestEachRunsGo/go#01" {
			got = append(got, be)
		}
	})
	if len(got) != 2 || got[0] == nil || got[0] != got[1] {
		t.Fatalf("Go subtests got backends %v, want one shared backend twice", got)
	}
	if name := got[0].Name(); name != "Go Backend" {
		t.Fatalf("the \"go\" subtest ran on %q, want the Go backend", name)
	}
}

// TestEachOnly: $GOMLX_BACKEND keeps only the backend it names.
func TestEachOnly(t *testing.T) {
	for _, tc := range []struct{ env, want string }{{"", "go xla:cpu xla:cuda"}, {"go", "go"}, {"xla", "xla:cpu xla:cuda"}, {"xla:cuda", "xla:cuda"}} {
		var kept []string
		for _, c := range []string{"go", "xla:cpu", "xla:cuda"} {
			if keep(tc.env, c) {
				kept = append(kept, c)
			}
		}
		if got := strings.Join(kept, " "); got != tc.want {
			t.Errorf("GOMLX_BACKEND=%q keeps %q, want %q", tc.env, got, tc.want)
		}
	}
	t.Setenv("GOMLX_BACKEND", "xla:cpu")
	Each(t, func(t *testing.T, be compute.Backend) {
		if be.Name() == "Go Backend" {
			t.Error("GOMLX_BACKEND=xla:cpu: the Go backend's subtest ran")
		}
	})
}
