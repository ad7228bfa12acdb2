package handlers

import (
	"strings"
	"testing"
	"time"

	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/present"
	"scorecard/scoring"
)

// The week report states the province's published total as of the week's
// last capture and its change since the previous week's last capture,
// the groups with their change, and the units that rose and fell.
func TestWeekReport(t *testing.T) {
	t.Parallel()
	app, svc := newPortalApp(t, storetest.SQLite)
	ctx := t.Context()
	p := scoring.MustPeriod("2026")
	at := func(d int) time.Time { return time.Date(2026, 10, d, 6, 0, 0, 0, scoring.Location) }
	for _, c := range []struct {
		week, label string
		end, prev   int
	}{
		{"2026-W41", "tuần 41 năm 2026 (từ ngày 05/10/2026 đến ngày 11/10/2026)", 11, 4},
		// The running week: its latest capture so far.
		{"2026-W42", "tuần 42 năm 2026 (từ ngày 12/10/2026 đến ngày 18/10/2026)", 15, 11},
	} {
		status, _, body := get(t, app, "/reports/week/"+c.week)
		if status != 200 {
			t.Fatalf("%s: %d", c.week, status)
		}
		doc := textOf(between(t, body, `<article class="report-doc"`, "</article>"))
		now, err := svc.DayAt(ctx, p, portalProvince, at(c.end))
		if err != nil {
			t.Fatal(err)
		}
		then, err := svc.DayAt(ctx, p, portalProvince, at(c.prev))
		if err != nil {
			t.Fatal(err)
		}
		total, prev := *now.Units[portalProvince].OfficialTotal, *then.Units[portalProvince].OfficialTotal
		d := total - prev
		verb := "tăng"
		if d < 0 {
			verb, d = "giảm", -d
		}
		for _, want := range []string{
			"BÁO CÁO Kết quả Chỉ số phục vụ người dân, doanh nghiệp " + c.label,
			"Tính đến " + asOfText(i18n.VI, at(c.end)) + " (lần cập nhật cuối cùng trong tuần), Chỉ số phục vụ người dân, doanh nghiệp năm 2026 của",
			"đạt " + present.Score(i18n.VI, total) + "/100 điểm.",
			"So với " + asOfText(i18n.VI, at(c.prev)) + " (lần cập nhật cuối cùng của tuần trước), tổng điểm " + verb + " " + present.Score(i18n.VI, d) + " điểm.",
			"Sở, ban, ngành (3 đơn vị có số liệu), dẫn đầu:",
			"Các xã, phường, đặc khu xếp cuối:", "UBND các xã, phường, đặc khu;",
			"Nơi nhận:",
		} {
			if !strings.Contains(doc, want) {
				t.Errorf("%s: no %q in %.600q", c.week, want, doc)
			}
		}
		groups := between(t, body, `id="week-groups"`, "</table>")
		if n := strings.Count(groups, "<tr>"); n != 1+6+1 {
			t.Errorf("%s: %d rows in the groups table, want the head, 6 groups and the total", c.week, n)
		}
		for _, k := range []string{"agency", "commune"} {
			if !strings.Contains(body, `id="week-`+k+`"`) {
				t.Errorf("%s: no movers table of the %s", c.week, k)
			}
		}
	}
	// The first captured week has nothing before it to compare with.
	_, _, body := get(t, app, "/reports/week/2026-W40")
	if doc := textOf(body); !strings.Contains(doc, "Chưa có số liệu của tuần trước để so sánh.") || strings.Contains(body, `id="week-agency"`) {
		t.Error("the first captured week compares with nothing, or lists movers")
	}
	// The page around the document is translated; the document is not.
	if _, _, b := get(t, app, "/reports/week/2026-W41?lang=en"); !strings.Contains(b, "Week report, week 41 of 2026") || !strings.Contains(b, "lần cập nhật cuối cùng trong tuần") {
		t.Error("the English page lacks its title or the Vietnamese document")
	}
}

// A week written wrongly is a 400 that says how to write it; a week
// without a capture is a 404 that links to the latest week with one.
func TestWeekReportBadWeeks(t *testing.T) {
	t.Parallel()
	app, _ := newPortalApp(t, storetest.SQLite)
	for _, c := range []struct {
		week   string
		status int
		want   string
	}{
		{"abc", 400, "Tuần không hợp lệ: cần dạng 2026-W41"},
		{"2026-w41", 400, "Tuần không hợp lệ"},
		{"2026-W4", 400, "Tuần không hợp lệ"},
		{"2026-41", 400, "Tuần không hợp lệ"},
		{"2026-W00", 400, "Không có tuần 0 trong năm 2026: năm này có 53 tuần theo ISO 8601."},
		{"2026-W54", 400, "Không có tuần 54 trong năm 2026"},
		{"2025-W53", 400, "Không có tuần 53 trong năm 2025: năm này có 52 tuần"},
		{"1999-W10", 400, "Năm 1999 nằm ngoài khoảng"},
		{"2026-W30", 404, "Chưa có số liệu cập nhật từ Cổng Dịch vụ công quốc gia trong tuần 30 năm 2026 (từ ngày 20/07/2026 đến ngày 26/07/2026)."},
		{"2027-W02", 404, "Chưa có số liệu cập nhật"},
	} {
		status, _, body := get(t, app, "/reports/week/"+c.week)
		if status != c.status || !strings.Contains(textOf(body), c.want) {
			t.Errorf("%s: %d, want %d with %q", c.week, status, c.status, c.want)
		}
		if c.status == 404 && !strings.Contains(body, `href="/reports/week/2026-W42"`) {
			t.Errorf("%s: no link to the latest week with a capture", c.week)
		}
	}
}

func TestParseWeek(t *testing.T) {
	for _, c := range []struct{ week, monday string }{
		{"2026-W01", "2025-12-29"}, {"2026-W41", "2026-10-05"}, {"2026-W53", "2026-12-28"}, {"2021-W01", "2021-01-04"},
	} {
		_, _, m, err := parseWeek(c.week)
		if err != nil || m.Format(time.DateOnly) != c.monday {
			t.Errorf("%s: Monday %s (%v), want %s", c.week, m.Format(time.DateOnly), err, c.monday)
		}
		if got := weekOf(m.Add(36 * time.Hour)); got != c.week {
			t.Errorf("weekOf(%s) = %s", m, got)
		}
	}
}
