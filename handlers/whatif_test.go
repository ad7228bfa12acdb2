package handlers

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// The what-if API with the unit's real counts answers exactly what
// GET /api/v1/units/{code} answers: same total, band, rank, groups,
// metrics and changes against the previous period.
func TestWhatIfAPIEqualsUnitAPI(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t)})
	ps := mustScores(t, svc, "2024-04")
	var codes []string
	for _, k := range []scoring.UnitKind{scoring.KindProvince, scoring.KindAgency, scoring.KindDistrict, scoring.KindCommune} {
		list := unitsOfKind(ps, k)
		codes = append(codes, list[0].Unit.Code, list[len(list)-1].Unit.Code)
	}
	for _, code := range codes {
		_, _, unitBody := send(t, app, "GET", "/api/v1/units/"+code+"?period=2024-04", "", nil)
		var want map[string]any
		if err := json.Unmarshal(unitBody, &want); err != nil {
			t.Fatal(err)
		}
		us := ps.Unit(code)
		// Every metric typed in with its real counts, as the no-JS form
		// sends them: still no change.
		var all []wiOverride
		for _, g := range us.Groups {
			for _, m := range g.Metrics {
				if m.Counts.Valid {
					all = append(all, wiOverride{Metric: m.Metric.Code, Num: m.Counts.Num, Den: m.Counts.Den})
				}
			}
		}
		for name, body := range map[string]any{
			"empty body":      wiBody{Period: "2024-04"},
			"real counts":     wiBody{Period: "2024-04", Overrides: all},
			"counts as typed": wiBody{Period: "2024-04", Overrides: asText(all)},
		} {
			status, b := postWhatIf(t, app, code, body)
			if status != 200 {
				t.Fatalf("%s %s: status %d %s", code, name, status, b)
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			for k, v := range want {
				if !reflect.DeepEqual(got[k], v) {
					t.Errorf("%s %s: %q = %v, GET /api/v1/units says %v", code, name, k, got[k], v)
				}
			}
			if got["delta"].(float64) != 0 || len(got["changed"].([]any)) != 0 {
				t.Errorf("%s %s: delta %v changed %v, want none", code, name, got["delta"], got["changed"])
			}
		}
		// The GET form of the API, with nothing changed.
		_, _, b := send(t, app, "GET", "/api/v1/units/"+code+"/whatif?period=2024-04", "", nil)
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got["total"], want["total"]) || !reflect.DeepEqual(got["groups"], want["groups"]) {
			t.Errorf("%s: GET what-if differs from the unit API", code)
		}
	}
}

func asText(os []wiOverride) []wiOverride {
	out := make([]wiOverride, len(os))
	for i, o := range os {
		out[i] = wiOverride{Metric: o.Metric, Num: present.Int(i18n.VI, o.Num.(int64)), Den: fmt.Sprint(o.Den)}
	}
	return out
}

