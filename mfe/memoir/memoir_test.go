package memoir_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/memoir"
	_ "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/all" // the methods the memoir enumerates, as in mfe
)

// manifest is written by build.sh: "sha256  path" per line, paths relative
// to the repository root.
const manifest = "mfe/memoir/SOURCES.sha256"

const fix = "rebuild Memoir.pdf with `bash mfe/memoir/build.sh` (MFE_MEMOIR_VARIANT_PROFILE=quick keeps the ablations short)"

// sources lists the files Memoir.pdf is typeset from, by the rule build.sh
// hashes with: every file under mfe/memoir except build/, the package's
// code (.go), build.sh, dotfiles and the manifest itself. That is the LaTeX
// sources and the run data.
func sources(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir("mfe/memoir", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		p = filepath.ToSlash(p)
		name := d.Name()
		switch {
		case d.IsDir() && p == "mfe/memoir/build":
			return filepath.SkipDir
		case d.IsDir(), strings.HasPrefix(name, "."), p == manifest,
			strings.HasSuffix(name, ".go"), strings.HasSuffix(name, ".sh"):
			return nil
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func readManifest(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(manifest)
	if err != nil {
		t.Fatalf("%v; %s", err, fix)
	}
	defer f.Close()
	recorded := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, p, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("%s: malformed line %q", manifest, sc.Text())
		}
		recorded[p] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return recorded
}

// TestMemoirUpToDate fails when what Memoir.pdf shows changed since
// build.sh made it: a LaTeX source, a run of mfe/memoir/data, or a figure or
// fragment that the generator now writes otherwise from them. It generates
// the figures and fragments again, as build.sh does (`mfe figures` with its
// defaults, from the repository root), and compares their hashes with those
// build.sh recorded; editing Go code fails it only when the memoir's output
// changes. It also checks that Memoir.pdf is the file that build recorded.
func TestMemoirUpToDate(t *testing.T) {
	t.Chdir("../..") // the repository root, where build.sh runs mfe: generated captions name run directories from there
	recorded := readManifest(t)
	current := map[string]string{}
	for _, p := range append(sources(t), "Memoir.pdf") {
		sum, err := hashFile(p)
		if err != nil {
			t.Fatal(err)
		}
		current[p] = sum
	}
	out := t.TempDir()
	if _, err := memoir.Generate(memoir.Options{Params: mfe.Reference(), Runs: memoir.DataDir, Out: out}); err != nil {
		t.Fatalf("generating the figures and fragments: %v", err)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		sum, err := hashFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		current[path.Join(memoir.GenDir, e.Name())] = sum
	}

	what := func(p string) string {
		if strings.HasPrefix(p, memoir.GenDir+"/") {
			return "generated " + path.Base(p)
		}
		return p
	}
	var paths []string
	for p := range current {
		paths = append(paths, p)
	}
	for p := range recorded {
		if _, ok := current[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	var stale []string
	for _, p := range paths {
		got, now := current[p]
		want, then := recorded[p]
		switch {
		case !then:
			stale = append(stale, what(p)+" is new")
		case !now:
			stale = append(stale, what(p)+" was removed")
		case got != want:
			stale = append(stale, what(p)+" changed")
		}
	}
	if len(stale) > 0 {
		t.Errorf("since Memoir.pdf was built:\n\t%s\n%s", strings.Join(stale, "\n\t"), fix)
	}
}
