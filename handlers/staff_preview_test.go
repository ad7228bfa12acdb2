package handlers

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/present"
	"scorecard/scoring"
)

// previewChangeRow is one row of the preview's table of totals: period,
// unit, total now, total after the import.
var previewChangeRow = regexp.MustCompile(`<tr><td class="nw">([^<]*)</td><th scope="row" class="sticky"><a href="[^"]*">([^<]*)</a></th><td class="num">(.*?)</td><td class="num">(.*?)</td>`)

// The preview of a counts file says which units and periods change and by
// how much: each unit's total now and after the import, and what it
// predicts is what the confirmed import then gives. Units the file does not
// touch are not listed; a unit without data until now says so.
func TestWebImportPreviewShowsTotals(t *testing.T) { storetest.Run(t, testWebImportPreviewShowsTotals) }

func testWebImportPreviewShowsTotals(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	ctx := context.Background()
	office := f.client()
	office.login("vanphong")
	may, jul := scoring.Period{Kind: scoring.Month, Year: 2024, N: 5}, scoring.Period{Kind: scoring.Month, Year: 2024, N: 7}
	total := func(p scoring.Period, code string) (scoring.Cents, bool) {
		t.Helper()
		ps, err := f.svc.Period(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		us := ps.Unit(code)
		if us == nil {
			t.Fatalf("no score of %s in %s", code, p)
		}
		return us.Total, us.HasData
	}
	oldSGTVT, _ := total(may, "BK.SGTVT")
	oldSTC, _ := total(may, "BK.STC")
	if _, has := total(jul, "BK.SYT"); has {
		t.Fatal("the fixture has July data")
	}

	file := "period,unit_code,metric,numerator,denominator\n" +
		"2024-05,BK.SGTVT,ON_TIME_PROCESSING,8800,8888\n" +
		"2024-07,BK.SYT,ON_TIME_PROCESSING,40,41\n"
	r := office.upload("/staff/import", "sua.csv", file)
	m := confirmAction.FindStringSubmatch(r.body)
	if r.status != fiber.StatusOK || m == nil {
		t.Fatalf("preview: %d %.800s", r.status, r.body)
	}
	type row struct{ old, new string }
	got := map[string]row{}
	for _, g := range previewChangeRow.FindAllStringSubmatch(r.body, -1) {
		got[html.UnescapeString(g[1])+" "+html.UnescapeString(g[2])] = row{g[3], g[4]}
	}
	if len(got) == 0 {
		t.Fatalf("the preview has no table of totals:\n%.3000s", r.body)
	}
	if !strings.Contains(r.body, "Tổng điểm thay đổi") {
		t.Error("the table of totals has no heading")
	}
	// The file holds two units; the province's total moves with them but
	// the province is not one of the file's units.
	if !strings.Contains(r.body, "Tệp làm thay đổi tổng điểm của 2 đơn vị trong 2 kỳ") {
		t.Errorf("the lead does not count the file's 2 units in 2 periods:\n%.3000s", r.body)
	}
	if bk, listed := got[present.Period(i18n.VI, may)+" Tỉnh Bắc Kạn"]; listed && !strings.Contains(r.body, "Tổng điểm của 1 đơn vị khác") {
		t.Errorf("the province is listed (%v) but the lead does not say its total moves with the file's units", bk)
	}
	// A unit that had no data in the period and gets its first from the
	// file is said to be new, not compared with a "previous period".
	if strings.Contains(r.body, "kỳ trước") {
		t.Error("the preview compares with a previous period; it compares the figures now with those after the import")
	}
	if !strings.Contains(r.body, "mới có số liệu") {
		t.Error("a unit that gets its first figures from the file is not said to be new")
	}

	// Confirm, then compare with the scores the import gave.
	if r := office.post(m[1], nil); r.status != fiber.StatusOK {
		t.Fatalf("confirm: %d", r.status)
	}
	newSGTVT, _ := total(may, "BK.SGTVT")
	newSYT, _ := total(jul, "BK.SYT")
	if newSGTVT == oldSGTVT {
		t.Fatal("the file changes nothing; the test needs a change")
	}
	vi := func(c scoring.Cents) string { return present.Score(i18n.VI, c) }
	mayLabel, julLabel := present.Period(i18n.VI, may), present.Period(i18n.VI, jul)
	sg, ok := got[mayLabel+" Sở Giao thông vận tải"]
	if !ok {
		t.Fatalf("the preview does not list Sở Giao thông vận tải in %s: %v", mayLabel, got)
	}
	if sg.old != vi(oldSGTVT) || !strings.Contains(sg.new, vi(newSGTVT)) {
		t.Errorf("Sở Giao thông vận tải %s: preview %s → %s, the scores %s → %s", mayLabel, sg.old, sg.new, vi(oldSGTVT), vi(newSGTVT))
	}
	sy, ok := got[julLabel+" Sở Y tế"]
	if !ok {
		t.Fatalf("the preview does not list Sở Y tế in %s: %v", julLabel, got)
	}
	if !strings.Contains(sy.old, "chưa có số liệu") || !strings.Contains(sy.new, vi(newSYT)) {
		t.Errorf("Sở Y tế %s: preview %s → %s, want no data → %s", julLabel, sy.old, sy.new, vi(newSYT))
	}
	if after, _ := total(may, "BK.STC"); after != oldSTC {
		t.Fatalf("Sở Tài chính changed: %s → %s", vi(oldSTC), vi(after))
	}
	if _, listed := got[mayLabel+" Sở Tài chính"]; listed {
		t.Error("the preview lists a unit the file does not change")
	}
}
