package handlers

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// In Chromium at 390 px, a visitor who opens a draft period reads that it
// is not yet published, within the screen, follows the link to the latest
// published period and lands on its figures; axe-core finds no serious
// violation on the notice (overview and report).
func TestBrowserUnpublished(t *testing.T) {
	browserTest(t)
	f := newAccessFixture(t, fixtureOptions{})
	ctx, base, blog := startBrowser(t, f.app, browserOptions{reducedMotion: true, timeout: 90 * time.Second})
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	type state struct {
		Title  string `json:"title"`
		Width  int    `json:"width"`
		Right  int    `json:"right"`
		Link   string `json:"link"`
		LinkH  int    `json:"linkH"`
		Cards  int    `json:"cards"`
		Search string `json:"search"`
	}
	look := func() (state, error) {
		return chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
  if (document.readyState !== 'complete') throw new Error('loading');
  const box = document.querySelector('.unpublished');
  const a = box ? box.querySelector('a') : null;
  return {title: box ? box.querySelector('h2').textContent.trim() : '',
    width: document.documentElement.scrollWidth,
    right: box ? Math.round(box.getBoundingClientRect().right) : -1,
    link: a ? a.textContent.trim() : '', linkH: a ? Math.round(a.getBoundingClientRect().height) : 0,
    cards: document.querySelectorAll('.card-value, .report-doc').length, search: location.pathname + location.search};
})()`))
	}
	measure := func() state {
		t.Helper()
		st, err := look()
		if err != nil {
			t.Fatalf("measure: %v", err)
		}
		return st
	}
	for _, c := range []struct{ path, link, lands string }{
		{"/?period=2024-05", "Tháng 04/2024", "/?period=2024-04"},
		{"/reports/2024-Q2", "Báo cáo quý I/2024", "/reports/2024-Q1"},
	} {
		if strings.HasPrefix(c.path, "/reports/") {
			blog.expect404(base + c.path) // a report not written answers 404
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+c.path)); err != nil {
			t.Fatalf("navigate %s: %v", c.path, err)
		}
		st := measure()
		if st.Title != "Kỳ này chưa được công bố" || !strings.Contains(st.Link, c.link) {
			t.Errorf("%s: notice %q with link %q, want the notice and %q", c.path, st.Title, st.Link, c.link)
		}
		if st.Width > 390 || st.Right > 390 || st.Right < 0 {
			t.Errorf("%s: %d px wide, notice ends at %d, on a 390 px phone", c.path, st.Width, st.Right)
		}
		if st.LinkH < 24 {
			t.Errorf("%s: the link to the latest period is %d px high", c.path, st.LinkH)
		}
		runAxe(t, ctx, "not yet published, "+c.path+", 390 px")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.unpublished a`))); err != nil {
			t.Fatalf("%s: follow the link: %v", c.path, err)
		}
		// A look begun on the old page is cut off by the navigation: ask
		// again until the new page answers.
		deadline := time.Now().Add(20 * time.Second)
		for st, err := look(); (err != nil || st.Search != c.lands) && time.Now().Before(deadline); st, err = look() {
			time.Sleep(100 * time.Millisecond)
		}
		st = measure()
		if st.Search != c.lands || st.Title != "" || st.Cards == 0 {
			t.Errorf("%s: the link led to %s (notice %q, %d figures), want %s with figures", c.path, st.Search, st.Title, st.Cards, c.lands)
		}
	}
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the pages logged problems:\n%s", strings.Join(bad, "\n"))
	}
}
