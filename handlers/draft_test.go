package handlers

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/internal/storetest"
)

// bodyText is what a visitor can read in an answer: the text, or every
// cell of a spreadsheet.
func bodyText(t *testing.T, r reply) string {
	t.Helper()
	if !strings.Contains(r.header.Get("Content-Type"), "spreadsheetml") {
		// A form's CSRF token is random text that may hold any four
		// digits; it carries no figure.
		return csrfValue.ReplaceAllString(r.body, `name="_csrf" value=""`)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatalf("read spreadsheet: %v", err)
	}
	defer func() { _ = f.Close() }()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return b.String()
}

// csrfValue is a CSRF token in a page's form.
var csrfValue = regexp.MustCompile(`name="_csrf" value="[^"]*"`)

// draftTargets are the public URLs a visitor could try for the draft
// period 2024-05: every public GET route of the table, with the draft in
// the path where it takes a period, and with ?period=2024-05 and the
// parameters of the downloads and embeds.
func draftTargets(t *testing.T, f *accessFixture, code string) []string {
	t.Helper()
	queries := []string{"", "?period=2024-05", "?period=2024-05&format=csv", "?period=2024-05&format=xlsx", "?format=csv",
		"?period=2024-05&province=BK", "?period=2024-05&kind=agency&province=BK", "?period=2024-05&unit=" + code,
		"?period=2024-Q2", "?period=2024-Q2&format=csv", "?period=2024&kind=agency&province=BK", "?period=2024-H1"}
	var out []string
	for k, who := range routeAccess {
		method, pattern, _ := strings.Cut(k, " ")
		if method != fiber.MethodGet || who&auth.Anonymous == 0 || pattern == "/static/*" {
			continue
		}
		path := samplePath(pattern, code, 0)
		if strings.Contains(pattern, ":period") {
			for _, p := range []string{"2024-05", "2024-Q2", "2024-H1", "2024"} {
				out = append(out, strings.Replace(samplePath(strings.Replace(pattern, ":period", "PERIOD", 1), code, 0), "PERIOD", p, 1))
			}
			for _, file := range []string{"scores.csv", "scores.xlsx", "scores.json", "counts.csv"} {
				if strings.HasSuffix(pattern, ":file") {
					out = append(out, "/open-data/2024-05/"+file)
				}
			}
		}
		for _, q := range queries {
			out = append(out, path+q)
		}
	}
	return out
}

// The public never sees a draft, by any URL: pages, the API, downloads,
// open data, embeds, reports, the periods list. Neither does a unit
// account, except its own unit's figures on its own unit's page.
func TestDraftInvisible(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testDraftInvisible)
}

