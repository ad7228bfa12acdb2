package present

import (
	"math"
	"testing"
	"time"

	"scorecard/i18n"
	"scorecard/scoring"
)

func TestInt(t *testing.T) {
	for _, tc := range []struct {
		n      int64
		vi, en string
	}{
		{0, "0", "0"}, {7, "7", "7"}, {999, "999", "999"}, {1000, "1.000", "1,000"}, {12345, "12.345", "12,345"},
		{1234567, "1.234.567", "1,234,567"}, {-1234, "-1.234", "-1,234"}, {-999, "-999", "-999"}, {-5, "-5", "-5"},
		{-45000, "-45.000", "-45,000"}, {-15499, "-15.499", "-15,499"},
		{math.MaxInt64, "9.223.372.036.854.775.807", "9,223,372,036,854,775,807"},
		{math.MinInt64, "-9.223.372.036.854.775.808", "-9,223,372,036,854,775,808"},
	} {
		if got := Int(i18n.VI, tc.n); got != tc.vi {
			t.Errorf("Int(vi, %d) = %q, want %q", tc.n, got, tc.vi)
		}
		if got := Int(i18n.EN, tc.n); got != tc.en {
			t.Errorf("Int(en, %d) = %q, want %q", tc.n, got, tc.en)
		}
	}
}

func TestCentsKinds(t *testing.T) {
	for _, tc := range []struct {
		l                   i18n.Lang
		c                   scoring.Cents
		score, pct, maximum string
	}{
		{i18n.VI, 7535, "75,35", "75,35%", "75,35"},
		{i18n.VI, 1800, "18,00", "18,00%", "18"},
		{i18n.VI, 650, "6,50", "6,50%", "6,5"},
		{i18n.VI, 25, "0,25", "0,25%", "0,25"},
		{i18n.VI, 0, "0,00", "0,00%", "0"},
		{i18n.VI, 123450, "1.234,50", "1.234,50%", "1.234,5"},
		{i18n.VI, -120, "-1,20", "-1,20%", "-1,2"},
		{i18n.VI, 123456789, "1.234.567,89", "1.234.567,89%", "1.234.567,89"},
		{i18n.VI, 5, "0,05", "0,05%", "0,05"},
		{i18n.EN, 123450, "1,234.50", "1,234.50%", "1,234.5"},
		{i18n.EN, -120, "-1.20", "-1.20%", "-1.2"},
		{i18n.EN, 1800, "18.00", "18.00%", "18"},
	} {
		if got := Score(tc.l, tc.c); got != tc.score {
			t.Errorf("Score(%s, %d) = %q, want %q", tc.l, tc.c, got, tc.score)
		}
		if got := Percent(tc.l, tc.c); got != tc.pct {
			t.Errorf("Percent(%s, %d) = %q, want %q", tc.l, tc.c, got, tc.pct)
		}
		if got := Max(tc.l, tc.c); got != tc.maximum {
			t.Errorf("Max(%s, %d) = %q, want %q", tc.l, tc.c, got, tc.maximum)
		}
	}
}

func TestDate(t *testing.T) {
	// 17:30 UTC on 26 April is already 27 April in Vietnam.
	d := time.Date(2024, 4, 26, 17, 30, 0, 0, time.UTC)
	if got := Date(i18n.VI, d); got != "27/04/2024" {
		t.Errorf("Date(vi) = %q, want 27/04/2024", got)
	}
	if got := Date(i18n.EN, d); got != "27 Apr 2024" {
		t.Errorf("Date(en) = %q, want 27 Apr 2024", got)
	}
	if got := Moment(i18n.VI, d); got != "00:30 ngày 27/04/2024" {
		t.Errorf("Moment(vi) = %q", got)
	}
	if got := Moment(i18n.EN, d); got != "00:30 on 27 Apr 2024" {
		t.Errorf("Moment(en) = %q", got)
	}
}

