package handlers

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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
// Expected: 7 to 10 A4 pages (9 when written). The narrative (a section per
// group of the scheme) takes three pages; the tables and charts (the groups,
// two charts, the classification and the province's 25 metrics), the
// recipients and the signature two to three; the annex starts a page with
// the 18 agencies and 8 districts, and the 44 communes start another and
// take two. Fewer pages would mean lost content, more a layout that wastes
// paper (a chart or table pushed alone onto a page).
const (
	reportMinPages = 7
	reportMaxPages = 10
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
	browserTest(t)
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
	// On paper the document is finished: its number to fill, recipients,
	// signature and page numbers; every cell keeps its text inside its
	// borders, and every cell is ruled on all four sides in black.
	doc, err := chromedp.Run(pctx, chromedp.Evaluate[printedDoc](printedDocJS))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^Số: …+/BC-\S+$`).MatchString(doc.Number) || !strings.HasPrefix(doc.Recipients, "Nơi nhận:") ||
		!strings.Contains(doc.Recipients, "Lưu: VT") || doc.Signer == "" || !doc.PageNumbers {
		t.Errorf("the document lacks its number, recipients, signature or page numbers: %+v", doc)
	}
	if doc.NotScored == 0 || doc.Cells < 200 {
		t.Errorf("%d cells read, %d “không tính điểm”: the document's tables are not what the test expects", doc.Cells, doc.NotScored)
	}
	for _, p := range doc.Spill {
		t.Errorf("text spills out of its cell in print: %s", p)
	}
	for _, p := range doc.Unruled {
		t.Errorf("a cell without its borders in print: %s", p)
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
		PreferCSSPageSize: &yes, PrintBackground: &yes, GenerateTaggedPDF: &yes,
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
	// Page numbers: the same document printed without them has, on every
	// page but the first, one text object less (the number in the top
	// margin), and the same on the first page.
	if _, err := chromedp.Run(pctx, chromedp.Evaluate[bool](`(() => {
  const s = document.createElement('style');
  s.textContent = '@page { @top-center { content: none; } }';
  document.head.append(s);
  return true;
})()`)); err != nil {
		t.Fatal(err)
	}
	bare, err := chromedp.Call(pctx, page.PrintToPDF, page.PrintToPDFParams{
		PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes, PrintBackground: &yes, GenerateTaggedPDF: &yes,
	})
	if err != nil {
		t.Fatalf("print to PDF without page numbers: %v", err)
	}
	numbered, err := pdfTextObjects(buf)
	if err != nil {
		t.Fatal(err)
	}
	unnumbered, err := pdfTextObjects(bare.Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(numbered) != n || len(unnumbered) != n {
		t.Errorf("pages read: %d and %d, want %d", len(numbered), len(unnumbered), n)
	} else {
		for i := range numbered {
			want := unnumbered[i] + 1
			if i == 0 {
				want = unnumbered[i]
			}
			if numbered[i] != want {
				t.Errorf("page %d has %d text objects, %d without page numbers: want %d", i+1, numbered[i], unnumbered[i], want)
			}
		}
	}

	rows, cut := pdfRowsCut(buf)
	t.Logf("%d table rows in the PDF's structure", rows)
	if rows < 100 {
		t.Errorf("only %d table rows found in the tagged PDF: the check of cut rows read nothing", rows)
	}
	for _, c := range cut {
		t.Errorf("a table row is cut across pages: %s", c)
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

// printedDoc is what printedDocJS reads of the report in print media.
type printedDoc struct {
	Number, Recipients, Signer string
	PageNumbers                bool
	Cells, NotScored           int
	Spill, Unruled             []string
}

const printedDocJS = `(() => {
  const txt = s => { const e = document.querySelector(s); return e ? e.textContent.replace(/\s+/g, ' ').trim() : ''; };
  const rules = [];
  for (const sheet of document.styleSheets) {
    try { for (const r of sheet.cssRules) rules.push(r); } catch (e) {}
  }
  const pageNumbers = rules.some(r => r instanceof CSSPageRule && r.cssText.includes('counter(page)'));
  const spill = [], unruled = [];
  let cells = 0;
  document.querySelectorAll('.report-doc table td, .report-doc table th').forEach(c => {
    cells++;
    const where = (c.closest('table').caption ? c.closest('table').caption.textContent.trim().slice(0, 30) : '') + ': ' + c.textContent.trim().slice(0, 40);
    if (c.scrollWidth > c.clientWidth + 1) spill.push(where + ' (' + c.scrollWidth + ' > ' + c.clientWidth + ')');
    const st = getComputedStyle(c);
    for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
      if (parseFloat(st['border' + side + 'Width']) < 0.5 || st['border' + side + 'Style'] === 'none' || st['border' + side + 'Color'] !== 'rgb(0, 0, 0)') {
        unruled.push(where + ' (' + side.toLowerCase() + ': ' + st['border' + side + 'Width'] + ' ' + st['border' + side + 'Style'] + ' ' + st['border' + side + 'Color'] + ')');
        break;
      }
    }
  });
  return {
    Number: txt('.doc-number'), Recipients: txt('.doc-recipients'), Signer: txt('.doc-signer-title'),
    PageNumbers: pageNumbers, Cells: cells, NotScored: document.querySelectorAll('.report-doc td.notscored').length,
    Spill: spill.slice(0, 20), Unruled: unruled.slice(0, 20),
  };
})()`

// pdfObject is an object of an uncompressed PDF dictionary, as Chromium
// (Skia) writes its structure tree: "12 0 obj\n<<…>>\nendobj".
var pdfObject = regexp.MustCompile(`(?s)(\d+) 0 obj\n<<(.*?)>>\nendobj`)

var (
	pdfStructType = regexp.MustCompile(`/S /(\w+)`)
	pdfParent     = regexp.MustCompile(`/P (\d+) 0 R`)
	pdfPageRef    = regexp.MustCompile(`/Pg (\d+) 0 R`)
)

// pdfRowsCut reads the structure tree of a tagged PDF (every table row is
// a TR element whose cells' content sits on the pages they name) and lists
// the body rows whose content lies on more than one page: a row cut in
// two. It returns how many rows it read.
func pdfRowsCut(pdf []byte) (rows int, cut []string) {
	type elem struct {
		kind, parent string
		pages        map[string]bool
		colHeader    bool // a column header cell
	}
	elems := map[string]*elem{}
	for _, m := range pdfObject.FindAllSubmatch(pdf, -1) {
		body := string(m[2])
		if !strings.Contains(body, "/Type /StructElem") {
			continue
		}
		e := &elem{pages: map[string]bool{}}
		if k := pdfStructType.FindStringSubmatch(body); k != nil {
			e.kind = k[1]
		}
		if p := pdfParent.FindStringSubmatch(body); p != nil {
			e.parent = p[1]
		}
		for _, pg := range pdfPageRef.FindAllStringSubmatch(body, -1) {
			e.pages[pg[1]] = true
		}
		e.colHeader = e.kind == "TH" && strings.Contains(body, "/Scope /Column")
		elems[string(m[1])] = e
	}
	// Each element's pages count for every ancestor up to the tree's root.
	for _, e := range elems {
		for p := e.parent; p != ""; {
			a, ok := elems[p]
			if !ok {
				break
			}
			for pg := range e.pages {
				a.pages[pg] = true
			}
			p = a.parent
		}
	}
	// A header row (column headers only) repeats on every page its table
	// spans: it is on several pages by design.
	header := map[string]bool{}
	for _, e := range elems {
		if e.kind == "TH" || e.kind == "TD" {
			if _, seen := header[e.parent]; !seen {
				header[e.parent] = true
			}
			header[e.parent] = header[e.parent] && e.colHeader
		}
	}
	for id, e := range elems {
		if e.kind != "TR" || header[id] {
			continue
		}
		rows++
		if len(e.pages) > 1 {
			cut = append(cut, fmt.Sprintf("row %s 0 R on %d pages", id, len(e.pages)))
		}
	}
	return rows, cut
}

var (
	pdfObjHead  = regexp.MustCompile(`(?m)^(\d+) 0 obj\n`)
	pdfKids     = regexp.MustCompile(`/Kids \[([^\]]*)\]`)
	pdfRef      = regexp.MustCompile(`(\d+) 0 R`)
	pdfContents = regexp.MustCompile(`/Contents (?:(\d+) 0 R|\[([^\]]*)\])`)
	pdfLength   = regexp.MustCompile(`/Length (\d+)`)
	pdfTextObj  = regexp.MustCompile(`(?m)^BT$`)
)

// pdfTextObjects counts the text objects (BT … ET) of each page of a PDF
// as Chromium writes it (objects uncompressed, content streams deflated),
// in page order.
func pdfTextObjects(pdf []byte) ([]int, error) {
	objs := map[string][]byte{}
	heads := pdfObjHead.FindAllSubmatchIndex(pdf, -1)
	for i, h := range heads {
		end := len(pdf)
		if i+1 < len(heads) {
			end = heads[i+1][0]
		}
		objs[string(pdf[h[2]:h[3]])] = pdf[h[1]:end]
	}
	var root string
	for id, o := range objs {
		if bytes.HasPrefix(o, []byte("<</Type /Pages")) && !bytes.Contains(o[:bytes.Index(o, []byte(">>"))], []byte("/Parent")) {
			root = id
		}
	}
	var pages []string
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		o := objs[id]
		if depth > 20 || o == nil {
			return
		}
		if !bytes.HasPrefix(o, []byte("<</Type /Pages")) {
			pages = append(pages, id)
			return
		}
		if k := pdfKids.FindSubmatch(o); k != nil {
			for _, r := range pdfRef.FindAllSubmatch(k[1], -1) {
				walk(string(r[1]), depth+1)
			}
		}
	}
	walk(root, 0)
	var out []int
	for _, id := range pages {
		c := pdfContents.FindSubmatch(objs[id])
		if c == nil {
			return nil, fmt.Errorf("page %s has no contents", id)
		}
		refs := [][]byte{c[1]}
		if c[1] == nil {
			refs = nil
			for _, r := range pdfRef.FindAllSubmatch(c[2], -1) {
				refs = append(refs, r[1])
			}
		}
		n := 0
		for _, r := range refs {
			o := objs[string(r)]
			l := pdfLength.FindSubmatch(o)
			start := bytes.Index(o, []byte("stream\n"))
			if l == nil || start < 0 {
				return nil, fmt.Errorf("content %s is not a stream", r)
			}
			size, _ := strconv.Atoi(string(l[1]))
			start += len("stream\n")
			if start+size > len(o) {
				return nil, fmt.Errorf("content %s is cut short", r)
			}
			data := o[start : start+size]
			if bytes.Contains(o[:start], []byte("/FlateDecode")) {
				zr, err := zlib.NewReader(bytes.NewReader(data))
				if err != nil {
					return nil, fmt.Errorf("content %s: %w", r, err)
				}
				if data, err = io.ReadAll(io.LimitReader(zr, 64<<20)); err != nil {
					return nil, fmt.Errorf("content %s: %w", r, err)
				}
			}
			n += len(pdfTextObj.FindAll(data, -1))
		}
		out = append(out, n)
	}
	return out, nil
}
