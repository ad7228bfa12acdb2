package handlers

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"scorecard/handlers/pagecache"
	"scorecard/handlers/site"

	"github.com/gofiber/fiber/v2"
)

// apiScenario is one request and what must come back (pocketbase style).
type apiScenario struct {
	name         string
	method       string // GET when empty
	url          string
	wantStatus   int
	wantContains []string // raw body substrings (exact number formatting)
	wantMissing  []string // raw body must not contain these
	check        func(t *testing.T, body []byte)
}

func runScenarios(t *testing.T, app *fiber.App, scenarios []apiScenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			method := sc.method
			if method == "" {
				method = http.MethodGet
			}
			r := doRequest(t, app, method, sc.url)
			if r.status != sc.wantStatus {
				t.Fatalf("status %d, want %d; body %s", r.status, sc.wantStatus, r.body)
			}
			if ct := r.header("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			// An answer is the same for every anonymous visitor: shared, and
			// revalidated by browsers; an error is never kept.
			wantCC := pagecache.SharedCacheControl
			if r.status != http.StatusOK {
				wantCC = "no-cache"
			}
			if cc := r.header("Cache-Control"); cc != wantCC {
				t.Errorf("Cache-Control %q, want %q", cc, wantCC)
			}
			if !json.Valid(r.body) {
				t.Fatalf("invalid JSON: %s", r.body)
			}
			if r.status >= 400 {
				var e struct {
					Error   string `json:"error"`
					ErrorEN string `json:"error_en"`
				}
				decode(t, r.body, &e)
				if e.Error == "" || e.ErrorEN == "" {
					t.Errorf("error body without a message: %s", r.body)
				}
				assertNoLeak(t, r.body)
			}
			body := string(r.body)
			for _, s := range sc.wantContains {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %s:\n%s", s, body)
				}
			}
			for _, s := range sc.wantMissing {
				if strings.Contains(body, s) {
					t.Errorf("body contains %s:\n%s", s, body)
				}
			}
			if sc.check != nil {
				sc.check(t, r.body)
			}
		})
	}
}

func rankRows(t *testing.T, body []byte) []tRankRow {
	t.Helper()
	var rows []tRankRow
	decode(t, body, &rows)
	return rows
}

// summary is "code:rank:total:total_change:rank_change" per row, to compare
// a ranking in one line.
func summary(rows []tRankRow) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s:%s:%s:%s:%s", r.UnitCode, intStr(r.Rank), numStr(r.Total), numStr(r.TotalChange), intStr(r.RankChange)))
	}
	return strings.Join(parts, " ")
}

func wantSummary(want string) func(t *testing.T, body []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		if got := summary(rankRows(t, body)); got != want {
			t.Errorf("ranking\n got %s\nwant %s", got, want)
		}
	}
}

func wantEmptyList(t *testing.T, body []byte) {
	t.Helper()
	if strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("want [], got %s", body)
	}
}

func wantErrorStatus(vi string) func(t *testing.T, body []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		var e site.APIError
		decode(t, body, &e)
		if !strings.Contains(e.Error, vi) {
			t.Errorf("error %q does not contain %q", e.Error, vi)
		}
	}
}