func testDraftInvisible(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	anon := f.client()
	unit := f.client()
	unit.login("sogtvt")
	checked := 0
	for _, target := range draftTargets(t, f, "BK.SGTVT") {
		r := anon.get(target)
		text := bodyText(t, r)
		for _, m := range draftMarkers {
			if strings.Contains(text, m) {
				t.Errorf("anonymous %s (%d) shows the draft's %q", target, r.status, m)
			}
		}
		// A period typed in the address is echoed in the selector like any
		// period without data; otherwise the draft is never offered.
		if !strings.Contains(target, "2024-05") && strings.Contains(text, `value="2024-05"`) {
			t.Errorf("anonymous %s offers the draft period", target)
		}
		// A draft's period may be said to be unpublished, never marked as
		// a draft shown.
		if h := r.header.Get(site.DraftHeader); h != "" && h != site.Unpublished {
			t.Errorf("anonymous %s is marked %q", target, h)
		}
		checked++
	}
	for _, target := range draftTargets(t, f, "BK.STC") {
		r := unit.get(target)
		text := bodyText(t, r)
		for _, m := range draftMarkers {
			if strings.Contains(text, m) {
				t.Errorf("unit account %s (%d) shows a draft %q", target, r.status, m)
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d URLs checked", checked)
	}

	// The periods list and the default period skip the draft.
	var periods []struct{ Period string }
	if err := json.Unmarshal([]byte(anon.get("/api/v1/periods").body), &periods); err != nil {
		t.Fatal(err)
	}
	for _, p := range periods {
		if p.Period == "2024-05" || p.Period == "2024-Q2" {
			t.Errorf("periods list has the draft %s", p.Period)
		}
	}
	if len(periods) == 0 {
		t.Fatal("no published period listed")
	}
	if r := anon.get("/api/v1/rankings?kind=agency"); r.header.Get("X-Scorecard-Period") != "2024-04" {
		t.Errorf("default period of the API: %q", r.header.Get("X-Scorecard-Period"))
	}
	if r := anon.get("/api/v1/rankings?kind=agency&period=2024-05"); strings.TrimSpace(r.body) != "[]" {
		t.Errorf("draft ranking: %s", r.body)
	}
	if r := anon.get("/open-data/2024-05/scores.csv"); r.status != fiber.StatusNotFound {
		t.Errorf("open data of the draft: %d", r.status)
	}
	// A draft shows no more than a period without data (the same status,
	// no row of figures): it only says that it is not yet published
	// (unpublished_test.go).
	draft := anon.get("/units/BK.SGTVT?period=2024-05")
	none := anon.get("/units/BK.SGTVT?period=2019-05")
	if draft.status != none.status || strings.Count(draft.body, "<tr") != strings.Count(none.body, "<tr") {
		t.Errorf("a draft shows more than an empty period: %d/%d", draft.status, none.status)
	}
	if !strings.Contains(draft.body, "Kỳ này chưa được công bố") || strings.Contains(none.body, "Kỳ này chưa được công bố") {
		t.Error("the draft is not said to be unpublished, or the empty period is")
	}

	// Staff see the draft, marked.
	office := f.client()
	office.login("vanphong")
	r := office.get("/units/BK.SGTVT?period=2024-05")
	if !strings.Contains(r.body, "6.173") || !strings.Contains(r.body, "Bản nháp") {
		t.Errorf("office does not see the marked draft: %.300s", r.body)
	}
	if r := office.get("/rankings?period=2024-05"); !strings.Contains(r.body, "Bản nháp") || !strings.Contains(r.body, "Sở Tài chính") {
		t.Error("office ranking of the draft")
	}
	if r := office.get("/api/v1/units/BK.STC?period=2024-05"); !strings.Contains(r.body, `"numerator":5431`) || r.header.Get(site.DraftHeader) != "draft" {
		t.Errorf("office API of the draft: %q %.300s", r.header.Get(site.DraftHeader), r.body)
	}
	if r := office.get("/export/rankings?period=2024-05&format=csv"); !strings.Contains(r.body, "Sở Tài chính") || r.header.Get(site.DraftHeader) != "draft" {
		t.Errorf("office export of the draft: %q", r.header.Get(site.DraftHeader))
	}
	if r := office.get("/api/v1/units/BK.STC?period=2024-04"); r.header.Get(site.DraftHeader) != "" {
		t.Error("a published period marked as a draft")
	}
	if r := office.get("/"); !strings.Contains(r.body, `value="2024-05"`) {
		t.Error("office's period selector lacks the draft")
	}
	// Open data stays what was published, whoever asks.
	if r := office.get("/open-data/2024-05/counts.csv"); r.status != fiber.StatusNotFound {
		t.Errorf("office open data of the draft: %d", r.status)
	}

	// A unit account sees its own draft on its own page, marked, and
	// nothing of its peers there.
	r = unit.get("/units/BK.SGTVT?period=2024-05")
	if !strings.Contains(r.body, "6.173") || !strings.Contains(r.body, "Bản nháp") {
		t.Errorf("unit account does not see its own draft: %.300s", r.body)
	}
	for _, m := range []string{"5.431", "7.919", "Sở Tài chính"} {
		if strings.Contains(r.body, m) {
			t.Errorf("unit account's own draft page shows its peer: %q", m)
		}
	}
	if r := unit.get("/units/BK.STC?period=2024-05"); strings.Contains(r.body, "5.431") || strings.Contains(r.body, "Bản nháp") {
		t.Error("unit account sees another unit's draft")
	}
	if r := unit.get("/"); !strings.Contains(r.body, `href="/units/BK.SGTVT?period=2024-05"`) {
		t.Error("unit account has no link to its draft")
	}
	if r := unit.get("/api/v1/units/BK.SGTVT?period=2024-05"); strings.Contains(r.body, "6173") {
		t.Error("the API shows a unit account its draft (the unit page only does)")
	}
}

// The public page of a corrected period says so, with the date, and links
// to the revisions.
func TestCorrectedNotice(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testCorrectedNotice)
}

func testCorrectedNotice(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	r := office.upload("/staff/import", "sua.csv", "period,unit_code,metric,numerator,denominator\n2024-04,BK.STC,ON_TIME_PROCESSING,19,20\n")
	m := confirmAction.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no confirmation form: %.500s", r.body)
	}
	r = office.post(m[1], url.Values{"reason": {"Sở Tài chính gửi lại số liệu tháng 4 theo công văn số 12/STC."}})
	if r.status != fiber.StatusOK {
		t.Fatalf("confirm: %d %.300s", r.status, r.body)
	}
	anon := f.client()
	r = anon.get("/rankings?period=2024-04")
	if !strings.Contains(r.body, "đã điều chỉnh ngày") || !strings.Contains(r.body, `href="/revisions/2024-04"`) {
		t.Errorf("corrected notice: %.3000s", r.body)
	}
	if r := anon.get("/rankings?period=2024-03"); strings.Contains(r.body, "đã điều chỉnh") || strings.Contains(r.body, "Bản nháp") {
		t.Error("a notice on an untouched period")
	}
}

