package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// pageBudget is what one page may weigh over the wire: its HTML and its own
// assets (styles, scripts, icon), compressed. ECharts is left out: it is
// one fingerprinted file that browsers keep for a year.
const pageBudget = 300 * 1024

// assetRef finds the page's own assets.
var assetRef = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// TestPageWeightBudget checks every page of the browser suite, in both
// languages: compressed HTML plus its own assets under 300 KB; HTML sent
// with brotli or gzip; every asset, ECharts included, linked with its
// content hash and cached for a year.
func TestPageWeightBudget(t *testing.T) {
	t.Parallel()
	app, svc := newDemoApp(t, Options{})
	eng, err := svc.Engine(t.Context())
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	unit := ""
	for _, u := range eng.Units() {
		if u.Kind == "agency" {
			unit = u.Code
			break
		}
	}
	wire := func(path, enc string) (int, string, []byte, func(string) string) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept-Encoding", enc)
		resp, err := app.Test(req, 20000)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		var body []byte
		switch resp.Header.Get("Content-Encoding") {
		case "br":
			body, err = io.ReadAll(brotli.NewReader(bytes.NewReader(raw)))
		case "gzip":
			var zr *gzip.Reader
			if zr, err = gzip.NewReader(bytes.NewReader(raw)); err == nil {
				body, err = io.ReadAll(zr)
			}
		default:
			body = raw
		}
		if err != nil {
			t.Fatalf("GET %s: decode %s: %v", path, resp.Header.Get("Content-Encoding"), err)
		}
		return len(raw), resp.Header.Get("Content-Encoding"), body, resp.Header.Get
	}

	for _, p := range suitePages(unit) {
		for _, lang := range []string{"vi", "en"} {
			path := withLang(p.path, lang)
			n, enc, body, _ := wire(path, "gzip, deflate, br")
			if enc != "br" {
				t.Errorf("%s: HTML sent with Content-Encoding %q, want br", path, enc)
			}
			// gzip for browsers without brotli, and the same page.
			_, genc, gbody, _ := wire(path, "gzip")
			if genc != "gzip" || !bytes.Equal(gbody, body) {
				t.Errorf("%s: gzip fallback: encoding %q, same page %v", path, genc, bytes.Equal(gbody, body))
			}
			total := n
			seen := map[string]bool{}
			for _, m := range assetRef.FindAllStringSubmatch(string(body), -1) {
				u := strings.ReplaceAll(m[1], "&amp;", "&")
				if seen[u] {
					continue
				}
				seen[u] = true
				if !strings.Contains(u, "?v=") {
					t.Errorf("%s: asset %s has no content hash (?v=)", path, u)
				}
				an, _, _, hdr := wire(u, "gzip, br")
				if cc := hdr("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
					t.Errorf("%s: asset %s cached with %q, want a year, immutable", path, u, cc)
				}
				if strings.Contains(u, "/vendor/echarts/") {
					continue // the library, outside the budget
				}
				total += an
			}
			if total > pageBudget {
				t.Errorf("%s weighs %d KB compressed with its assets, budget %d KB", path, total/1024, pageBudget/1024)
			}
			t.Logf("%-40s HTML %3d KB, with own assets %3d KB (%s)", path, n/1024, total/1024, enc)
		}
	}
}
