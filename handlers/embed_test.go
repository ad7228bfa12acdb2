package handlers

import (
	"html"
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/present"
)

// frameAncestors returns the frame-ancestors directive of a policy.
func frameAncestors(csp string) string {
	for _, d := range strings.Split(csp, ";") {
		d = strings.TrimSpace(d)
		if v, ok := strings.CutPrefix(d, "frame-ancestors "); ok {
			return v
		}
	}
	return ""
}

func TestEmbedPages(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: pageFixture(), demo: true})
	apr := mustScores(t, svc, "2024-04")
	for _, tc := range []struct {
		path  string
		chart string
		want  []string
	}{
		{"/embed/trend", "chart-trend", []string{"Tháng 04/2024", present.Score(i18n.VI, apr.Unit("BK").Total), `href="/provinces/BK"`}},
		{"/embed/groups?period=2024-04", "chart-groups", []string{"Công khai, minh bạch", `href="/provinces/BK?period=2024-04"`}},
		{"/embed/ranking?kind=agency&period=2024-04", "chart-ranking", []string{"Sở Tài chính", html.EscapeString(pageXSS),
			`href="/rankings?kind=agency&amp;period=2024-04"`}},
	} {
		status, hdr, body := get(t, app, tc.path)
		if status != 200 {
			t.Fatalf("%s: %d", tc.path, status)
		}
		if strings.Contains(body, pageXSS) {
			t.Errorf("%s: unescaped unit name", tc.path)
		}
		if inline := inlineScript.FindAllString(body, -1); len(inline) != 2 {
			t.Errorf("%s: script tags %q, want ECharts and charts.js only", tc.path, inline)
		}
		for _, s := range inlineScript.FindAllString(body, -1) {
			if !strings.Contains(s, "src=") {
				t.Errorf("%s: inline script %s", tc.path, s)
			}
		}
		// One chart, its table, a link back; no navigation.
		if strings.Count(body, `class="chart`) != 1 || !strings.Contains(body, `id="`+tc.chart+`"`) || !strings.Contains(body, "<table") {
			t.Errorf("%s: want one chart %s and its table", tc.path, tc.chart)
		}
		if strings.Contains(body, "site-nav") || strings.Contains(body, "site-header") || strings.Contains(body, "<footer") {
			t.Errorf("%s: embed carries the site's navigation", tc.path)
		}
		if !strings.Contains(body, `<p class="embed-source">Nguồn: <a href=`) || !strings.Contains(body, `target="_blank" rel="noopener"`) {
			t.Errorf("%s: no link back", tc.path)
		}
		if !strings.Contains(body, "Dữ liệu minh họa") {
			t.Errorf("%s: demo data not flagged", tc.path)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
		csp := hdr("Content-Security-Policy")
		if frameAncestors(csp) != "*" || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q, want frame-ancestors * and our scripts only", tc.path, csp)
		}
		if hdr("Cache-Control") != "public, max-age=300" {
			t.Errorf("%s: Cache-Control %q", tc.path, hdr("Cache-Control"))
		}
	}
	// Every other page may only be framed by the application itself.
	for _, p := range []string{"/", "/rankings", "/reports/2024-04", "/open-data", "/open-data/dictionary", "/embed/nope"} {
		_, hdr, _ := get(t, app, p)
		if fa := frameAncestors(hdr("Content-Security-Policy")); fa != "'self'" {
			t.Errorf("%s: frame-ancestors %q, want 'self'", p, fa)
		}
	}

	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/embed/ranking?kind=village", 400, "Loại đơn vị không hợp lệ"},
		{"/embed/trend?province=NOPE", 404, "Không tìm thấy tỉnh"},
		{"/embed/groups?province=BK.STC", 404, "Không tìm thấy tỉnh"},
		{"/embed/groups?period=2024-13", 400, "Kỳ báo cáo không hợp lệ"},
		{"/embed/groups?period=2022-01", 200, "Tháng 01/2022 chưa có số liệu."},
		{"/embed/ranking?kind=commune&period=2024-04", 200, "Thị trấn Bằng Lũng"},
		{"/embed/ranking?kind=agency&period=2023-01", 200, "Tháng 01/2023 chưa có số liệu."},
	} {
		status, _, body := get(t, app, tc.path)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want %d with %q", tc.path, status, tc.status, tc.want)
		}
	}

	// Several provinces: the province must be named.
	multi, _ := newPageApp(t, pageSource{ds: twoProvinces()})
	if status, _, _ := get(t, multi, "/embed/trend"); status != 400 {
		t.Errorf("trend without a province among several: %d, want 400", status)
	}
	if status, _, body := get(t, multi, "/embed/trend?province=H21"); status != 200 || !strings.Contains(body, "Tỉnh Gia Lai") {
		t.Errorf("trend of H21: %d", status)
	}
}

func TestEmbedAncestorsOption(t *testing.T) {
	t.Parallel()
	appOpts, _ := newDemoApp(t, Options{EmbedAncestors: []string{"https://backan.gov.vn"}})
	_, hdr, _ := get(t, appOpts, "/embed/groups")
	if fa := frameAncestors(hdr("Content-Security-Policy")); fa != "https://backan.gov.vn" {
		t.Errorf("configured frame-ancestors %q", fa)
	}
	_, hdr, _ = get(t, appOpts, "/")
	if fa := frameAncestors(hdr("Content-Security-Policy")); fa != "'self'" {
		t.Errorf("overview frame-ancestors %q", fa)
	}
}

// Each chart of the overview offers its <iframe> snippet; the snippet
// escapes what it carries.
func TestEmbedSnippets(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: pageFixture()})
	_, _, body := get(t, app, "/?period=2024-04")
	for _, src := range []string{"/embed/groups?province=BK", "/embed/trend?province=BK"} {
		want := html.EscapeString(`<iframe src="` + src + `"`)
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks the snippet %s", want)
		}
	}
	if n := strings.Count(body, "<summary>Nhúng biểu đồ</summary>"); n != 2 {
		t.Errorf("%d snippets, want one per chart (2)", n)
	}
	// The snippet links to a page that works.
	if status, _, _ := get(t, app, "/embed/groups?province=BK"); status != 200 {
		t.Errorf("snippet target: %d", status)
	}
	code := embedCode("", "/embed/groups?province=A&period=x", `Tỉnh "A" <b>`)
	if !strings.Contains(code, `src="/embed/groups?province=A&amp;period=x"`) || !strings.Contains(code, `title="Tỉnh &#34;A&#34; &lt;b&gt;"`) ||
		!strings.Contains(code, `height="540"`) {
		t.Errorf("embedCode = %s", code)
	}
}
