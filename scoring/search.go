package scoring

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lowers s and strips its Vietnamese diacritics ("Thái Nguyên" →
// "thai nguyen", "Đồng" → "dong"), and collapses its spaces, so that a
// search typed without accents, as people often type, still matches.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drops leading spaces and runs of them
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		b.WriteRune(unicode.ToLower(r))
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// searchTokens are the words of a unit's folded name and code, and the
// whole folded code, each padded with a leading space so that a query word
// matches the start of a word: " xa" matches "Xã", not "Xây".
func searchTokens(u Unit) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(Fold(u.Name)+" "+Fold(u.Code), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		b.WriteString(" " + w)
	}
	b.WriteString(" " + Fold(u.Code))
	return b.String()
}

// searchIndex is the units' search tokens, made once.
type searchIndex struct {
	once   sync.Once
	folded map[string]string
}

// folded is every unit's search tokens by code.
func (e *Engine) folded() map[string]string {
	e.search.once.Do(func() {
		m := make(map[string]string, len(e.order))
		for _, code := range e.order {
			m[code] = searchTokens(e.units[code])
		}
		e.search.folded = m
	})
	return e.search.folded
}

// Search finds the units whose name or code has a word starting with each
// word of q, folded (accents and case ignored): "thai nguyen" finds Thái
// Nguyên, "xa e" finds Xã Ê. Results keep the engine's order (kind, then
// name); at most limit units (all when limit ≤ 0).
func (e *Engine) Search(q string, limit int) []Unit {
	words := strings.Fields(Fold(q))
	if len(words) == 0 {
		return nil
	}
	folded := e.folded()
	var out []Unit
	for _, code := range e.order {
		f := folded[code]
		ok := true
		for _, w := range words {
			if !strings.Contains(f, " "+w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, e.units[code])
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out
}
