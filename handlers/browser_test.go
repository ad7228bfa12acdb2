package handlers

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chartsDrawn is true when every chart element has an ECharts instance
// whose first series has data.
const chartsDrawn = `(() => {
  const els = Array.from(document.querySelectorAll('.chart'));
  if (!window.echarts) return false;
  return els.every(el => {
    const c = echarts.getInstanceByDom(el);
    if (!c) return false;
    const s = c.getOption().series;
    return !!(s && s.length && s[0].data && s[0].data.length > 0);
  });
})()`

// chartsFit is true when every chart is drawn within its container (after
// a resize) and the page itself does not scroll sideways.
const chartsFit = `(() => {
  const els = Array.from(document.querySelectorAll('.chart'));
  const fits = els.every(el => {
    const c = echarts.getInstanceByDom(el);
    return c && Math.abs(c.getWidth() - el.clientWidth) <= 1;
  });
  return fits && document.documentElement.scrollWidth <= window.innerWidth;
})()`

func TestBrowserPages(t *testing.T) {
	browserTest(t)
	app, _ := newPageApp(t, pageSource{ds: pageFixture(), demo: true})
	// No overall deadline: each page below gets its own.
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true})

	shots := filepath.Join("..", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatalf("screenshots dir: %v", err)
	}

	pages := []struct {
		name, path string
		minCharts  int
		status404  bool
	}{
		{"overview", "/", 2, false},
		{"rankings", "/rankings?kind=agency&sort=-total", 0, false},
		{"unit", "/units/BK.SGTVT", 2, false},
		{"unit-xss", "/units/BK.XSS", 2, false},
		{"methodology", "/methodology", 0, false},
		{"not-found", "/khong-co-trang-nay", 0, true},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			if p.status404 {
				blog.expect404(base + p.path)
			} else {
				blog.expect404("")
			}
			pctx, pcancel := context.WithTimeout(ctx, 60*time.Second)
			defer pcancel()
			if err := chromedp.Do(pctx,
				chromedp.EmulateViewport(1366, 900),
				chromedp.Navigate(base+p.path),
			); err != nil {
				t.Fatalf("navigate: %v", err)
			}
			n, err := chromedp.Run(pctx, chromedp.Evaluate[int](`document.querySelectorAll('.chart').length`))
			if err != nil {
				t.Fatalf("count charts: %v", err)
			}
			if n < p.minCharts {
				t.Fatalf("%d chart elements, want at least %d", n, p.minCharts)
			}
			if n > 0 {
				if _, err := chromedp.Run(pctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
					t.Fatalf("charts not drawn with data: %v", err)
				}
			}
			lang, err := chromedp.Run(pctx, chromedp.Evaluate[string](`document.documentElement.lang`))
			if err != nil || lang != "vi" {
				t.Errorf("html lang = %q (%v), want vi", lang, err)
			}
			inline, err := chromedp.Run(pctx, chromedp.Evaluate[int](`document.querySelectorAll('script:not([src])').length`))
			if err != nil || inline != 0 {
				t.Errorf("%d inline scripts (%v), want none", inline, err)
			}
			shoot(t, pctx, filepath.Join(shots, p.name+"-1366.png"))

			// Phone width: charts follow their containers, the page does
			// not scroll sideways (wide tables scroll inside their frame).
			if err := chromedp.Do(pctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile)); err != nil {
				t.Fatalf("viewport 360: %v", err)
			}
			fits := chartsFit
			if n == 0 {
				fits = `document.documentElement.scrollWidth <= window.innerWidth`
			}
			if _, err := chromedp.Run(pctx, chromedp.Poll[bool](fits, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
				w, _ := chromedp.Run(pctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
				t.Errorf("at 360 px the page is %d px wide or a chart did not resize: %v", w, err)
			}
			shoot(t, pctx, filepath.Join(shots, p.name+"-360.png"))

			if bad := blog.take(); len(bad) > 0 {
				t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
			}
		})
	}

	t.Run("xss-in-chart-tooltip", func(t *testing.T) {
		pctx, pcancel := context.WithTimeout(ctx, 60*time.Second)
		defer pcancel()
		if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/units/BK.XSS")); err != nil {
			t.Fatalf("navigate: %v", err)
		}
		if _, err := chromedp.Run(pctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("charts not drawn: %v", err)
		}
		h1, err := chromedp.Run(pctx, chromedp.Evaluate[string](`document.querySelector('h1').textContent`))
		if err != nil || h1 != pageXSS {
			t.Errorf("h1 text = %q (%v), want the name as text %q", h1, err, pageXSS)
		}
		// Show the comparison chart's tooltip: its first series is the unit
		// itself, so the tooltip carries the hostile name.
		type tip struct {
			Text     string `json:"text"`
			Elements int    `json:"elements"`
		}
		got, err := chromedp.Run(pctx, chromedp.Evaluate[tip](`new Promise(resolve => {
  const el = document.getElementById('chart-compare');
  const c = echarts.getInstanceByDom(el);
  c.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
  setTimeout(() => resolve({
    text: el.textContent,
    elements: el.querySelectorAll('script, img, iframe, object').length,
  }), 400);
})`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("show tooltip: %v", err)
		}
		if !strings.Contains(got.Text, pageXSS) {
			t.Errorf("tooltip text %q does not show the unit name as text", got.Text)
		}
		if got.Elements != 0 {
			t.Errorf("tooltip created %d script/img elements from a unit name", got.Elements)
		}
		if !regexp.MustCompile(`\d,\d\d`).MatchString(got.Text) {
			t.Errorf("tooltip %q has no vi-VN number (decimal comma)", got.Text)
		}
		if bad := blog.take(); len(bad) > 0 {
			t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
		}
	})
}

// shoot saves a full-page PNG screenshot.
func shoot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	// Any browser test may run alone: the folder may not exist yet.
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Errorf("screenshots folder: %v", err)
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", path, err)
		return
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Errorf("write %s: %v", path, err)
	}
}