func TestAPIScenarios(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, memSource{ds: fixture()}, nil)

	runScenarios(t, app, []apiScenario{
		// /periods
		{name: "periods newest first", url: "/api/v1/periods", wantStatus: 200,
			wantContains: []string{`{"period":"2024-04","kind":"month"`, `"label":"Tháng 04/2024"`},
			check: func(t *testing.T, body []byte) {
				var ps []struct{ Period, Kind string }
				decode(t, body, &ps)
				var got []string
				for _, p := range ps {
					got = append(got, p.Period+"/"+p.Kind)
				}
				want := "2026/year 2024-04/month 2024-Q2/quarter 2024-03/month 2024-Q1/quarter 2024-H1/half 2024/year"
				if strings.Join(got, " ") != want {
					t.Errorf("periods\n got %s\nwant %s", strings.Join(got, " "), want)
				}
			}},

		// /rankings: success
		{name: "rankings of a province's agencies with changes", url: "/api/v1/rankings?period=2024-04&kind=agency&province=BK", wantStatus: 200,
			wantContains: []string{`"total":34.00`, `"total_change":10.00`, `"total_change":-5.00`, `"max_total":100.00`,
				`"groups":{"CKMB":0.00,"TDGQ":20.00,"DVCTT":0.00,"TTTT":0.00,"MDSH":2.00,"MDHL":12.00}`},
			check: func(t *testing.T, body []byte) {
				wantSummary("BK.SGTVT:1:34.00:10.00:1 BK.STC:2:29.00:-5.00:-1 BK.XSS:3:15.00:null:null BK.SYT:null:14.00:null:null")(t, body)
				rows := rankRows(t, body)
				var raw []json.RawMessage
				decode(t, body, &raw)
				for i := range raw {
					requireKeys(t, "ranking row", raw[i], "rank", "unit_code", "unit_name", "total", "max_total", "band",
						"groups", "total_change", "rank_change", "has_data", "missing", "provisional")
				}
				if r := rows[0]; r.UnitName != "Sở Giao thông vận tải" || r.Band == nil || *r.Band != "Yếu" ||
					!r.HasData || r.RankOf != 3 || r.Period != "2024-04" || r.Provisional {
					t.Errorf("first row %+v", r)
				}
				if r := rows[3]; r.HasData || r.Rank != nil {
					t.Errorf("a unit without data must be unranked: %+v", r)
				}
				// The published shape has numbers there: a unit without
				// data keeps what the no-data rules give (2 + 12), marked
				// by has_data false and a null rank, never null.
				if !strings.Contains(string(raw[3]), `"total":14.00`) ||
					!strings.Contains(string(raw[3]), `"groups":{"CKMB":0.00,"TDGQ":0.00,"DVCTT":0.00,"TTTT":0.00,"MDSH":2.00,"MDHL":12.00}`) {
					t.Errorf("a unit without data must keep numbers in total and groups: %s", raw[3])
				}
			}},
		{name: "rankings default to the newest month and to agencies", url: "/api/v1/rankings?province=BK", wantStatus: 200,
			check: func(t *testing.T, body []byte) {
				rows := rankRows(t, body)
				if len(rows) == 0 || rows[0].Period != "2024-04" || rows[0].UnitCode != "BK.SGTVT" {
					t.Errorf("want 2024-04 agencies of BK, got %s", body)
				}
			}},
		{name: "rankings of all provinces' agencies list the unranked after", url: "/api/v1/rankings?period=2024-04&kind=agency", wantStatus: 200,
			check: func(t *testing.T, body []byte) {
				rows := rankRows(t, body)
				if len(rows) != 6 {
					t.Fatalf("want 6 agencies, got %d: %s", len(rows), summary(rows))
				}
				seenUnranked := false
				for _, r := range rows {
					if r.Rank == nil {
						seenUnranked = true
					} else if seenUnranked {
						t.Errorf("ranked unit after unranked ones: %s", summary(rows))
					}
				}
			}},
		{name: "provinces: pooled province ranked, province without data null", url: "/api/v1/rankings?period=2024-04&kind=province", wantStatus: 200,
			check: func(t *testing.T, body []byte) {
				rows := rankRows(t, body)
				// BK pools its agencies: 36/60 → 12.00 + 2 + 12.
				if got := summary(rows); !strings.HasPrefix(got, "BK:1:26.00:") || !strings.Contains(got, "H21:null:") {
					t.Errorf("got %s", got)
				}
			}},
		{name: "quarter derived from one month is provisional", url: "/api/v1/rankings?period=2024-Q2&kind=agency&province=BK", wantStatus: 200,
			check: func(t *testing.T, body []byte) {
				rows := rankRows(t, body)
				if len(rows) < 1 || rows[0].UnitCode != "BK.SGTVT" || numStr(rows[0].Total) != "34.00" ||
					!rows[0].Provisional || rows[0].MonthsCovered != 1 || numStr(rows[0].TotalChange) != "10.00" {
					t.Errorf("got %+v", rows)
				}
			}},
		{name: "XSS unit name is a proper JSON string", url: "/api/v1/rankings?period=2024-04&province=BK", wantStatus: 200,
			wantMissing: []string{"<script>"},
			check: func(t *testing.T, body []byte) {
				for _, r := range rankRows(t, body) {
					if r.UnitCode == "BK.XSS" {
						if r.UnitName != xssName {
							t.Errorf("name %q, want %q", r.UnitName, xssName)
						}
						return
					}
				}
				t.Errorf("BK.XSS missing")
			}},
		{name: "worked example ranking", url: "/api/v1/rankings?period=2026&kind=agency&province=H21", wantStatus: 200,
			wantContains: []string{`"groups":{"CKMB":11.79,"TDGQ":19.97,"DVCTT":6.72,"TTTT":8.61,"MDSH":14.18,"MDHL":18.00}`,
				`"total":79.27`, `"band":"Khá"`},
			check: wantSummary("H21.17:1:79.27:null:null H21.05:2:29.79:null:null")},
		{name: "period with no data gives an empty list", url: "/api/v1/rankings?period=2023-01&kind=agency", wantStatus: 200, check: wantEmptyList},
		{name: "kind with no data in the period gives an empty list", url: "/api/v1/rankings?period=2024-04&kind=district", wantStatus: 200, check: wantEmptyList},

		// /rankings: errors
		{name: "month 13", url: "/api/v1/rankings?period=2024-13&kind=agency", wantStatus: 400, check: wantErrorStatus("period")},
		{name: "quarter 5", url: "/api/v1/rankings?period=2024-Q5&kind=agency", wantStatus: 400, check: wantErrorStatus("2024-Q5")},
		{name: "lower-case quarter", url: "/api/v1/rankings?period=2024-q2&kind=agency", wantStatus: 400, check: wantErrorStatus("không hợp lệ")},
		{name: "unknown kind", url: "/api/v1/rankings?period=2024-04&kind=ministry", wantStatus: 400, check: wantErrorStatus("kind")},
		{name: "kind is case-sensitive", url: "/api/v1/rankings?period=2024-04&kind=Agency", wantStatus: 400},
		{name: "unknown province", url: "/api/v1/rankings?period=2024-04&kind=agency&province=XX", wantStatus: 404, check: wantErrorStatus("Không tìm thấy tỉnh")},
		{name: "province code of an agency", url: "/api/v1/rankings?period=2024-04&kind=agency&province=BK.SGTVT", wantStatus: 400, check: wantErrorStatus("không phải")},

		// /units
		{name: "unit defaults to the newest month", url: "/api/v1/units/BK.SGTVT", wantStatus: 200,
			wantContains: []string{`"period":"2024-04"`, `"total":34.00`, `"parent_code":"BK"`, `"total_change":10.00`},
			check: func(t *testing.T, body []byte) {
				var u tUnit
				decode(t, body, &u)
				if intStr(u.Rank) != "1" || u.RankOf != 3 || intStr(u.RankChange) != "1" || u.Unit.Kind != "agency" || u.Scheme != "qd766" {
					t.Errorf("got %+v", u)
				}
				m := u.metric(t, "ON_TIME_PROCESSING")
				if m.Source != "own" || m.Derived != nil || numStr(m.Ratio) != "100.00" || m.Points.String() != "20.00" {
					t.Errorf("ON_TIME_PROCESSING %+v", m)
				}
			}},
		{name: "unit without data in a period with data", url: "/api/v1/units/BK.SYT?period=2024-04", wantStatus: 200,
			wantContains: []string{`"rank":null`, `"numerator":null`, `"denominator":null`, `"ratio":null`,
				`"total":14.00,"max_total":100.00`, `"has_data":false`},
			// The published shape has numbers there: what the no-data
			// rules give (2 + 12), marked by has_data false, never null.
			wantMissing: []string{`"total":null`, `"score":null`},
			check: func(t *testing.T, body []byte) {
				var u tUnit
				decode(t, body, &u)
				if u.HasData || u.Rank != nil || u.RankOf != 3 {
					t.Errorf("got rank %s of %d, has_data %v", intStr(u.Rank), u.RankOf, u.HasData)
				}
				for _, g := range u.Groups {
					if g.Score == nil {
						t.Errorf("group %s of a unit without data has no number", g.Code)
					}
				}
				checkAllMetricsListed(t, &u)
				if m := u.metric(t, "ELECTRONIC_CERTIFIED_COPY"); m.Source != "none" || !m.NoData || m.Points.String() != "2.00" {
					t.Errorf("ELECTRONIC_CERTIFIED_COPY %+v", m)
				}
			}},
		{name: "what-if of a unit without data, nothing changed", url: "/api/v1/units/BK.SYT/whatif?period=2024-04", wantStatus: 200,
			wantContains: []string{`"total":null,"max_total":100.00`, `"base":{"total":null,"max_total":100.00`, `"has_data":false`,
				`"delta":null`},
			wantMissing: []string{`"total":14.00`, `"delta":0.00`}},
		// Counts tried for a unit without data give it a total, but no
		// change: its real total is null, not the no-data rules' 14.00.
		{name: "what-if giving a unit without data its first counts", url: "/api/v1/units/BK.SYT/whatif?period=2024-04&n.ON_TIME_PROCESSING=9&d.ON_TIME_PROCESSING=10", wantStatus: 200,
			wantContains: []string{`"has_data":true`, `"delta":null`, `"changed":["ON_TIME_PROCESSING"]`, `"base":{"total":null,`},
			wantMissing:  []string{`"delta":18.00`},
			check: func(t *testing.T, body []byte) {
				var w struct{ Total *json.Number }
				decode(t, body, &w)
				if w.Total == nil {
					t.Errorf("the counts tried give no total: %s", body)
				}
			}},
		{name: "what-if of a unit with data gives the change of its total", url: "/api/v1/units/BK.SGTVT/whatif?period=2024-04&n.ON_TIME_PROCESSING=0", wantStatus: 200,
			check: func(t *testing.T, body []byte) {
				var w struct {
					Total, Delta *json.Number
					Base         struct{ Total *json.Number }
				}
				decode(t, body, &w)
				if w.Total == nil || w.Delta == nil || w.Base.Total == nil {
					t.Fatalf("total, delta and base total must be numbers: %s", body)
				}
				tot, _ := w.Total.Float64()
				d, _ := w.Delta.Float64()
				b, _ := w.Base.Total.Float64()
				if d >= 0 || math.Abs(tot-b-d) > 0.001 {
					t.Errorf("delta %s must be total %s − base %s, below zero", *w.Delta, *w.Total, *w.Base.Total)
				}
			}},
		{name: "unit in a period without data lists metrics with no counts", url: "/api/v1/units/BK.SGTVT?period=2023-01", wantStatus: 200,
			check: func(t *testing.T, body []byte) {
				var u tUnit
				decode(t, body, &u)
				checkAllMetricsListed(t, &u)
				for _, g := range u.Groups {
					for _, m := range g.Metrics {
						if m.Numerator != nil || m.Denominator != nil || m.Ratio != nil {
							t.Errorf("%s has counts in an empty period: %+v", m.Code, m)
						}
					}
				}
				if u.Period != "2023-01" || u.Rank != nil || u.HasData {
					t.Errorf("got %+v", u)
				}
			}},
		{name: "quarter from months: derived, provisional", url: "/api/v1/units/BK.SGTVT?period=2024-Q2", wantStatus: 200,
			check: func(t *testing.T, body []byte) {
				var u tUnit
				decode(t, body, &u)
				m := u.metric(t, "ON_TIME_PROCESSING")
				if m.Source != "derived" || m.Derived == nil || *m.Derived != "months" || intStr(m.Months) != "1" || intStr(m.MonthsOf) != "3" {
					t.Errorf("ON_TIME_PROCESSING %+v", m)
				}
				if !u.Provisional || u.PeriodKind != "quarter" {
					t.Errorf("want a provisional quarter, got %+v", u)
				}
			}},
		{name: "province unit: no parent, ranked among provinces, pooled counts", url: "/api/v1/units/BK?period=2024-04", wantStatus: 200,
			wantContains: []string{`"parent_code":null`},
			check: func(t *testing.T, body []byte) {
				var u tUnit
				decode(t, body, &u)
				m := u.metric(t, "ON_TIME_PROCESSING")
				if intStr(u.Rank) != "1" || u.RankOf != 1 || m.Source != "derived" || m.Derived == nil || *m.Derived != "pool" ||
					m.Numerator == nil || *m.Numerator != 36 || *m.Denominator != 60 {
					t.Errorf("got rank %s of %d, metric %+v", intStr(u.Rank), u.RankOf, m)
				}
			}},
		{name: "XSS unit", url: "/api/v1/units/BK.XSS?period=2024-04", wantStatus: 200, wantMissing: []string{"<script>"},
			check: func(t *testing.T, body []byte) {
				var u tUnit
				decode(t, body, &u)
				if u.Unit.Name != xssName {
					t.Errorf("name %q", u.Unit.Name)
				}
			}},
		{name: "percent-encoded unit code", url: "/api/v1/units/BK%2ESGTVT?period=2024-04", wantStatus: 200, wantContains: []string{`"code":"BK.SGTVT"`}},
		{name: "unknown unit", url: "/api/v1/units/NOPE?period=2024-04", wantStatus: 404, check: wantErrorStatus("Không tìm thấy đơn vị")},
		{name: "unit with a malformed period", url: "/api/v1/units/BK.SGTVT?period=2024-13", wantStatus: 400},
		{name: "unit with a lower-case half", url: "/api/v1/units/BK.SGTVT?period=2024-h1", wantStatus: 400},

		// /scheme
		{name: "scheme", url: "/api/v1/scheme", wantStatus: 200,
			wantContains: []string{`"id":"qd766"`, `"threshold":80.00`, `"threshold":null`, `"min":90.00`, `"max_total":100.00`, `"threshold_unit":"percent"`},
			check:        checkScheme},

		// unknown paths and methods
		{name: "unknown API path", url: "/api/v1/nope", wantStatus: 404, check: wantErrorStatus("Không tìm thấy")},
		{name: "unknown API version", url: "/api/v2/periods", wantStatus: 404},
		{name: "unit path with an extra segment", url: "/api/v1/units/BK/extra", wantStatus: 404},
		{name: "POST to a read-only resource", method: http.MethodPost, url: "/api/v1/periods", wantStatus: 405, check: wantErrorStatus("không được hỗ trợ")},
		{name: "DELETE a unit", method: http.MethodDelete, url: "/api/v1/units/BK", wantStatus: 405},
		{name: "POST to an unknown API path", method: http.MethodPost, url: "/api/v1/nope", wantStatus: 404},
	})
}

