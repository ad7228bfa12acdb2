package handlers

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"scorecard/scoring"
)

// demoAgency is an agency of the demo's latest month, the pages' default
// period.
func demoAgency(t *testing.T, eng *scoring.Engine) string {
	t.Helper()
	latest := eng.Periods()[0]
	for _, u := range eng.Units() {
		if u.Kind == scoring.KindAgency && u.ExistsIn(latest) {
			return u.Code
		}
	}
	t.Fatal("no agency in the demo's latest month")
	return ""
}

// TestBrowserUnitPage checks the unit page a department head opens: at an
// office laptop's size the first screen holds the score cards and what to
// fix first (with the step to the next band) and no what-if form; on a
// phone (390 px, mobile emulation) every row of "what to fix" is a card
// whose advice is on screen. It logs the page's height at both widths.
func TestBrowserUnitPage(t *testing.T) {
	browserTest(t)
	app, svc := newDemoApp(t, Options{})
	eng, err := svc.Engine(context.Background())
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	unit := demoAgency(t, eng)
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true})
	type layout struct {
		Height    int    `json:"height"`
		Width     int    `json:"width"`
		Chart     int    `json:"chart"`
		LeadTop   int    `json:"leadTop"`
		LeadEnd   int    `json:"leadEnd"`
		CardsEnd  int    `json:"cardsEnd"`
		Fixes     int    `json:"fixes"`
		Next      string `json:"next"`
		Forms     int    `json:"forms"`
		WhatIf    bool   `json:"whatIf"`
		StakeRows int    `json:"stakeRows"`
		// Cards are the stake rows laid out as cards: a grid whose
		// advice cell is on screen and as wide as the card.
		Cards int      `json:"cards"`
		Off   []string `json:"off"`
	}
	const measure = `(() => {
  const top = el => el ? Math.round(el.getBoundingClientRect().top + scrollY) : -1;
  const end = el => el ? Math.round(el.getBoundingClientRect().bottom + scrollY) : -1;
  const lead = document.getElementById('can-lam');
  const rows = Array.from(document.querySelectorAll('table.stake-table tbody tr'));
  const off = [];
  let cards = 0;
  rows.forEach(tr => {
    const msg = tr.querySelector('.col-message').getBoundingClientRect();
    const name = tr.querySelector('th').getBoundingClientRect();
    if (getComputedStyle(tr).display === 'grid' && msg.left >= 0 && msg.right <= innerWidth && name.right <= innerWidth && msg.width >= tr.getBoundingClientRect().width - 40) cards++;
    else off.push(tr.querySelector('th').textContent.trim().slice(0, 40) + ' advice at x ' + Math.round(msg.left) + '–' + Math.round(msg.right));
  });
  const next = lead && lead.querySelector('.notice-next');
  return {height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth,
    chart: top(document.querySelector('.chart')), leadTop: top(lead), leadEnd: end(lead),
    cardsEnd: end(document.querySelector('.cards')), fixes: lead ? lead.querySelectorAll('.fix').length : 0,
    next: next ? next.textContent.trim() : '', forms: document.querySelectorAll('form.whatif-form').length,
    whatIf: !!(lead && lead.querySelector('a[href*="/whatif?period="]')), stakeRows: rows.length, cards, off: off.slice(0, 5)};
})()`
	for _, w := range []struct {
		w, h   int64
		mobile bool
	}{{1366, 900, false}, {390, 844, true}} {
		pctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		vp := chromedp.EmulateViewport(w.w, w.h)
		if w.mobile {
			vp = chromedp.EmulateViewport(w.w, w.h, chromedp.EmulateMobile)
		}
		if err := chromedp.Do(pctx, vp, chromedp.Navigate(base+"/units/"+unit)); err != nil {
			t.Fatalf("navigate: %v", err)
		}
		m, err := chromedp.Run(pctx, chromedp.Evaluate[layout](measure))
		cancel()
		if err != nil {
			t.Fatalf("measure: %v", err)
		}
		t.Logf("unit page %s at %d px: %d px tall, %d px wide; what to fix first at %d–%d px; first chart at %d px",
			unit, w.w, m.Height, m.Width, m.LeadTop, m.LeadEnd, m.Chart)
		if m.Fixes != leadFixes || m.Next == "" || !m.WhatIf {
			t.Errorf("%d px: what to fix first names %d metrics (want %d), next band %q, link to the what-if page %v", w.w, m.Fixes, leadFixes, m.Next, m.WhatIf)
		}
		if m.Forms != 0 {
			t.Errorf("%d px: the what-if form is on the unit page", w.w)
		}
		if m.LeadTop < m.CardsEnd {
			t.Errorf("%d px: what to fix first (at %d px) is not under the score cards (ending at %d px)", w.w, m.LeadTop, m.CardsEnd)
		}
		if !w.mobile && m.LeadEnd > int(w.h) {
			t.Errorf("%d×%d: what to fix first ends at %d px, below the first screen", w.w, w.h, m.LeadEnd)
		}
		if w.mobile {
			if m.Width > int(w.w) {
				t.Errorf("%d px: the page is %d px wide", w.w, m.Width)
			}
			if m.StakeRows == 0 || m.Cards != m.StakeRows {
				t.Errorf("%d px: %d of %d rows of what to fix are cards with their advice on screen; not: %v", w.w, m.Cards, m.StakeRows, m.Off)
			}
		}
	}
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}

