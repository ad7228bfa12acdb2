package handlers

import (
	"math"
	"testing"
	"time"

	"scorecard/i18n"
	"scorecard/scoring"
)

func TestIntVI(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1.000"}, {12345, "12.345"}, {1234567, "1.234.567"},
		{-1234, "-1.234"}, {-999, "-999"}, {math.MaxInt64, "9.223.372.036.854.775.807"},
		{math.MinInt64, "-9.223.372.036.854.775.808"},
	} {
		if got := intL(i18n.VI, tc.n); got != tc.want {
			t.Errorf("intL(vi, %d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestCentsFormats(t *testing.T) {
	for _, tc := range []struct {
		c                 scoring.Cents
		cents, pct, short string
	}{
		{7535, "75,35", "75,35%", "75,35"},
		{1800, "18,00", "18,00%", "18"},
		{650, "6,50", "6,50%", "6,5"},
		{25, "0,25", "0,25%", "0,25"},
		{0, "0,00", "0,00%", "0"},
		{123450, "1.234,50", "1.234,50%", "1.234,5"},
		{-120, "-1,20", "-1,20%", "-1,2"},
	} {
		if got := centsVI(tc.c); got != tc.cents {
			t.Errorf("centsVI(%d) = %q, want %q", tc.c, got, tc.cents)
		}
		if got := pctVI(tc.c); got != tc.pct {
			t.Errorf("pctVI(%d) = %q, want %q", tc.c, got, tc.pct)
		}
		if got := shortVI(tc.c); got != tc.short {
			t.Errorf("shortVI(%d) = %q, want %q", tc.c, got, tc.short)
		}
	}
}

func TestDateVI(t *testing.T) {
	// 17:30 UTC on 26 April is already 27 April in Vietnam.
	d := time.Date(2024, 4, 26, 17, 30, 0, 0, time.UTC)
	if got := dateVI(d); got != "27/04/2024" {
		t.Errorf("dateVI = %q, want 27/04/2024", got)
	}
}

func TestChanges(t *testing.T) {
	c := func(v scoring.Cents) *scoring.Cents { return &v }
	i := func(v int) *int { return &v }
	for _, tc := range []struct {
		got               change
		known             bool
		arrow, text, word string
	}{
		{scoreChange(c(120)), true, "▲", "1,20", "tăng 1,20 điểm"},
		{scoreChange(c(-35)), true, "▼", "0,35", "giảm 0,35 điểm"},
		{scoreChange(c(0)), true, "=", "0,00", "không đổi"},
		{scoreChange(nil), false, "", "", "chưa có kỳ trước"},
		{rankChange(i(2)), true, "▲", "2", "tăng 2 bậc"},
		{rankChange(i(-3)), true, "▼", "3", "giảm 3 bậc"},
		{rankChange(i(0)), true, "=", "0", "giữ nguyên"},
		{rankChange(nil), false, "", "", "chưa có kỳ trước"},
	} {
		if tc.got.Known != tc.known || tc.got.Arrow != tc.arrow || tc.got.Text != tc.text {
			t.Errorf("change = %+v, want %v %q %q", tc.got, tc.known, tc.arrow, tc.text)
		}
		if len(tc.got.Label) < len(tc.word) || tc.got.Label[:len(tc.word)] != tc.word {
			t.Errorf("label %q does not start with %q", tc.got.Label, tc.word)
		}
	}
}

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{"Tháng 04/2024": "tháng 04/2024", "Đủ điểm": "đủ điểm", "": "", "6 tháng": "6 tháng"} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

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

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"": false, "gzip": true, "br, gzip": true, "GZIP": true, "gzip;q=0": false, "gzip; q=0.5": true,
		"deflate": false, "gzip;q=0.0": false, "x-gzip": false,
	} {
		if got := acceptsGzip(h); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", h, got, want)
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
