package handlers

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// In a real browser, a person changes a numerator of the what-if panel
// with the keyboard and sees the total, the points and the band update
// (whatif.js through POST /api/v1/units/{code}/whatif), then types
// something impossible and sees the message next to the field; no
// JavaScript error, no request leaves the server. Same skip rules as
// TestBrowserPages.
func TestBrowserWhatIfPanel(t *testing.T) {
	browserTest(t)
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	pctx, base, blog := startBrowser(t, app, browserOptions{timeout: 90 * time.Second, reducedMotion: true})
	shots := filepath.Join("..", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	const unit, metric = "BK.SNNPTNT", "ONLINE_PAYMENT_DOSSIERS"
	us := ps.Unit(unit)
	m := us.Metric(metric)
	if us.Band == nil || us.Band.Code != "tot" || m == nil || !m.Counts.Valid || m.Counts.Num == m.Counts.Den {
		t.Fatalf("demo: %s was expected in band Tốt with %s below 100 %%", unit, metric)
	}

	// The unit page's rank history: its tooltip shows a rank as a whole
	// number.
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/units/"+unit+"?period=2024-04")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("charts not drawn: %v", err)
	}
	tip, err := chromedp.Run(pctx, chromedp.Evaluate[string](`new Promise(resolve => {
  const el = document.getElementById('chart-rank');
  echarts.getInstanceByDom(el).dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 11});
  setTimeout(() => resolve(el.textContent), 400);
})`, chromedp.EvalAwaitPromise))
	if rank, _ := scoring.RankAmong(ps, us); err != nil || !strings.Contains(tip, "Thứ hạng: "+strconv.Itoa(rank)) || strings.Contains(tip, ",00") {
		t.Errorf("rank tooltip %q (%v), want \"Thứ hạng: %d\" without decimals", tip, err, rank)
	}

	// The what-if page.
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/units/"+unit+"/whatif?period=2024-04")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`document.querySelector('form.whatif-form').dataset.live === 'true'`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("whatif.js did not start: %v", err)
	}
	shoot(t, pctx, filepath.Join(shots, "whatif-unit-1366.png"))

	// Type the denominator into the numerator: every payment made online.
	n := strconv.FormatInt(m.Counts.Den, 10)
	w, err := scoring.WhatIfScore(ps, unit, []scoring.Override{scoring.OverrideFromText(metric, n, "", "")})
	if err != nil {
		t.Fatal(err)
	}
	input := "#wi-n-" + metric
	keys := []chromedp.Action[chromedp.Void]{chromedp.Focus(chromedp.CSS(input)), chromedp.KeyEvent(kb.End)}
	for range strconv.FormatInt(m.Counts.Num, 10) {
		keys = append(keys, chromedp.KeyEvent(kb.Backspace))
	}
	keys = append(keys, chromedp.KeyEvent(n))
	if err := chromedp.Do(pctx, keys...); err != nil {
		t.Fatalf("type: %v", err)
	}
	totalSel := `document.querySelector('.wi-summary [data-wi="total"]').textContent`
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](totalSel+` === '`+present.Score(i18n.VI, w.Score.Total)+`'`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		got, _ := chromedp.Run(pctx, chromedp.Evaluate[string](totalSel))
		t.Fatalf("total shows %q, want %s (the engine's what-if total): %v", got, present.Score(i18n.VI, w.Score.Total), err)
	}
	type state struct {
		Points, Band, Flag, Delta, Status, Foot, Group string
		Changed                                        bool
	}
	st, err := chromedp.Run(pctx, chromedp.Evaluate[state](`(() => {
  const row = document.querySelector('tr[data-metric="`+metric+`"]');
  const flag = row.querySelector('[data-wi="flag"]');
  return {
    points: row.querySelector('[data-wi="points"]').textContent,
    band: document.querySelector('.wi-summary [data-wi="band"]').textContent,
    flag: flag.hidden ? '' : flag.textContent,
    delta: document.querySelector('.wi-summary [data-wi="delta"]').textContent,
    status: document.querySelector('[data-wi="status"]').textContent,
    foot: document.querySelector('tfoot [data-wi="total"]').textContent,
    group: row.closest('tbody').querySelector('tr.wi-group [data-wi="new"]').textContent,
    changed: row.classList.contains('wi-changed'),
  };
})()`))
	if err != nil {
		t.Fatal(err)
	}
	hm := w.Score.Metric(metric)
	hg := w.Score.Group(m.Metric.Group)
	if st.Points != present.Score(i18n.VI, hm.Points) || st.Foot != present.Score(i18n.VI, w.Score.Total) || st.Group != present.Score(i18n.VI, hg.Score) {
		t.Errorf("points %q group %q total %q, want %s %s %s", st.Points, st.Group, st.Foot, present.Score(i18n.VI, hm.Points), present.Score(i18n.VI, hg.Score), present.Score(i18n.VI, w.Score.Total))
	}
	if st.Band != w.Score.Band.NameVI || !st.Changed || !strings.Contains(st.Flag, "đã thay đổi") {
		t.Errorf("band %q, changed %v, flag %q", st.Band, st.Changed, st.Flag)
	}
	if !strings.Contains(st.Delta, "▲ "+present.Score(i18n.VI, w.Delta)) || !strings.Contains(st.Status, "Tổng điểm thử tính "+present.Score(i18n.VI, w.Score.Total)) {
		t.Errorf("delta %q status %q", st.Delta, st.Status)
	}

	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}

	// Something impossible in a denominator: the message appears next to
	// the field, the field is marked invalid. The API's 400 is expected
	// (Chromium logs every 4xx response as an error).
	blog.expect404(base + "/api/v1/units/" + unit + "/whatif")
	if err := chromedp.Do(pctx, chromedp.Focus(chromedp.CSS("#wi-d-ON_TIME_PROCESSING")), chromedp.KeyEvent(kb.End), chromedp.KeyEvent("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`(() => {
  const inp = document.getElementById('wi-d-ON_TIME_PROCESSING');
  const err = document.getElementById('wi-d-ON_TIME_PROCESSING-err');
  return inp.getAttribute('aria-invalid') === 'true' && inp.getAttribute('aria-describedby') === err.id &&
    !err.hidden && err.textContent.includes('Mẫu số phải là số nguyên không âm.');
})()`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("no message next to the invalid field: %v", err)
	}
	// The panel's result sticks to the top while scrolling: scroll back so
	// the full-page screenshot shows it in its place.
	if _, err := chromedp.Run(pctx, chromedp.Evaluate[any](`window.scrollTo(0, 0)`)); err != nil {
		t.Fatal(err)
	}
	shoot(t, pctx, filepath.Join(shots, "whatif-error-1366.png"))

	// Phone width: the page does not scroll sideways.
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`document.documentElement.scrollWidth <= window.innerWidth`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		wdt, _ := chromedp.Run(pctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		t.Errorf("at 360 px the page is %d px wide: %v", wdt, err)
	}
	shoot(t, pctx, filepath.Join(shots, "whatif-unit-360.png"))
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}
