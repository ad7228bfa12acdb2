package store

import (
	"slices"
	"testing"

	"scorecard/scoring"
)

// fullMigrations is the whole list, whatever a test leaves in migrations.
var fullMigrations = migrations

// withScoreTables is an older schema (list) with the score tables added:
// today's writes move the score epoch, so a test that writes into an older
// schema with today's code needs them.
func withScoreTables(list []migration) []migration {
	out := slices.Clone(list)
	for _, id := range []string{"202612210101_period_scores", "202612220101_period_totals"} {
		at := slices.IndexFunc(fullMigrations, func(m migration) bool { return m.id == id })
		out = append(out, fullMigrations[at])
	}
	return out
}

// A counts row as SQLite joins it reads back whole: empty numbers are "no
// counts", the unit's code (last) may hold anything, a row that is not one
// is refused.
func TestSplitCounts(t *testing.T) {
	str := interner{}.str
	for _, c := range []struct {
		line string
		key  scoring.Key
		want scoring.Counts
		ok   bool
	}{
		{"2024-04\x1fON_TIME_PROCESSING\x1f653\x1f654\x1fBK.SGTVT", scoring.Key{Period: "2024-04", Unit: "BK.SGTVT", Metric: "ON_TIME_PROCESSING"}, scoring.C(653, 654), true},
		{"2024-Q2\x1fPUBLISH_ON_TIME\x1f\x1f\x1fBK", scoring.Key{Period: "2024-Q2", Unit: "BK", Metric: "PUBLISH_ON_TIME"}, scoring.Counts{}, true},
		{"2024-04\x1fM\x1f0\x1f9007199254740993\x1fA\x1fB", scoring.Key{Period: "2024-04", Unit: "A\x1fB", Metric: "M"}, scoring.C(0, 9007199254740993), true},
		{"2024-04\x1fM\x1f1\x1fBK", scoring.Key{}, scoring.Counts{}, false},
		{"2024-04\x1fM\x1fx\x1f2\x1fBK", scoring.Key{}, scoring.Counts{}, false},
	} {
		k, got, ok := splitCounts([]byte(c.line), str)
		if ok != c.ok || (ok && (k != c.key || got != c.want)) {
			t.Errorf("%q: %+v %+v %v, want %+v %+v %v", c.line, k, got, ok, c.key, c.want, c.ok)
		}
	}
}
