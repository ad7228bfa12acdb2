package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A commune formed by the 2025 merger shows, in the browser, its history
// and its predecessors' side by side: the break is drawn at 07/2025 with
// "Sáp nhập 01/07/2025", no line crosses it (each unit its own series, gaps
// not bridged), and the page fits a phone.
func TestBrowserLineage(t *testing.T) {
	browserTest(t)
	app, _ := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true})
	pctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/units/TN.CHORA")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("charts not drawn: %v", err)
	}
	type drawn struct {
		Marks   []string `json:"marks"`
		Series  int      `json:"series"`
		Connect bool     `json:"connect"`
		Links   int      `json:"links"`
	}
	for _, id := range []string{"chart-lineage", "chart-lineage-rank"} {
		got, err := chromedp.Run(pctx, chromedp.Evaluate[drawn](`(() => {
  const c = echarts.getInstanceByDom(document.getElementById('`+id+`'));
  const o = c.getOption();
  const marks = [];
  o.series.forEach(s => ((s.markLine && s.markLine.data) || []).forEach(d => { if (d.xAxis !== undefined) marks.push(d.xAxis + ' ' + d.name); }));
  return {marks, series: o.series.length, connect: o.series.some(s => s.connectNulls),
    links: document.querySelectorAll('#lich-su-don-vi a[href^="/units/BK.BABE."]').length};
})()`))
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if strings.Join(got.Marks, "|") != "07/2025 Sáp nhập 01/07/2025" {
			t.Errorf("%s: breaks %q, want one at 07/2025 named Sáp nhập 01/07/2025", id, got.Marks)
		}
		if got.Series != 4 || got.Connect {
			t.Errorf("%s: %d series (connect nulls %v), want four separate lines", id, got.Series, got.Connect)
		}
		if got.Links != 3 {
			t.Errorf("%d predecessors linked, want 3", got.Links)
		}
	}
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(390, 800, chromedp.EmulateMobile)); err != nil {
		t.Fatalf("viewport 390: %v", err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](chartsFit, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("at 390 px a chart did not resize or the page scrolls sideways: %v", err)
	}
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}
