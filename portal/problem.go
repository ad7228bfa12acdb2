package portal

import (
	"scorecard/i18n"
	"scorecard/internal/tabular"
	"scorecard/present"
)

// ProblemsError is the refusal of a capture or of bare responses: nothing
// was written. It is the importers' own refusal (tabular.Error): each
// problem names the file inside the capture and the place inside it, a
// JSON path such as data.evaluation[3].metrics[1].numerator, and words
// its message (i18n key "portal.problem.*") in the reader's language.
type ProblemsError = tabular.Error

// Problem is one reason of a refusal.
type Problem = tabular.Problem

// problems collects the problems of one capture.
type problems struct{ list tabular.Problems }

// add records a problem in file at place. The messages take every
// argument as text: numbers are shown grouped the reader's way.
func (ps *problems) add(file, place, key string, args ...any) {
	for i, a := range args {
		switch v := a.(type) {
		case int:
			args[i] = tabular.Int(v)
		case int64:
			args[i] = tabular.Int(v)
		}
	}
	ps.list.AddIn(file, place, key, args...)
}

func (ps *problems) total() int { return ps.list.Total() }

func (ps *problems) empty() bool { return ps.list.Empty() }

// err is the refusal of the capture named name.
func (ps *problems) err(name string) *ProblemsError { return ps.list.Err(name) }

// tr is message key in language l, its numbers grouped the language's way
// (a report, not a problem).
func tr(l i18n.Lang, key string, args ...any) string {
	out := make([]any, len(args))
	n := -1 // the count: the first int, for the singular ("1 unit")
	for i, a := range args {
		switch v := a.(type) {
		case int:
			if n < 0 {
				n = v
			}
			out[i] = groupInt(l, int64(v))
		case uint:
			out[i] = groupInt(l, int64(v))
		default:
			out[i] = a
		}
	}
	return l.TN(n, key, out...)
}

func groupInt(l i18n.Lang, n int64) string {
	if l == i18n.EN {
		return present.Int(i18n.EN, n)
	}
	return present.Int(i18n.VI, n)
}
