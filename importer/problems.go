package importer

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"scorecard/scoring"
	"scorecard/store"
)

// DefaultMaxProblems is how many problems of one file are listed; the rest
// are counted in a last line ("… và N lỗi khác"). A file with thousands of
// bad rows usually has one mistake repeated, and a page listing them all
// helps nobody.
const DefaultMaxProblems = 200

// keepProblems bounds the memory spent on a file of garbage: past this many
// problems only the count grows.
const keepProblems = 20000

// Problem is one reason a file was refused.
type Problem struct {
	// Row is the 1-based row of the file, the header being row 1 (the line
	// number in a CSV file, the row number in the sheet); 0 for a problem of
	// the whole file.
	Row int
	// Column is the header name of the column at fault ("" if none).
	Column string
	// Message is the explanation in Vietnamese, for the web UI.
	Message string
	// MessageEN is the same in English, for the command line.
	MessageEN string
}

// String is the problem in English: "row 3, column period: …".
func (p Problem) String() string {
	return p.where("file", "row", "column") + p.MessageEN
}

// StringVI is the problem in Vietnamese: "Dòng 3, cột period: …".
func (p Problem) StringVI() string {
	return p.where("Tệp", "Dòng", "cột") + p.Message
}

func (p Problem) where(file, row, column string) string {
	var b strings.Builder
	if p.Row > 0 {
		b.WriteString(row + " " + strconv.Itoa(p.Row))
	} else if p.Column == "" {
		b.WriteString(file)
	}
	if p.Column != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		} else {
			column = strings.ToUpper(column[:1]) + column[1:]
		}
		b.WriteString(column + " " + p.Column)
	}
	if b.Len() == 0 {
		return ""
	}
	return b.String() + ": "
}

// ProblemsError is the error Import returns when it refuses a file; nothing
// of the file was written. Test for it with errors.As.
type ProblemsError struct {
	FileName string
	// Problems lists the problems found, by row, at most the importer's
	// cap; when there were more, the last entry says how many more.
	Problems []Problem
	// Total is the number of problems found, listed or not.
	Total int
}

// AuditDetail is what the audit trail keeps of a refused file, imported
// from source (models.Source*): how many problems, the first, and the
// published periods it would have changed when that is why (err, the
// import's error, wraps a *store.PublishedError).
func (e *ProblemsError) AuditDetail(err error, source string) map[string]any {
	detail := map[string]any{"problems": e.Total, "source": source}
	if len(e.Problems) > 0 {
		detail["first"] = e.Problems[0].String()
	}
	var pub *store.PublishedError
	if errors.As(err, &pub) {
		var periods []string
		for _, p := range pub.Periods {
			periods = append(periods, p.Period)
		}
		detail["published_periods"] = periods
	}
	return detail
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "importer: %s refused: %d problem(s)", e.FileName, e.Total)
	if len(e.Problems) > 0 {
		b.WriteString("; first: " + e.Problems[0].String())
	}
	return b.String()
}

// Lines returns one line per problem, in Vietnamese or English.
func (e *ProblemsError) Lines(vietnamese bool) []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		if vietnamese {
			out[i] = p.StringVI()
		} else {
			out[i] = p.String()
		}
	}
	return out
}

// problems collects the problems of one file.
type problems struct {
	list  []Problem
	total int
}

func (ps *problems) add(row int, column, vi, en string) {
	ps.total++
	if column != "" {
		// Column names come from the file: keep them printable.
		column = strings.Trim(quote(column), `"`)
	}
	if len(ps.list) < keepProblems {
		ps.list = append(ps.list, Problem{Row: row, Column: column, Message: vi, MessageEN: en})
	}
}

func (ps *problems) addf(row int, column string, vi, en string, args ...any) {
	ps.add(row, column, fmt.Sprintf(vi, args...), fmt.Sprintf(en, args...))
}

func (ps *problems) empty() bool { return ps.total == 0 }

// err sorts the problems by row (file-level first) and caps the list.
func (ps *problems) err(file string, max int) *ProblemsError {
	list := append([]Problem(nil), ps.list...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].Row < list[j].Row })
	if max <= 0 {
		max = DefaultMaxProblems
	}
	if ps.total > max {
		more := ps.total - max
		list = append(list[:max], Problem{
			Message:   fmt.Sprintf("… và %s lỗi khác (sửa các lỗi trên rồi nhập lại để xem tiếp).", viInt(more)),
			MessageEN: fmt.Sprintf("… and %d more problem(s) (fix the ones above and import again to see the rest).", more),
		})
	}
	return &ProblemsError{FileName: file, Problems: list, Total: ps.total}
}

// viInt writes n the Vietnamese way (1.234.567), for the int counts of
// messages.
func viInt(n int) string { return scoring.FormatIntVI(int64(n)) }
