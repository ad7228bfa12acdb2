package tabular

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// DefaultMaxProblems is how many problems of a file are kept in full; the
// rest are counted by kind. A file with thousands of bad rows usually has
// one mistake repeated, and a page listing them all helps nobody.
const DefaultMaxProblems = 200

// maxKinds bounds the kinds of problems counted past the list: a kind is
// a message and a column, and column names come from the file (a header of
// a million unknown columns would otherwise make a million kinds).
const maxKinds = 64

// maxArgRunes bounds a text argument of a message, whatever the caller
// passed: a problem never carries a long piece of the file.
const maxArgRunes = 200

// maxColumnRunes bounds a problem's column name, which comes from the
// file's header.
const maxColumnRunes = 60

// Problem is one reason a file is refused: where (row, column) and why, as
// a message key of the catalogue (i18n) with its arguments, worded when it
// is shown in the reader's language.
type Problem struct {
	// File is the file the problem is in when a problem may be in one of
	// several (the responses of a portal capture); "" for the one file
	// being read.
	File string
	// Row is the 1-based row of the file, the header being row 1 when it
	// is the first line (the line number in a CSV file, the row number in
	// the sheet); 0 for a problem of the whole file.
	Row int
	// Column is the header name of the column at fault ("" if none).
	Column string
	// Place is where in a file that is not a table (a JSON path such as
	// data.evaluation[3].metrics[1].numerator); "" if none.
	Place string
	// Key is the message's key in the catalogue; Args its arguments:
	// strings and ints as they are, Int as a grouped number, Msg as a
	// message of its own.
	Key  string
	Args []any
}

// Int is a message argument shown as a number with its thousands grouped
// the reader's way (1.234.567 in Vietnamese, 1,234,567 in English); plain
// ints are shown as they are (row and column numbers).
type Int int64

// Msg is a message argument that is itself a message of the catalogue
// ("contains a space" inside "The unit code … contains a space.").
type Msg struct {
	Key  string
	Args []any
}

// List is a message argument that is a list, its items (of any argument
// type) worded and joined by commas.
type List []any

// Date is a message argument that is a day, written the reader's way
// (27/04/2024, 27 Apr 2024) in Vietnam time.
type Date time.Time

// maxListItems bounds a List argument; more items are shown as "…".
const maxListItems = 20

// M makes a Msg.
func M(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// Message is the explanation in language l, without the place.
func (p Problem) Message(l i18n.Lang) string {
	return l.TN(countOf(p.Args), p.Key, render(l, p.Args)...)
}

// countOf is the number a message counts, for its singular in English
// ("1 more problem"): its first Int argument, else the length of its first
// List (the published periods a file changes); -1 without either.
func countOf(args []any) int {
	for _, a := range args {
		if v, ok := a.(Int); ok {
			return int(v)
		}
	}
	for _, a := range args {
		if v, ok := a.(List); ok {
			return len(v)
		}
	}
	return -1
}

// Where is the place of the problem in language l: "Dòng 3, cột period",
// "row 3, column period", "Tệp a.json, data.parent", "Tệp" for the whole
// file.
func (p Problem) Where(l i18n.Lang) string {
	var at string
	switch {
	case p.Row > 0 && p.Column != "":
		at = l.T("file.where.row.column", strconv.Itoa(p.Row), p.Column)
	case p.Row > 0:
		at = l.T("file.where.row", strconv.Itoa(p.Row))
	case p.Column != "":
		at = l.T("file.where.column", p.Column)
	}
	if p.Place != "" {
		if at != "" {
			at += ", "
		}
		at += p.Place
	}
	switch {
	case p.File != "" && at != "":
		return l.T("file.where.in", p.File) + ", " + lowerFirst(at)
	case p.File != "":
		return l.T("file.where.in", p.File)
	case at != "":
		return at
	}
	return l.T("file.where.file")
}

// lowerFirst puts the first letter of s in lower case, for a place that
// no longer starts a sentence ("Dòng 3" after the file's name).
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// Text is the problem with its place, in language l: "Dòng 3, cột period:
// Kỳ … không hợp lệ …".
func (p Problem) Text(l i18n.Lang) string { return p.Where(l) + ": " + p.Message(l) }

// String is the problem in English, as the command line has always shown
// it: "row 3, column period: …".
func (p Problem) String() string { return p.Text(i18n.EN) }

// render words the arguments of a message in language l.
func render(l i18n.Lang, args []any) []any {
	if len(args) == 0 {
		return nil
	}
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case Int:
			if l == i18n.VI {
				out[i] = present.Int(i18n.VI, int64(v))
			} else {
				out[i] = present.Int(i18n.EN, int64(v))
			}
		case Msg:
			out[i] = l.TN(countOf(v.Args), v.Key, render(l, v.Args)...)
		case List:
			parts := make([]string, len(v))
			for j, s := range render(l, v) {
				parts[j] = fmt.Sprint(s)
			}
			out[i] = strings.Join(parts, ", ")
		case Date:
			t := time.Time(v).In(scoring.Location)
			if l == i18n.VI {
				out[i] = t.Format("02/01/2006")
			} else {
				out[i] = t.Format("2 Jan 2006")
			}
		default:
			out[i] = a
		}
	}
	return out
}

