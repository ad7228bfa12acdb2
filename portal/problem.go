package portal

import (
	"fmt"
	"sort"
	"strings"

	"scorecard/i18n"
	"scorecard/scoring"
)

// maxListed is how many problems a refusal lists; the rest are counted.
// A capture with a hundred bad units usually has one mistake repeated.
const maxListed = 200

// keepProblems bounds the memory spent on a file of garbage.
const keepProblems = 5000

// Problem is one reason a capture or response was refused: where (the file
// inside the capture, and the place inside the file as a JSON path such as
// data.evaluation[3].metrics[1].numerator) and why, as a message of the
// catalogue (i18n key "portal.problem.*" with its arguments).
type Problem struct {
	File  string
	Place string
	Key   string
	Args  []any
}

// Text is the problem in language l: "Tệp a.json, data.parent: …".
func (p Problem) Text(l i18n.Lang) string {
	var where []string
	if p.File != "" {
		where = append(where, l.T("portal.where.file", p.File))
	}
	if p.Place != "" {
		where = append(where, p.Place)
	}
	msg := l.T(p.Key, localArgs(l, p.Args)...)
	if len(where) == 0 {
		return msg
	}
	return strings.Join(where, ", ") + ": " + msg
}

// localArgs writes numbers the way language l does (1.234.567 in
// Vietnamese, 1,234,567 in English); the messages take every argument as
// a string (%s).
func localArgs(l i18n.Lang, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		var n int64
		switch v := a.(type) {
		case int:
			n = int64(v)
		case int64:
			n = v
		default:
			out[i] = fmt.Sprint(a)
			continue
		}
		if l == i18n.EN {
			out[i] = scoring.FormatIntEN(n)
		} else {
			out[i] = scoring.FormatIntVI(n)
		}
	}
	return out
}

// tr is message key in language l with localArgs.
func tr(l i18n.Lang, key string, args ...any) string { return l.T(key, localArgs(l, args)...) }

// String is the problem in English (logs, errors).
func (p Problem) String() string { return p.Text(i18n.EN) }

// ProblemsError is the refusal of a capture or of bare responses: nothing
// was written. Test for it with errors.As.
type ProblemsError struct {
	// Name is the capture (folder or zip) or the first response file.
	Name string
	// Problems lists the problems found, sorted by file and place, at most
	// maxListed.
	Problems []Problem
	// Total is how many were found, listed or not.
	Total int
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "portal: %s refused: %d problem(s)", e.Name, e.Total)
	if len(e.Problems) > 0 {
		b.WriteString("; first: " + e.Problems[0].String())
	}
	return b.String()
}

// Lines is one line per problem in language l, with a last line counting
// those not listed.
func (e *ProblemsError) Lines(l i18n.Lang) []string {
	out := make([]string, 0, len(e.Problems)+1)
	for _, p := range e.Problems {
		out = append(out, p.Text(l))
	}
	if more := e.Total - len(e.Problems); more > 0 {
		out = append(out, tr(l, "portal.problem.more", more))
	}
	return out
}

// problems collects the problems of one capture.
type problems struct {
	list  []Problem
	total int
}

func (ps *problems) add(file, place, key string, args ...any) {
	ps.total++
	if len(ps.list) < keepProblems {
		ps.list = append(ps.list, Problem{File: file, Place: place, Key: key, Args: args})
	}
}

func (ps *problems) empty() bool { return ps.total == 0 }

// err sorts the problems (the capture's own first, then by file, keeping
// each file's order) and caps the list.
func (ps *problems) err(name string) *ProblemsError {
	list := append([]Problem(nil), ps.list...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].File < list[j].File })
	if len(list) > maxListed {
		list = list[:maxListed]
	}
	return &ProblemsError{Name: name, Problems: list, Total: ps.total}
}
