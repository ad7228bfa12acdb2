package handlers

import (
	"encoding/json"
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

// The live what-if panel in English: whatif.js writes English numbers, the
// English band name (the API answers the Vietnamese one), English labels
// and status, and the English message of an invalid field; no Vietnamese
// appears once the script has run. Same skip rules as TestBrowserPages.
func TestBrowserWhatIfPanelEnglish(t *testing.T) {
	browserTest(t)
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	pctx, base, blog := startBrowser(t, app, browserOptions{timeout: 90 * time.Second})
	shots := filepath.Join("..", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	const unit, metric = "BK.SNNPTNT", "ONLINE_PAYMENT_DOSSIERS"
	us := ps.Unit(unit)
	m := us.Metric(metric)
	if us.Band == nil || m == nil || !m.Counts.Valid || m.Counts.Num == m.Counts.Den {
		t.Fatalf("demo: %s was expected with %s below 100 %%", unit, metric)
	}
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/units/"+unit+"/whatif?period=2024-04&lang=en")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`document.querySelector('form.whatif-form').dataset.live === 'true'`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("whatif.js did not start: %v", err)
	}

	// Every payment made online.
	n := strconv.FormatInt(m.Counts.Den, 10)
	w, err := scoring.WhatIfScore(ps, unit, []scoring.Override{scoring.OverrideFromText(metric, n, "", "")})
	if err != nil {
		t.Fatal(err)
	}
	if w.Delta <= 0 {
		t.Fatalf("demo: %s gains nothing from %s", unit, metric)
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
	total := present.Score(i18n.EN, w.Score.Total)
	totalSel := `document.querySelector('.wi-summary [data-wi="total"]').textContent`
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](totalSel+` === '`+total+`'`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		got, _ := chromedp.Run(pctx, chromedp.Evaluate[string](totalSel))
		t.Fatalf("total shows %q, want %s (English format): %v", got, total, err)
	}
	type state struct {
		Points, Band, Delta, DeltaLabel, Status string
	}
	st, err := chromedp.Run(pctx, chromedp.Evaluate[state](`(() => {
  const row = document.querySelector('tr[data-metric="`+metric+`"]');
  const delta = document.querySelector('.wi-summary [data-wi="delta"]');
  return {
    points: row.querySelector('[data-wi="points"]').textContent,
    band: document.querySelector('.wi-summary [data-wi="band"]').textContent,
    delta: delta.querySelector('[aria-hidden]').textContent,
    deltaLabel: delta.querySelector('.sr-only').textContent,
    status: document.querySelector('[data-wi="status"]').textContent,
  };
})()`))
	if err != nil {
		t.Fatal(err)
	}
	if hm := w.Score.Metric(metric); st.Points != present.Score(i18n.EN, hm.Points) {
		t.Errorf("points %q, want %s", st.Points, present.Score(i18n.EN, hm.Points))
	}
	if st.Band != w.Score.Band.NameEN {
		t.Errorf("band %q, want the English %q", st.Band, w.Score.Band.NameEN)
	}
	if st.Delta != "▲ "+present.Score(i18n.EN, w.Delta) || st.DeltaLabel != i18n.EN.T("wi.delta.up", present.Score(i18n.EN, w.Delta)) {
		t.Errorf("delta %q / %q", st.Delta, st.DeltaLabel)
	}
	wantStatus := "What-if total score " + total + " points (up " + present.Score(i18n.EN, w.Delta) + " points), rating " + w.Score.Band.NameEN
	if !strings.HasPrefix(st.Status, wantStatus) {
		t.Errorf("status %q, want it to start with %q", st.Status, wantStatus)
	}
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}

	// A letter in a denominator: the English message next to the field and
	// in the status.
	blog.expect404(base + "/api/v1/units/" + unit + "/whatif")
	if err := chromedp.Do(pctx, chromedp.Focus(chromedp.CSS("#wi-d-ON_TIME_PROCESSING")), chromedp.KeyEvent(kb.End), chromedp.KeyEvent("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`(() => {
  const err = document.getElementById('wi-d-ON_TIME_PROCESSING-err');
  return !err.hidden && err.textContent === 'The denominator must be a whole number (0 or more).';
})()`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		got, _ := chromedp.Run(pctx, chromedp.Evaluate[string](`document.getElementById('wi-d-ON_TIME_PROCESSING-err').textContent`))
		t.Fatalf("no English message next to the invalid field (%q): %v", got, err)
	}
	status, err := chromedp.Run(pctx, chromedp.Evaluate[string](`document.querySelector('[data-wi="status"]').textContent`))
	if err != nil || status != i18n.EN.T("wi.js.invalid.one") {
		t.Errorf("status %q (%v), want %q", status, err, i18n.EN.T("wi.js.invalid.one"))
	}

	// Nothing Vietnamese once the script has written its texts.
	var names []string
	for _, u := range ps.Units {
		names = append(names, u.Unit.Name)
	}
	namesJSON, err := json.Marshal(append(names, "Văn phòng UBND tỉnh Bắc Kạn"))
	if err != nil {
		t.Fatal(err)
	}
	left, err := chromedp.Run(pctx, chromedp.Evaluate[[]string](vietnameseLeft+`(`+string(namesJSON)+`)`))
	if err != nil {
		t.Fatalf("read texts: %v", err)
	}
	if len(left) > 0 {
		t.Errorf("%d texts in Vietnamese on the live English panel:\n    %s", len(left), strings.Join(left, "\n    "))
	}
	if _, err := chromedp.Run(pctx, chromedp.Evaluate[any](`document.getElementById('thu-tinh').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	shoot(t, pctx, filepath.Join(shots, "whatif-en-live-1366.png"))
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}
