package handlers

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

var (
	inlineScript = regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	dataOption   = regexp.MustCompile(`data-option="([^"]*)"`)
	attrValues   = regexp.MustCompile(`(?:href|src|data-option|content)="[^"]*"`)
	// A dot-decimal number with two decimals ("75.35") in visible text is an
	// en-US number; vi-VN writes 75,35. Thousands ("12.345") do not match.
	dotDecimal = regexp.MustCompile(`[0-9]\.[0-9]{2}(?:[^0-9]|$)`)
)

// checkHTMLPage holds for every dashboard page: Vietnamese, no inline
// script, the demo banner, the hostile unit name never raw, numbers in
// vi-VN, the security headers.
func checkHTMLPage(t *testing.T, path string, hdr func(string) string, body string, demo bool) {
	t.Helper()
	if ct := hdr("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if !strings.Contains(body, `<html lang="vi">`) {
		t.Errorf("%s: no <html lang=\"vi\">", path)
	}
	for _, tag := range inlineScript.FindAllString(body, -1) {
		if !strings.Contains(tag, "src=") {
			t.Errorf("%s: inline script tag %s", path, tag)
		}
	}
	if csp := hdr("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("%s: Content-Security-Policy %q does not restrict scripts", path, csp)
	}
	if demo != strings.Contains(body, "Dữ liệu minh họa") {
		t.Errorf("%s: demo banner shown = %v, want %v", path, !demo, demo)
	}
	if strings.Contains(body, pageXSS) {
		t.Errorf("%s: the unit name %s appears unescaped", path, pageXSS)
	}
	visible := attrValues.ReplaceAllString(body, "")
	if m := dotDecimal.FindString(visible); m != "" {
		i := strings.Index(visible, m)
		t.Errorf("%s: en-US number %q in %q", path, m, visible[max(0, i-60):min(len(visible), i+20)])
	}
	for _, want := range []string{`class="skip-link" href="#main"`, `<main id="main"`, `<nav class="site-nav" aria-label=`, "<footer"} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: missing landmark %s", path, want)
		}
	}
}

