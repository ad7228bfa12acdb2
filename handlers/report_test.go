package handlers

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/report"
	"scorecard/scoring"
)

// The seed article's facts for 04/2024 that the demo data holds (pinned by
// data/demo/demo_test.go); every other figure is compared with the engine.
var (
	storyOnTime = []string{
		"Sở Giáo dục và Đào tạo", "Sở Văn hóa, Thể thao và Du lịch", "Sở Tài chính", "Sở Xây dựng",
		"Sở Khoa học và Công nghệ", "Sở Lao động - Thương binh và Xã hội", "Thanh tra tỉnh",
	}
	storyNoOnline = []string{"Ban Quản lý các Khu công nghiệp", "Ban Dân tộc"}
)

// paragraphsOf returns the text of each <p> and <li> of the report body,
// unescaped, so a fact can be looked for within one sentence's paragraph.
var blockText = regexp.MustCompile(`(?s)<(p|li)(?: [^>]*)?>(.*?)</(?:p|li)>`)
var tags = regexp.MustCompile(`<[^>]*>`)

func paragraphsOf(body string) []string {
	var out []string
	for _, m := range blockText.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(tags.ReplaceAllString(m[2], "")))
	}
	return out
}

// paragraphWith returns the one paragraph holding every part.
func paragraphWith(t *testing.T, paras []string, parts ...string) string {
	t.Helper()
	var found []string
	for _, p := range paras {
		ok := true
		for _, part := range parts {
			if !strings.Contains(p, part) {
				ok = false
				break
			}
		}
		if ok {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		t.Errorf("%d paragraphs contain all of %q, want 1", len(found), parts)
		return ""
	}
	return found[0]
}

// TestReportDemoApril renders the demo's 04/2024 report through the real
// application and checks that it states the seed article's facts, the
// whole narrative of report.Narrative, and its tables.
func TestReportDemoApril(t *testing.T) {
	t.Parallel()
	app, svc := newDemoApp(t, Options{})
	before := time.Now()
	status, hdr, body := get(t, app, "/reports/2024-04")
	after := time.Now()
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	checkHTMLPage(t, "/reports/2024-04", hdr, body, true)
	paras := paragraphsOf(body)

	// The seed article's facts.
	paragraphWith(t, paras, "Tháng 04/2024, tỉnh Bắc Kạn đạt 75,35/100 điểm, xếp loại Khá")
	paragraphWith(t, paras, "công bố đúng hạn đạt 66,67%", "cập nhật, công khai đúng hạn đạt 74,68%")
	paragraphWith(t, paras, append([]string{"đạt 100% tại 7 Sở, ban, ngành"}, storyOnTime...)...)
	paragraphWith(t, paras, append([]string{"Chưa phát sinh hồ sơ nộp trực tuyến tại 2 Sở, ban, ngành"}, storyNoOnline...)...)
	paragraphWith(t, paras, "mức độ hài lòng đạt 18,00/18 điểm", "hài lòng trong xử lý PAKN đạt 100,00%", "93,45%")
	paragraphWith(t, paras, "Trong 18 Sở, ban, ngành có 12 đơn vị xếp loại Xuất sắc và 6 đơn vị xếp loại Tốt",
		"Trong 8 đơn vị cấp huyện có 7 đơn vị xếp loại Tốt và 1 đơn vị xếp loại Trung bình")

	// Every sentence of the narrative, computed independently from the
	// engine, is on the page; so is every heading, numbered.
	eng, err := svc.Engine(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f, err := report.FromEngine(eng, scoring.MustPeriod("2024-04"), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	narrative := report.Narrative(*f)
	if len(narrative) < 6 {
		t.Fatalf("narrative has %d paragraphs", len(narrative))
	}
	for i, p := range narrative {
		if want := roman(i) + ". " + p.Heading; !strings.Contains(body, "<h2>"+html.EscapeString(want)+"</h2>") {
			t.Errorf("heading %q missing", want)
		}
		for _, s := range p.Sentences {
			if !strings.Contains(body, html.EscapeString(s)) {
				t.Errorf("sentence missing: %q", s)
			}
		}
	}

	// The header of Decree 30/2020: issuing body, motto, place and date.
	for _, want := range []string{`<p class="doc-superior">ỦY BAN NHÂN DÂN TỈNH BẮC KẠN</p>`, `<p class="doc-office">VĂN PHÒNG</p>`,
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO"} {
		if !strings.Contains(body, want) {
			t.Errorf("header lacks %q", want)
		}
	}
	d1, d2 := report.AdminDate("Bắc Kạn", before), report.AdminDate("Bắc Kạn", after)
	if !strings.Contains(body, `<p class="doc-date">`+d1+`</p>`) && !strings.Contains(body, `<p class="doc-date">`+d2+`</p>`) {
		t.Errorf("date line %q not found", d1)
	}
	if !regexp.MustCompile(`Bắc Kạn, ngày \d{2} tháng \d{1,2} năm \d{4}`).MatchString(d1) {
		t.Errorf("AdminDate %q is not in the Decree 30 format", d1)
	}

	// Tables: the groups with the engine's scores, the classification, and
	// the annex listing every ranked unit of every level.
	cur, prev := mustScores(t, svc, "2024-04"), mustScores(t, svc, "2024-03")
	bk := cur.Unit("BK")
	for _, g := range bk.Groups {
		if !strings.Contains(body, "<th scope=\"row\">"+html.EscapeString(g.Group.NameVI)+"</th><td class=\"num\">"+present.Score(i18n.VI, g.Score)+"</td>") {
			t.Errorf("group %s row with %s missing", g.Group.Code, present.Score(i18n.VI, g.Score))
		}
	}
	for _, k := range []scoring.UnitKind{scoring.KindAgency, scoring.KindDistrict, scoring.KindCommune} {
		for _, r := range cur.Ranking(k, "BK", prev) {
			row := "<td class=\"num\">" + itoa(r.Rank) + "</td>\n          <th scope=\"row\">" + html.EscapeString(r.Unit.Name) + "</th>"
			if !strings.Contains(body, row) {
				t.Errorf("annex row of %s (rank %d) missing", r.Unit.Name, r.Rank)
			}
		}
	}
	if n := strings.Count(body, `data-renderer="svg"`); n != 2 {
		t.Errorf("%d SVG charts, want 2 (groups and trend)", n)
	}

	// Print layout, print button (a static script) and the workbook.
	for _, want := range []string{"/static/css/print.css?v=", "/static/js/report.js?v=", `id="print-report"`,
		`href="/export/overview?period=2024-04&amp;province=BK&amp;format=xlsx"`, `class="doc-section doc-annex"`, `aria-current="page">Báo cáo</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func itoa(n int) string { return present.Int(i18n.VI, int64(n)) }

// The office's name comes from the setting; another office's superior
// body is not guessed.
func TestReportOfficeName(t *testing.T) {
	t.Parallel()
	app, _ := newDemoApp(t, Options{OfficeName: "Sở Nội vụ tỉnh Bắc Kạn"})
	_, _, body := get(t, app, "/reports/2024-04")
	if !strings.Contains(body, `<p class="doc-office">SỞ NỘI VỤ TỈNH BẮC KẠN</p>`) || strings.Contains(body, "doc-superior") {
		t.Errorf("header does not show the configured office alone")
	}
}

// The document's number, recipients and signature block (Decree 30/2020):
// the defaults name the province's leaders and the levels the report ranks,
// and leave the number and the name blank; the settings replace them.
func TestReportDocumentParts(t *testing.T) {
	t.Parallel()
	app, _ := newDemoApp(t, Options{})
	_, _, body := get(t, app, "/reports/2024-04")
	for _, want := range []string{`<p class="doc-number">Số: ……/BC-VP</p>`, "Nơi nhận:", "<li>- Chủ tịch, các Phó Chủ tịch UBND tỉnh Bắc Kạn (để báo cáo);</li>",
		"<li>- Các sở, ban, ngành tỉnh;</li>", "<li>- UBND các xã, phường, thị trấn;</li>", "<li>- Lưu: VT.</li>",
		`<p class="doc-signer-title">CHÁNH VĂN PHÒNG</p>`, `<p class="doc-signer-name"></p>`, `<td class="notscored" colspan="2">không tính điểm</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	app, _ = newDemoApp(t, Options{ReportSymbol: "BC-VPUBND", ReportSignerTitle: "KT. Chánh Văn phòng", ReportSignerName: "Nguyễn Văn An",
		ReportRecipients: []string{"Thường trực Tỉnh ủy (để b/c);", "Lưu: VT, KSTT."}})
	_, _, body = get(t, app, "/reports/2024-04")
	for _, want := range []string{"Số: ……/BC-VPUBND", "<li>- Thường trực Tỉnh ủy (để b/c);</li>", "<li>- Lưu: VT, KSTT.</li>",
		`<p class="doc-signer-title">KT. CHÁNH VĂN PHÒNG</p>`, `<p class="doc-signer-name">Nguyễn Văn An</p>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the configured report lacks %s", want)
		}
	}
	if strings.Contains(body, "Các sở, ban, ngành tỉnh;") {
		t.Error("the configured recipients are added to the defaults instead of replacing them")
	}
}

func TestReportRoutes(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: pageFixture()})
	redirects := []struct{ path, want string }{
		{"/reports", "/reports/2024-04"},
		{"/reports?period=2024-03", "/reports/2024-03"},
		{"/reports?period=2024-Q1&province=BK", "/reports/2024-Q1?province=BK"},
		// A language chosen in the address goes along (a redirect sets
		// no cookie; the report must not come in another language).
		{"/reports?lang=en", "/reports/2024-04?lang=en"},
		{"/reports?period=2024-03&province=BK&lang=en", "/reports/2024-03?lang=en&province=BK"},
		{"/reports?period=2024-03&lang=xx", "/reports/2024-03"},
	}
	for _, r := range redirects {
		status, hdr, _ := get(t, app, r.path)
		if status != 302 || hdr("Location") != r.want {
			t.Errorf("%s: %d → %q, want 302 → %q", r.path, status, hdr("Location"), r.want)
		}
	}

	cases := []struct {
		path   string
		status int
		want   []string
	}{
		{"/reports?period=2024-13", 400, []string{"Kỳ báo cáo không hợp lệ"}},
		{"/reports/2024-13", 400, []string{"Kỳ báo cáo không hợp lệ", "/reports/2024-04"}},
		{"/reports/abc", 400, []string{"Kỳ báo cáo không hợp lệ"}},
		// A valid period without data: a clear message and the newest report.
		{"/reports/2022-01", 404, []string{"Chưa có số liệu tháng 01/2022 của Tỉnh Bắc Kạn nên chưa thể lập báo cáo", `href="/reports/2024-04"`}},
		{"/reports/2024-04?province=NOPE", 404, []string{"Không tìm thấy tỉnh"}},
		// The unit named <script>… is text, in the narrative and the annex.
		{"/reports/2024-04", 200, []string{html.EscapeString(pageXSS), "BÁO CÁO"}},
		// A quarter with one month of data is provisional, and says so.
		{"/reports/2024-Q2", 200, []string{"Số liệu tạm tính: kỳ báo cáo mới có số liệu 1/3 tháng", "Quý II/2024"}},
		{"/reports/2024", 200, []string{"Năm 2024"}},
	}
	for _, tc := range cases {
		status, hdr, body := get(t, app, tc.path)
		if status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, status, tc.status)
			continue
		}
		checkHTMLPage(t, tc.path, hdr, body, false)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
		if tc.status != 200 && strings.Contains(body, `class="report-doc"`) {
			t.Errorf("%s: an error answer shows a report", tc.path)
		}
	}

	// Several provinces: choose one first.
	multi, _ := newPageApp(t, pageSource{ds: twoProvinces()})
	status, _, body := get(t, multi, "/reports/2024-04")
	if status != 200 || !strings.Contains(body, `href="/reports/2024-04?province=BK"`) || !strings.Contains(body, `href="/reports/2024-04?province=H21"`) {
		t.Errorf("several provinces: %d, want a list of reports by province", status)
	}
	status, _, body = get(t, multi, "/reports/2024-04?province=H21")
	if status != 200 || !strings.Contains(body, "tỉnh Gia Lai đạt") {
		t.Errorf("report of the second province: %d", status)
	}
}

// An empty database: every report, download, open data and embed route
// answers clearly, none fails.
func TestDownloadsOnEmptyData(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: &scoring.Dataset{}})
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/reports/2024-04", 404, "Chưa có số liệu tháng 04/2024 của tỉnh nên chưa thể lập báo cáo"},
		{"/export/overview", 404, "chưa có số liệu"},
		{"/export/rankings?kind=agency", 404, "chưa có số liệu"},
		{"/open-data", 200, "Chưa có dữ liệu"},
		{"/open-data/dictionary", 200, "unit_code"},
		{"/open-data/scheme.json", 200, `"groups"`},
		{"/open-data/2024-04/scores.csv", 404, "chưa có dữ liệu công bố"},
		{"/embed/groups", 404, "Chưa có tỉnh, thành phố nào"},
		{"/embed/ranking?kind=agency", 200, "Chưa có số liệu."},
	} {
		status, _, body := get(t, app, tc.path)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want %d with %q", tc.path, status, tc.status, tc.want)
		}
	}
	if status, hdr, _ := get(t, app, "/reports"); status != 302 || !strings.HasPrefix(hdr("Location"), "/reports/") {
		t.Errorf("/reports: %d → %q", status, hdr("Location"))
	}
}

// With several provinces in the period, a report asks which one, and
// each choice links the same report of that province.
func TestReportChoosesProvince(t *testing.T) {
	app, _ := newPageApp(t, pageSource{ds: countryFixture()})
	st, _, body := get(t, app, "/reports/2026-10")
	if st != 200 || !strings.Contains(body, "Chọn tỉnh, thành phố") {
		t.Fatalf("/reports/2026-10 with three provinces: status %d, no choice of province", st)
	}
	for _, code := range []string{"AA", "BB", "CC"} {
		if !strings.Contains(body, `href="/reports/2026-10?province=`+code+`"`) {
			t.Errorf("the choice does not link the report of %s", code)
		}
	}
	if st, _, body := get(t, app, "/reports/2026-10?province=BB"); st != 200 || strings.Contains(body, "Chọn tỉnh, thành phố") || !strings.Contains(body, "Tỉnh Bình Hòa") {
		t.Errorf("/reports/2026-10?province=BB: status %d, not Bình Hòa's report", st)
	}
}
