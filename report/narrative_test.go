package report_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/report"
)

// Every sentence of the narrative, in Vietnamese (the document) and in
// English (the catalogue's other language), is complete for every branch
// of the facts: a heading, no empty sentence, no key the catalogue lacks
// ("[reportdoc.…]"), no fmt verb left without its figure ("%!d(MISSING)"),
// and the two languages word the same facts in as many sentences.
func TestNarrativeInBothLanguages(t *testing.T) {
	for _, c := range narrativeCases(t) {
		vi, en := report.NarrativeIn(i18n.VI, c.f), report.NarrativeIn(i18n.EN, c.f)
		if len(vi) == 0 || len(vi) != len(en) {
			t.Errorf("%s: %d Vietnamese paragraphs, %d English", c.name, len(vi), len(en))
			continue
		}
		for i := range vi {
			if len(vi[i].Sentences) != len(en[i].Sentences) || vi[i].List != en[i].List {
				t.Errorf("%s: paragraph %q has %d sentences, in English %d", c.name, vi[i].Heading, len(vi[i].Sentences), len(en[i].Sentences))
			}
			for l, p := range map[i18n.Lang]report.Paragraph{i18n.VI: vi[i], i18n.EN: en[i]} {
				for _, s := range append([]string{p.Heading}, p.Sentences...) {
					if strings.TrimSpace(s) == "" || strings.Contains(s, "%!") || strings.Contains(s, "[reportdoc.") {
						t.Errorf("%s, %s: %q in paragraph %q", c.name, l, s, p.Heading)
					}
				}
			}
		}
	}
}

// proseKey is a message key written in the package's Go code.
var proseKey = regexp.MustCompile(`"(reportdoc\.[a-z.]+[a-z])"`)

// Every key the narrative asks for exists in both languages (the catalogue
// would otherwise print "[key]" in the document).
func TestNarrativeKeysExist(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{"reportdoc.prose.ratio.procedures": true, "reportdoc.prose.ratio.dossiers": true}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range proseKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 40 {
		t.Fatalf("only %d keys found: the pattern no longer matches the code", len(used))
	}
	for k := range used {
		for _, l := range i18n.Langs {
			if !i18n.Has(l, k) {
				t.Errorf("%s lacks the key %s", l, k)
			}
		}
	}
}
