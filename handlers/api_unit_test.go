package handlers

import (
	"strconv"
	"strings"
	"testing"
)

// TestAPIWorkedExample checks scoring.md §3 end to end: Sở Văn hóa, Thể
// thao và Du lịch, Gia Lai, period 2026, with the table's counts (the
// province-level metrics on the province's row) must show the published
// group scores CKMB 11.79, TDGQ 19.97, MDSH 14.18, MDHL 18.00 through the
// API.
func TestAPIWorkedExample(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, memSource{ds: fixture()}, nil)
	r := doRequest(t, app, "GET", "/api/v1/units/H21.17?period=2026")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	body := string(r.body)
	// Raw text: numbers carry exactly two decimals.
	for _, s := range []string{`"score":11.79`, `"score":19.97`, `"score":14.18`, `"score":18.00`,
		`"total":79.27`, `"max_total":100.00`, `"band":"Khá"`, `"ratio":2.13`, `"points":0.13`, `"max":18.00`} {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %s", s)
		}
	}
	requireKeys(t, "unit answer", r.body, "unit", "period", "total", "max_total", "band", "rank", "rank_of", "groups")

	var u tUnit
	decode(t, r.body, &u)
	for code, want := range map[string]string{"CKMB": "11.79", "TDGQ": "19.97", "MDSH": "14.18", "MDHL": "18.00",
		"DVCTT": "6.72", "TTTT": "8.61"} {
		if got := u.group(code); got != want {
			t.Errorf("group %s = %s, want %s", code, got, want)
		}
	}
	if u.Unit.Code != "H21.17" || u.Unit.Name != "Sở Văn hóa, Thể thao và Du lịch" || u.Unit.Kind != "agency" ||
		u.Unit.ParentCode == nil || *u.Unit.ParentCode != "H21" {
		t.Errorf("unit %+v", u.Unit)
	}
	if u.Period != "2026" || u.PeriodKind != "year" || numStr(u.Total) != "79.27" || u.Band == nil || *u.Band != "Khá" {
		t.Errorf("period %s (%s), total %s, band %v", u.Period, u.PeriodKind, numStr(u.Total), u.Band)
	}
	if intStr(u.Rank) != "1" || u.RankOf != 2 || u.TotalChange != nil || u.RankChange != nil {
		t.Errorf("rank %s of %d, change %s/%s; want 1 of 2 and no change (2025 has no data)",
			intStr(u.Rank), u.RankOf, numStr(u.TotalChange), intStr(u.RankChange))
	}
	checkAllMetricsListed(t, &u)

	// Every row of the table: counts, points, source.
	rows := []struct {
		code          string
		num, den      string // "null" when there are no counts
		ratio, points string
		source        string
	}{
		{"ON_TIME_PROCESSING", "653", "654", "99.85", "19.97", "own"},
		{"PUBLISH_ON_TIME", "1", "47", "2.13", "0.13", "province"},
		{"PUBLIC_UPDATE_ON_TIME", "43", "47", "91.49", "3.66", "province"},
		{"PUBLIC_CONTENT_FULL", "47", "47", "100.00", "2.00", "province"},
		{"DOSSIER_SYNC", "547", "547", "100.00", "6.00", "own"},
		{"ORIGINAL_RESULT_AVAILABLE", "610", "654", "93.27", "5.60", "own"},
		{"SO_HOA_GIAY_TO_GIAI_QUYET", "603", "654", "92.20", "3.69", "own"},
		{"REUSED_DIGITIZED_DATA", "636", "654", "97.25", "2.00", "own"},
		{"SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "0", "654", "0.00", "0.00", "own"},
		{"CITIZEN_DATA_CONNECTED_DOSSIER", "220", "654", "33.64", "0.67", "own"},
		{"CITIZEN_DATA_CONNECTED_FORMALITY", "16", "147", "10.88", "0.22", "own"},
		{"DOSSIER_RECEIVING_SATISFACTION", "653", "654", "99.85", "6.00", "own"},
		// Denominator 0: counts shown, ratio null, the "full" rule applies.
		{"PETITION_PROCESSING_ON_TIME", "0", "0", "null", "6.00", "own"},
		{"PETITION_HANDLING_SATISFACTION", "0", "0", "null", "6.00", "own"},
	}
	for _, row := range rows {
		m := u.metric(t, row.code)
		got := []string{i64Str(m.Numerator), i64Str(m.Denominator), numStr(m.Ratio), m.Points.String(), m.Source}
		want := []string{row.num, row.den, row.ratio, row.points, row.source}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: n d ratio points source = %v, want %v", row.code, got, want)
		}
	}
	// "no counts": the row had both cells empty.
	ecc := u.metric(t, "ELECTRONIC_CERTIFIED_COPY")
	if ecc.Numerator != nil || ecc.Denominator != nil || ecc.Ratio != nil || ecc.Points.String() != "2.00" || !ecc.NoData {
		t.Errorf("ELECTRONIC_CERTIFIED_COPY %+v", ecc)
	}
	if th := u.metric(t, "REUSED_DIGITIZED_DATA").Threshold; numStr(th) != "80.00" {
		t.Errorf("REUSED_DIGITIZED_DATA threshold %s, want 80.00 (percent)", numStr(th))
	}
	if info := u.metric(t, "PETITION_CLASSIFICATION_TTHC"); info.Rule != "info" || info.Max.String() != "0.00" {
		t.Errorf("info metric %+v", info)
	}
}

func i64Str(n *int64) string {
	if n == nil {
		return "null"
	}
	return strconv.FormatInt(*n, 10)
}