func TestPeriod(t *testing.T) {
	for _, tc := range []struct {
		p, vi, en, short string
	}{
		{"2024-04", "Tháng 04/2024", "Apr 2024", "04/2024"},
		{"2024-Q2", "Quý II/2024", "Q2 2024", "Q2/2024"},
		{"2024-H1", "6 tháng đầu năm 2024", "H1 2024", "H1/2024"},
		{"2024-H2", "6 tháng cuối năm 2024", "H2 2024", "H2/2024"},
		{"2024", "Năm 2024", "2024", "2024"},
	} {
		p := scoring.MustPeriod(tc.p)
		if got := Period(i18n.VI, p); got != tc.vi {
			t.Errorf("Period(vi, %s) = %q, want %q", tc.p, got, tc.vi)
		}
		if got := Period(i18n.EN, p); got != tc.en {
			t.Errorf("Period(en, %s) = %q, want %q", tc.p, got, tc.en)
		}
		if got := PeriodShort(p); got != tc.short {
			t.Errorf("PeriodShort(%s) = %q, want %q", tc.p, got, tc.short)
		}
	}
	p := scoring.MustPeriod("2024-04")
	if got := Lower(i18n.VI, Period(i18n.VI, p)); got != "tháng 04/2024" {
		t.Errorf("Lower(vi) = %q", got)
	}
	if got := Lower(i18n.EN, Period(i18n.EN, p)); got != "Apr 2024" {
		t.Errorf("Lower(en) = %q", got)
	}
}

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{"Tháng 04/2024": "tháng 04/2024", "Đủ điểm": "đủ điểm", "": "", "6 tháng": "6 tháng"} {
		if got := LowerFirst(in); got != want {
			t.Errorf("LowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

// A province's rank word is a common noun inside a sentence; a ministry's
// name and an abbreviation are written as they are.
func TestProvinceInSentence(t *testing.T) {
	for in, want := range map[string]string{"Tỉnh Bắc Kạn": "tỉnh Bắc Kạn", "Thành phố Hà Nội": "thành phố Hà Nội",
		"Bộ Tài chính": "Bộ Tài chính", "UBND tỉnh Bắc Kạn": "UBND tỉnh Bắc Kạn", "TP. Huế": "TP. Huế"} {
		if got := ProvinceInSentence(in); got != want {
			t.Errorf("ProvinceInSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKinds(t *testing.T) {
	if got := Kind(i18n.VI, scoring.KindAgency, scoring.Period{}); got != "Sở, ban, ngành" {
		t.Errorf("Kind(vi, agency) = %q", got)
	}
	if got := KindLower(i18n.EN, scoring.KindAgency, scoring.Period{}); got != "provincial agencies" {
		t.Errorf("KindLower(en, agency) = %q", got)
	}
	if got := KindOne(i18n.VI, scoring.UnitKind("x"), scoring.Period{}); got != "x" {
		t.Errorf("KindOne of an unknown kind = %q", got)
	}
}

func TestChanges(t *testing.T) {
	c := func(v scoring.Cents) *scoring.Cents { return &v }
	i := func(v int) *int { return &v }
	for _, tc := range []struct {
		got               Change
		known             bool
		arrow, text, word string
	}{
		{ScoreChange(i18n.VI, c(120)), true, "▲", "1,20", "tăng 1,20 điểm"},
		{ScoreChange(i18n.VI, c(-35)), true, "▼", "0,35", "giảm 0,35 điểm"},
		{ScoreChange(i18n.VI, c(0)), true, "=", "0,00", "không đổi"},
		{ScoreChange(i18n.VI, nil), false, "", "", "chưa có kỳ trước"},
		{ScoreChange(i18n.EN, c(120)), true, "▲", "1.20", "up 1.20 points"},
		{RankChange(i18n.VI, i(2)), true, "▲", "2", "tăng 2 bậc"},
		{RankChange(i18n.VI, i(-3)), true, "▼", "3", "giảm 3 bậc"},
		{RankChange(i18n.VI, i(0)), true, "=", "0", "giữ nguyên"},
		{RankChange(i18n.VI, nil), false, "", "", "chưa có kỳ trước"},
		{RankChange(i18n.EN, i(-3)), true, "▼", "3", "down 3 places"},
	} {
		if tc.got.Known != tc.known || tc.got.Arrow != tc.arrow || tc.got.Text != tc.text {
			t.Errorf("change = %+v, want %v %q %q", tc.got, tc.known, tc.arrow, tc.text)
		}
		if len(tc.got.Label) < len(tc.word) || tc.got.Label[:len(tc.word)] != tc.word {
			t.Errorf("label %q does not start with %q", tc.got.Label, tc.word)
		}
	}
}

func TestName(t *testing.T) {
	if Name(i18n.EN, "Tốt", "Good") != "Good" || Name(i18n.VI, "Tốt", "Good") != "Tốt" || Name(i18n.EN, "Tốt", "") != "Tốt" {
		t.Error("Name must choose English only on English pages and only when given")
	}
}

// The commune level is worded as the period's country had it: "thị trấn"
// until 30/06/2025, "đặc khu" from 01/07/2025; a period across the change
// takes the wording of its end, and the districts' name never changes.
func TestKindsFollowThePeriod(t *testing.T) {
	for _, c := range []struct {
		p         string
		kind, one string
		lower     string
		recipient string
	}{
		{"2024-04", "Xã, phường, thị trấn", "Xã, phường, thị trấn", "xã, phường, thị trấn", "UBND các xã, phường, thị trấn;"},
		{"2025-06", "Xã, phường, thị trấn", "Xã, phường, thị trấn", "xã, phường, thị trấn", "UBND các xã, phường, thị trấn;"},
		{"2025-H1", "Xã, phường, thị trấn", "Xã, phường, thị trấn", "xã, phường, thị trấn", "UBND các xã, phường, thị trấn;"},
		{"2025-07", "Xã, phường, đặc khu", "Xã, phường, đặc khu", "xã, phường, đặc khu", "UBND các xã, phường, đặc khu;"},
		{"2025-Q3", "Xã, phường, đặc khu", "Xã, phường, đặc khu", "xã, phường, đặc khu", "UBND các xã, phường, đặc khu;"},
		{"2025", "Xã, phường, đặc khu", "Xã, phường, đặc khu", "xã, phường, đặc khu", "UBND các xã, phường, đặc khu;"},
		{"2026-10", "Xã, phường, đặc khu", "Xã, phường, đặc khu", "xã, phường, đặc khu", "UBND các xã, phường, đặc khu;"},
	} {
		p, err := scoring.ParsePeriod(c.p)
		if err != nil {
			t.Fatal(err)
		}
		if got := Kind(i18n.VI, scoring.KindCommune, p); got != c.kind {
			t.Errorf("Kind(vi, commune, %s) = %q, want %q", c.p, got, c.kind)
		}
		if got := KindOne(i18n.VI, scoring.KindCommune, p); got != c.one {
			t.Errorf("KindOne(vi, commune, %s) = %q, want %q", c.p, got, c.one)
		}
		if got := KindLower(i18n.VI, scoring.KindCommune, p); got != c.lower {
			t.Errorf("KindLower(vi, commune, %s) = %q, want %q", c.p, got, c.lower)
		}
		if got := i18n.VI.T(KindKey("reportdoc.recipient", scoring.KindCommune, p)); got != c.recipient {
			t.Errorf("recipient of communes in %s = %q, want %q", c.p, got, c.recipient)
		}
		if got := Kind(i18n.VI, scoring.KindDistrict, p); got != "Huyện, thị xã, thành phố" {
			t.Errorf("Kind(vi, district, %s) = %q", c.p, got)
		}
		if got := Kind(i18n.EN, scoring.KindCommune, p); got != "Communes" {
			t.Errorf("Kind(en, commune, %s) = %q", c.p, got)
		}
	}
	if got := Kind(i18n.VI, scoring.KindCommune, scoring.Period{}); got != "Xã, phường, đặc khu" {
		t.Errorf("with no period in view the commune level is today's: %q", got)
	}
}

// A rank change of one place is worded in the singular in English.
func TestRankChangeOnePlace(t *testing.T) {
	one, two := 1, -2
	if got := RankChange(i18n.EN, &one).Label; got != "up 1 place since the previous period" {
		t.Errorf("%q", got)
	}
	if got := RankChange(i18n.EN, &two).Label; got != "down 2 places since the previous period" {
		t.Errorf("%q", got)
	}
}
