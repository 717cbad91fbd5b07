package memoir

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// manifest is written by build.sh: "sha256  path" per line, paths relative
// to the repository root, the sources first and Memoir.pdf last.
const manifest = "SOURCES.sha256"

// inputs lists the files the memoir is built from, by the rule build.sh
// hashes with: under memoir/ (but not memoir/build/) every .tex, .sh,
// .json and .bib file, and the generator cmd/mfe/figures.go.
func inputs(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(filepath.Join(root, "memoir"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "memoir/build" {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".tex", ".sh", ".json", ".bib":
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, "cmd/mfe/figures.go")
	sort.Strings(out)
	return out
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
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

// TestMemoirUpToDate fails when a source of the memoir, one of the runs its
// figures come from, or Memoir.pdf itself changed since build.sh last ran:
// Memoir.pdf must be rebuilt from what the repository holds.
func TestMemoirUpToDate(t *testing.T) {
	root := ".."
	f, err := os.Open(manifest)
	if err != nil {
		t.Fatalf("%v: build the memoir with `bash memoir/build.sh`", err)
	}
	defer f.Close()
	recorded := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, path, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("%s: malformed line %q", manifest, sc.Text())
		}
		recorded[path] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	const fix = "; rebuild with `bash memoir/build.sh` (MFE_MEMOIR_PROFILE=quick for a fast check)"
	if _, ok := recorded["Memoir.pdf"]; !ok {
		t.Errorf("%s does not record Memoir.pdf%s", manifest, fix)
	}
	want := map[string]bool{"Memoir.pdf": true}
	for _, p := range inputs(t, root) {
		want[p] = true
		if _, ok := recorded[p]; !ok {
			t.Errorf("%s is new since Memoir.pdf was built%s", p, fix)
		}
	}
	for p, sum := range recorded {
		if !want[p] {
			t.Errorf("%s was removed since Memoir.pdf was built%s", p, fix)
			continue
		}
		got, err := hashFile(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			t.Errorf("%v%s", err, fix)
			continue
		}
		if got != sum {
			t.Errorf("%s changed since Memoir.pdf was built%s", p, fix)
		}
	}
}
