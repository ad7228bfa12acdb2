package handlers

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// codeBrokenMidWord lists the <code> of the page broken over two lines
// between two letters or digits, although it could have broken at a space
// or hyphen or moved whole to the next line.
const codeBrokenMidWord = `(() => {
  const bad = [];
  const word = /[\p{L}\p{N}]/u;
  document.querySelectorAll('main code').forEach(c => {
    if (c.getClientRects().length < 2) return;
    const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
    const chars = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.data.length; i++) {
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + 1);
        const b = r.getClientRects()[0];
        if (b) chars.push({ch: n.data[i], top: Math.round(b.top)});
      }
    }
    for (let i = 1; i < chars.length; i++) {
      if (chars[i].top > chars[i - 1].top && word.test(chars[i - 1].ch) && word.test(chars[i].ch)) {
        bad.push(c.textContent);
        break;
      }
    }
  });
  return bad;
})()`

// On a phone (390 px) the open data page's addresses, headers and period
// codes are not cut mid-word ("/open-data/{kỳ}/{tệ|p}", "Cache-C|ontrol",
// "202|6"): code breaks where text may, and a period code keeps its line.
func TestBrowserOpenDataCodePhone(t *testing.T) {
	browserTest(t)
	app, _ := newDemoApp(t, Options{})
	ctx, base, blog := startBrowser(t, app, browserOptions{timeout: 60 * time.Second})
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/open-data", "/open-data/dictionary"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("navigate: %v", err)
		}
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](codeBrokenMidWord))
		if err != nil {
			t.Fatal(err)
		}
		if len(bad) > 0 {
			t.Errorf("%s at 390 px: code broken mid-word: %q", path, bad)
		}
	}
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}