// Raising one numerator step by step never lowers the points, the group
// score or the total, never worsens the rank, and every answer is the
// engine's own WhatIfScore.
func TestWhatIfAPIMonotonicAndEngineExact(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t)})
	ps := mustScores(t, svc, "2024-04")
	for _, tc := range []struct{ unit, metric string }{
		{"BK.SCT", "ONLINE_PAYMENT_DOSSIERS"}, // linear, percent_first
		{"BK.SCT", "ONLINE_SUBMISSION"},       // threshold 50 %
		{"BK.TTT", "ON_TIME_PROCESSING"},      // linear, 20 points
	} {
		base := ps.Unit(tc.unit)
		m := base.Metric(tc.metric)
		if m == nil || !m.Counts.Valid || m.Counts.Den < 4 {
			t.Fatalf("demo: %s %s has counts %+v", tc.unit, tc.metric, m.Counts)
		}
		d := m.Counts.Den
		step := max(d/40, 1)
		var lastTotal, lastPoints scoring.Cents = -1, -1
		lastRank := 1 << 30
		rises := 0
		for n := int64(0); n <= d; n += step {
			status, b := postWhatIf(t, app, tc.unit, wiBody{Period: "2024-04",
				Overrides: []wiOverride{{Metric: tc.metric, Num: n}}})
			if status != 200 {
				t.Fatalf("%s %s n=%d: %d %s", tc.unit, tc.metric, n, status, b)
			}
			var a wiAnswer
			if err := json.Unmarshal(b, &a); err != nil {
				t.Fatal(err)
			}
			w, err := scoring.WhatIfScore(ps, tc.unit, []scoring.Override{scoring.OverrideFromText(tc.metric, strconv.FormatInt(n, 10), "", "")})
			if err != nil {
				t.Fatal(err)
			}
			total := cents(t, a.TotalF)
			if total != w.Score.Total || a.Rank == nil || *a.Rank != w.Rank || a.RankOf != w.RankOf {
				t.Fatalf("n=%d: API %s rank %v/%d, engine %s rank %d/%d", n, total, a.Rank, a.RankOf, w.Score.Total, w.Rank, w.RankOf)
			}
			var points scoring.Cents
			for _, g := range a.Groups {
				if cents(t, g.Score) != w.Score.Group(g.Code).Score {
					t.Errorf("n=%d: group %s %s, engine %s", n, g.Code, g.Score, w.Score.Group(g.Code).Score)
				}
				for _, x := range g.Metrics {
					if x.Code == tc.metric {
						points = cents(t, x.Points)
						if x.Num == nil || *x.Num != n || *x.Den != d {
							t.Errorf("n=%d: counts %v/%v", n, x.Num, x.Den)
						}
					}
				}
			}
			if total < lastTotal || points < lastPoints || *a.Rank > lastRank {
				t.Fatalf("%s %s n=%d: total %s points %s rank %d after %s %s %d", tc.unit, tc.metric, n, total, points, *a.Rank, lastTotal, lastPoints, lastRank)
			}
			if total > lastTotal && lastTotal >= 0 {
				rises++
			}
			if cents(t, a.DeltaF) != total-base.Total {
				t.Errorf("n=%d: delta %s, want %s", n, a.DeltaF, total-base.Total)
			}
			wantChanged := n != m.Counts.Num
			if (len(a.Changed) == 1 && a.Changed[0] == tc.metric) != wantChanged {
				t.Errorf("n=%d: changed %v", n, a.Changed)
			}
			lastTotal, lastPoints, lastRank = total, points, *a.Rank
		}
		if rises < 3 {
			t.Errorf("%s %s: the total rose only %d times from 0 to %d", tc.unit, tc.metric, rises, d)
		}
		if lastPoints != m.Max && d%step == 0 {
			t.Errorf("%s %s: n=d gives %s of %s", tc.unit, tc.metric, lastPoints, m.Max)
		}
	}
}

// A ratio sets the numerator to that share of the denominator; the GET
// form of the API reads r.METRIC.
func TestWhatIfAPIRatio(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t)})
	ps := mustScores(t, svc, "2024-04")
	m := ps.Unit("BK.SCT").Metric("ON_TIME_PROCESSING")
	for _, path := range []string{
		"/api/v1/units/BK.SCT/whatif?period=2024-04&r.ON_TIME_PROCESSING=95,5",
		"/api/v1/units/BK.SCT/whatif?period=2024-04&r.ON_TIME_PROCESSING=95.5%25",
	} {
		status, _, b := send(t, app, "GET", path, "", nil)
		if status != 200 {
			t.Fatalf("%s: %d %s", path, status, b)
		}
		var a wiAnswer
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatal(err)
		}
		want := (9550*m.Counts.Den + 5000) / 10000
		for _, g := range a.Groups {
			for _, x := range g.Metrics {
				if x.Code == "ON_TIME_PROCESSING" && (x.Num == nil || *x.Num != want) {
					t.Errorf("%s: numerator %v, want %d", path, x.Num, want)
				}
			}
		}
	}
	status, b := postWhatIf(t, app, "BK.SCT", wiBody{Period: "2024-04", Overrides: []wiOverride{{Metric: "ON_TIME_PROCESSING", Ratio: 100}}})
	var a wiAnswer
	if status != 200 || json.Unmarshal(b, &a) != nil || cents(t, a.TotalF) <= ps.Unit("BK.SCT").Total-1 {
		t.Fatalf("ratio 100: %d %s", status, b)
	}
}

