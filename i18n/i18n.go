// Package i18n holds the dashboard's message catalogues: every label,
// heading, button and message of the pages, keyed, in Vietnamese (the
// default) and English. Templates call {{t "key"}}; Go code calls
// lang.T("key", args...). Data (unit and procedure names, the scheme's
// legal texts) is never translated here: groups, metrics and bands carry
// their own name_vi/name_en in the scheme file.
//
// A message may hold fmt verbs; English word order differs, so catalogues
// use explicit argument indexes (%[1]s) where the order changes.
package i18n

import (
	"fmt"
	"sort"
	"strings"
)

// Lang is a page language.
type Lang string

// The languages of the pages; VI is the default.
const (
	VI Lang = "vi"
	EN Lang = "en"
)

// Default is the language of a visitor who chose none.
const Default = VI

// Langs lists the supported languages, the default first.
var Langs = []Lang{VI, EN}

// An area is the messages of one part of the product, in both languages,
// kept in a file of its own (vi.go and en.go for the public pages,
// access.go, tools.go…) so that parallel work does not edit the same map.
// A new area is a new file and one line in areas; a key is defined by one
// area only (TestAreasDefineEachKeyOnce).
type area struct {
	name   string
	vi, en map[string]string
}

// areas are the catalogue's parts, each file's once.
var areas = []area{
	{"pages", vi, en},
	{"access", accessVI, accessEN},
	{"tools", toolsVI, toolsEN},
	{"files", filesVI, filesEN},
	{"portal", portalVI, portalEN},
	{"safety", safetyVI, safetyEN},
	{"dbtools", dbtoolsVI, dbtoolsEN},
	{"unithistory", unitHistoryVI, unitHistoryEN},
	{"histpages", histPagesVI, histPagesEN},
	{"web", webVI, webEN},
	{"engine", engineVI, engineEN},
	{"report", reportVI, reportEN},
	{"reportprose", reportProseVI, reportProseEN},
	{"dictionary", dictionaryVI, dictionaryEN},
	{"cli", cliVI, cliEN},
	{"days", daysVI, daysEN},
	{"official", officialVI, officialEN},
	{"layout", layoutVI, layoutEN},
	{"rankpages", rankPagesVI, rankPagesEN},
	{"unpublished", unpublishedVI, unpublishedEN},
	{"plural", pluralVI, pluralEN},
	{"export", exportVI, exportEN},
	{"alerts", alertsVI, alertsEN},
	{"schemefile", schemeFileVI, schemeFileEN},
}

// catalogues maps a language to its messages: every area merged, once, when
// the package is initialised; duplicates lists the keys defined by more
// than one area (the first keeps its message).
var catalogues, duplicates = merge(areas)

func merge(areas []area) (map[Lang]map[string]string, []string) {
	out := map[Lang]map[string]string{VI: {}, EN: {}}
	var dups []string
	for _, a := range areas {
		for l, msgs := range map[Lang]map[string]string{VI: a.vi, EN: a.en} {
			for k, m := range msgs {
				if _, dup := out[l][k]; dup {
					dups = append(dups, a.name+": "+string(l)+":"+k)
					continue
				}
				out[l][k] = m
			}
		}
	}
	sort.Strings(dups)
	return out, dups
}

// Parse reads a language code ("vi", "en", "en-GB", "EN"); ok is false for
// anything else, so a visitor's typo falls back to the default.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if base, _, found := strings.Cut(s, "-"); found {
		s = base
	}
	switch Lang(s) {
	case VI:
		return VI, true
	case EN:
		return EN, true
	}
	return Default, false
}

// String is the BCP 47 code, for <html lang> and Content-Language.
func (l Lang) String() string { return string(l) }

// Valid reports whether l is a supported language.
func (l Lang) Valid() bool {
	_, ok := catalogues[l]
	return ok
}

// T is the message key in language l, formatted with args when given. An
// unknown key never breaks a page: it falls back to the Vietnamese message,
// then to the key itself in brackets (tests fail on both, see Has).
func (l Lang) T(key string, args ...any) string {
	msg, ok := catalogues[l][key]
	if !ok {
		msg, ok = catalogues[VI][key]
	}
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// TN is T for a message about n things: key.one when n is 1 and l has
// that form ("1 unit", not "1 units"); a one form without verbs ("the
// only unit") takes no argument. Vietnamese nouns have no plural, so a
// Vietnamese message needs no one form (plural.go holds the English ones).
func (l Lang) TN(n int, key string, args ...any) string {
	if n == 1 {
		if m, ok := catalogues[l][key+".one"]; ok {
			if !strings.Contains(m, "%") {
				return m
			}
			key += ".one"
		}
	}
	return l.T(key, args...)
}

// Has reports whether language l defines key.
func Has(l Lang, key string) bool {
	_, ok := catalogues[l][key]
	return ok
}

// Keys lists the keys of language l, sorted.
func Keys(l Lang) []string {
	out := make([]string, 0, len(catalogues[l]))
	for k := range catalogues[l] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Message is the raw (unformatted) message of key in l.
func Message(l Lang, key string) (string, bool) {
	m, ok := catalogues[l][key]
	return m, ok
}

// Count is n things counted in words, the number shown as shown: "%s
// units" in English ("1 unit" when n is 1), "%s đơn vị" in Vietnamese.
// noun is the phrase's key after "count." (units, periods…), for a
// message that counts two kinds of thing and so cannot have one form.
func (l Lang) Count(n int, noun, shown string) string {
	return l.TN(n, "count."+noun, shown)
}
