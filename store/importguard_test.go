package store

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestImportsAreGuarded: an import's log row is written by openImport only
// (called by logImport, which runs the guard, or by an import that runs it
// once its periods are known), so that no way of writing an import escapes
// the publication guard and the audit trail.
func TestImportsAreGuarded(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	insert := regexp.MustCompile(`\.Create\((&?imp|&?i|&?im)\)`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for _, loc := range insert.FindAllStringIndex(src, -1) {
			fn := src[strings.LastIndex(src[:loc[0]], "\nfunc "):loc[0]]
			if !strings.HasPrefix(fn, "\nfunc openImport(") {
				t.Errorf("%s: an import's log row written outside openImport: %s", f, strings.SplitN(fn, "\n", 3)[1])
			}
			found++
		}
	}
	if found != 1 {
		t.Errorf("%d inserts of an import's log row found, want openImport's one", found)
	}
}
