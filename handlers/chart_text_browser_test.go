package handlers

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chartTextProblems lists, for every chart of the page, the texts ECharts
// drew where they cannot be read: past the chart's left or right edge
// (cut off), two lines of one text closer than a line, or two texts over
// each other. Texts in a clipped group (a legend's hidden pages) are left
// out: they are not shown.
const chartTextProblems = `(() => {
  const bad = [];
  document.querySelectorAll('.chart').forEach(el => {
    const c = echarts.getInstanceByDom(el);
    const W = c.getWidth(), texts = [];
    c.getZr().storage.getDisplayList().forEach(t => {
      if (!t.style || t.style.text == null || t.style.text === '' || t.invisible || t.ignore) return;
      for (let p = t.parent; p; p = p.parent) { if (p.getClipPath && p.getClipPath()) return; }
      const r = t.getBoundingRect().clone();
      r.applyTransform(t.getComputedTransform());
      const s = String(t.style.text), lines = s.split('\n').length;
      if (r.x < -1 || r.x + r.width > W + 1) bad.push(el.id + ': "' + s + '" cut off (' + Math.round(r.x) + '–' + Math.round(r.x + r.width) + ' of ' + W + ' px)');
      if (lines > 1 && r.height < lines * 10) bad.push(el.id + ': "' + s.replace(/\n/g, ' / ') + '", ' + lines + ' lines in ' + Math.round(r.height) + ' px');
      texts.push({s: s, r: r});
    });
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r, b = texts[j].r;
        if (a.x < b.x + b.width && b.x < a.x + a.width && a.y !== b.y && Math.abs(a.y - b.y) < 10) {
          bad.push(el.id + ': "' + texts[i].s + '" over "' + texts[j].s + '"');
        }
      }
    }
  });
  return bad;
})()`

// On a phone (390 px) the charts' words and numbers are readable: a
// ranking's scores were cut off at the right edge, long names broken over
// two lines drawn over each other (ECharts takes a CJK glyph's width for a
// line's height, a few pixels without CJK fonts), the band lines' labels
// too, and the average's label ran over the axis' numbers.
func TestBrowserChartTextPhone(t *testing.T) {
	browserTest(t)
	app, _ := newDemoApp(t, Options{})
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true, timeout: 90 * time.Second})
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/embed/ranking?kind=agency", "/embed/trend?province=TN"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("navigate %s: %v", path, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("%s: charts not drawn: %v", path, err)
		}
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](chartTextProblems))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(bad) > 0 {
			b, _ := json.MarshalIndent(bad, "", "  ")
			t.Errorf("%s at 390 px, chart texts not readable:\n%s", path, b)
		}
	}
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the pages logged problems:\n%s", strings.Join(bad, "\n"))
	}
}
