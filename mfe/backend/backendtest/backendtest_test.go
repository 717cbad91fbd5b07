package backendtest

import (
	"testing"

	"github.com/gomlx/compute"
)

// TestEachRunsGo checks that the Go backend's subtest always runs, with the
// Go backend, and that the backend is shared between calls.
func TestEachRunsGo(t *testing.T) {
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
