package i18n

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// verbs finds the fmt verbs of a message (%s, %d, %[2]s…), not "%%".
var verbs = regexp.MustCompile(`%%|%(\[\d+\])?\d*(\.\d+)?[sdvqfx]`)

func verbList(msg string) []string {
	var out []string
	for _, v := range verbs.FindAllString(msg, -1) {
		if v == "%%" {
			continue
		}
		// Indexed verbs may come in another order in English: compare
		// the verb letters as a multiset.
		out = append(out, v[len(v)-1:])
	}
	sort.Strings(out)
	return out
}

// vietnamese reports whether s carries a Vietnamese letter.
func vietnamese(s string) bool {
	for _, r := range strings.ToLower(s) {
		if strings.ContainsRune("àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ", r) {
			return true
		}
	}
	return false
}

// TestCataloguesMatch fails on a key missing in either language, on an
// empty message, on messages whose fmt verbs differ (a missing %d prints
// "%!d(MISSING)" on a page), and on English messages left in Vietnamese.
func TestCataloguesMatch(t *testing.T) {
	if len(Keys(VI)) < 100 {
		t.Fatalf("only %d Vietnamese messages: catalogue not loaded", len(Keys(VI)))
	}
	for _, l := range Langs {
		other := EN
		if l == EN {
			other = VI
		}
		for _, k := range Keys(l) {
			// An English one form ("1 unit") has no Vietnamese twin:
			// the Vietnamese noun does not change with the count.
			if base, one := strings.CutSuffix(k, ".one"); one && l == EN && !Has(VI, k) {
				if !Has(VI, base) {
					t.Errorf("English one form %q has no message %q", k, base)
				}
				continue
			}
			if !Has(other, k) {
				t.Errorf("key %q is in %s but missing in %s", k, l, other)
			}
			m, _ := Message(l, k)
			if strings.TrimSpace(m) == "" {
				t.Errorf("%s %q is empty", l, k)
			}
		}
	}
	for _, k := range Keys(EN) {
		base, one := strings.CutSuffix(k, ".one")
		if !one || Has(VI, k) {
			continue
		}
		vm, _ := Message(VI, base)
		em, _ := Message(EN, k)
		// A one form without verbs ("the only unit") is allowed.
		if a, b := strings.Join(verbList(vm), ","), strings.Join(verbList(em), ","); b != "" && a != b {
			t.Errorf("%q: Vietnamese verbs [%s], English one form [%s]", k, a, b)
		}
		if vietnamese(em) {
			t.Errorf("English %q is still Vietnamese: %q", k, em)
		}
	}
	for _, k := range Keys(VI) {
		vm, _ := Message(VI, k)
		em, ok := Message(EN, k)
		if !ok {
			continue
		}
		if a, b := strings.Join(verbList(vm), ","), strings.Join(verbList(em), ","); a != b {
			t.Errorf("%q: Vietnamese verbs [%s], English [%s]", k, a, b)
		}
		if vietnamese(em) {
			t.Errorf("English %q is still Vietnamese: %q", k, em)
		}
	}
}

func TestTFormatsAndFallsBack(t *testing.T) {
	if got := VI.T("change.score.up", "1,20"); got != "tăng 1,20 điểm so với kỳ trước" {
		t.Errorf("VI change.score.up = %q", got)
	}
	if got := EN.T("change.score.up", "1.20"); got != "up 1.20 points since the previous period" {
		t.Errorf("EN change.score.up = %q", got)
	}
	if got := EN.T("no.such.key"); got != "[no.such.key]" {
		t.Errorf("unknown key = %q, want it bracketed so tests and eyes catch it", got)
	}
	catalogues[VI]["test.only"] = "chỉ để thử"
	defer delete(catalogues[VI], "test.only")
	if got := EN.T("test.only"); got != "chỉ để thử" {
		t.Errorf("a key missing in English falls back to Vietnamese, got %q", got)
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"vi": VI, "EN": EN, "en-GB": EN, " vi-VN ": VI} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "fr", "english", "e"} {
		if got, ok := Parse(in); ok || got != Default {
			t.Errorf("Parse(%q) = %q, %v; want the default, false", in, got, ok)
		}
	}
}

// TestAreasDefineEachKeyOnce: no two files of the catalogue define the same
// key (the second would silently lose), and every file's messages are
// listed in areas (a file left out would be missing from the pages).
func TestAreasDefineEachKeyOnce(t *testing.T) {
	for _, d := range duplicates {
		t.Errorf("key defined twice: %s", d)
	}
	listed := map[string]bool{}
	for _, a := range areas {
		listed[fmt.Sprintf("%p", a.vi)], listed[fmt.Sprintf("%p", a.en)] = true, true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	declared := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for _, v := range vs.Values {
					if cl, ok := v.(*ast.CompositeLit); ok {
						if mt, ok := cl.Type.(*ast.MapType); ok && fmt.Sprint(mt.Key) == "string" && fmt.Sprint(mt.Value) == "string" {
							declared++
						}
					}
				}
			}
		}
	}
	if declared != len(listed) {
		t.Errorf("%d message maps declared in the package, %d listed in areas: add the new file's to areas", declared, len(listed))
	}
}
