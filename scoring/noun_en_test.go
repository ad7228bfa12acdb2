package scoring

import (
	"strings"
	"testing"
)

// English counts agree with their noun: "1 more dossier", "2 more dossiers".
func TestNumeratorNounEN(t *testing.T) {
	for code, w := range numeratorNoun {
		m := &Metric{Code: code}
		one, many := NumeratorNounEN(m, 1), NumeratorNounEN(m, 2)
		if one != w[2] || many != w[1] || one == many {
			t.Errorf("%s: one %q, many %q", code, one, many)
		}
	}
	// A metric the list does not know: its English name, lower-cased.
	m := &Metric{Code: "NEW", NameVI: "Tỷ lệ mới", NameEN: "New things"}
	if got := NumeratorNounEN(m, 1); got != "new things" {
		t.Errorf("unknown metric: %q", got)
	}
	st := Stake{Metric: &Metric{Code: "ONLINE_SUBMISSION"}, Kind: StakeCounts, Need: 1,
		Counts: Counts{Num: 1233, Den: 1234, Valid: true}, Ratio: 9992, NewRatio: 10000, Lost: 1}
	_, en := stakeMessages(MustPeriod("2024-04"), st)
	if !strings.HasPrefix(en, "1 more dossier submitted online in the month (of 1,234;") {
		t.Errorf("English message %q", en)
	}
}
