package handlers

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/present"
	"scorecard/scoring"
)

// previewLinkRow is one row of the preview's table of totals with its
// link to the unit's page in the period: link, unit, now, after.
var previewLinkRow = regexp.MustCompile(`<tr><td class="nw">[^<]*</td><th scope="row" class="sticky"><a href="([^"]*)">([^<]*)</a></th><td class="num">(.*?)</td><td class="num">(.*?)</td>`)

// unitPageTotal is the total on a unit's page: the figure, or "—" without
// data.
var unitPageTotal = regexp.MustCompile(`<div class="card card-total">\s*<p class="card-label">[^<]*</p>\s*<p class="card-value(?: muted)?">([^<]*)`)

// noData stands for a unit without data, in the preview and on its page.
const noData = "no data"

// previewCell is a cell of the preview's table as the page says it.
func previewCell(cell string) string {
	if strings.Contains(cell, "chưa có số liệu") {
		return noData
	}
	return strings.TrimSpace(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(cell, "")))
}

// The preview of a counts file predicts, figure for figure, what the
// pages show once it is imported: each row's total now is the one its
// unit's page shows before the import and its total after is the one the
// page shows after; and the units it lists are exactly those whose total
// or having data the import changes, in every period of the file. The
// file corrects a published month, changes a month with data (an agency
// and so the province's pool), brings a month without data, and gives a
// quarter counts of its own while its months change too (a quarter's
// scores read its months' counts).
func TestWebImportPreviewEqualsTheImport(t *testing.T) {
	storetest.Run(t, testWebImportPreviewEqualsTheImport)
}

func testWebImportPreviewEqualsTheImport(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	ctx := context.Background()
	office := f.client()
	office.login("vanphong")
	periods := []scoring.Period{
		{Kind: scoring.Month, Year: 2024, N: 4}, {Kind: scoring.Month, Year: 2024, N: 5},
		{Kind: scoring.Month, Year: 2024, N: 6}, {Kind: scoring.Quarter, Year: 2024, N: 2},
	}
	// scores is every unit's total in each period of the file, as the
	// scores service gives the pages ("" without data).
	scores := func() map[string]string {
		t.Helper()
		eng, err := f.svc.Engine(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, p := range periods {
			ps, err := f.svc.Period(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range eng.Units() {
				us := ps.Unit(u.Code)
				if us == nil || !us.Exists {
					continue
				}
				v := noData
				if us.HasData {
					v = present.Score(i18n.VI, us.Total)
				}
				out[site.UnitURL(u.Code, p)] = v
			}
		}
		return out
	}
	before := scores()

	file := "period,unit_code,metric,numerator,denominator\n" +
		"2024-04,BK.STC,ON_TIME_PROCESSING,19,20\n" +
		"2024-05,BK.SGTVT,ON_TIME_PROCESSING,8000,8888\n" +
		"2024-06,BK.SYT,ON_TIME_PROCESSING,40,41\n" +
		"2024-Q2,BK.STC,ON_TIME_PROCESSING,50,60\n"
	r := office.upload("/staff/import", "sua-quy2.csv", file)
	m := confirmAction.FindStringSubmatch(r.body)
	if r.status != fiber.StatusOK || m == nil {
		t.Fatalf("preview: %d %.800s", r.status, r.body)
	}
	type row struct{ unit, now, after string }
	listed := map[string]row{} // by link
	for _, g := range previewLinkRow.FindAllStringSubmatch(r.body, -1) {
		listed[html.UnescapeString(g[1])] = row{html.UnescapeString(g[2]), previewCell(g[3]), previewCell(g[4])}
	}
	if len(listed) == 0 {
		t.Fatalf("the preview has no table of totals:\n%.3000s", r.body)
	}
	// The page of each unit listed, as the office sees it.
	page := func(link string) string {
		t.Helper()
		r := office.get(link)
		if r.status != fiber.StatusOK {
			t.Fatalf("%s: %d", link, r.status)
		}
		mm := unitPageTotal.FindStringSubmatch(r.body)
		if mm == nil || strings.TrimSpace(mm[1]) == "—" {
			return noData
		}
		return strings.TrimSpace(html.UnescapeString(mm[1]))
	}
	for link, w := range listed {
		if got := page(link); got != w.now {
			t.Errorf("%s (%s) before the import: the preview says %s, the page %s", w.unit, link, w.now, got)
		}
	}

	if r := office.post(m[1], url.Values{"reason": {"Sở Tài chính gửi lại số liệu tháng 4 và quý 2 theo công văn số 12/STC."}}); r.status != fiber.StatusOK {
		t.Fatalf("confirm: %d %.800s", r.status, r.body)
	}
	for link, w := range listed {
		if got := page(link); got != w.after {
			t.Errorf("%s (%s) after the import: the preview says %s, the page %s", w.unit, link, w.after, got)
		}
	}
	after := scores()
	changed := 0
	quarter := false
	for link, now := range after {
		_, isListed := listed[link]
		if moved := before[link] != now; moved != isListed {
			t.Errorf("%s: %s → %s, listed by the preview: %v", link, before[link], now, isListed)
		}
		if before[link] != now {
			changed++
			quarter = quarter || strings.HasSuffix(link, "2024-Q2") && strings.Contains(link, "BK.SGTVT")
		}
	}
	if changed != len(listed) {
		t.Errorf("the import changed %d totals, the preview lists %d", changed, len(listed))
	}
	// Sở Giao thông vận tải's quarter has no counts in the file: it
	// changes through its May, which the preview must have read.
	if !quarter {
		t.Errorf("Sở Giao thông vận tải's quarter did not change; the test needs it to: %v", listed)
	}
	if len(listed) < 5 {
		t.Errorf("the preview lists %d totals; the file changes more: %v", len(listed), listed)
	}
}
