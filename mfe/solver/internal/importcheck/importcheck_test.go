package importcheck

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestNonStandard(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.go", "package p\n\nimport (\n\t\"fmt\"\n\t\"github.com/x/y\"\n)\n")
	write("b.go", "package p\n\nimport \"math/rand/v2\"\n")
	write("a_test.go", "package p\n\nimport \"github.com/x/z\"\n")
	got, err := NonStandard(dir)
	want := map[string][]string{filepath.Join(dir, "a.go"): {"github.com/x/y"}, filepath.Join(dir, "b.go"): nil}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("NonStandard = %v, %v; want %v", got, err, want)
	}
	if _, err := NonStandard(t.TempDir()); err == nil {
		t.Error("an empty directory gave no error")
	}
}