// bounded copies the arguments with every text cut to maxArgRunes, so that
// a kept problem holds no reference to a long piece of the file.
func bounded(args []any) []any {
	if len(args) == 0 {
		return nil
	}
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = cut(v, maxArgRunes)
		case []byte:
			out[i] = cut(string(v), maxArgRunes)
		case Msg:
			out[i] = Msg{Key: v.Key, Args: bounded(v.Args)}
		case List:
			if len(v) > maxListItems {
				v = append(v[:maxListItems:maxListItems], "…")
			}
			out[i] = List(bounded(v))
		case Date, Int, int, int64:
			out[i] = a
		case error:
			out[i] = cut(v.Error(), maxArgRunes)
		case fmt.Stringer:
			out[i] = cut(v.String(), maxArgRunes)
		default:
			out[i] = a
		}
	}
	return out
}

// cut returns a copy of s of at most n runes, "…" marking a cut, valid
// UTF-8 and without control characters (shown as U+FFFD).
func cut(s string, n int) string { return strings.Clone(shorten(s, n)) }

// shorten is cut without the copy: s itself when it needs no change.
func shorten(s string, n int) string {
	if len(s) > 4*n+4 {
		s = s[:4*n+4] // enough bytes for n runes; the rest is never looked at
	}
	clean := len(s) <= n
	for i := 0; clean && i < len(s); i++ {
		clean = s[i] >= 0x20 && s[i] < 0x7F
	}
	if clean {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n-1]) + "…"
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// Problems collects the problems of one file: the first Max in full, the
// rest counted by kind (message and column). Its memory does not grow with
// the file. The zero value keeps DefaultMaxProblems.
type Problems struct {
	// Max is how many problems are kept in full (DefaultMaxProblems when
	// 0 or less).
	Max   int
	list  []Problem
	total int
	more  []More
	// other counts the problems past the list of kinds beyond maxKinds.
	other int
}

// More is a kind of problem found past the problems kept in full: how many
// there were, and the first of them as an example.
type More struct {
	First Problem
	Count int
}

// Add records a problem at row and column (either may be zero): the
// message key and its arguments (see Problem).
func (ps *Problems) Add(row int, column, key string, args ...any) {
	ps.AddProblem(Problem{Row: row, Column: column, Key: key, Args: args})
}

// AddIn records a problem in one of several files (file, "" for the file
// being read), at a place that is not a row and column (a JSON path).
func (ps *Problems) AddIn(file, place, key string, args ...any) {
	ps.AddProblem(Problem{File: file, Place: place, Key: key, Args: args})
}

