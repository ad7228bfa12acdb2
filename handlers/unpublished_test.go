package handlers

import (
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/internal/storetest"
	"scorecard/scorecache"
	"scorecard/store"
)

// A visitor who asks for a period that has figures not yet published (a
// draft) is told plainly that it is not yet published, never "no data",
// with a link to the newest published period of the same kind, on every
// kind of page; no figure of the draft shows; staff still see the draft.
func TestUnpublishedSaysSo(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testUnpublishedSaysSo)
}

func testUnpublishedSaysSo(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	anon := f.client()
	office := f.client()
	office.login("vanphong")
	for _, c := range []struct {
		path, latest string
		status       int
	}{
		{"/?period=2024-05", `href="/?period=2024-04"`, fiber.StatusOK},
		{"/?period=2024-Q2", `href="/?period=2024-Q1"`, fiber.StatusOK},
		{"/provinces/BK?period=2024-05", `href="/provinces/BK?period=2024-04"`, fiber.StatusOK},
		{"/rankings?kind=agency&period=2024-05&page=3", `href="/rankings?kind=agency&amp;period=2024-04"`, fiber.StatusOK},
		{"/rankings?kind=commune&period=2024-H1&province=BK", `href="/rankings?kind=commune&amp;period=2024-04&amp;province=BK"`, fiber.StatusOK},
		{"/units/BK.STC?period=2024-05", `href="/units/BK.STC?period=2024-04"`, fiber.StatusOK},
		{"/units/BK.STC/whatif?period=2024-05", `href="/units/BK.STC/whatif?period=2024-04"`, fiber.StatusOK},
		{"/reports/2024-05", `href="/reports/2024-04"`, fiber.StatusNotFound},
		{"/reports/2024-Q2", `href="/reports/2024-Q1"`, fiber.StatusNotFound},
		{"/reports/2024-05?province=BK", `href="/reports/2024-04?province=BK"`, fiber.StatusNotFound},
	} {
		r := anon.get(c.path)
		if r.status != c.status {
			t.Errorf("anonymous %s: %d, want %d", c.path, r.status, c.status)
		}
		if !strings.Contains(r.body, "Kỳ này chưa được công bố") || !strings.Contains(r.body, "chưa được công bố") {
			t.Errorf("anonymous %s does not say the period is not yet published: %.600s", c.path, textOf(r.body))
		}
		if !strings.Contains(r.body, c.latest) {
			t.Errorf("anonymous %s has no link %s to the latest published period", c.path, c.latest)
		}
		for _, no := range []string{"Chưa có dữ liệu", "chưa có dữ liệu", "scorecard import", "Không có trang"} {
			if strings.Contains(r.body, no) {
				t.Errorf("anonymous %s says %q", c.path, no)
			}
		}
		text := bodyText(t, r)
		for _, m := range draftMarkers {
			if strings.Contains(text, m) {
				t.Errorf("anonymous %s shows the draft's %q", c.path, m)
			}
		}
		if got := r.header.Get(site.DraftHeader); got != site.Unpublished {
			t.Errorf("anonymous %s: %s %q, want %q", c.path, site.DraftHeader, got, site.Unpublished)
		}
		// English second, from the catalogue.
		en := f.client().get(c.path + "&lang=en")
		if !strings.Contains(c.path, "?") {
			en = f.client().get(c.path + "?lang=en")
		}
		if !strings.Contains(en.body, "This period is not yet published") || strings.Contains(en.body, "No data yet") {
			t.Errorf("English %s does not say the period is not yet published: %.600s", c.path, textOf(en.body))
		}

		// Staff see the draft itself, marked as one.
		s := office.get(c.path)
		if strings.Contains(s.body, "Kỳ này chưa được công bố") || s.header.Get(site.DraftHeader) == site.Unpublished {
			t.Errorf("office %s is told the draft is not published instead of seeing it", c.path)
		}
		if !strings.Contains(s.body, "Bản nháp") {
			t.Errorf("office %s (%d) does not see the marked draft", c.path, s.status)
		}
	}

	// A period nobody imported still has no data, and says so.
	for _, path := range []string{"/?period=2019-05", "/units/BK.STC?period=2019-05", "/reports/2019-05"} {
		r := anon.get(path)
		if strings.Contains(r.body, "chưa được công bố") || r.header.Get(site.DraftHeader) != "" {
			t.Errorf("anonymous %s: a period without data called unpublished", path)
		}
		if !strings.Contains(r.body, "Chưa có dữ liệu") {
			t.Errorf("anonymous %s does not say it has no data", path)
		}
	}

	// Downloads, open data and embeds say it in their own words.
	for _, c := range []struct {
		path, want string
		status     int
	}{
		{"/export/rankings?period=2024-05&format=csv", "Số liệu tháng 05/2024 chưa được công bố nên chưa có dữ liệu để tải", fiber.StatusNotFound},
		{"/export/units/BK.STC?period=2024-Q2", "Số liệu quý II/2024 chưa được công bố", fiber.StatusNotFound},
		{"/open-data/2024-05/scores.csv", "Số liệu tháng 05/2024 chưa được công bố.", fiber.StatusNotFound},
		{"/embed/trend?period=2024-05", "Số liệu tháng 05/2024 chưa được công bố.", fiber.StatusOK},
		{"/embed/ranking?kind=agency&period=2024-05", "Số liệu tháng 05/2024 chưa được công bố.", fiber.StatusOK},
	} {
		r := anon.get(c.path)
		if r.status != c.status || !strings.Contains(r.body, c.want) {
			t.Errorf("anonymous %s: %d %.400s, want %d %q", c.path, r.status, textOf(r.body), c.status, c.want)
		}
		for _, m := range draftMarkers {
			if strings.Contains(bodyText(t, r), m) {
				t.Errorf("anonymous %s shows the draft's %q", c.path, m)
			}
		}
	}
	// Open data stays what was published, whoever asks, and says why.
	if r := office.get("/open-data/2024-05/scores.csv"); r.status != fiber.StatusNotFound || !strings.Contains(r.body, "chưa được công bố") {
		t.Errorf("office open data of the draft: %d", r.status)
	}

	// The API keeps its contract (200 and an empty list, or a unit
	// without data) and says "not yet" in a header and, for a unit, a field.
	r := anon.get("/api/v1/rankings?kind=agency&period=2024-05")
	if r.status != fiber.StatusOK || strings.TrimSpace(r.body) != "[]" || r.header.Get(site.DraftHeader) != site.Unpublished {
		t.Errorf("API ranking of the draft: %d %q %.200s", r.status, r.header.Get(site.DraftHeader), r.body)
	}
	r = anon.get("/api/v1/units/BK.STC?period=2024-05")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, `"unpublished":true`) || !strings.Contains(r.body, `"has_data":false`) ||
		r.header.Get(site.DraftHeader) != site.Unpublished {
		t.Errorf("API unit in the draft: %d %q %.300s", r.status, r.header.Get(site.DraftHeader), r.body)
	}
	for _, m := range draftMarkers {
		if strings.Contains(r.body, m) {
			t.Errorf("API unit in the draft shows %q", m)
		}
	}
	for _, path := range []string{"/api/v1/units/BK.STC?period=2019-05", "/api/v1/units/BK.STC?period=2024-04", "/api/v1/units/BK.STC"} {
		if r := anon.get(path); !strings.Contains(r.body, `"unpublished":false`) || r.header.Get(site.DraftHeader) != "" {
			t.Errorf("API %s called unpublished: %q", path, r.header.Get(site.DraftHeader))
		}
	}
	if r := office.get("/api/v1/units/BK.STC?period=2024-05"); !strings.Contains(r.body, `"unpublished":false`) || r.header.Get(site.DraftHeader) != site.Draft {
		t.Errorf("office API of the draft: %q", r.header.Get(site.DraftHeader))
	}
}