// phone is the viewport of the phone tests: 390 px wide, with mobile
// emulation (touch, device scale, the mobile layout viewport).
func phone(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
}

// TestBrowserPhoneWidth loads every public page at 390 px with mobile
// emulation: no page is wider than the phone (wide tables scroll inside
// their frame), and a ranking shows rank, name, total and band without
// scrolling.
func TestBrowserPhoneWidth(t *testing.T) {
	browserTest(t)
	app, svc := newDemoApp(t, Options{})
	eng, err := svc.Engine(context.Background())
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	unit := demoAgency(t, eng)
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true})
	pages := suitePages(unit)
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			if p.status404 {
				blog.expect404(base + p.path)
			} else {
				blog.expect404("")
			}
			pctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			if err := phone(pctx); err != nil {
				t.Fatalf("viewport: %v", err)
			}
			if err := chromedp.Do(pctx, chromedp.Navigate(base+p.path)); err != nil {
				t.Fatalf("navigate: %v", err)
			}
			type width struct {
				Scroll int      `json:"scroll"`
				Inner  int      `json:"inner"`
				Wide   []string `json:"wide"`
			}
			w, err := chromedp.Run(pctx, chromedp.Evaluate[width](`(() => {
  const wide = [];
  document.querySelectorAll('body *').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.right > 391 && !el.closest('.table-wrap')) wide.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(r.right));
  });
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide: wide.slice(0, 5)};
})()`))
			if err != nil {
				t.Fatalf("measure: %v", err)
			}
			// With mobile emulation a page wider than the screen widens
			// the layout viewport itself (innerWidth), not only scrollWidth.
			if w.Inner > 390 || w.Scroll > 390 {
				t.Errorf("%s lays out %d px wide (scrolls %d px) on a 390 px phone; too wide: %v", p.path, w.Inner, w.Scroll, w.Wide)
			}
			if strings.HasPrefix(p.name, "rankings-") {
				// The first row's rank, name, total and band are on screen.
				right, err := chromedp.Run(pctx, chromedp.Evaluate[int](`(() => {
  const tr = document.querySelector('table.ranking-full tbody tr:not(.row-nodata)');
  if (!tr) return -1;
  return Math.round(Math.max(...Array.from(tr.children).slice(0, 4).map(c => c.getBoundingClientRect().right)));
})()`))
				if err != nil || right < 0 {
					t.Fatalf("ranking row: %d %v", right, err)
				}
				if right > 390 {
					t.Errorf("rank, name, total and band end at x = %d, beyond the 390 px screen", right)
				}
			}
			if bad := blog.take(); len(bad) > 0 {
				t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
			}
		})
	}
}

// TestBrowserMethodologyFits: at 1366 px every table of the methodology
// fits its frame (no sideways scrolling), in both languages.
func TestBrowserMethodologyFits(t *testing.T) {
	browserTest(t)
	app, _ := newDemoApp(t, Options{})
	ctx, base, blog := startBrowser(t, app, browserOptions{})
	for _, lang := range []string{"vi", "en"} {
		pctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/methodology?lang="+lang)); err != nil {
			t.Fatalf("%s: navigate: %v", lang, err)
		}
		wide, err := chromedp.Run(pctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.table-wrap')).filter(w => w.scrollWidth > w.clientWidth + 1).map(w => (w.querySelector('caption') || w).textContent.trim().slice(0, 60) + ': ' + w.scrollWidth + ' px in ' + w.clientWidth)`))
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if len(wide) > 0 {
			t.Errorf("%s: methodology tables wider than their frame at 1366 px: %v", lang, wide)
		}
	}
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}

