package handlers

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"scorecard/internal/storetest"
	"scorecard/scoring"
)

// On a 390 px phone, a unit's day-by-day chart is drawn with its two
// series within the screen, and its table opens and shows every day, the
// newest first, within the screen too (it scrolls inside its frame); the
// page, the overview's movers and the week report pass axe-core.
func TestBrowserUnitDayByDay(t *testing.T) {
	browserTest(t)
	app, svc := newPortalApp(t, storetest.SQLite)
	if _, err := svc.Days(t.Context(), scoring.MustPeriod("2026"), portalProvince); err != nil {
		t.Fatal(err)
	}
	ctx, base, blog := startBrowser(t, app, browserOptions{width: 390, height: 844, timeout: 90 * time.Second, reducedMotion: true})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(base+"/units/H93.101?period=2026")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("charts not drawn: %v", err)
	}
	type chart struct {
		Series int     `json:"series"`
		Points int     `json:"points"`
		Left   float64 `json:"left"`
		Right  float64 `json:"right"`
		Height float64 `json:"height"`
	}
	c, err := chromedp.Run(ctx, chromedp.Evaluate[chart](`(() => {
  const el = document.getElementById('chart-days'), inst = echarts.getInstanceByDom(el), r = el.getBoundingClientRect();
  const opt = inst.getOption();
  return {series: opt.series.length, points: opt.series[0].data.filter(v => v !== '-').length, left: r.left, right: r.right, height: r.height};
})()`))
	if err != nil {
		t.Fatalf("read chart: %v", err)
	}
	if c.Series != 2 || c.Points != 15 || c.Left < 0 || c.Right > 390 || c.Height < 150 {
		t.Errorf("day-by-day chart %+v: want 2 series of 15 days within 390 px", c)
	}
	type table struct {
		Rows    int     `json:"rows"`
		Visible bool    `json:"visible"`
		Right   float64 `json:"right"`
		Section float64 `json:"section"`
		First   string  `json:"first"`
	}
	tb, err := chromedp.Run(ctx, chromedp.Evaluate[table](`(() => {
  const d = document.querySelector('#theo-ngay details'); d.open = true;
  const t = document.getElementById('days-unit'), wrap = t.closest('.table-wrap').getBoundingClientRect();
  return {rows: t.tBodies[0].rows.length, visible: t.getBoundingClientRect().height > 0, right: wrap.right,
    section: document.getElementById('theo-ngay').getBoundingClientRect().right, first: t.tBodies[0].rows[0].innerText.replace(/\s+/g, ' ').trim()};
})()`))
	if err != nil {
		t.Fatalf("read table: %v", err)
	}
	if tb.Rows != 15 || !tb.Visible || tb.Right > 390 || tb.Section > 390 {
		t.Errorf("day-by-day table %+v: want 15 visible rows, the table and its section within 390 px", tb)
	}
	if len(tb.First) < 10 || tb.First[:10] != "15/10/2026" {
		t.Errorf("the table's first row is %q, want the newest day, 15/10/2026", tb.First)
	}
	runAxe(t, ctx, "unit page, day by day, 390 px")
	// The overview's movers and the week report pass axe-core too.
	for _, path := range []string{"/?period=2026", "/reports/week/2026-W42"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("navigate %s: %v", path, err)
		}
		runAxe(t, ctx, path+" 390 px")
	}
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the pages logged problems: %v", bad)
	}
}