// When every period is a draft (figures imported on the command line, not
// yet published), the public overview says so and where staff publish them,
// instead of asking for an import that was already done; once a period is
// published the notice goes.
func TestEmptyOverviewNamesDrafts(t *testing.T) {
	f := newAccessFixture(t, fixtureOptions{drafts: true})
	anon := f.client()
	r := anon.get("/")
	if r.status != fiber.StatusOK {
		t.Fatalf("/ answered %d", r.status)
	}
	for _, want := range []string{"Đã nhập số liệu của 3 kỳ", "còn là bản nháp", `href="/staff"`, "scorecard publish"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the empty overview lacks %q", want)
		}
	}
	if strings.Contains(r.body, "<code>scorecard import</code>") {
		t.Error("the empty overview asks for an import although figures were imported")
	}
	for _, m := range draftMarkers {
		if strings.Contains(bodyText(t, r), m) {
			t.Errorf("the empty overview shows the draft's %q", m)
		}
	}
	if en := anon.get("/?lang=en"); !strings.Contains(en.body, "Figures of 3 periods have been imported") {
		t.Error("the English empty overview does not name the drafts")
	}

	pub := newAccessFixture(t, fixtureOptions{})
	if r := pub.client().get("/"); strings.Contains(r.body, "còn là bản nháp") {
		t.Error("the notice of drafts shows although a period is published")
	}
}

// A period without figures tells a visitor to choose another one; the
// command that imports figures is shown to those who run the program
// (staff signed in), not to the public.
func TestEmptyPeriodCommandForStaffOnly(t *testing.T) {
	f := newAccessFixture(t, fixtureOptions{})
	anon := f.client()
	office := f.client()
	office.login("vanphong")
	for _, path := range []string{"/?period=1900-01", "/provinces/BK?period=1900-01", "/units/BK.STC?period=1900-01"} {
		r := anon.get(path)
		if r.status != fiber.StatusOK || !strings.Contains(r.body, "Chưa có dữ liệu") || !strings.Contains(r.body, "Hãy chọn kỳ khác") {
			t.Fatalf("%s, anonymous: %d %.300s", path, r.status, r.body)
		}
		if strings.Contains(r.body, "scorecard import") {
			t.Errorf("%s: the public is told to run scorecard import", path)
		}
		if r := office.get(path); !strings.Contains(r.body, "<code>scorecard import</code>") {
			t.Errorf("%s: staff are not told how to import: %d", path, r.status)
		}
	}
}
