package dossier

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxProblems is how many problems of a file are kept by default. A
// million-row file with one mistake repeated on every row would otherwise
// hold a million messages; past the cap only the count grows. It matches
// the importer's listing cap, which adds the "… and N more" line.
const DefaultMaxProblems = 200

// Problem is one reason a file is refused, with the same fields as
// importer.Problem so the importer can show both alike.
type Problem struct {
	// Row is the 1-based row of the file (the header is row 1 when it is
	// the first line); 0 for a problem of the whole file.
	Row int
	// Column is the header name of the column at fault ("" if none).
	Column string
	// Message is the explanation in Vietnamese; MessageEN in English.
	Message   string
	MessageEN string
}

// String is the problem in English: "row 3, column due_at: …".
func (p Problem) String() string { return p.where("file", "row", "column") + p.MessageEN }

// StringVI is the problem in Vietnamese: "Dòng 3, cột due_at: …".
func (p Problem) StringVI() string { return p.where("Tệp", "Dòng", "cột") + p.Message }

func (p Problem) where(file, row, column string) string {
	var parts []string
	if p.Row > 0 {
		parts = append(parts, row+" "+strconv.Itoa(p.Row))
	}
	if p.Column != "" {
		parts = append(parts, column+" "+p.Column)
	}
	if len(parts) == 0 {
		return file + ": "
	}
	return strings.Join(parts, ", ") + ": "
}

// problems collects a file's problems up to a cap, counting all.
type problems struct {
	list  []Problem
	total int
	max   int
}

func (ps *problems) add(row int, column, vi, en string) {
	ps.total++
	if len(ps.list) < ps.max {
		ps.list = append(ps.list, Problem{Row: row, Column: column, Message: vi, MessageEN: en})
	}
}

func (ps *problems) addf(row int, column, vi, en string, args ...any) {
	ps.total++
	if len(ps.list) < ps.max {
		ps.list = append(ps.list, Problem{Row: row, Column: column,
			Message: fmt.Sprintf(vi, args...), MessageEN: fmt.Sprintf(en, args...)})
	}
}

// quote shows a cell value in a message between quotes, shortened if long,
// with invisible characters made visible. Messages are plain text; pages
// escape them.
func quote(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
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

// maxCodeLen is the width of code columns in the database.
const maxCodeLen = 64

// codeProblem explains why b cannot be a code, or returns "" when it can:
// the importer's rule (no control characters, spaces or slashes, at most
// 64 bytes). The common all-ASCII case is one loop without decoding.
func codeProblem(b []byte) (vi, en string) {
	if len(b) > maxCodeLen {
		return fmt.Sprintf("dài quá %d ký tự", maxCodeLen), fmt.Sprintf("is longer than %d characters", maxCodeLen)
	}
	ascii := true
	for _, c := range b {
		switch {
		case c >= 0x80:
			ascii = false
		case c < 0x20 || c == 0x7F:
			return fmt.Sprintf("chứa ký tự điều khiển vô hình (U+%04X)", c), fmt.Sprintf("contains an invisible control character (U+%04X)", c)
		case c == ' ':
			return "chứa khoảng trắng", "contains a space"
		case c == '/' || c == '\\':
			return "chứa dấu gạch chéo (/ hoặc \\)", "contains a slash (/ or \\)"
		}
	}
	if ascii {
		return "", ""
	}
	for _, r := range string(b) {
		switch {
		case r == utf8.RuneError:
			return "chứa ký tự không hợp lệ (không phải UTF-8)", "contains invalid characters (not UTF-8)"
		case unicode.IsControl(r) || r == '\uFEFF' || r == '\u200B':
			return fmt.Sprintf("chứa ký tự điều khiển vô hình (U+%04X)", r), fmt.Sprintf("contains an invisible control character (U+%04X)", r)
		case unicode.IsSpace(r):
			return "chứa khoảng trắng", "contains a space"
		}
	}
	return "", ""
}