// A week report of a running year captured from the portal but not yet
// published says so to a visitor, with the latest published report; a week
// without a capture still has none; staff read the week's report.
func TestUnpublishedWeekReport(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, fixtureOptions{})
	if err := importPortalCaptures(t.Context(), f.st, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	anon := f.client()
	r := anon.get("/reports/week/2026-W41")
	if r.status != fiber.StatusNotFound || r.header.Get(site.DraftHeader) != site.Unpublished {
		t.Errorf("anonymous week 41: %d %q", r.status, r.header.Get(site.DraftHeader))
	}
	text := textOf(r.body)
	for _, want := range []string{"Kỳ này chưa được công bố",
		"Số liệu cập nhật từ Cổng Dịch vụ công quốc gia trong tuần 41 năm 2026 (từ ngày 05/10/2026 đến ngày 11/10/2026) chưa được công bố."} {
		if !strings.Contains(text, want) {
			t.Errorf("anonymous week 41 lacks %q: %.500s", want, text)
		}
	}
	// No report of the week's month is published: no link, never one to
	// a report of another period (the latest published, 04/2024, says
	// nothing of October 2026).
	if strings.Contains(text, "Chưa có") || strings.Contains(r.body, `href="/reports/2`) {
		t.Errorf("anonymous week 41 says no data or links to a report of another period: %.500s", text)
	}
	if en := f.client().get("/reports/week/2026-W41?lang=en"); !strings.Contains(textOf(en.body),
		"The updates from the National Public Service Portal in week 41 of 2026 (5 Oct 2026 to 11 Oct 2026) are not published yet.") {
		t.Errorf("English week 41: %.500s", textOf(en.body))
	}
	if r := anon.get("/reports/week/2026-W41?province=" + portalProvince); r.status != fiber.StatusNotFound || !strings.Contains(r.body, "Kỳ này chưa được công bố") {
		t.Errorf("anonymous week 41 of the province: %d %.400s", r.status, textOf(r.body))
	}
	// A week of the running year without a capture has no data.
	if r := anon.get("/reports/week/2026-W30"); r.status != fiber.StatusNotFound || strings.Contains(r.body, "chưa được công bố") ||
		!strings.Contains(r.body, "Chưa có số liệu cập nhật") {
		t.Errorf("anonymous week 30: %d %.400s", r.status, textOf(r.body))
	}

	// Once October 2026 of the province is published, week 41 (5–11
	// October) links to its report, which a visitor can read.
	f.importString("h93-10.csv", "period,unit_code,metric,numerator,denominator\n2026-10,"+portalProvince+",PUBLISH_ON_TIME,9,10\n")
	if _, err := f.st.Publish(t.Context(), "2026-10", store.Actor{Name: "vanphong"}, scorecache.SnapshotFunc(f.svc)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, link, label string }{
		{"/reports/week/2026-W41", `href="/reports/2026-10?province=` + portalProvince + `"`, "Xem Báo cáo tháng 10/2026"},
		{"/reports/week/2026-W41?lang=en", `href="/reports/2026-10?province=` + portalProvince + `"`, "See Report for Oct 2026"},
	} {
		r := f.client().get(c.path)
		if r.status != fiber.StatusNotFound || !strings.Contains(r.body, c.link) || !strings.Contains(textOf(r.body), c.label) {
			t.Errorf("%s: %d, want a link %s labelled %q: %.600s", c.path, r.status, c.link, c.label, textOf(r.body))
		}
	}
	if r := f.client().get("/reports/2026-10?province=" + portalProvince); r.status != fiber.StatusOK || !strings.Contains(r.body, `class="report-doc"`) {
		t.Errorf("the linked report of 10/2026: %d %.400s", r.status, textOf(r.body))
	}

	office := f.client()
	office.login("vanphong")
	r = office.get("/reports/week/2026-W41?province=" + portalProvince)
	if r.status != fiber.StatusOK || !strings.Contains(r.body, `class="report-doc"`) || strings.Contains(r.body, "Kỳ này chưa được công bố") {
		t.Errorf("office week 41: %d %.400s", r.status, textOf(r.body))
	}
	if !strings.Contains(textOf(r.body), "Bản nháp — số liệu Năm 2026 chưa được công bố") {
		t.Errorf("office week 41 is not marked as the running year's draft: %.600s", textOf(r.body))
	}
}

