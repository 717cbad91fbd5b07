package main

import (
	"encoding/json"
	"flag"
	"regexp"
	"strings"
	"testing"
)

// analyticFlagNames are the flags of `mfe analytic`.
func analyticFlagNames() map[string]bool {
	fs := flag.NewFlagSet("analytic", flag.ContinueOnError)
	paramFlags(fs)
	fs.Int("nt", 0, "")
	fs.String("x", "", "")
	names := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { names[f.Name] = true })
	return names
}

// flagRef matches "-name" where a message names a flag.
var flagRef = regexp.MustCompile(`-([A-Za-z0-9][A-Za-z0-9-]*)`)

// FuzzAnalyticArgs runs `mfe analytic` on any argument list (the fuzzed string
// split at spaces): it must succeed with one JSON object (analyticOutput) on
// stdout and nothing on stderr, or print help, or exit with status 2, nothing
// on stdout and one line on stderr naming the offending flag (or the stray
// argument), or, for valid flags where the MFG solution is beyond float64's
// range, exit with status 1, nothing on stdout and one line on stderr saying
// so; never fail otherwise or panic.
func FuzzAnalyticArgs(f *testing.F) {
	for _, s := range []string{
		"",
		"-nt 4 -x -1:1:0.5 -gamma 1",
		"-sigma -1", "-ca 0", "-T NaN", "-cg Inf", "-x0-std -0.1", "-x0-mean abc",
		"-nt 0", "-x 2:1:0.5", "-bogus 1", "-h", "extra",
		"-T 2", // MFC blow-up: a note, not an error
		"-ca 1e-20 -cx 1e20 -cg 1e20 -gamma 1e20 -x0-mean -1e20 -T 1e20 -sigma 1e20 -x0-std 1e20 -nt 3",
		"-x -1e20:1e20:1e19 -nt 2", "-x 1e300:1e300:1", "-x 0:1:0", "-x 1:2", "-x 0:1e-300:1e-305",
		"-nt 100001", "-nt -1", "-nt 1e3", "-T=1 -sigma=0 -x0-std=0", "--gamma 0", "---T 1",
		"-gamma 40 -cx 0 -cg 0", "-gamma 1e20 -cx 0 -cg 0", "-ca 1e-21", "-cx 2e20",
	} {
		f.Add(s)
	}
	names := analyticFlagNames()
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		if len(args) > 40 {
			return
		}
		code, out, errs := runCLI(append([]string{"analytic"}, args...)...)
		switch code {
		case 0:
			if strings.HasPrefix(out, "usage of mfe analytic") {
				return // -h
			}
			if errs != "" {
				t.Fatalf("%q: exit 0 with stderr %q", args, errs)
			}
			var a analyticOutput
			if err := json.Unmarshal([]byte(out), &a); err != nil {
				t.Fatalf("%q: stdout is not the JSON object: %v", args, err)
			}
			if len(a.T) < 2 || len(a.X) < 1 || len(a.MFG.Alpha) != len(a.T) || len(a.MFG.Alpha[0]) != len(a.X) {
				t.Fatalf("%q: grid %d x %d, alpha %d rows", args, len(a.T), len(a.X), len(a.MFG.Alpha))
			}
			if a.MFC == nil && len(a.Notes) == 0 {
				t.Fatalf("%q: no MFC and no note saying why", args)
			}
		case 2:
			if out != "" {
				t.Fatalf("%q: exit 2 with stdout %q", args, out)
			}
			if strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") {
				t.Fatalf("%q: stderr %q is not one line", args, errs)
			}
			if strings.Contains(errs, "unexpected argument") || strings.Contains(errs, "bad flag syntax") ||
				strings.Contains(errs, "flag provided but not defined") {
				return
			}
			named := false
			for _, m := range flagRef.FindAllStringSubmatch(errs, -1) {
				named = named || names[m[1]]
			}
			if !named {
				t.Fatalf("%q: stderr %q names no flag", args, errs)
			}
		case 1:
			if out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "beyond float64's range") {
				t.Fatalf("%q: exit 1, stdout %.200q, stderr %q", args, out, errs)
			}
		default:
			t.Fatalf("%q: exit %d, stdout %.200q, stderr %q", args, code, out, errs)
		}
	})
}
