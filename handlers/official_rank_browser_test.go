package handlers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// On a 390 px phone the province ranking keeps to the screen: the rank in
// the data, the name, the national rank the portal published, the total
// and the band of each row are on the first screen, the group columns
// scroll inside the table, and the page passes axe-core's WCAG A/AA rules.
func TestBrowserProvinceRankingOfficialRank(t *testing.T) {
	browserTest(t)
	shots := filepath.Join("..", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	app := officialRankApp(t)
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true, timeout: 90 * time.Second})
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	type state struct {
		Width  int      `json:"width"`
		Inner  int      `json:"inner"`
		Heads  []string `json:"heads"`
		RowEnd int      `json:"rowEnd"`
	}
	// The English labels are other words; they must fit as well.
	for _, lang := range []string{"en", "vi"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/rankings?kind=province&period=2024-04&lang="+lang)); err != nil {
			t.Fatalf("navigate: %v", err)
		}
		st, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
  const tr = document.querySelector('table.ranking-full tbody tr');
  const cells = tr ? Array.from(tr.children).slice(0, 5) : [];
  return {width: document.documentElement.scrollWidth, inner: window.innerWidth,
    heads: Array.from(document.querySelectorAll('table.ranking-full thead th')).slice(0, 5).map(th => th.textContent.replace(/[▲▼↕]/g, '').trim()),
    rowEnd: cells.length ? Math.round(Math.max(...cells.map(c => c.getBoundingClientRect().right))) : -1};
})()`))
		if err != nil {
			t.Fatalf("measure: %v", err)
		}
		t.Logf("%s, 390 px: first five cells end at x = %d; headers %q", lang, st.RowEnd, st.Heads)
		if st.Width > 390 || st.Inner > 390 {
			t.Errorf("%s: the page lays out %d px wide (scrolls %d px) on a 390 px phone", lang, st.Inner, st.Width)
		}
		if st.RowEnd < 0 || st.RowEnd > 390 {
			t.Errorf("%s: the first row's rank, name, national rank, total and band end at x = %d, beyond the screen", lang, st.RowEnd)
		}
		want := []string{"Hạng trong dữ liệu", "Đơn vị", "Xếp hạng toàn quốc (Cổng DVCQG)"}
		if lang == "en" {
			want = []string{"Rank in this data", "Unit", "National rank (National Public Service Portal)"}
		}
		if len(st.Heads) < 3 || strings.Join(st.Heads[:3], "|") != strings.Join(want, "|") {
			t.Errorf("%s: headers %q, want %q first", lang, st.Heads, want)
		}
	}
	shoot(t, ctx, filepath.Join(shots, "rankings-provinces-official-390.png"))
	runAxe(t, ctx, "province ranking with the national rank, 390 px")
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}