func TestPagesScenarios(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: pageFixture(), demo: true})
	apr := mustScores(t, svc, "2024-04")
	prov := apr.Unit("BK")
	sgtvt := rankOf(t, apr.Ranking(scoring.KindAgency, "BK", mustScores(t, svc, "2024-03")), "BK.SGTVT")
	schemes := pageSchemes(t)
	h1 := mustScores(t, svc, "2024-H1").Unit("BK")
	if !h1.Provisional {
		t.Fatalf("fixture: 2024-H1 should be provisional (4 of 6 months)")
	}

	type scenario struct {
		name, path string
		status     int
		want       []string
		notWant    []string
	}
	scenarios := []scenario{
		{"overview", "/", 200, []string{
			"<h1>Tỉnh Bắc Kạn</h1>", "Tháng 04/2024", "Điểm theo nhóm chỉ số", "Tổng điểm 12 tháng gần nhất",
			"Xem bảng số liệu", `role="img"`, "Số đơn vị theo xếp loại", "Xếp hạng sở, ban, ngành",
			"Xếp hạng huyện, thị xã, thành phố", "Xếp hạng xã, phường, thị trấn",
			"Chưa có dữ liệu (1)", "Sở Y tế", "&lt;script&gt;alert(1)&lt;/script&gt;",
			present.Score(i18n.VI, prov.Total), `<option value="2024-04" selected>`, `<optgroup label="Quý">`, `<optgroup label="Năm">`,
			`<form class="period-form" method="get" action="/">`, `<th scope="col"`, `<th scope="row"`, "<caption",
			`/static/vendor/echarts/echarts.min.js`, "/static/js/charts.js?v=",
		}, nil},
		{"overview of another month", "/?period=2024-03", 200, []string{`<option value="2024-03" selected>`, "Tháng 03/2024"}, nil},
		{"overview of a quarter", "/?period=2024-Q1", 200, []string{"Quý I/2024", `<option value="2024-Q1" selected>`}, nil},
		{"provisional half-year", "/?period=2024-H1", 200, []string{"6 tháng đầu năm 2024", "tạm tính",
			fmt.Sprintf("%d/6 tháng có số liệu", h1.MonthsCovered)}, nil},
		{"period without data", "/?period=2019-01", 200, []string{"Tháng 01/2019", "Hệ thống chưa có số liệu cho kỳ này",
			`<option value="2019-01" selected>`}, []string{`class="chart"`}},
		{"unit in a period without data", "/units/BK.STC?period=2030", 200, []string{"Năm 2030", "Hệ thống chưa có số liệu cho kỳ này"}, []string{`class="chart"`}},
		{"rankings in a period without data", "/rankings?period=2030-Q1", 200, []string{"Quý I/2030", "0 đơn vị có dữ liệu, 5 đơn vị chưa có dữ liệu"}, nil},
		{"malformed period", "/?period=2024-13", 400, []string{"Kỳ báo cáo không hợp lệ", "Lỗi 400"}, []string{"scoring:"}},
		{"garbage period", "/rankings?period=%3Cscript%3E", 400, []string{"Kỳ báo cáo không hợp lệ"}, []string{"<script>"}},
		{"province overview", "/provinces/BK", 200, []string{"<h1>Tỉnh Bắc Kạn</h1>", `action="/provinces/BK"`}, nil},
		{"unknown province", "/provinces/NOPE", 404, []string{"Không tìm thấy tỉnh, thành phố"}, nil},
		{"agency is not a province", "/provinces/BK.STC", 404, []string{"Không tìm thấy"}, nil},
		{"rankings", "/rankings", 200, []string{
			"<h1>Sở, ban, ngành", "Sở Giao thông vận tải", "Sở Tài chính", "Sở Tư pháp", "chưa có dữ liệu",
			`aria-sort="ascending"`, `<abbr title="Công khai, minh bạch (tối đa 18)">CKMB</abbr>`,
			`<select id="sel-kind" name="kind">`, `<option value="agency" selected>`,
		}, []string{"Huyện Ba Bể"}},
		{"rankings of districts", "/rankings?kind=district&period=2024-03", 200, []string{"Huyện Ba Bể", "Huyện Chợ Đồn", `<option value="2024-03" selected>`}, []string{"Sở Tư pháp"}},
		{"rankings keep sort in the form", "/rankings?sort=-TDGQ", 200, []string{`<input type="hidden" name="sort" value="-TDGQ">`}, nil},
		{"unknown kind", "/rankings?kind=bogus", 400, []string{"Loại đơn vị không hợp lệ"}, nil},
		{"unknown sort", "/rankings?sort=drop", 400, []string{"Cột sắp xếp không hợp lệ"}, nil},
		{"unknown province filter", "/rankings?province=NOPE", 400, []string{"Mã tỉnh, thành phố không hợp lệ"}, nil},
		{"unit", "/units/BK.SGTVT", 200, []string{
			"<h1>Sở Giao thông vận tải</h1>", "12.345", "12.400", "Điểm bị trừ", "số liệu của đơn vị", "kế thừa từ tỉnh",
			"không có số liệu", "Không phát sinh số liệu: áp dụng quy tắc", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
			fmt.Sprintf(`%d<span class="card-unit">/%d</span>`, sgtvt.Rank, sgtvt.RankOf),
			present.Score(i18n.VI, sgtvt.Total), "So sánh với các đơn vị cùng loại", "Trung bình", "Tổng điểm và điểm các nhóm",
			`href="/provinces/BK?period=2024-04"`,
		}, nil},
		{"unit without data", "/units/BK.SYT", 200, []string{"<h1>Sở Y tế</h1>", "Chưa có dữ liệu.", "chưa xếp hạng"}, nil},
		{"unit with a hostile name", "/units/BK.XSS", 200, []string{"<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>",
			"<title>&lt;script&gt;alert(1)&lt;/script&gt; · "}, nil},
		{"unit code percent-encoded", "/units/BK%2ESGTVT", 200, []string{"<h1>Sở Giao thông vận tải</h1>"}, nil},
		{"unknown unit", "/units/NOPE", 404, []string{"Không tìm thấy đơn vị có mã này", "Lỗi 404"}, nil},
		{"methodology", "/methodology", 200, []string{
			"Bộ chỉ số đang áp dụng: qd766", "Quyết định số 766/QĐ-TTg", "01/07/2022", "tái dựng", "2 + 4 + 6", "2 + 2 + 6",
			"Ngưỡng 80%", "Ngưỡng 50%", "Ngưỡng 90%", "Tuyến tính", "Đủ điểm", "0 điểm", "Làm tròn % trước", "Chính xác",
			"Cộng dồn", "Tháng gần nhất", "Cấp tỉnh", "Văn bản pháp lý", "Khớp số liệu công bố", "Giả định",
			"có thể cấu hình", "embedded:qd766.json", html.EscapeString(schemes.Latest().BandsSource),
			"Xuất sắc", "từ 90 điểm trở lên", "dưới 50 điểm", "PETITION_CLASSIFICATION_STAFF", "Chỉ theo dõi",
			"nhân trước, chia sau", "6 × 78,25 ÷ 100 = 4,695000…03 → 4,70 điểm",
		}, nil},
		{"unknown page", "/khong-co-trang-nay", 404, []string{"Không tìm thấy", "Về trang tổng quan"}, nil},
		{"unknown static file", "/static/js/nope.js", 404, []string{"Không tìm thấy"}, nil},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			status, hdr, body := get(t, app, sc.path)
			if status != sc.status {
				t.Fatalf("GET %s = %d, want %d\n%s", sc.path, status, sc.status, body)
			}
			checkHTMLPage(t, sc.path, hdr, body, true)
			// html/template writes some characters as entities (+ as &#43;).
			text := html.UnescapeString(body)
			for _, w := range sc.want {
				if !strings.Contains(body, w) && !strings.Contains(text, w) {
					t.Errorf("GET %s: missing %q", sc.path, w)
				}
			}
			for _, w := range sc.notWant {
				if strings.Contains(body, w) {
					t.Errorf("GET %s: unexpected %q", sc.path, w)
				}
			}
		})
	}
}

