package importer

import (
	"errors"

	"scorecard/internal/tabular"
	"scorecard/store"
)

// DefaultMaxProblems is how many problems of one file are kept in full;
// the rest are counted by kind ("… và 2.981.714 lỗi khác cùng loại").
const DefaultMaxProblems = tabular.DefaultMaxProblems

// Problem is one reason a file was refused: its row and column, and a
// message of the catalogue (i18n) worded in the reader's language
// (Text, Message; String in English).
type Problem = tabular.Problem

// ProblemsError is the error Import returns when it refuses a file; nothing
// of the file was written. Test for it with errors.As. Lines words it in a
// language.
type ProblemsError = tabular.Error

// AuditDetail is what the audit trail keeps of a refused file, imported
// from source (models.Source*): how many problems, the first (in English,
// as the trail has always kept it), and the published periods it would
// have changed when that is why (err, the import's error, wraps a
// *store.PublishedError).
func AuditDetail(e *ProblemsError, err error, source string) map[string]any {
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
