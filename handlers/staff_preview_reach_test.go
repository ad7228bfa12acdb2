package handlers

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// previewSummary is the preview's summary paragraph, and in it the count
// of the file's units, then of its periods.
var previewSummary = regexp.MustCompile(`<p class="hint">(Tệp làm thay đổi tổng điểm của (\d+) đơn vị trong (\d+) kỳ[^<]*)</p>`)

// previewPublished is one published period the preview says the file
// changes.
var previewPublished = regexp.MustCompile(`<li>([^<]*), công bố ngày`)

// A corrected month of a published year changes the published quarter,
// half-year and year that contain it too, as their totals are pooled from
// their months. The preview scores the file's own periods only (scoring a
// year reads all its months: a national file's preview would take several
// times as long), so its summary counts the month, and then names every
// longer period the confirmed import changes, as the correction box lists
// the published ones; in English one such period is named in the singular.
func TestWebImportPreviewNamesLongerPeriods(t *testing.T) {
	storetest.Run(t, testWebImportPreviewNamesLongerPeriods)
}

func testWebImportPreviewNamesLongerPeriods(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	ctx := context.Background()
	for _, p := range []string{"2024-Q2", "2024-H1", "2024"} {
		if _, err := f.st.Publish(ctx, p, store.Actor{Name: models.ActorCLI}, scorecache.SnapshotFunc(f.svc)); err != nil {
			t.Fatalf("publish %s: %v", p, err)
		}
	}
	const month = "2024-04"
	touched := store.TouchedPeriods([]string{month})
	if len(touched) != 4 {
		t.Fatalf("%s is in %v; the test expects its quarter, half and year", month, touched)
	}
	// totals is every unit's total in each period the month touches, by
	// period, then unit ("" without data).
	totals := func() map[string]map[string]string {
		t.Helper()
		eng, err := f.svc.Engine(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]map[string]string{}
		for _, code := range touched {
			p, err := scoring.ParsePeriod(code)
			if err != nil {
				t.Fatal(err)
			}
			ps, err := f.svc.Period(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			out[code] = map[string]string{}
			for _, u := range eng.Units() {
				if us := ps.Unit(u.Code); us != nil && us.Exists && us.HasData {
					out[code][u.Code] = strconv.FormatInt(int64(us.Total), 10)
				}
			}
		}
		return out
	}
	before := totals()

	office := f.client()
	office.login("vanphong")
	file := "period,unit_code,metric,numerator,denominator\n" + month + ",BK.STC,ON_TIME_PROCESSING,19,20\n"
	r := office.upload("/staff/import", "sua-thang4.csv", file)
	m := confirmAction.FindStringSubmatch(r.body)
	sum := previewSummary.FindStringSubmatch(r.body)
	if r.status != fiber.StatusOK || m == nil || sum == nil {
		t.Fatalf("preview: %d %.3000s", r.status, r.body)
	}
	summary := html.UnescapeString(sum[1])
	listed := map[string]bool{}
	for _, g := range previewPublished.FindAllStringSubmatch(r.body, -1) {
		listed[html.UnescapeString(g[1])] = true
	}
	if r := office.post(m[1], url.Values{"reason": {"Sở Tài chính gửi lại số liệu tháng 4 theo công văn số 12/STC."}}); r.status != fiber.StatusOK {
		t.Fatalf("confirm: %d %.800s", r.status, r.body)
	}
	after := totals()

	// The longer periods the import changed, as the summary orders them:
	// each after the months it ends with, shorter first.
	var longer []scoring.Period
	for _, code := range []string{"2024-Q2", "2024-H1", "2024"} {
		for u := range mergeKeys(before[code], after[code]) {
			if before[code][u] == after[code][u] {
				continue
			}
			p, _ := scoring.ParsePeriod(code)
			longer = append(longer, p)
			break
		}
	}
	if len(longer) != 3 {
		t.Fatalf("the import changed %v besides %s; the test needs its quarter, half and year: %v → %v", longer, month, before, after)
	}
	// The file's own period alone is scored and counted.
	if sum[2] != "1" || sum[3] != "1" {
		t.Errorf("the summary counts %s units in %s periods; the file changes 1 unit in its 1 period: %s", sum[2], sum[3], summary)
	}
	want := i18n.VI.TN(len(longer), "staff.import.changes.pooled", periodList(i18n.VI, longer))
	if !strings.Contains(summary, want) {
		t.Errorf("the summary does not name the longer periods the import changed, %q:\n%s", want, summary)
	}
	for _, p := range longer {
		if label := viLabel(p); !listed[label] {
			t.Errorf("the correction box does not list the published %s as changed: %v", label, listed)
		}
	}
	for label := range listed {
		if label != periodCodeLabel(i18n.VI, month) && !strings.Contains(want, label) {
			t.Errorf("the correction box lists %s, which the summary does not name: %s", label, summary)
		}
	}

	// A file with rows of its own for the month's quarter and half: those
	// are scored; the year alone is named, in English in the singular.
	r = office.upload("/staff/import?lang=en", "sua.csv", "period,unit_code,metric,numerator,denominator\n"+
		month+",BK.STC,ON_TIME_PROCESSING,17,20\n2024-Q2,BK.STC,ON_TIME_PROCESSING,50,60\n2024-H1,BK.STC,ON_TIME_PROCESSING,100,120\n")
	year := scoring.Period{Kind: scoring.Year, Year: 2024}
	one := i18n.EN.TN(1, "staff.import.changes.pooled", periodList(i18n.EN, []scoring.Period{year}))
	if text := html.UnescapeString(r.body); !strings.Contains(text, one) || strings.Contains(text, "are computed from the months") {
		t.Errorf("the English preview does not name the year alone, in the singular (%q): %.3000s", one, textOf(r.body))
	}
}

// viLabel is a period's name in Vietnamese, as the pages show it.
func viLabel(p scoring.Period) string { return periodCodeLabel(i18n.VI, p.String()) }

// mergeKeys is the set of the keys of a and b.
func mergeKeys(a, b map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
