package tabular

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxCodeLen is the width of the code columns in the database.
const MaxCodeLen = 64

// quoteRunes is how much of a cell value a message shows.
const quoteRunes = 60

// Quote shows a cell value in a message between quotes, cut if long, with
// invisible characters made visible. Messages are plain text; pages escape
// them.
func Quote[T string | []byte](v T) string {
	return "\"" + cut(string(v[:min(len(v), 4*quoteRunes+4)]), quoteRunes) + "\""
}

// Trim drops surrounding spaces from a cell (also non-breaking ones, which
// Excel and web pages carry): a space typed after "BK" would make a code
// that matches nothing while looking identical on screen, and no code,
// period, number or name legitimately starts or ends with one. The common
// case, no space at either end, costs two comparisons.
func Trim(b []byte) []byte {
	if len(b) == 0 || (b[0] > ' ' && b[0] < 0x80 && b[len(b)-1] > ' ' && b[len(b)-1] < 0x80) {
		return b
	}
	return bytes.TrimSpace(b)
}

// NormHeader is a header name as it is matched: without surrounding
// spaces, without regard to case ("Period" is period), without a BOM that
// a spreadsheet kept as a character. Codes in the data stay case-sensitive.
func NormHeader[T string | []byte](h T) string {
	s := string(h)
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF")))
}

// CodeProblem says why b cannot be a code (of a unit, a metric, a
// procedure, a dossier), as a message to put after the code ("contains a
// space"); ok is true when it can. Codes travel into web addresses, file
// names and other offices' scripts, so invisible characters are refused
// outright: a code with a control character or an inner space looks like
// another code on screen and never matches it. A slash would split a web
// address. The common all-ASCII case is one loop without decoding.
func CodeProblem[T string | []byte](b T) (why Msg, ok bool) {
	if len(b) > MaxCodeLen {
		return M("file.code.long", MaxCodeLen), false
	}
	ascii := true
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c >= 0x80:
			ascii = false
		case c < 0x20 || c == 0x7F:
			return M("file.code.control", codePoint(rune(c)), i+1), false
		case c == ' ':
			return M("file.code.space"), false
		case c == '/' || c == '\\':
			return M("file.code.slash"), false
		}
	}
	if ascii {
		return Msg{}, true
	}
	s := string(b)
	if !utf8.ValidString(s) {
		return M("file.code.utf8"), false
	}
	pos := 0
	for _, r := range s {
		pos++
		switch {
		case unicode.IsControl(r) || r == '\uFEFF' || r == '\u200B':
			return M("file.code.control", codePoint(r), pos), false
		case unicode.IsSpace(r):
			return M("file.code.space"), false
		}
	}
	return Msg{}, true
}

// NameProblem says why b cannot be a name of at most maxRunes characters
// (a unit's, a procedure's); ok is true when it can. Names are stored as
// given (pages escape them); only characters no name has are refused:
// control characters other than tab and line break (PostgreSQL cannot even
// store a NUL).
func NameProblem[T string | []byte](b T, maxRunes int) (why Msg, ok bool) {
	s := string(b)
	switch {
	case !utf8.ValidString(s):
		return M("file.name.utf8"), false
	case utf8.RuneCountInString(s) > maxRunes:
		return M("file.name.long", Int(maxRunes)), false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return M("file.name.control", codePoint(r)), false
		}
	}
	return Msg{}, true
}

// codePoint writes r as U+0000.
func codePoint(r rune) string {
	const hex = "0123456789ABCDEF"
	b := []byte("U+")
	digits := 4
	if r > 0xFFFF {
		digits = 6
	}
	for i := digits - 1; i >= 0; i-- {
		b = append(b, hex[(r>>(4*i))&0xF])
	}
	return string(b)
}
