package handlers

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// In a real browser, the live what-if panel of a unit without data (the
// API answers total, delta and base.total null): counts tried give it a
// total with nothing to compare it with, never a change against the
// no-data rules' 14,00; counts cleared again give no total, band nor rank
// to say. Same skip rules as TestBrowserPages.
func TestBrowserWhatIfOfUnitWithoutData(t *testing.T) {
	browserTest(t)
	app := newTestApp(t, memSource{ds: fixture()}, nil)
	pctx, base, blog := startBrowser(t, app, browserOptions{timeout: 60 * time.Second, reducedMotion: true})
	// The numerator typed before its denominator is refused (400) for a
	// moment: Chromium logs it.
	blog.expect404(base + "/api/v1/units/BK.SYT/whatif")
	if err := chromedp.Do(pctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/units/BK.SYT/whatif?period=2024-04")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`document.querySelector('form.whatif-form').dataset.live === 'true'`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("whatif.js did not start: %v", err)
	}
	typeIn := func(id, text string) {
		t.Helper()
		keys := []chromedp.Action[chromedp.Void]{chromedp.Focus(chromedp.CSS(id)), chromedp.KeyEvent(kb.End)}
		for range 4 {
			keys = append(keys, chromedp.KeyEvent(kb.Backspace))
		}
		if text != "" {
			keys = append(keys, chromedp.KeyEvent(text))
		}
		if err := chromedp.Do(pctx, keys...); err != nil {
			t.Fatalf("type %q in %s: %v", text, id, err)
		}
	}
	type state struct {
		Total, Delta, DeltaSR, Foot, FootDelta, Status, Group, GroupDelta, GroupSR string
	}
	read := func() state {
		t.Helper()
		st, err := chromedp.Run(pctx, chromedp.Evaluate[state](`(() => {
  const sum = document.querySelector('.wi-summary'), foot = document.querySelector('tfoot');
  const grp = document.querySelector('tbody[data-group="MDHL"] tr.wi-group');
  return {
    total: sum.querySelector('[data-wi="total"]').textContent,
    delta: sum.querySelector('[data-wi="delta"] [aria-hidden]').textContent,
    deltaSR: sum.querySelector('[data-wi="delta"] .sr-only').textContent,
    foot: foot.querySelector('[data-wi="total"]').textContent,
    footDelta: foot.querySelector('[data-wi="delta"] [aria-hidden]').textContent,
    status: document.querySelector('[data-wi="status"]').textContent,
    group: grp.querySelector('[data-wi="new"]').textContent,
    groupDelta: grp.querySelector('[data-wi="delta"] [aria-hidden]').textContent,
    groupSR: grp.querySelector('[data-wi="delta"] .sr-only').textContent,
  };
})()`))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	waitTotal := func(want string) {
		t.Helper()
		if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`document.querySelector('.wi-summary [data-wi="total"]').textContent === '`+want+`' &&
  document.querySelector('[data-wi="status"]').textContent.endsWith('.')`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("total %+v, want %s: %v", read(), want, err)
		}
	}

	// Counts tried: 18,00 on time, 32,00 in all (the no-data rules give the
	// rest); no change against the 14,00 the rules gave without them.
	typeIn("#wi-d-ON_TIME_PROCESSING", "10")
	typeIn("#wi-n-ON_TIME_PROCESSING", "9")
	waitTotal("32,00")
	st := read()
	if st.Delta != "—" || st.FootDelta != "—" || st.DeltaSR != "chưa có số liệu để so sánh" || st.Foot != "32,00" {
		t.Errorf("counts tried for a unit without data: %+v, want a total of 32,00 with no change", st)
	}
	if !strings.HasPrefix(st.Status, "Tổng điểm thử tính 32,00 điểm, xếp loại ") || strings.Contains(st.Status, "18,00") {
		t.Errorf("status %q, want the total without a change", st.Status)
	}
	// The group has no real score to compare with (the rules' 12,00).
	if st.Group != "12,00" || st.GroupDelta != "—" || st.GroupSR != "chưa có số liệu để so sánh" {
		t.Errorf("group MDHL: %+v", st)
	}

	// Counts cleared: the unit has no data again, no total to say.
	typeIn("#wi-n-ON_TIME_PROCESSING", "")
	typeIn("#wi-d-ON_TIME_PROCESSING", "")
	waitTotal("—")
	st = read()
	if st.Delta != "—" || st.Foot != "—" || st.Group != "—" || st.Status != "Chưa có số liệu để tính tổng điểm." {
		t.Errorf("counts cleared: %+v, want no total, no change, no group score", st)
	}
	if bad := blog.take(); len(bad) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(bad, "\n"))
	}
}
