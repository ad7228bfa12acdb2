package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The demo's April report printed to PDF by headless Chromium, as an office
// does with "Print → Save as PDF".
//
// Expected: 6 to 9 A4 pages (8 when written). The narrative takes two to
// three pages; the tables and charts (the groups, two charts, the
// classification and the province's 25 metrics) two to three; the annex
// starts a page with the 18 agencies and 8 districts, and the 44 communes
// start another and take two. Fewer pages would mean lost content, more a
// layout that wastes paper (a chart or table pushed alone onto a page).
const (
	reportMinPages = 6
	reportMaxPages = 9
)

// pdfPages counts the page objects of a PDF ("/Type /Page", not "/Pages").
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// a4ContentPx is the width of the A4 text block in CSS pixels: 210 mm
// minus the 30 mm and 15 mm margins of print.css, at 96 px per inch.
const a4ContentPx = 624

// tablesFit lists the tables wider than their frame or than the page's
// text block (clipped or cut off on paper), and charts wider than it.
const tablesFit = `(() => {
  const doc = document.querySelector('.report-doc');
  const bad = [];
  document.querySelectorAll('.report-doc table').forEach((t, i) => {
    const frame = t.parentElement;
    if (t.scrollWidth > frame.clientWidth + 1 || t.getBoundingClientRect().right > doc.getBoundingClientRect().right + 1) {
      bad.push('table ' + i + ' (' + (t.caption ? t.caption.textContent.trim().slice(0, 40) : '') + '): ' + t.scrollWidth + ' > ' + frame.clientWidth);
    }
  });
  document.querySelectorAll('.report-doc .chart').forEach(c => {
    if (c.scrollWidth > doc.clientWidth + 1) bad.push('chart ' + c.id + ': ' + c.scrollWidth + ' > ' + doc.clientWidth);
  });
  return bad;
})()`