// AddProblem records p. Its texts are cut: a problem never holds a long
// piece of the file.
func (ps *Problems) AddProblem(p Problem) {
	ps.total++
	max := ps.Max
	if max <= 0 {
		max = DefaultMaxProblems
	}
	p.File, p.Column, p.Place = shorten(p.File, maxColumnRunes), shorten(p.Column, maxColumnRunes), shorten(p.Place, maxArgRunes)
	if len(ps.list) < max {
		ps.list = append(ps.list, own(p))
		return
	}
	// A kind is a message in a column: the same mistake on every row, or
	// at every place of a list.
	for i := range ps.more {
		if m := &ps.more[i]; m.First.Key == p.Key && m.First.Column == p.Column {
			m.Count++
			return
		}
	}
	if len(ps.more) < maxKinds {
		ps.more = append(ps.more, More{First: own(p), Count: 1})
		return
	}
	ps.other++
}

// own copies what p holds of the caller's, to keep it.
func own(p Problem) Problem {
	p.File, p.Column, p.Place = strings.Clone(p.File), strings.Clone(p.Column), strings.Clone(p.Place)
	p.Args = bounded(p.Args)
	return p
}

// Total is the number of problems found, kept in full or not.
func (ps *Problems) Total() int { return ps.total }

// Empty reports whether no problem was found.
func (ps *Problems) Empty() bool { return ps.total == 0 }

// Kept is the problems kept in full, in the order found.
func (ps *Problems) Kept() []Problem { return ps.list }

// Err is the refusal of the file named file, or nil when it has no
// problem: the problems kept in full by file and row (those of the whole
// file first), then the rest by kind.
func (ps *Problems) Err(file string) *Error {
	if ps.total == 0 {
		return nil
	}
	list := slices.Clone(ps.list)
	slices.SortStableFunc(list, func(a, b Problem) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Row - b.Row
	})
	more := slices.Clone(ps.more)
	if ps.other > 0 {
		more = append(more, More{First: Problem{Key: "file.more.other"}, Count: ps.other})
	}
	return &Error{FileName: file, Problems: list, More: more, Total: ps.total}
}

// Error is a refused file: nothing of it may be stored. Test for it with
// errors.As.
type Error struct {
	FileName string
	// Problems are the problems kept in full, by row.
	Problems []Problem
	// More counts the other problems by kind.
	More []More
	// Total is the number of problems found.
	Total int
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s refused: %d problem(s)", e.FileName, e.Total)
	if len(e.Problems) > 0 {
		b.WriteString("; first: " + e.Problems[0].String())
	}
	return b.String()
}

// Message words a kind of further problems in language l: "… và 2.981.714
// lỗi khác cùng loại, từ dòng 203: Đơn vị … chưa có …".
func (m More) Message(l i18n.Lang) string {
	if m.First.Key == "file.more.other" {
		return l.TN(m.Count, "file.more.other", render(l, []any{Int(m.Count)})...)
	}
	if m.First.Row > 0 {
		return l.TN(m.Count, "file.more.from", render(l, []any{Int(m.Count), strconv.Itoa(m.First.Row), M(m.First.Key, m.First.Args...)})...)
	}
	return l.TN(m.Count, "file.more", render(l, []any{Int(m.Count), M(m.First.Key, m.First.Args...)})...)
}

// Text is the kind with its column, in language l.
func (m More) Text(l i18n.Lang) string {
	if m.First.Column != "" {
		return l.T("file.where.column", m.First.Column) + ": " + m.Message(l)
	}
	return m.Message(l)
}

// Lines is one line per problem in language l, then one per kind of the
// problems not listed.
func (e *Error) Lines(l i18n.Lang) []string {
	out := make([]string, 0, len(e.Problems)+len(e.More))
	for _, p := range e.Problems {
		out = append(out, p.Text(l))
	}
	for _, m := range e.More {
		out = append(out, m.Text(l))
	}
	return out
}
