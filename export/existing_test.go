package export_test

import (
	"strings"
	"testing"

	"scorecard/export"
	"scorecard/scoring"
)

// The year of the merger is its successors': the counts file of 2025 lists
// no counts derived for a unit that no longer exists at its end, while the
// units existing in it have theirs; the scores list existing units only.
func TestExportsListExistingUnits(t *testing.T) {
	schemes, ds := demoData(t)
	eng := scoring.NewEngine(schemes, ds)
	ps := eng.Score(scoring.MustPeriod("2025"))
	counts := export.CountsTable(ps, "", true)
	seen := map[string]bool{}
	for _, r := range counts.Rows {
		code := r[1].(string)
		u, _ := eng.Unit(code)
		if !u.ExistsIn(ps.Period) {
			t.Fatalf("counts of 2025 list %s, which ends %s", code, u.Until().Format("2006-01-02"))
		}
		seen[code] = true
	}
	if !seen["TN"] || !seen["TN.CHORA"] {
		t.Errorf("counts of 2025 lack the units existing in it (TN %v, TN.CHORA %v)", seen["TN"], seen["TN.CHORA"])
	}
	// June 2025 is still Bắc Kạn's.
	june := export.CountsTable(eng.Score(scoring.MustPeriod("2025-06")), "", true)
	found := false
	for _, r := range june.Rows {
		found = found || strings.HasPrefix(r[1].(string), "BK.")
	}
	if !found {
		t.Errorf("counts of 06/2025 lack Bắc Kạn's units")
	}
	scores := export.ScoresTable(ps, nil, "")
	for _, r := range scores.Rows {
		if u, _ := eng.Unit(r[1].(string)); !u.ExistsIn(ps.Period) {
			t.Errorf("scores of 2025 list %s", u.Code)
		}
	}
}
