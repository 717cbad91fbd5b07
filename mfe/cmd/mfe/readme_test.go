package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/bench"
)

// readmeTable matches a results table of the README: the command that
// prints it, in an HTML comment before and after.
var readmeTable = regexp.MustCompile(`(?s)<!-- mfe summary -table (-profile (\w+) )?(-models )?notebooks/results: begin -->\n(.*?)<!-- mfe summary -table (-profile \w+ )?(-models )?notebooks/results: end -->`)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's results tables from the saved runs")

// TestREADMEResultsTable checks that every results table of the README is
// what `mfe summary -table` prints from the saved runs: the README carries
// no number the runs do not. With -update-readme it writes them instead:
//
//	go test ./mfe/cmd/mfe -run TestREADMEResultsTable -update-readme
func TestREADMEResultsTable(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeTable.FindAllStringSubmatchIndex(string(b), -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no results table between <!-- mfe summary -table notebooks/results: begin/end --> comments")
	}
	var out strings.Builder
	last := 0
	for _, ix := range blocks {
		group := func(k int) string {
			if ix[2*k] < 0 {
				return ""
			}
			return string(b[ix[2*k]:ix[2*k+1]])
		}
		prof := mfe.Default
		if p := group(2); p != "" {
			prof = mfe.Profile(p)
		}
		models := group(3) != ""
		want, err := summaryTable(filepath.Join(root, "notebooks", "results"), prof, models)
		if err != nil {
			t.Fatal(err)
		}
		// The table's span is group 4's: write the text before it, then
		// the table as it should be.
		out.Write(b[last:ix[8]])
		out.WriteString(want)
		last = ix[9]
		if got := group(4); !*updateREADME && strings.TrimSpace(got) != strings.TrimSpace(want) {
			t.Errorf("README's %s table is not what mfe summary -table -profile %s notebooks/results prints (go test ./mfe/cmd/mfe -run TestREADMEResultsTable -update-readme rewrites it):\n%s", prof, prof, want)
		}
	}
	out.Write(b[last:])
	if *updateREADME {
		if err := os.WriteFile(filepath.Join(root, "README.md"), []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readmeBench matches the README's speed table: the stored `mfe bench
// -json` reports it tabulates, a glob, in an HTML comment before it.
var readmeBench = regexp.MustCompile(`(?s)<!-- bench table (notebooks/results/bench/\S+): begin -->\n(.*?)<!-- bench table: end -->`)

// TestREADMEBenchTable checks that the README's speed table is
// bench.MarkdownTable of the stored reports it names (in the order of
// their file names); with -update-readme it writes it instead:
//
//	go test ./mfe/cmd/mfe -run TestREADMEBenchTable -update-readme
func TestREADMEBenchTable(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	ix := readmeBench.FindSubmatchIndex(b)
	if ix == nil {
		t.Fatal("README.md has no speed table between <!-- bench table notebooks/results/bench/GLOB: begin --> and <!-- bench table: end -->")
	}
	glob := string(b[ix[2]:ix[3]])
	files, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(glob)))
	if err != nil || len(files) == 0 {
		t.Fatalf("README's speed table names %s: no such reports (%v)", glob, err)
	}
	var reports []*bench.Report
	for _, f := range files { // Glob sorts them
		r, err := bench.ReadReport(f)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, r)
	}
	want, err := bench.MarkdownTable(reports)
	if err != nil {
		t.Fatal(err)
	}
	if *updateREADME {
		out := append(append(append([]byte(nil), b[:ix[4]]...), want...), b[ix[5]:]...)
		if err := os.WriteFile(filepath.Join(root, "README.md"), out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := string(b[ix[4]:ix[5]]); strings.TrimSpace(got) != strings.TrimSpace(want) {
		t.Errorf("README's speed table is not bench.MarkdownTable of %s (go test ./mfe/cmd/mfe -run TestREADMEBenchTable -update-readme rewrites it):\n%s", glob, want)
	}
}