// cellsOf returns the inner text of every element with the class in order.
func cellsOf(body, class string) []string {
	re := regexp.MustCompile(`<td class="` + regexp.QuoteMeta(class) + `">([^<]*)`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func parseVI(t *testing.T, s string) scoring.Cents {
	t.Helper()
	c, err := scoring.ParseCents(strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", "."))
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return c
}

func TestPagesRankingsSort(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: pageFixture()})
	ranked := mustScores(t, svc, "2024-04").Ranking(scoring.KindAgency, "", mustScores(t, svc, "2024-03"))

	// Default: the engine's order.
	_, _, body := get(t, app, "/rankings")
	var wantNames []string
	for _, r := range ranked {
		if r.Rank > 0 {
			wantNames = append(wantNames, html.EscapeString(r.Unit.Name))
		}
	}
	assertOrder(t, body, wantNames)

	// Total, largest first; the total header is marked and its link flips.
	_, _, body = get(t, app, "/rankings?sort=-total")
	totals := cellsOf(body, "num strong")
	if len(totals) != len(wantNames) {
		t.Fatalf("%d totals, want %d", len(totals), len(wantNames))
	}
	for i := 1; i < len(totals); i++ {
		if parseVI(t, totals[i-1]) < parseVI(t, totals[i]) {
			t.Errorf("sort=-total: %s before %s", totals[i-1], totals[i])
		}
	}
	if !regexp.MustCompile(`<th scope="col" aria-sort="descending" class="num">\s*<a class="sort" href="/rankings\?kind=agency&amp;sort=total">Tổng điểm`).MatchString(body) {
		t.Errorf("sort=-total: total header not aria-sort=descending with a link to ascending")
	}

	// Totals ascending reverse the order.
	_, _, asc := get(t, app, "/rankings?sort=total")
	at := cellsOf(asc, "num strong")
	for i := range at {
		if at[i] != totals[len(totals)-1-i] {
			t.Errorf("sort=total is not the reverse of sort=-total: %v vs %v", at, totals)
			break
		}
	}

	// Names in Vietnamese alphabetical order ("<script>…" sorts first, Đ after D).
	_, _, body = get(t, app, "/rankings?sort=name")
	names := append([]string(nil), wantNames...)
	raw := make([]string, len(names))
	for i, n := range names {
		raw[i] = html.UnescapeString(n)
	}
	col := collate.New(language.Vietnamese)
	col.SortStrings(raw)
	for i := range raw {
		raw[i] = html.EscapeString(raw[i])
	}
	assertOrder(t, body, raw)

	// A group column, largest first.
	_, _, body = get(t, app, "/rankings?sort=-TDGQ")
	if !strings.Contains(body, `aria-sort="descending" class="num">`) {
		t.Errorf("sort=-TDGQ: no descending header")
	}
	scores := mustScores(t, svc, "2024-04")
	var prev scoring.Cents = 1 << 40
	for _, r := range rowsInOrder(t, body, ranked) {
		g := scores.Unit(r).Group("TDGQ").Score
		if g > prev {
			t.Errorf("sort=-TDGQ: %s (%s) after a lower score", r, present.Score(i18n.VI, g))
		}
		prev = g
	}
}

// rowsInOrder lists the unit codes of the ranked rows in page order.
func rowsInOrder(t *testing.T, body string, ranked []scoring.Ranked) []string {
	t.Helper()
	type pos struct {
		code string
		at   int
	}
	var ps []pos
	for _, r := range ranked {
		if r.Rank == 0 {
			continue
		}
		i := strings.Index(body, `href="/units/`+r.Unit.Code+`?`)
		if i < 0 {
			t.Fatalf("unit %s not on the page", r.Unit.Code)
		}
		ps = append(ps, pos{r.Unit.Code, i})
	}
	for i := range ps {
		for j := i + 1; j < len(ps); j++ {
			if ps[j].at < ps[i].at {
				ps[i], ps[j] = ps[j], ps[i]
			}
		}
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.code
	}
	return out
}

func assertOrder(t *testing.T, body string, names []string) {
	t.Helper()
	last := -1
	for _, n := range names {
		i := strings.Index(body, ">"+n+"</a>")
		if i < 0 {
			t.Fatalf("%q not found", n)
		}
		if i < last {
			t.Errorf("%q is out of order (want %v)", n, names)
		}
		last = i
	}
}

func TestPagesUnitMetricsMostLostFirst(t *testing.T) {
	t.Parallel()
	_, svc := newPageApp(t, pageSource{ds: pageFixture()})
	us := mustScores(t, svc, "2024-04").Unit("BK.STC")
	scored, info := newMetricRows(i18n.VI, us)
	s := us.Scheme
	nScored, nInfo := 0, 0
	for _, m := range s.Metrics {
		if m.Scored() {
			nScored++
		} else {
			nInfo++
		}
	}
	if len(scored) != nScored || len(info) != nInfo {
		t.Fatalf("%d scored and %d info rows, want %d and %d", len(scored), len(info), nScored, nInfo)
	}
	for i := 1; i < len(scored); i++ {
		if scored[i].Scored && scored[i-1].Lost < scored[i].Lost {
			t.Errorf("row %d (%s, lost %s) after %s (lost %s)", i, scored[i].Code, present.Score(i18n.VI, scored[i].Lost), scored[i-1].Code, present.Score(i18n.VI, scored[i-1].Lost))
		}
	}
	for _, r := range scored {
		m := us.Metric(r.Code)
		if r.Points != m.Points || r.Max != m.Max || r.Lost != m.Max-m.Points {
			t.Errorf("%s: row %s/%s lost %s, engine %s/%s", r.Code, present.Score(i18n.VI, r.Points), present.Score(i18n.VI, r.Max), present.Score(i18n.VI, r.Lost), present.Score(i18n.VI, m.Points), present.Score(i18n.VI, m.Max))
		}
		if r.Source != present.Source(i18n.VI, m.Source) {
			t.Errorf("%s: source %q, engine %q", r.Code, r.Source, m.Source)
		}
	}

	// The page lists the losses in the same order.
	app, _ := newPageApp(t, pageSource{ds: pageFixture()})
	_, _, body := get(t, app, "/units/BK.STC")
	last := -1
	for _, r := range scored {
		i := strings.Index(body, `<span class="code">`+r.Code+`</span>`)
		if i < last {
			t.Errorf("metric %s out of order on the page", r.Code)
		}
		last = i
	}
}

func TestPagesChartOptionIsEscapedJSON(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: pageFixture()})
	_, _, body := get(t, app, "/units/BK.XSS")
	ms := dataOption.FindAllStringSubmatch(body, -1)
	if len(ms) < 2 {
		t.Fatalf("%d charts on the unit page, want at least 2", len(ms))
	}
	found := false
	for _, m := range ms {
		if strings.ContainsAny(m[1], "<>") {
			t.Errorf("raw < or > inside data-option")
		}
		var opt struct {
			Series []struct {
				Name string `json:"name"`
				Data []any  `json:"data"`
			} `json:"series"`
			Aria struct {
				Enabled bool `json:"enabled"`
			} `json:"aria"`
		}
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &opt); err != nil {
			t.Fatalf("data-option is not JSON: %v", err)
		}
		if !opt.Aria.Enabled || len(opt.Series) == 0 || len(opt.Series[0].Data) == 0 {
			t.Errorf("chart option without aria or data: %+v", opt)
		}
		for _, s := range opt.Series {
			if s.Name == pageXSS {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the unit's own series does not carry its name %q as text", pageXSS)
	}
}

