package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
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
