package handlers

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"scorecard/data/demo/running"
	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// The demo's running year, as `scorecard demo` loads it: its pages work.
// The year is a draft (an office's running year stays one while captured
// every day), so the pages are read as the office's staff reads them.
func TestDemoRunningYearPages(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the whole demo (slow)")
	}
	_, st, _ := newStoreApp(t, storetest.SQLite)
	ctx := t.Context()
	schemes := pageSchemes(t)
	if _, err := running.Load(ctx, st, schemes); err != nil {
		t.Fatal(err)
	}
	svc := scorecache.New(st, schemes)
	app, err := New(Deps{Scores: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	p := scoring.MustPeriod(running.Period)
	at := func(d int) time.Time { return time.Date(2026, 11, d, 22, 0, 0, 0, scoring.Location) }

	// The overview of the year: as of the last evening, with the movers
	// since the day before and the week before.
	status, _, body := get(t, app, "/?period=2026")
	if status != 200 || !strings.Contains(body, "Số liệu tính đến 22:00 ngày 30/11/2026") {
		t.Fatalf("overview of 2026: %d, no as-of notice", status)
	}
	section := textOf(between(t, body, `id="bien-dong-ngay"`, "</section>"))
	for _, want := range []string{"So với hôm trước (22:00 ngày 29/11/2026)", "So với một tuần trước (22:00 ngày 23/11/2026)",
		"Tăng nhiều nhất", "Giảm nhiều nhất"} {
		if !strings.Contains(section, want) {
			t.Errorf("the day movers lack %q: %.400q", want, section)
		}
	}
	// Only Thái Nguyên's units are captured.
	now, err := svc.DayAt(ctx, p, running.Province, at(30))
	if err != nil {
		t.Fatal(err)
	}
	e, err := svc.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(now.Units) != 54 {
		t.Errorf("%d units on 30/11, want Thái Nguyên and its 53 units", len(now.Units))
	}
	for code := range now.Units {
		if e.ProvinceOf(code) != running.Province {
			t.Errorf("%s of another province captured", code)
		}
	}
	if ps := e.ProvincesIn(p); len(ps) != 1 || ps[0].Code != running.Province {
		t.Errorf("provinces in 2026: %v", ps)
	}

	// A commune's page: its day-by-day chart and a row a day, the newest
	// first, with the published total and rank.
	days, err := svc.Days(ctx, p, running.Province)
	if err != nil {
		t.Fatal(err)
	}
	const unit = "TN.PHULUONG"
	_, _, body = get(t, app, "/units/"+unit+"?period=2026")
	section = between(t, body, `id="theo-ngay"`, "</section>")
	if !strings.Contains(section, `id="chart-days"`) {
		t.Fatal("no day-by-day chart on the commune's page")
	}
	rows := strings.Split(between(t, section, `<tbody>`, "</tbody>"), "<tr>")[1:]
	if len(rows) != len(days.Days) || len(days.Days) != 91 {
		t.Fatalf("%d rows for %d days, want 91 (1/9 to 30/11)", len(rows), len(days.Days))
	}
	newest := days.Days[len(days.Days)-1].Units[unit]
	want := present.Date(i18n.VI, at(30)) + " " + present.Score(i18n.VI, *newest.OfficialTotal)
	if got := textOf(rows[0]); !strings.HasPrefix(got, want) {
		t.Errorf("newest row %q, want %q…", got, want)
	}

	// The week report of the last full week, and of the running one.
	for _, c := range []struct {
		week      string
		end, prev int
	}{{"2026-W48", 29, 22}, {"2026-W49", 30, 29}} {
		status, _, body := get(t, app, "/reports/week/"+c.week)
		if status != 200 {
			t.Fatalf("%s: %d", c.week, status)
		}
		doc := textOf(between(t, body, `<article class="report-doc"`, "</article>"))
		end, err := svc.DayAt(ctx, p, running.Province, at(c.end))
		if err != nil {
			t.Fatal(err)
		}
		total := *end.Units[running.Province].OfficialTotal
		for _, want := range []string{
			"Tính đến " + asOfText(i18n.VI, at(c.end)) + " (lần cập nhật cuối cùng trong tuần), Chỉ số phục vụ người dân, doanh nghiệp năm 2026 của",
			"đạt " + present.Score(i18n.VI, total) + "/100 điểm.",
			"So với " + asOfText(i18n.VI, at(c.prev)),
			"Sở, ban, ngành (13 đơn vị có số liệu), dẫn đầu:",
		} {
			if !strings.Contains(doc, want) {
				t.Errorf("%s: no %q in %.600q", c.week, want, doc)
			}
		}
	}
}
