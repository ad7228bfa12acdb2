package handlers

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

var tagRE = regexp.MustCompile(`<[^>]+>`)

// textOf is a fragment of a page as a reader sees it: tags dropped,
// spaces collapsed.
func textOf(html string) string {
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(html, " ")), " ")
}

// The overview and the rankings of a running year (asked for: the
// default period is the newest month, September) say when its figures
// are as of; a closed period (September, captured after its end) and data
// not captured from the portal say nothing of the kind.
func TestRunningPeriodAsOfNotice(t *testing.T) {
	t.Parallel()
	app, _ := newPortalApp(t, storetest.SQLite)
	const want = "Số liệu tính đến 06:00 ngày 15/10/2026"
	for _, path := range []string{"/?period=2026", "/rankings?kind=commune&period=2026", "/rankings?kind=agency&province=H93&period=2026"} {
		status, _, body := get(t, app, path)
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, no %q", path, status, want)
		}
	}
	if _, _, body := get(t, app, "/?period=2026&lang=en"); !strings.Contains(body, "Figures as of 06:00 on 15 Oct 2026") {
		t.Error("the English overview has no as-of notice")
	}
	for _, path := range []string{"/?period=2026-09", "/rankings?kind=commune&period=2026-09"} {
		status, _, body := get(t, app, path)
		if status != 200 || strings.Contains(body, "Số liệu tính đến") || strings.Contains(body, "bien-dong-ngay") {
			t.Errorf("%s (closed): %d, notice or day movers shown", path, status)
		}
	}
	demo, _ := newPageApp(t, pageSource{ds: pageFixture()})
	if _, _, body := get(t, demo, "/?period=2024-04"); strings.Contains(body, "Số liệu tính đến") || strings.Contains(body, "bien-dong-ngay") {
		t.Error("counts not captured from the portal are shown as of a capture")
	}
}

// moverLineText is how a unit's move reads in a movers table, by the
// published totals and ranks of the two moments.
func moverLineText(u scoring.Unit, p scoring.Period, before, now *scorecache.UnitDay) string {
	l := i18n.VI
	d := *now.OfficialTotal - *before.OfficialTotal
	moved := before.OfficialRank - now.OfficialRank
	chg := func(c present.Change) string { return c.Arrow + " " + c.Text + " " + c.Label }
	return fmt.Sprintf("%s %s %s %s %s %d → %d %s", u.Name, present.KindOne(l, u.Kind, p),
		present.Score(l, *before.OfficialTotal), present.Score(l, *now.OfficialTotal),
		chg(dayChange(l, present.ScoreChange(l, &d), "days.change.points", d != 0)),
		before.OfficialRank, now.OfficialRank, chg(dayChange(l, present.RankChange(l, &moved), "days.change.rank", moved != 0)))
}

// The overview lists the largest rises and falls since the day before and
// since a week before (the close of 8 October: its later capture), with
// the portal's published totals and ranks of those moments; the rankings
// list every unit of the kind.
func TestDayAndWeekMovers(t *testing.T) {
	t.Parallel()
	app, svc := newPortalApp(t, storetest.SQLite)
	ctx := t.Context()
	p := scoring.MustPeriod("2026")
	at := func(d, h, m int) time.Time { return time.Date(2026, 10, d, h, m, 0, 0, scoring.Location) }
	now, err := svc.DayAt(ctx, p, portalProvince, at(15, 6, 0))
	if err != nil {
		t.Fatal(err)
	}
	e, _ := svc.Engine(ctx)
	_, _, body := get(t, app, "/?period=2026")
	section := between(t, body, `id="bien-dong-ngay"`, "</section>")
	if !strings.Contains(section, `href="/reports/week/2026-W42"`) {
		t.Error("the day movers do not link to this week's report")
	}
	for _, c := range []struct {
		id, caption string
		then        time.Time
	}{
		{"days-day", "So với hôm trước (06:00 ngày 14/10/2026)", at(14, 6, 0)},
		{"days-week", "So với một tuần trước (18:30 ngày 08/10/2026)", at(8, 18, 30)},
	} {
		table := between(t, section, `id="`+c.id+`"`, "</table>")
		table = textOf(table[strings.Index(table, ">")+1:])
		if !strings.HasPrefix(table, c.caption) {
			t.Errorf("%s: caption %.80q, want %q", c.id, table, c.caption)
		}
		then, err := svc.DayAt(ctx, p, portalProvince, c.then)
		if err != nil {
			t.Fatal(err)
		}
		// The unit that gained most and the one that lost most, by the
		// published totals, head their lists.
		var best, worst string
		var bestD, worstD scoring.Cents
		for code, u := range now.Units {
			if unit, _ := e.Unit(code); unit.Kind == scoring.KindProvince || then.Units[code] == nil {
				continue
			}
			d := *u.OfficialTotal - *then.Units[code].OfficialTotal
			if best == "" || d > bestD {
				best, bestD = code, d
			}
			if worst == "" || d < worstD {
				worst, worstD = code, d
			}
		}
		for _, x := range []struct {
			code, head string
			d          scoring.Cents
		}{{best, "Tăng nhiều nhất", bestD}, {worst, "Giảm nhiều nhất", worstD}} {
			if (x.head == "Tăng nhiều nhất") != (x.d > 0) {
				continue
			}
			u, _ := e.Unit(x.code)
			want := x.head + " " + moverLineText(u, p, then.Units[x.code], now.Units[x.code])
			if !strings.Contains(table, want) {
				t.Errorf("%s: no %q in %q", c.id, want, table)
			}
		}
	}
	// The rankings list every commune, by rank, with both comparisons.
	_, _, body = get(t, app, "/rankings?kind=commune&period=2026")
	section = textOf(between(t, body, `id="bien-dong-ngay"`, "</section>"))
	if n := strings.Count(section, "Xã, phường, đặc khu"); n != 2*8 {
		t.Errorf("%d commune rows in the rankings' movers, want 16", n)
	}
	if strings.Contains(section, "Sở số") {
		t.Error("agencies among the communes' movers")
	}
}

