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

// Totals kept by an earlier version of the program (another form) do not
// count as kept, and scores saved again at the same version in the current
// form replace them; the same totals saved twice, or none, change nothing.
func TestKeptTotalsOfAnotherForm(t *testing.T) {
	t.Parallel()
	both(t, func(t *testing.T, open opener) {
		s := open(t)
		ctx := t.Context()
		versions := map[string]int64{"2024-04": 3, "2024-05": 3}
		kept := func(form string) map[string]bool {
			t.Helper()
			k, err := s.KeptPeriods(ctx, versions, []byte(form))
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		totals := func(period string) string {
			t.Helper()
			got, err := s.SavedTotals(ctx, map[string]int64{period: 3})
			if err != nil {
				t.Fatal(err)
			}
			return string(got[period])
		}
		save := func(period, body, totals string) {
			t.Helper()
			var tb []byte
			if totals != "" {
				tb = []byte(totals)
			}
			if err := s.SaveScores(ctx, period, 3, []byte(body), tb); err != nil {
				t.Fatal(err)
			}
		}
		save("2024-04", "SC1 a", "ST2 old")
		save("2024-05", "SC1 b", "ST3 new")
		if k := kept("ST3"); !k["2024-05"] || k["2024-04"] {
			t.Errorf("kept in the current form: %v, want 2024-05 only", k)
		}
		if k := kept("ST2"); !k["2024-04"] || k["2024-05"] {
			t.Errorf("kept in the older form: %v, want 2024-04 only", k)
		}
		save("2024-04", "SC1 a", "ST3 new")
		if got := totals("2024-04"); got != "ST3 new" {
			t.Errorf("totals kept again in the current form: %q", got)
		}
		if k := kept("ST3"); !k["2024-04"] || !k["2024-05"] {
			t.Errorf("kept after the upgrade: %v, want both", k)
		}
		save("2024-05", "SC1 other", "")
		if got, err := s.SavedScores(ctx, "2024-05", 3); err != nil || string(got) != "SC1 b" || totals("2024-05") != "ST3 new" {
			t.Errorf("saved without totals over kept ones: %q %q (%v), want them kept", got, totals("2024-05"), err)
		}
	})
}