func TestPagesTwoProvinces(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: twoProvinces()})
	ranked := mustScores(t, svc, "2024-04").Ranking(scoring.KindProvince, "", nil)
	_, hdr, body := get(t, app, "/")
	checkHTMLPage(t, "/", hdr, body, false)
	for _, want := range []string{"<h1>Các tỉnh, thành phố</h1>", `href="/provinces/BK?period=2024-04"`, `href="/provinces/H21?period=2024-04"`, `id="chart-provinces"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/: missing %q", want)
		}
	}
	for _, r := range ranked {
		if r.Rank > 0 && !strings.Contains(body, present.Score(i18n.VI, r.Total)) {
			t.Errorf("/: total %s of %s missing", present.Score(i18n.VI, r.Total), r.Unit.Code)
		}
	}
	_, _, body = get(t, app, "/provinces/H21")
	if !strings.Contains(body, "<h1>Tỉnh Gia Lai</h1>") || !strings.Contains(body, "Sở Nội vụ") {
		t.Errorf("/provinces/H21 is not Gia Lai's overview")
	}
	if strings.Contains(body, "Sở Tài chính") {
		t.Errorf("/provinces/H21 lists another province's agency")
	}
	_, _, body = get(t, app, "/rankings?kind=agency&province=H21")
	if !strings.Contains(body, "Sở Nội vụ") || strings.Contains(body, "Sở Tài chính") {
		t.Errorf("province filter not applied")
	}
	if !strings.Contains(body, `<option value="province">Tỉnh, thành phố</option>`) {
		t.Errorf("kind selector lacks provinces when the data holds several")
	}
}

// A province that merged into another is not one of the provinces of the
// periods after the merger: "/", the report and the embeds of such a period
// are the remaining province's without asking which; the periods before it
// still have both.
func TestPagesProvincesOfThePeriod(t *testing.T) {
	t.Parallel()
	ds := twoProvinces()
	gone := time.Date(2024, 4, 1, 0, 0, 0, 0, scoring.Location)
	for i, u := range ds.Units {
		if u.Code == "H21" || u.Code == "H21.05" {
			ds.Units[i].ValidTo = gone
		}
	}
	delete(ds.Own, scoring.Key{Period: "2024-04", Unit: "H21.05", Metric: "ON_TIME_PROCESSING"})
	ds.Own[scoring.Key{Period: "2024-03", Unit: "H21.05", Metric: "ON_TIME_PROCESSING"}] = scoring.C(3, 4)
	app, _ := newPageApp(t, pageSource{ds: ds})
	_, _, body := get(t, app, "/")
	if !strings.Contains(body, "<h1>Tỉnh Bắc Kạn</h1>") && !strings.Contains(body, "Tổng quan: Tỉnh Bắc Kạn") {
		t.Errorf("/ in 2024-04 is not Bắc Kạn's overview")
	}
	if _, _, body = get(t, app, "/?period=2024-03"); !strings.Contains(body, "<h1>Các tỉnh, thành phố</h1>") {
		t.Errorf("/ in 2024-03 does not rank the two provinces")
	}
	for _, path := range []string{"/reports/2024-04", "/embed/groups?period=2024-04"} {
		if status, _, body := get(t, app, path); status != 200 || !strings.Contains(body, "Bắc Kạn") {
			t.Errorf("GET %s = %d, want Bắc Kạn's", path, status)
		}
	}
	if status, _, _ := get(t, app, "/embed/groups?period=2024-03"); status != 400 {
		t.Errorf("embed of 2024-03 without a province = %d, want 400 (two provinces then)", status)
	}
}

func TestPagesWithoutData(t *testing.T) {
	t.Parallel()
	ds := pageFixture()
	ds.Own = map[scoring.Key]scoring.Counts{}
	app, _ := newPageApp(t, pageSource{ds: ds})
	for _, p := range []string{"/", "/rankings", "/units/BK.STC", "/methodology"} {
		status, hdr, body := get(t, app, p)
		if status != 200 {
			t.Fatalf("GET %s = %d", p, status)
		}
		checkHTMLPage(t, p, hdr, body, false)
		if p != "/methodology" && !strings.Contains(body, "Chưa có kỳ báo cáo nào có số liệu") {
			t.Errorf("GET %s: no empty-state selector text", p)
		}
	}
}

func TestPagesInternalErrorIsNotShown(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: pageFixture(), err: errors.New("disk on fire at /var/db")})
	for _, p := range []string{"/", "/rankings", "/units/BK.STC"} {
		status, hdr, body := get(t, app, p)
		if status != 500 {
			t.Errorf("GET %s = %d, want 500", p, status)
		}
		if !strings.HasPrefix(hdr("Content-Type"), "text/html") || !strings.Contains(body, `lang="vi"`) {
			t.Errorf("GET %s: not the HTML error page", p)
		}
		if strings.Contains(body, "disk on fire") || strings.Contains(body, "/var/db") {
			t.Errorf("GET %s: internal error text leaked", p)
		}
		if !strings.Contains(body, "Đã có lỗi xảy ra") {
			t.Errorf("GET %s: no Vietnamese message", p)
		}
	}
}

func TestPagesStaticFiles(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: pageFixture()})
	want, err := os.ReadFile("../web/static/vendor/echarts/echarts.min.js")
	if err != nil {
		t.Fatalf("read vendored echarts: %v", err)
	}

	status, hdr, body := get(t, app, "/static/vendor/echarts/echarts.min.js")
	if status != 200 || body != string(want) {
		t.Fatalf("echarts: status %d, %d bytes, want %d", status, len(body), len(want))
	}
	if cc := hdr("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("vendor Cache-Control %q, want a year", cc)
	}
	if ct := hdr("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("echarts Content-Type %q", ct)
	}

	// gzip when asked, and the bytes decompress to the file.
	status, hdr, body = get(t, app, "/static/vendor/echarts/echarts.min.js", "Accept-Encoding", "gzip, br")
	if status != 200 || hdr("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: status %d, Content-Encoding %q", status, hdr("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("gzip reader: %v", err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(plain, want) {
		t.Errorf("gzip body does not decompress to the file (%v)", err)
	}
	_, hdr, _ = get(t, app, "/static/vendor/echarts/echarts.min.js", "Accept-Encoding", "gzip;q=0")
	if hdr("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still got %q", hdr("Content-Encoding"))
	}

	// Revalidation.
	etag := hdr("ETag")
	status, _, _ = get(t, app, "/static/vendor/echarts/echarts.min.js", "If-None-Match", etag)
	if status != 304 {
		t.Errorf("If-None-Match: %d, want 304", status)
	}

	// Our own files: immutable with the page's ?v=hash, revalidated without.
	_, _, page := get(t, app, "/methodology")
	m := regexp.MustCompile(`href="(/static/css/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page does not link app.css with a version")
	}
	_, hdr, _ = get(t, app, m[1])
	if cc := hdr("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("%s Cache-Control %q", m[1], cc)
	}
	_, hdr, _ = get(t, app, "/static/css/app.css?v=old")
	if cc := hdr("Cache-Control"); cc != "no-cache" {
		t.Errorf("stale ?v= Cache-Control %q, want no-cache", cc)
	}

	for _, p := range []string{"/static/../go.mod", "/static/%2e%2e/go.mod", "/static/", "/static/vendor"} {
		if status, _, _ := get(t, app, p); status != 404 {
			t.Errorf("GET %s = %d, want 404", p, status)
		}
	}
}
