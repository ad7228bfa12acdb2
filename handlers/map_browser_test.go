package handlers

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"

	"scorecard/data/demo"
)

// demoBounds are the demo's illustrative boundaries, by unit code.
type demoBounds map[string]string

func (b demoBounds) Boundaries(context.Context) (map[string]string, error) { return b, nil }

// loadDemoBounds reads the demo's boundaries once for the package: the map
// is only read.
func loadDemoBounds(t testing.TB) demoBounds {
	t.Helper()
	b, err := parsedDemoBounds()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var parsedDemoBounds = sync.OnceValues(func() (demoBounds, error) {
	raw, err := demo.Boundaries()
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []struct {
			Properties struct{ Code string }
			Geometry   json.RawMessage
		}
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, err
	}
	out := demoBounds{}
	for _, f := range fc.Features {
		out[f.Properties.Code] = string(f.Geometry)
	}
	return out, nil
})

func newMapApp(t testing.TB) *fiber.App {
	t.Helper()
	svc := scoresOver(t, pageSource{ds: demoDS(t), demo: true})
	app, err := New(Deps{Scores: svc, Boundaries: loadDemoBounds(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// mapRows counts the rows of the map's table.
func mapRows(body string) int {
	i := strings.Index(body, `id="cap-map"`)
	if i < 0 {
		return 0
	}
	table := body[i:]
	table = table[:strings.Index(table, "</table>")]
	return strings.Count(table, "<tr>") - 1 // the header row
}

// The map serves the boundaries of the communes of the period and the
// overview and the communes' ranking carry it, with its table; without
// boundaries there is no map.
func TestMapPages(t *testing.T) {
	t.Parallel()
	app := newMapApp(t)
	st, hdr, body := get(t, app, "/maps/TN?period=2026-10")
	var fc struct{ Features []json.RawMessage }
	if st != 200 || hdr("Content-Type") != "application/geo+json" || json.Unmarshal([]byte(body), &fc) != nil || len(fc.Features) != 40 {
		t.Fatalf("/maps/TN: %d %s, %d features, want the 40 communes of Thái Nguyên", st, hdr("Content-Type"), len(fc.Features))
	}
	_, _, body = get(t, app, "/maps/BK?period=2024-04")
	if json.Unmarshal([]byte(body), &fc) != nil || len(fc.Features) != 44 {
		t.Errorf("/maps/BK of 04/2024: %d features, want 44", len(fc.Features))
	}
	for _, path := range []string{"/?period=2026-10", "/rankings?kind=commune&period=2026-10"} {
		_, _, body = get(t, app, path)
		opt := chartOption(t, body, "chart-map")
		if opt["geoURL"] != "/maps/TN?period=2026-10" || !strings.Contains(body, "ranh giới minh họa") || mapRows(body) != 40 {
			t.Errorf("%s: map %v, or no illustrative notice, or not 40 rows in its table", path, opt["geoURL"])
		}
	}
	plain, _ := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	if _, _, body := get(t, plain, "/?period=2026-10"); strings.Contains(body, "chart-map") {
		t.Errorf("a map without boundaries")
	}
	if st, _, _ := get(t, app, "/maps/TN.CHORA"); st != 404 {
		t.Errorf("/maps of a commune: %d", st)
	}
}

// In Chromium the map of Thái Nguyên's communes draws every commune with a
// value, from the site's own ECharts and boundaries, and fits 390 px.
func TestBrowserMap(t *testing.T) {
	browserTest(t)
	app := newMapApp(t)
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true})
	pctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for _, path := range []string{"/?period=2026-10", "/rankings?kind=commune&period=2026-10"} {
		if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("navigate: %v", err)
		}
		if _, err := chromedp.Run(pctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("%s: charts not drawn: %v", path, err)
		}
		type drawn struct {
			Regions, Values, Numbers int
			Scripts                  []string
		}
		got, err := chromedp.Run(pctx, chromedp.Evaluate[drawn](`(() => {
  const c = echarts.getInstanceByDom(document.getElementById('chart-map'));
  const s = c.getOption().series[0];
  const m = echarts.getMap(s.map);
  return {regions: m ? m.geoJSON.features.length : 0, values: s.data.length,
    numbers: s.data.filter(d => typeof d.value === 'number').length,
    scripts: Array.from(document.scripts).map(x => x.src)};
})()`))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if got.Regions != 40 || got.Values != 40 || got.Numbers != 40 {
			t.Errorf("%s: %d regions, %d values, %d numbers; want 40 communes each with a value", path, got.Regions, got.Values, got.Numbers)
		}
		for _, s := range got.Scripts {
			if !strings.HasPrefix(s, base) {
				t.Errorf("%s: script %s not from the site", path, s)
			}
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

// mapLegendOverlap names the map legend's labels drawn inside the map's
// own rectangle (where the communes are), once the boundaries are drawn;
// "" until then.
const mapLegendOverlap = `(() => {
  const c = echarts.getInstanceByDom(document.getElementById('chart-map'));
  const s = c && c.getModel().getSeriesByIndex(0);
  if (!s || !s.coordinateSystem) return '';
  const m = s.coordinateSystem.getViewRectAfterRoam();
  const labels = (c.getOption().visualMap[0].pieces || []).map(p => p.label);
  const over = [];
  c.getZr().storage.getDisplayList().forEach(el => {
    if (!el.style || !labels.includes(el.style.text)) return;
    const r = el.getBoundingRect().clone();
    r.applyTransform(el.getComputedTransform());
    if (r.x < m.x + m.width && m.x < r.x + r.width && r.y < m.y + m.height && m.y < r.y + r.height) over.push(el.style.text);
  });
  return JSON.stringify(over);
})()`

// On a phone (390 px) the map fills the chart's width and, centred in its
// height, reached down over the legend at its bottom left: the names of
// the bands were drawn over the communes. The legend keeps its own room.
func TestBrowserMapLegendPhone(t *testing.T) {
	browserTest(t)
	app := newMapApp(t)
	ctx, base, blog := startBrowser(t, app, browserOptions{reducedMotion: true, timeout: 60 * time.Second})
	for _, path := range []string{"/?period=2026-10", "/rankings?kind=commune&period=2026-10"} {
		if err := phone(ctx); err != nil {
			t.Fatalf("viewport 390: %v", err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("navigate: %v", err)
		}
		over, err := chromedp.Run(ctx, chromedp.Poll[string](mapLegendOverlap, chromedp.WithPollingTimeout(15*time.Second)))
		if err != nil {
			t.Fatalf("%s: map not drawn: %v", path, err)
		}
		if over != "[]" {
			t.Errorf("%s at 390 px: legend labels %s drawn over the map", path, over)
		}
	}
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}
