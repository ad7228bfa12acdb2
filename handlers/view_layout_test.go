package handlers

import (
	"testing"

	"scorecard/i18n"
	"scorecard/scoring"
)

func TestAvgCents(t *testing.T) {
	for _, tc := range []struct {
		sum  scoring.Cents
		n    int
		want scoring.Cents
	}{
		{300, 3, 100}, {100, 3, 33}, {200, 3, 67}, {1, 2, 1}, {0, 0, 0}, {-100, 3, -33}, {-1, 2, -1},
	} {
		if got := avgCents(tc.sum, tc.n); got != tc.want {
			t.Errorf("avgCents(%d, %d) = %d, want %d", tc.sum, tc.n, got, tc.want)
		}
	}
}

func TestPeriodOptions(t *testing.T) {
	ps := []scoring.Period{scoring.MustPeriod("2024-04"), scoring.MustPeriod("2024-Q2"), scoring.MustPeriod("2024-H1"),
		scoring.MustPeriod("2024"), scoring.MustPeriod("2024-03")}
	groups := periodOptions(i18n.VI, ps, scoring.MustPeriod("2019-01"))
	if len(groups) != 4 || groups[0].Label != "Tháng" || groups[1].Label != "Quý" || groups[2].Label != "6 tháng" || groups[3].Label != "Năm" {
		t.Fatalf("groups = %+v", groups)
	}
	// A chosen period without data is listed, selected, in order.
	m := groups[0].Options
	if len(m) != 3 || m[0].Value != "2024-04" || m[1].Value != "2024-03" || m[2].Value != "2019-01" || !m[2].Selected || m[0].Selected {
		t.Errorf("months = %+v", m)
	}
}

func TestTrendPeriods(t *testing.T) {
	var months []scoring.Period
	for p := scoring.MustPeriod("2023-01"); p != scoring.MustPeriod("2024-05"); p = p.Next() {
		months = append([]scoring.Period{p}, months...)
	}
	e := &env{periods: months}
	got := trendPeriods(e, scoring.MustPeriod("2024-04"))
	if len(got) != 12 || got[0].String() != "2023-05" || got[11].String() != "2024-04" {
		t.Errorf("trend of 2024-04 = %v", got)
	}
	// A quarter ends at its last month.
	got = trendPeriods(e, scoring.MustPeriod("2024-Q1"))
	if got[len(got)-1].String() != "2024-03" {
		t.Errorf("trend of 2024-Q1 ends at %v", got[len(got)-1])
	}
	// Without monthly data, the latest periods of the same kind.
	e = &env{periods: []scoring.Period{scoring.MustPeriod("2025"), scoring.MustPeriod("2024"), scoring.MustPeriod("2023")}}
	got = trendPeriods(e, scoring.MustPeriod("2024"))
	if len(got) != 2 || got[0].String() != "2023" || got[1].String() != "2024" {
		t.Errorf("yearly trend = %v", got)
	}
}
