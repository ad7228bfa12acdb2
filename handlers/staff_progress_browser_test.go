package handlers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"scorecard/importer"
	"scorecard/present"
)

// staffBrowser is a Chromium signed in to the fixture's server: the set-up
// the staff's browser tests share.
type staffBrowser struct {
	t    *testing.T
	ctx  context.Context
	base string
	blog *browserLog
}

// newStaffBrowser serves f's application and starts a headless Chromium
// for it (see startBrowser); the staff's tests get 90 seconds each.
func newStaffBrowser(t *testing.T, f *accessFixture) *staffBrowser {
	t.Helper()
	ctx, base, blog := startBrowser(t, f.app, browserOptions{timeout: 90 * time.Second})
	return &staffBrowser{t: t, ctx: ctx, base: base, blog: blog}
}

// step runs actions and fails on an error or on anything the page logged.
func (b *staffBrowser) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
	if bad := b.blog.take(); len(bad) > 0 {
		b.t.Errorf("%s: the page logged problems:\n%s", name, strings.Join(bad, "\n"))
	}
}

// text is the text of the first element matching sel.
func (b *staffBrowser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// signIn signs in as username from the staff page.
func (b *staffBrowser) signIn(username string) {
	b.t.Helper()
	b.step("open the staff page", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(b.base+"/staff"),
		chromedp.WaitVisible(chromedp.CSS("#username")))
	b.step("sign in",
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), accessPassword),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#ky")))
}

// TestBrowserImportProgress: in Chromium, a dossier file too long to check
// at once shows the progress page; js/import.js moves the bar and the
// status line as the check goes on (held twice by the test, so that the
// second figure can only come from the script), then loads the preview by
// itself; confirming shows the import's progress and then its outcome.
func TestBrowserImportProgress(t *testing.T) {
	browserTest(t)
	jobs := holdJobs(t)
	f := newAccessFixture(t, fixtureOptions{importWait: -1, jobs: jobs})
	b := newStaffBrowser(t, f)
	cat, data := progressDossiers(3*16384 + 100)
	f.importString("catalogue.csv", cat)
	file := filepath.Join(t.TempDir(), "hoso-thang6.csv")
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	shots := filepath.Join("..", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatalf("screenshots dir: %v", err)
	}

	// shows waits until the status line names rows read.
	shows := func(what string, p importer.Progress) {
		t.Helper()
		want := present.Int("vi", int64(p.Rows))
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`(document.getElementById('import-progress-text')||{}).textContent.indexOf('`+want+` dòng') >= 0`,
			chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("%s: the status line never showed %s rows: %q (%v)", what, want, b.text("#import-progress-text"), err)
		}
	}

	// upload sends the file from the import page and waits for the
	// progress page.
	upload := func(what string) {
		t.Helper()
		b.step(what, chromedp.Navigate(b.base+"/staff/import"), chromedp.WaitVisible(chromedp.CSS("#file")),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}),
			chromedp.Click(chromedp.CSS(`form[action="/staff/import"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("#import-working")))
	}

	b.signIn("vanphong")
	jobs.arm(2)
	upload("upload")
	first := jobs.next("check, first hold")
	shows("check, first hold", first)
	jobs.release()
	second := jobs.next("check, second hold")
	shows("check, second hold", second) // only the script can have written it
	value, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`document.getElementById('import-progress').value`))
	if err != nil || value <= 0 || value >= 100 {
		t.Errorf("progress bar at %v (%v)", value, err)
	}
	if got := b.text("#h-working"); !strings.Contains(got, "Đang kiểm tra tệp") {
		t.Errorf("heading %q", got)
	}
	shoot(t, b.ctx, filepath.Join(shots, "staff-import-progress-1366.png"))
	runAxe(t, b.ctx, "import progress")
	jobs.release()
	// Once over, the script loads the page again: the preview.
	b.step("preview by itself", chromedp.WaitVisible(chromedp.CSS("#h-preview")))
	if got := b.text("main"); !strings.Contains(got, "Tệp hợp lệ") || !strings.Contains(got, "49.252") {
		t.Errorf("preview: %q", got)
	}

	jobs.arm(1)
	b.step("confirm",
		chromedp.Click(chromedp.CSS(`form[action^="/staff/import/"] button[type=submit]:not([name])`)),
		chromedp.WaitVisible(chromedp.CSS("#import-working")))
	mid := jobs.next("import")
	shows("import", mid)
	if got := b.text("#h-working"); !strings.Contains(got, "Đang nhập tệp") {
		t.Errorf("heading %q", got)
	}
	jobs.release()
	b.step("outcome by itself", chromedp.WaitVisible(chromedp.CSS("#h-done")))
	if got := b.text("main"); !strings.Contains(got, "Đã nhập xong") || !strings.Contains(got, "49.252") {
		t.Errorf("done: %q", got)
	}

	// Signed out while a check runs (the session expired, or signed out
	// in another tab): the script notices that the progress now answers
	// with the sign-in form and takes the visitor there.
	jobs.arm(1)
	upload("upload again")
	jobs.next("check after signing out")
	if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatalf("clear cookies: %v", err)
	}
	b.step("to the sign-in form", chromedp.WaitVisible(chromedp.CSS("#username")))
	jobs.release()
}