func checkAllMetricsListed(t *testing.T, u *tUnit) {
	t.Helper()
	s := pageSchemes(t).Latest()
	n := 0
	for _, g := range u.Groups {
		if len(g.Metrics) != len(s.GroupMetrics(g.Code)) {
			t.Errorf("group %s lists %d metrics, the scheme has %d", g.Code, len(g.Metrics), len(s.GroupMetrics(g.Code)))
		}
		n += len(g.Metrics)
	}
	if n != len(s.Metrics) || len(u.Groups) != len(s.Groups) {
		t.Errorf("%d metrics in %d groups, want %d in %d", n, len(u.Groups), len(s.Metrics), len(s.Groups))
	}
}

func checkScheme(t *testing.T, body []byte) {
	var s struct {
		Groups []struct {
			Code    string   `json:"code"`
			Metrics []string `json:"metrics"`
		} `json:"groups"`
		Metrics []struct {
			Code      string       `json:"code"`
			Rule      string       `json:"rule"`
			Threshold *json.Number `json:"threshold"`
		} `json:"metrics"`
		Bands []struct {
			NameVI string      `json:"name_vi"`
			Min    json.Number `json:"min"`
		} `json:"bands"`
	}
	decode(t, body, &s)
	want := pageSchemes(t).Latest()
	if len(s.Groups) != len(want.Groups) || len(s.Metrics) != len(want.Metrics) || len(s.Bands) != len(want.Bands) {
		t.Fatalf("scheme has %d groups, %d metrics, %d bands", len(s.Groups), len(s.Metrics), len(s.Bands))
	}
	listed := 0
	for _, g := range s.Groups {
		listed += len(g.Metrics)
	}
	if listed != len(want.Metrics) {
		t.Errorf("groups list %d metric codes, want %d", listed, len(want.Metrics))
	}
	for _, m := range s.Metrics {
		if m.Code == "DOSSIER_RECEIVING_SATISFACTION" && (m.Threshold == nil || m.Threshold.String() != "90.00" || m.Rule != "threshold") {
			t.Errorf("DOSSIER_RECEIVING_SATISFACTION threshold %v", m.Threshold)
		}
	}
	if s.Bands[0].NameVI != "Xuất sắc" || s.Bands[len(s.Bands)-1].Min != "0.00" {
		t.Errorf("bands %+v", s.Bands)
	}
}