// With several provinces, "/" ranks them; in a draft period it says the
// period is not yet published, as a province's overview does, and the
// rankings' province select offers the provinces.
func TestUnpublishedNationalPage(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, fixtureOptions{})
	f.importString("units.csv", "code,name,kind,parent_code\nHN,Thành phố Hà Nội,province,\nHN.STC,Sở Tài chính,agency,HN\n")
	anon := f.client()
	r := anon.get("/?period=2024-05")
	if !strings.Contains(r.body, "<h1>Các tỉnh, thành phố</h1>") {
		t.Fatalf("/ is not the national page: %.400s", textOf(r.body))
	}
	if !strings.Contains(r.body, "Kỳ này chưa được công bố") || !strings.Contains(r.body, `href="/?period=2024-04"`) ||
		strings.Contains(r.body, "Chưa có dữ liệu") || r.header.Get(site.DraftHeader) != site.Unpublished {
		t.Errorf("national page of the draft: %.600s", textOf(r.body))
	}
	for _, m := range draftMarkers {
		if strings.Contains(r.body, m) {
			t.Errorf("national page of the draft shows %q", m)
		}
	}
	if r := anon.get("/?period=2024-04"); strings.Contains(r.body, "chưa được công bố") || !strings.Contains(r.body, "Tỉnh Bắc Kạn") {
		t.Errorf("national page of a published period: %.600s", textOf(r.body))
	}
	office := f.client()
	office.login("vanphong")
	if r := office.get("/?period=2024-05"); strings.Contains(r.body, "Kỳ này chưa được công bố") || !strings.Contains(r.body, "Bản nháp") {
		t.Errorf("office national page of the draft: %.600s", textOf(r.body))
	}
}
