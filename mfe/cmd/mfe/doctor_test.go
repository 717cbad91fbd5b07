package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
)

// TestMain lets the doctor re-execute the test binary as its worker.
func TestMain(m *testing.M) {
	if os.Getenv(doctorWorkerEnv) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestDoctorGo runs the doctor on the Go backend with a second Go run as
// the backend compared: the backends' table, the choice, a reference row
// per method, Q-learning marked backend-independent, and the second run's
// control, from the first run's weights, equal to the first's.
func TestDoctorGo(t *testing.T) {
	t.Setenv(backend.EnvVar, "")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"doctor", "-steps", "2", "-method", "actor-critic,q-learning", "-backend", "go"}, &out, &errb)
	t.Logf("stdout:\n%s", out.String())
	if code != 0 {
		t.Fatalf("exit status %d, stderr:\n%s", code, errb.String())
	}
	for _, want := range []string{
		`(?m)^  go +found +pure Go`,
		`(?m)^  xla:cpu +(not )?found `,
		`(?m)^chosen: backend "`,
		`(?m)^actor-critic +mfg +go +2 +\S+ +\S+ +\S+ +reference$`,
		`(?m)^q-learning +mfg +go \(plain\) +2 .* backend-independent$`,
		`(?m)^actor-critic +mfg +go +2 +\S+ +\S+ +\S+ +0\.0e\+00 ok$`,
		`(?m)^doctor: ok \(3 runs\)$`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("output does not match %s", want)
		}
	}
}

// TestDoctorGoRepeats: two Go runs with the same seed learn the same
// control on the standard grid, to the last bit.
func TestDoctorGoRepeats(t *testing.T) {
	t.Setenv(backend.EnvVar, "go")
	m, err := mfe.LookupMethod("fbsde")
	if err != nil {
		t.Fatal(err)
	}
	be, err := backend.DefaultErr()
	if err != nil {
		t.Fatal(err)
	}
	var grids [2][][]float64
	for i := range grids {
		r := doctorRun{Method: m.Name(), Regime: m.Regimes()[0], Steps: 3}
		if err := doctorTrain(context.Background(), m, &r, be.Name(), 1, t.TempDir(), ""); err != nil {
			t.Fatal(err)
		}
		if !r.Uses || r.Steps != 3 || len(r.Grid) != 11 || len(r.Grid[0]) != 15 {
			t.Fatalf("run %+v: want 3 steps on the backend and an 11×15 grid", r)
		}
		grids[i] = r.Grid
	}
	if d := gridDeviation(grids[1], grids[0]); d != 0 {
		t.Errorf("two Go runs differ by %.3g", d)
	}
}

// TestDoctorRow: a control off by more than the tolerance disagrees, one
// within it agrees, a non-finite error or a failed run fails.
func TestDoctorRow(t *testing.T) {
	grid := [][]float64{{1, -2}, {0.5, 0}}
	shift := func(d float64) [][]float64 { return [][]float64{{1, -2 + d}, {0.5, 0}} }
	ref := doctorRun{Method: "m", Regime: mfe.MFG, Uses: true, Steps: 2, Grid: grid}
	for _, tc := range []struct {
		r    doctorRun
		ok   bool
		want string
	}{
		{doctorRun{Method: "m", Uses: true, Reloaded: shift(2 * doctorTol)}, true, "ok"},
		{doctorRun{Method: "m", Uses: true, Reloaded: shift(3 * doctorTol)}, false, "DISAGREES"},
		{doctorRun{Method: "m", Uses: true, Reloaded: grid[:1]}, false, "DISAGREES"},
		{doctorRun{Method: "m", Uses: true, Rel: math.NaN(), Reloaded: grid}, false, "not finite"},
		{doctorRun{Method: "m", Err: "boom"}, false, "FAILED: boom"},
	} {
		row, ok := doctorRow("xla:cpu", tc.r, &ref)
		if ok != tc.ok || !strings.Contains(row[len(row)-1], tc.want) {
			t.Errorf("%+v: row %q, ok %v; want %q, ok %v", tc.r, row, ok, tc.want, tc.ok)
		}
	}
	if row, ok := doctorRow("go", ref, nil); !ok || row[len(row)-1] != "reference" {
		t.Errorf("Go run: row %q, ok %v", row, ok)
	}
}

// TestDoctorStepKeys: every registered method's configuration has a
// setting the doctor cuts.
func TestDoctorStepKeys(t *testing.T) {
	for _, m := range mfe.Methods() {
		cfg, err := m.Config(mfe.Quick)
		if err != nil {
			t.Fatal(err)
		}
		ok := false
		for _, k := range stepKeys {
			if _, err := mfe.SetConfig(cfg, map[string]string{k: "2"}); err == nil {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: the configuration has none of %v", m.Name(), stepKeys)
		}
	}
}

func TestDoctorBadInput(t *testing.T) {
	for _, args := range [][]string{{"-steps", "0"}, {"-method", "nope"}, {"-backend", "nope"}, {"extra"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), append([]string{"doctor"}, args...), &out, &errb); code != 2 || out.Len() > 0 || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("doctor %v: exit %d, stdout %q, stderr %q; want 2, nothing, one line", args, code, out.String(), errb.String())
		}
	}
}