// Impossible input gets a 400 naming every problem with its field, in
// Vietnamese and English; malformed requests get a plain 400/413/415; an
// unknown unit a 404. Never a 500.
func TestWhatIfAPIValidation(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: demoDS(t)})
	type want struct{ metric, field, code string }
	fieldCases := []struct {
		name string
		body string
		want []want
	}{
		{"negative numerator", `{"overrides":[{"metric":"ONLINE_SUBMISSION","numerator":-5}]}`,
			[]want{{"ONLINE_SUBMISSION", "numerator", scoring.ErrCodeNegative}}},
		{"numerator above denominator", `{"overrides":[{"metric":"ONLINE_SUBMISSION","numerator":50,"denominator":10}]}`,
			[]want{{"ONLINE_SUBMISSION", "numerator", scoring.ErrCodeNumAboveDen}}},
		{"unknown metric", `{"overrides":[{"metric":"NO_SUCH_METRIC","numerator":1}]}`,
			[]want{{"NO_SUCH_METRIC", "metric", scoring.ErrCodeUnknownMetric}}},
		{"absurdly large", `{"overrides":[{"metric":"ONLINE_SUBMISSION","numerator":99999999999999999999999}]}`,
			[]want{{"ONLINE_SUBMISSION", "numerator", scoring.ErrCodeTooLarge}}},
		{"text", `{"overrides":[{"metric":"ONLINE_SUBMISSION","denominator":"mười"}]}`,
			[]want{{"ONLINE_SUBMISSION", "denominator", scoring.ErrCodeNotANumber}}},
		{"fraction", `{"overrides":[{"metric":"ONLINE_SUBMISSION","numerator":12.5}]}`,
			[]want{{"ONLINE_SUBMISSION", "numerator", scoring.ErrCodeNotANumber}}},
		{"ratio out of range", `{"overrides":[{"metric":"ONLINE_SUBMISSION","ratio":120}]}`,
			[]want{{"ONLINE_SUBMISSION", "ratio", scoring.ErrCodeRatioRange}}},
		{"ratio and numerator", `{"overrides":[{"metric":"ONLINE_SUBMISSION","ratio":50,"numerator":3}]}`,
			[]want{{"ONLINE_SUBMISSION", "ratio", scoring.ErrCodeRatioAndNum}}},
		{"repeated", `{"overrides":[{"metric":"ONLINE_SUBMISSION","numerator":1},{"metric":"ONLINE_SUBMISSION","numerator":2}]}`,
			[]want{{"ONLINE_SUBMISSION", "metric", scoring.ErrCodeRepeated}}},
		{"every problem at once", `{"overrides":[{"metric":"ON_TIME_PROCESSING","numerator":-1},{"metric":"DOSSIER_SYNC","denominator":"abc"},{"metric":"X","numerator":1}]}`,
			[]want{{"ON_TIME_PROCESSING", "numerator", scoring.ErrCodeNegative}, {"DOSSIER_SYNC", "denominator", scoring.ErrCodeNotANumber}, {"X", "metric", scoring.ErrCodeUnknownMetric}}},
	}
	for _, c := range fieldCases {
		t.Run(c.name, func(t *testing.T) {
			// April 2024: the agency exists no more after the 2025 merger.
			status, hdr, b := send(t, app, "POST", "/api/v1/units/BK.SCT/whatif?period=2024-04", "application/json", []byte(c.body))
			if status != 400 || !strings.HasPrefix(hdr("Content-Type"), "application/json") {
				t.Fatalf("status %d %s: %s", status, hdr("Content-Type"), b)
			}
			var e wiError
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatal(err)
			}
			if len(e.Fields) != len(c.want) {
				t.Fatalf("fields %+v, want %v", e.Fields, c.want)
			}
			for i, w := range c.want {
				f := e.Fields[i]
				if f.Metric != w.metric || f.Field != w.field || f.Code != w.code {
					t.Errorf("field %d: %+v, want %v", i, f, w)
				}
				if f.Message == "" || f.MessageEN == "" || f.Message == f.MessageEN {
					t.Errorf("field %d: messages %q / %q", i, f.Message, f.MessageEN)
				}
			}
			if !strings.Contains(e.Error, "chưa hợp lệ") || e.ErrorEN == "" {
				t.Errorf("error %q / %q", e.Error, e.ErrorEN)
			}
			// The count agrees with its noun in English.
			count := fmt.Sprintf("(%d problems)", len(c.want))
			if len(c.want) == 1 {
				count = "(1 problem)"
			}
			if !strings.Contains(e.ErrorEN, count) || !strings.Contains(e.Error, fmt.Sprintf("(%d lỗi)", len(c.want))) {
				t.Errorf("error %q / %q, want the count %s", e.Error, e.ErrorEN, count)
			}
			assertNoLeak(t, b)
		})
	}
	if e := fieldCases[1]; true {
		_, _, b := send(t, app, "POST", "/api/v1/units/BK.SCT/whatif", "application/json", []byte(e.body))
		if !strings.Contains(string(b), "Tử số (50) không được lớn hơn mẫu số (10).") {
			t.Errorf("numerator above denominator: message %s", b)
		}
	}

	big := `{"overrides":[` + strings.Repeat(`{"metric":"ONLINE_SUBMISSION","numerator":1},`, 2000) + `{}]}`
	many := make([]wiOverride, scoring.MaxWhatIfMetrics+1)
	for i := range many {
		many[i] = wiOverride{Metric: fmt.Sprintf("M%d", i), Num: 1}
	}
	manyBody, _ := json.Marshal(wiBody{Overrides: many})
	plain := []struct {
		name, method, path, ctype, body string
		hdr                             []string
		status                          int
		want                            string
	}{
		{"unknown unit", "POST", "/api/v1/units/NOPE/whatif", "application/json", `{}`, nil, 404, "Không tìm thấy đơn vị"},
		{"unknown unit, GET", "GET", "/api/v1/units/NOPE/whatif", "", "", nil, 404, "Không tìm thấy đơn vị"},
		{"malformed JSON", "POST", "/api/v1/units/BK.SCT/whatif", "application/json", `{"overrides":[`, nil, 400, "không đúng định dạng"},
		{"unknown field", "POST", "/api/v1/units/BK.SCT/whatif", "application/json", `{"overides":[]}`, nil, 400, "không đúng định dạng"},
		{"unknown field in override", "POST", "/api/v1/units/BK.SCT/whatif", "application/json", `{"overrides":[{"metric":"ONLINE_SUBMISSION","numerater":1}]}`, nil, 400, "không đúng định dạng"},
		{"trailing data", "POST", "/api/v1/units/BK.SCT/whatif", "application/json", `{} {}`, nil, 400, "không đúng định dạng"},
		{"not JSON", "POST", "/api/v1/units/BK.SCT/whatif", "application/x-www-form-urlencoded", `n.X=1`, nil, 415, "phải là JSON"},
		{"compressed", "POST", "/api/v1/units/BK.SCT/whatif", "application/json", `{}`, []string{"Content-Encoding", "gzip"}, 415, "không nén"},
		{"too large", "POST", "/api/v1/units/BK.SCT/whatif", "application/json", big, nil, 413, "quá lớn"},
		{"too many metrics", "POST", "/api/v1/units/BK.SCT/whatif", "application/json", string(manyBody), nil, 400, "quá nhiều chỉ số"},
		{"bad period in body", "POST", "/api/v1/units/BK.SCT/whatif", "application/json", `{"period":"2024-13"}`, nil, 400, "Kỳ “2024-13” không hợp lệ"},
		{"bad period in query", "GET", "/api/v1/units/BK.SCT/whatif?period=2024-13", "", "", nil, 400, "không hợp lệ"},
		{"text in query", "GET", "/api/v1/units/BK.SCT/whatif?n.ONLINE_SUBMISSION=m%C6%B0%E1%BB%9Di", "", "", nil, 400, "Tử số phải là số nguyên không âm."},
		{"wrong method", "PUT", "/api/v1/units/BK.SCT/whatif", "application/json", `{}`, nil, 405, "GET, HEAD, POST"},
	}
	for _, c := range plain {
		t.Run(c.name, func(t *testing.T) {
			status, hdr, b := send(t, app, c.method, c.path, c.ctype, []byte(c.body), c.hdr...)
			if status != c.status || !strings.Contains(string(b), c.want) {
				t.Fatalf("%s %s = %d %s, want %d with %q", c.method, c.path, status, b, c.status, c.want)
			}
			if !strings.HasPrefix(hdr("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", hdr("Content-Type"))
			}
			assertNoLeak(t, b)
		})
	}
}