// TestBrowserTrendZoom: the overview's trend chart offers its zoomed axis
// (the button shows only with JavaScript); pressed, the axis narrows to
// the button's range with the band lines in view still named; pressed
// again, it is 0–100 again.
func TestBrowserTrendZoom(t *testing.T) {
	browserTest(t)
	app, _ := newDemoApp(t, Options{})
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true, timeout: 60 * time.Second})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("charts not drawn: %v", err)
	}
	type axis struct {
		Shown   bool     `json:"shown"`
		Pressed string   `json:"pressed"`
		Min     float64  `json:"min"`
		Max     float64  `json:"max"`
		WantMin float64  `json:"wantMin"`
		WantMax float64  `json:"wantMax"`
		Labels  []string `json:"labels"`
	}
	const read = `(() => {
  const b = document.querySelector('button.zoom-toggle[data-chart="chart-trend"]');
  if (!b) return {shown: false};
  const c = echarts.getInstanceByDom(document.getElementById('chart-trend'));
  const y = c.getModel().getComponent('yAxis', 0).axis.scale.getExtent();
  const o = c.getOption();
  const labels = (o.series[0].markLine.data || []).filter(d => d.yAxis >= y[0] && d.yAxis <= y[1]).map(d => d.name);
  return {shown: !b.closest('[hidden]') && b.offsetParent !== null, pressed: b.getAttribute('aria-pressed'), min: y[0], max: y[1],
    wantMin: parseFloat(b.dataset.min), wantMax: parseFloat(b.dataset.max), labels};
})()`
	a, err := chromedp.Run(ctx, chromedp.Evaluate[axis](read))
	if err != nil {
		t.Fatal(err)
	}
	if !a.Shown || a.Pressed != "false" || a.Min != 0 || a.Max != 100 {
		t.Fatalf("before: %+v, want a visible button and a 0–100 axis", a)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button.zoom-toggle[data-chart="chart-trend"]`))); err != nil {
		t.Fatal(err)
	}
	if a, err = chromedp.Run(ctx, chromedp.Evaluate[axis](read)); err != nil {
		t.Fatal(err)
	}
	if a.Pressed != "true" || a.Min != a.WantMin || a.Max != a.WantMax || a.Max-a.Min >= 100 || len(a.Labels) == 0 {
		t.Errorf("zoomed: %+v, want the axis %g–%g with band lines in view", a, a.WantMin, a.WantMax)
	}
	t.Logf("zoomed axis %g–%g, band lines in view: %v", a.Min, a.Max, a.Labels)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button.zoom-toggle[data-chart="chart-trend"]`))); err != nil {
		t.Fatal(err)
	}
	if a, err = chromedp.Run(ctx, chromedp.Evaluate[axis](read)); err != nil || a.Pressed != "false" || a.Min != 0 || a.Max != 100 {
		t.Errorf("back: %+v (%v), want 0–100", a, err)
	}
	shoot(t, ctx, filepath.Join("..", "screenshots", "overview-trend-zoom-1366.png"))
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}

// TestBrowserAgenciesChart: on a phone (390 px, mobile emulation) the
// overview draws every ranked agency as a bar with every name, inside the
// screen, and its table lists them all.
func TestBrowserAgenciesChart(t *testing.T) {
	browserTest(t)
	app, _ := newDemoApp(t, Options{})
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true, timeout: 60 * time.Second})
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("charts not drawn: %v", err)
	}
	type state struct {
		Bars, Rows, Labels, Right, Width int
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
  const el = document.getElementById('chart-agencies');
  if (!el) return {bars: -1};
  const c = echarts.getInstanceByDom(el);
  const axis = c.getModel().getComponent('yAxis', 0).axis;
  return {bars: c.getOption().series[0].data.length,
    rows: el.closest('section').querySelectorAll('table.ranking tbody tr').length,
    labels: axis.getViewLabels().length,
    right: Math.round(el.getBoundingClientRect().right), width: document.documentElement.scrollWidth};
})()`))
	if err != nil {
		t.Fatal(err)
	}
	if st.Bars < 2 || st.Rows != st.Bars || st.Labels != st.Bars {
		t.Errorf("agencies chart: %d bars, %d names drawn, %d table rows; want every agency in all three", st.Bars, st.Labels, st.Rows)
	}
	if st.Right > 390 || st.Width > 390 {
		t.Errorf("agencies chart ends at x = %d, page %d px wide on a 390 px phone", st.Right, st.Width)
	}
	shoot(t, ctx, filepath.Join("..", "screenshots", "overview-agencies-390.png"))
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}