func TestBrowserReportPDF(t *testing.T) {
	app, _ := newDemoApp(t, Options{})
	pctx, base, blog := startBrowser(t, app, browserOptions{timeout: 90 * time.Second, reducedMotion: true})

	shots := filepath.Join("..", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatalf("screenshots dir: %v", err)
	}
	// Print media is switched on and off below; reduced motion (set by
	// startBrowser) is kept each time.
	reduced := []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}

	if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/reports/2024-04")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("charts not drawn: %v", err)
	}
	// Charts are vectors (SVG) for print, and the print button shows.
	type state struct {
		SVG, Canvas int
		Button      bool
	}
	st, err := chromedp.Run(pctx, chromedp.Evaluate[state](`({
  SVG: document.querySelectorAll('.report-doc .chart svg').length,
  Canvas: document.querySelectorAll('.report-doc .chart canvas').length,
  Button: !document.getElementById('print-report').hidden,
})`))
	if err != nil {
		t.Fatal(err)
	}
	if st.SVG != 2 || st.Canvas != 0 || !st.Button {
		t.Errorf("charts: %d SVG, %d canvas (want 2 and 0); print button shown: %v", st.SVG, st.Canvas, st.Button)
	}
	shoot(t, pctx, filepath.Join(shots, "report-1366.png"))

	// In print media at the A4 text block's width no table is clipped.
	if _, err := chromedp.Call(pctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print", Features: reduced}); err != nil {
		t.Fatalf("emulate print: %v", err)
	}
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(a4ContentPx, 900)); err != nil {
		t.Fatalf("viewport: %v", err)
	}
	bad, err := chromedp.Run(pctx, chromedp.Evaluate[[]string](tablesFit))
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("clipped in print:\n%s", strings.Join(bad, "\n"))
	}
	hidden, err := chromedp.Run(pctx, chromedp.Evaluate[bool](`['.site-header', '.toolbar', '.report-actions', '.site-footer']
  .every(s => { const e = document.querySelector(s); return !e || getComputedStyle(e).display === 'none'; })`))
	if err != nil || !hidden {
		t.Errorf("site header, selector, buttons or footer printed (%v)", err)
	}
	if _, err := chromedp.Call(pctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: reduced}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}

	yes := true
	res, err := chromedp.Call(pctx, page.PrintToPDF, page.PrintToPDFParams{
		PaperWidth: 8.27, PaperHeight: 11.69, // A4 in inches
		PreferCSSPageSize: &yes, PrintBackground: &yes,
	})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	buf := res.Data
	out := filepath.Join(shots, "report-2024-04.pdf")
	if err := os.WriteFile(out, buf, 0o644); err != nil {
		t.Errorf("write %s: %v", out, err)
	}
	n := len(pdfPage.FindAll(buf, -1))
	t.Logf("%s: %d pages, %d bytes", out, n, len(buf))
	if n < reportMinPages || n > reportMaxPages {
		t.Errorf("the report prints on %d pages, want %d to %d", n, reportMinPages, reportMaxPages)
	}
	if problems := blog.take(); len(problems) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(problems, "\n"))
	}

	// An embed draws its chart at an iframe's size.
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(640, 680), chromedp.Navigate(base+"/embed/ranking?kind=district&period=2024-04")); err != nil {
		t.Fatalf("navigate embed: %v", err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](chartsFit, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("embed chart not drawn within the frame: %v", err)
	}
	shoot(t, pctx, filepath.Join(shots, "embed-ranking-640.png"))
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}

	// The overview's snippet, completed with the browser's origin, frames
	// the embed from another site; the overview itself cannot be framed.
	if err := chromedp.Do(pctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatalf("navigate overview: %v", err)
	}
	snippet, err := chromedp.Run(pctx, chromedp.Poll[string](`(() => {
  const ta = document.querySelector('textarea[data-embed-code]');
  return ta && ta.value.includes('src="http') ? ta.value : '';
})()`, chromedp.WithPollingTimeout(5*time.Second)))
	// The overview is the latest month's, Thái Nguyên's since the 2025
	// merger in the demo.
	if err != nil || !strings.Contains(snippet, `src="`+base+`/embed/groups?province=TN"`) {
		t.Fatalf("snippet %q (%v), want an absolute src on %s", snippet, err, base)
	}
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="vi"><body><h1>Cổng thông tin</h1>%s<iframe id="page" src="%s/"></iframe></body></html>`, snippet, base)
	}))
	defer portal.Close()
	// From here the log sees requests to the portal (another origin on
	// purpose) and Chromium's report of the refused frame: expected.
	if err := chromedp.Do(pctx, chromedp.Navigate(portal.URL)); err != nil {
		t.Fatalf("navigate portal: %v", err)
	}
	// Read the frame tree until both frames have settled (or ten seconds
	// have passed): a frame refused by frame-ancestors holds Chromium's
	// error page.
	var frames map[string]string
	var embedOK, pageBlocked bool
	for deadline := time.Now().Add(10 * time.Second); !(embedOK && pageBlocked) && time.Now().Before(deadline); {
		tree, err := chromedp.Call(pctx, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			t.Fatalf("frame tree: %v", err)
		}
		frames = map[string]string{}
		for _, ch := range tree.FrameTree.ChildFrames {
			u := ch.Frame.URL
			if ch.Frame.UnreachableURL != "" {
				u = "blocked:" + ch.Frame.UnreachableURL
			}
			frames[ch.Frame.Name+"|"+ch.Frame.ID.String()] = u
		}
		embedOK, pageBlocked = false, false
		for _, u := range frames {
			switch {
			case u == base+"/embed/groups?province=TN":
				embedOK = true
			case u == "blocked:"+base+"/" || strings.HasPrefix(u, "chrome-error:"):
				pageBlocked = true
			}
		}
		if !(embedOK && pageBlocked) {
			time.Sleep(50 * time.Millisecond) // the next look at the tree
		}
	}
	if !embedOK || !pageBlocked {
		t.Errorf("frames on another site: %v; want the embed shown and the overview refused", frames)
	}
	blog.take()
}