// The what-if page without JavaScript: the GET form scores the typed
// counts and shows the result, and shows every invalid field's message
// next to the field with the typed value kept.
func TestWhatIfFormPage(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	base := ps.Unit("BK.SCT")
	m := base.Metric("ONLINE_PAYMENT_DOSSIERS")

	// The unit page links to its what-if page, whose form carries every
	// scored metric with its counts.
	_, _, unitPage := get(t, app, "/units/BK.SCT?period=2024-04")
	if strings.Contains(unitPage, `class="whatif-form"`) || !strings.Contains(unitPage, `<a href="/units/BK.SCT/whatif?period=2024-04">`) {
		t.Fatal("unit page: the what-if form is embedded, or no link to the what-if page")
	}
	_, _, unitPage = get(t, app, "/units/BK.SCT/whatif?period=2024-04")
	if !strings.Contains(unitPage, `<form method="get" action="/units/BK.SCT/whatif#thu-tinh" class="whatif-form"`) {
		t.Fatal("what-if page: no GET form")
	}
	tag := inputTag(unitPage, "wi-n-ONLINE_PAYMENT_DOSSIERS")
	for _, want := range []string{`name="n.ONLINE_PAYMENT_DOSSIERS"`, `value="` + strconv.FormatInt(m.Counts.Num, 10) + `"`, `inputmode="numeric"`} {
		if !strings.Contains(tag, want) {
			t.Errorf("numerator input %q lacks %s", tag, want)
		}
	}
	if !strings.Contains(unitPage, `<label class="sr-only" for="wi-n-ONLINE_PAYMENT_DOSSIERS">Tử số — `+m.Metric.NameVI+`</label>`) {
		t.Error("numerator input has no label")
	}

	// A valid change: the form as a browser sends it, every row included.
	q := url.Values{"period": {"2024-04"}}
	for _, g := range base.Groups {
		for _, x := range g.Metrics {
			if x.Metric.Scored() && x.Counts.Valid {
				q.Set("n."+x.Metric.Code, strconv.FormatInt(x.Counts.Num, 10))
				q.Set("d."+x.Metric.Code, strconv.FormatInt(x.Counts.Den, 10))
			}
		}
	}
	q.Set("n.ONLINE_PAYMENT_DOSSIERS", present.Int(i18n.VI, m.Counts.Den)) // typed "1.234" the vi-VN way
	w, err := scoring.WhatIfScore(ps, "BK.SCT", []scoring.Override{scoring.OverrideFromText("ONLINE_PAYMENT_DOSSIERS", strconv.FormatInt(m.Counts.Den, 10), "", "")})
	if err != nil {
		t.Fatal(err)
	}
	path := "/units/BK.SCT/whatif?" + q.Encode()
	status, hdr, body := get(t, app, path)
	if status != 200 {
		t.Fatalf("valid form: %d", status)
	}
	checkHTMLPage(t, path, hdr, body, true)
	text := html.UnescapeString(body)
	for _, want := range []string{
		"<h1>Thử tính điểm: Sở Công Thương</h1>",
		`data-wi="total">` + present.Score(i18n.VI, w.Score.Total) + "<",
		"hiện tại " + present.Score(i18n.VI, base.Total),
		"tăng " + present.Score(i18n.VI, w.Delta) + " điểm so với hiện tại",
		`data-wi="changed">1<`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("valid form: missing %q", want)
		}
	}
	if w.Rank > 0 && !strings.Contains(text, fmt.Sprintf(`data-wi="rank">%d/%d<`, w.Rank, w.RankOf)) {
		t.Errorf("valid form: rank %d/%d not shown", w.Rank, w.RankOf)
	}
	// The changed row is marked in words, the others are not.
	row := rowOf(body, "ONLINE_PAYMENT_DOSSIERS")
	if !strings.Contains(row, `class="wi-changed"`) || !strings.Contains(row, `<span class="wi-flag" data-wi="flag">✎ đã thay đổi</span>`) {
		t.Errorf("changed row not marked: %s", row)
	}
	if other := rowOf(body, "ON_TIME_PROCESSING"); strings.Contains(other, "wi-changed") || !strings.Contains(other, `data-wi="flag" hidden`) {
		t.Errorf("unchanged row marked: %s", other)
	}
	if !strings.Contains(inputTag(body, "wi-n-ONLINE_PAYMENT_DOSSIERS"), `value="`+present.Int(i18n.VI, m.Counts.Den)+`"`) {
		t.Errorf("typed value not kept")
	}

	// Invalid input: 400, the page again, each message next to its field.
	bad := url.Values{"period": {"2024-04"}, "n.ON_TIME_PROCESSING": {"-5"}, "d.DOSSIER_SYNC": {"abc"},
		"n.ONLINE_SUBMISSION": {"999999"}, "n.NO_SUCH_METRIC": {"1"}, "n.ONLINE_PAYMENT_DOSSIERS": {"3"}}
	path = "/units/BK.SCT/whatif?" + bad.Encode()
	status, hdr, body = get(t, app, path)
	if status != 400 {
		t.Fatalf("invalid form: status %d, want 400", status)
	}
	checkHTMLPage(t, path, hdr, body, true)
	text = html.UnescapeString(body)
	sub := base.Metric("ONLINE_SUBMISSION")
	for id, msg := range map[string]string{
		"wi-n-ON_TIME_PROCESSING": "Tử số không được âm.",
		"wi-d-DOSSIER_SYNC":       "Mẫu số phải là số nguyên không âm.",
		"wi-n-ONLINE_SUBMISSION":  fmt.Sprintf("Tử số (999.999) không được lớn hơn mẫu số (%s).", present.Int(i18n.VI, sub.Counts.Den)),
	} {
		tag := inputTag(body, id)
		if !strings.Contains(tag, `aria-invalid="true"`) || !strings.Contains(tag, `aria-describedby="`+id+`-err"`) {
			t.Errorf("%s: input not marked invalid: %s", id, tag)
		}
		// The message follows its input directly.
		i := strings.Index(text, `id="`+id+`"`)
		j := strings.Index(text, `<span class="field-error" id="`+id+`-err">`+msg+`</span>`)
		if i < 0 || j < i || j-i > 600 {
			t.Errorf("%s: message %q not next to the field", id, msg)
		}
	}
	for id, v := range map[string]string{"wi-n-ON_TIME_PROCESSING": "-5", "wi-d-DOSSIER_SYNC": "abc", "wi-n-ONLINE_SUBMISSION": "999999"} {
		if !strings.Contains(inputTag(body, id), `value="`+v+`"`) {
			t.Errorf("%s: typed value %q not kept", id, v)
		}
	}
	if strings.Contains(inputTag(body, "wi-n-ONLINE_PAYMENT_DOSSIERS"), "aria-invalid") {
		t.Error("a valid field is marked invalid")
	}
	for _, want := range []string{`class="error-summary"`, `href="#wi-n-ON_TIME_PROCESSING"`, "Chỉ tiêu \"NO_SUCH_METRIC\" không có trong bộ chỉ số qd766.",
		"Kết quả dưới đây là điểm theo số liệu thực tế", `data-wi="total">` + present.Score(i18n.VI, base.Total) + "<"} {
		if !strings.Contains(text, want) {
			t.Errorf("invalid form: missing %q", want)
		}
	}

	for _, c := range []struct {
		path   string
		status int
	}{
		{"/units/NOPE/whatif", 404},
		{"/units/BK.SCT/whatif?period=2024-13", 400},
		{"/units/BK.SCT/whatif?period=2030-01", 200},
		{"/units/BK.SCT/whatif?n.ON_TIME_PROCESSING=" + strings.Repeat("9", 300), 400},
	} {
		status, hdr, body := get(t, app, c.path)
		if status != c.status {
			t.Errorf("GET %s = %d, want %d", c.path, status, c.status)
		}
		checkHTMLPage(t, c.path, hdr, body, true)
	}
}

// rowOf returns the what-if table row of a metric.
func rowOf(body, code string) string {
	i := strings.Index(body, `<tr data-metric="`+code+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</tr>")
	return body[i : i+j]
}