// A unit page of a running period never waits for the day-by-day replay:
// the first visit says the chart is being prepared (an answer no cache
// keeps) and starts it; once it
// is done, the page has the chart and a table of every captured day, the
// newest first, with the published total and rank of each day's close.
func TestUnitDayByDay(t *testing.T) {
	t.Parallel()
	app, svc := newPortalApp(t, storetest.SQLite)
	const path = "/units/H93.101?period=2026"
	status, hdr, body := get(t, app, path)
	if status != 200 || !strings.Contains(body, "Số liệu tính đến 06:00 ngày 15/10/2026") {
		t.Fatalf("%s: %d, no as-of notice", path, status)
	}
	// That answer is not the page of the data: no cache may keep it.
	if cc := hdr("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the page without its chart says Cache-Control %q, want no-store", cc)
	}
	if !strings.Contains(body, "Biểu đồ theo ngày đang được chuẩn bị") || strings.Contains(body, `id="chart-days"`) {
		t.Error("the first visit does not say the chart is being prepared")
	}
	days, err := svc.Days(t.Context(), scoring.MustPeriod("2026"), portalProvince)
	if err != nil {
		t.Fatal(err)
	}
	_, _, body = get(t, app, path)
	section := between(t, body, `id="theo-ngay"`, "</section>")
	if !strings.Contains(section, `id="chart-days"`) || !strings.Contains(section, `data-option=`) {
		t.Fatal("no day-by-day chart once the replay is done")
	}
	table := between(t, section, `<tbody>`, "</tbody>")
	rows := strings.Split(table, "<tr>")[1:]
	if len(rows) != len(days.Days) || len(days.Days) != 15 {
		t.Fatalf("%d rows for %d days, want 15", len(rows), len(days.Days))
	}
	for i, d := range days.Days {
		u := d.Units["H93.101"]
		want := fmt.Sprintf("%s %s %d/%d", present.Date(i18n.VI, d.AsOf), present.Score(i18n.VI, *u.OfficialTotal), u.OfficialRank, u.RankOf)
		if got := textOf(rows[len(rows)-1-i]); got != want {
			t.Errorf("day %s: row %q, want %q", d.Date, got, want)
		}
	}
	// The chart's option carries both series, the rank on its own axis.
	opt := dataOption.FindStringSubmatch(section)[1]
	for _, want := range []string{"Tổng điểm", "Thứ hạng", "&#34;inverse&#34;:true", "&#34;yAxisIndex&#34;:1"} {
		if !strings.Contains(opt, want) {
			t.Errorf("chart option lacks %s", want)
		}
	}
	// A closed period has neither.
	if _, _, b := get(t, app, "/units/H93.101?period=2026-09"); strings.Contains(b, `id="theo-ngay"`) || strings.Contains(b, "Số liệu tính đến") {
		t.Error("a closed period's unit page shows day-by-day figures")
	}
}
