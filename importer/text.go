package importer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxCodeLen is the width of the code columns in the database.
const maxCodeLen = 64

// maxNameRunes bounds a unit name; the longest real ones are about 150.
const maxNameRunes = 500

// codeProblem explains why s cannot be a code (unit, parent or metric), or
// returns "" when it can. Codes travel into web addresses, file names and
// other offices' scripts, so invisible characters are refused outright: a
// code with a control character or an inner space looks like another code
// on screen and never matches it. A slash would split a web address.
func codeProblem(s string) (vi, en string) {
	switch {
	case !utf8.ValidString(s):
		return "chứa ký tự không hợp lệ (không phải UTF-8)", "contains invalid characters (not UTF-8)"
	case len(s) > maxCodeLen:
		return fmt.Sprintf("dài quá %d ký tự", maxCodeLen), fmt.Sprintf("is longer than %d characters", maxCodeLen)
	}
	for i, r := range s {
		switch {
		case unicode.IsControl(r) || r == '\uFEFF' || r == '\u200B':
			return fmt.Sprintf("chứa ký tự điều khiển vô hình (U+%04X, ở vị trí %d)", r, utf8.RuneCountInString(s[:i])+1),
				fmt.Sprintf("contains an invisible control character (U+%04X at position %d)", r, utf8.RuneCountInString(s[:i])+1)
		case unicode.IsSpace(r):
			return "chứa khoảng trắng", "contains a space"
		case r == '/' || r == '\\':
			return "chứa dấu gạch chéo (/ hoặc \\)", "contains a slash (/ or \\)"
		}
	}
	return "", ""
}

// nameProblem explains why s cannot be a unit name. Names are stored as
// given (pages escape them); only characters no name has are refused:
// control characters other than tab and line break (PostgreSQL cannot even
// store a NUL).
func nameProblem(s string) (vi, en string) {
	switch {
	case !utf8.ValidString(s):
		return "chứa ký tự không hợp lệ (không phải UTF-8)", "contains invalid characters (not UTF-8)"
	case utf8.RuneCountInString(s) > maxNameRunes:
		return fmt.Sprintf("dài quá %d ký tự", maxNameRunes), fmt.Sprintf("is longer than %d characters", maxNameRunes)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return fmt.Sprintf("chứa ký tự điều khiển vô hình (U+%04X)", r), fmt.Sprintf("contains an invisible control character (U+%04X)", r)
		}
	}
	return "", ""
}

// quote shows a cell value in a message between quotes, shortened if
// long, with invisible characters made visible.
func quote(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) > 60 {
		s = string([]rune(s)[:57]) + "…"
	}
	return "\"" + strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s) + "\""
}
