package handlers

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserRankingsPaged: on a phone (390 px, mobile emulation) the
// country's commune ranking fits the screen, with rank, name, province,
// total and band of each row visible and its pages reachable: "Trang sau"
// opens page 2, the go-to-page form page 3, each link a finger-sized
// target inside the screen; axe-core finds no serious violation.
func TestBrowserRankingsPaged(t *testing.T) {
	browserTest(t)
	shots := filepath.Join("..", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	app, _ := newPageApp(t, pageSource{ds: countryFixture()})
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true, timeout: 90 * time.Second})
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/rankings?kind=commune&period=2026-10")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	type state struct {
		Where   string   `json:"where"`
		Rows    int      `json:"rows"`
		Width   int      `json:"width"`
		Inner   int      `json:"inner"`
		RowEnd  int      `json:"rowEnd"`
		Links   []string `json:"links"`
		Small   []string `json:"small"`
		Outside []string `json:"outside"`
		URL     string   `json:"url"`
	}
	measure := func() state {
		t.Helper()
		st, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
  const nav = document.querySelector('nav.rank-pager');
  const tr = document.querySelector('table.ranking-full tbody tr:not(.row-nodata)');
  const cells = tr ? Array.from(tr.children).slice(0, 4) : [];
  const out = {where: nav ? nav.querySelector('.pager-where').textContent.trim() : '',
    rows: document.querySelectorAll('table.ranking-full tbody tr').length,
    width: document.documentElement.scrollWidth, inner: window.innerWidth,
    rowEnd: cells.length ? Math.round(Math.max(...cells.map(c => c.getBoundingClientRect().right))) : -1,
    links: [], small: [], outside: [], url: location.pathname + location.search};
  if (!nav) return out;
  nav.querySelectorAll('a, input:not([type=hidden]), button').forEach(el => {
    const r = el.getBoundingClientRect();
    if (el.tagName === 'A') out.links.push(el.textContent.trim());
    if (r.height < 24 || r.width < 24) out.small.push(el.tagName + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
    if (r.left < 0 || r.right > 390) out.outside.push(el.tagName + ' ' + Math.round(r.left) + '–' + Math.round(r.right));
  });
  return out;
})()`))
		if err != nil {
			t.Fatalf("measure: %v", err)
		}
		return st
	}
	check := func(st state, where string, rows int) {
		t.Helper()
		if !strings.HasPrefix(st.Where, where) || st.Rows != rows {
			t.Errorf("%s: pager says %q with %d rows, want %q with %d", st.URL, st.Where, st.Rows, where, rows)
		}
		if st.Width > 390 || st.Inner > 390 {
			t.Errorf("%s lays out %d px wide (scrolls %d px) on a 390 px phone", st.URL, st.Inner, st.Width)
		}
		if st.RowEnd < 0 || st.RowEnd > 390 {
			t.Errorf("%s: rank, name, total and band of the first row end at x = %d, beyond the screen", st.URL, st.RowEnd)
		}
		if len(st.Small) > 0 || len(st.Outside) > 0 {
			t.Errorf("%s: pager targets too small %v or outside the screen %v", st.URL, st.Small, st.Outside)
		}
	}
	st := measure()
	check(st, "Trang 1/3", 100)
	if strings.Join(st.Links, "|") != "Trang sau ›|Trang cuối »" {
		t.Errorf("page 1 links %q, want the next and the last page", st.Links)
	}
	shoot(t, ctx, filepath.Join(shots, "rankings-country-390.png"))

	// The next page, as a person taps it.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`nav.rank-pager a[rel="next"]`))); err != nil {
		t.Fatalf("next page: %v", err)
	}
	arrive(t, ctx, "page=2")
	st = measure()
	check(st, "Trang 2/3", 100)
	if len(st.Links) != 4 {
		t.Errorf("page 2 links %q, want first, previous, next and last", st.Links)
	}
	// The pager, the province choice and the province under each name
	// pass axe-core's WCAG A/AA rules.
	runAxe(t, ctx, "country ranking, page 2, 390 px")

	// Any page, through the form.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("f-page"), "3"), chromedp.Submit(chromedp.ID("f-page"))); err != nil {
		t.Fatalf("go to page 3: %v", err)
	}
	arrive(t, ctx, "page=3")
	st = measure()
	check(st, "Trang 3/3", 55)
	if !strings.Contains(st.URL, "kind=commune") || !strings.Contains(st.URL, "period=2026-10") {
		t.Errorf("the form lost the ranking's kind or period: %s", st.URL)
	}
	shoot(t, ctx, filepath.Join(shots, "rankings-country-last-390.png"))
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the pages logged problems:\n%s", strings.Join(bad, "\n"))
	}
}

// arrive waits until the tab has navigated to a URL containing part and
// the new page is loaded: a poll begun on the old page is cut off by the
// navigation, so it is asked again until the new page answers.
func arrive(t *testing.T, ctx context.Context, part string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`location.search.includes(`+strconv.Quote(part)+`) && document.readyState === 'complete' && !!document.querySelector('nav.rank-pager')`))
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the tab did not reach a page with %s", part)
}
