package handlers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserStaffWorkflow signs in as the office in a real browser, imports
// a file through the web (preview, then confirm) and publishes the period;
// then an anonymous visitor sees it. Same skip rules as TestBrowserPages.
func TestBrowserStaffWorkflow(t *testing.T) {
	browserTest(t)
	f := newAccessFixture(t, fixtureOptions{})
	b := newStaffBrowser(t, f)
	ctx, base, step, text := b.ctx, b.base, b.step, b.text

	shots := filepath.Join("..", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatalf("screenshots dir: %v", err)
	}
	file := filepath.Join(t.TempDir(), "so-lieu-thang-6.csv")
	if err := os.WriteFile(file, []byte("period,unit_code,metric,numerator,denominator\n"+
		"2024-06,BK.SGTVT,ON_TIME_PROCESSING,18,20\n2024-06,BK.STC,ON_TIME_PROCESSING,17,20\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The staff's page sends an anonymous visitor to the sign-in form,
	// and back after signing in.
	step("open the staff page", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/staff"),
		chromedp.WaitVisible(chromedp.CSS("#username")))
	shoot(t, ctx, filepath.Join(shots, "login-1366.png"))
	step("sign in",
		chromedp.SendKeys(chromedp.CSS("#username"), "vanphong"),
		chromedp.SendKeys(chromedp.CSS("#password"), accessPassword),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#ky")))
	if got := text(".account-bar"); !strings.Contains(got, "vanphong") {
		t.Errorf("account bar: %q", got)
	}
	shoot(t, ctx, filepath.Join(shots, "staff-1366.png"))
	staffTablesStyled(t, ctx, "/staff")

	// Import: choose the file, check it, see the preview, confirm.
	step("open the import page", chromedp.Navigate(base+"/staff/import"), chromedp.WaitVisible(chromedp.CSS("#file")))
	step("upload",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/staff/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#h-preview")))
	if got := text("main"); !strings.Contains(got, "Tệp hợp lệ") || !strings.Contains(got, "Tháng 06/2024") {
		t.Errorf("preview: %q", got)
	}
	shoot(t, ctx, filepath.Join(shots, "staff-import-preview-1366.png"))
	staffTablesStyled(t, ctx, "the import preview")
	if got := text("table.import-changes"); !strings.Contains(got, "Sở Giao thông vận tải") || !strings.Contains(got, "chưa có số liệu") {
		t.Errorf("the preview's table of totals: %q", got)
	}
	if n, _ := f.st.Imports(context.Background(), 100); len(n) != 2 {
		t.Fatalf("the preview wrote an import: %d imports", len(n))
	}
	step("confirm",
		chromedp.Click(chromedp.CSS(`form[action^="/staff/import/"] button[type=submit]:not([name])`)),
		chromedp.WaitVisible(chromedp.CSS("#h-done")))
	if got := text("main"); !strings.Contains(got, "Đã nhập xong") {
		t.Errorf("done: %q", got)
	}
	shoot(t, ctx, filepath.Join(shots, "staff-import-done-1366.png"))

	// Publish the imported month from the link the result offers.
	step("open the publish page",
		chromedp.Click(chromedp.CSS(`a[href="/staff/publish?period=2024-06"]`)),
		chromedp.WaitVisible(chromedp.CSS("#h-publish")))
	shoot(t, ctx, filepath.Join(shots, "staff-publish-1366.png"))
	step("publish",
		chromedp.Click(chromedp.CSS(`form[action="/staff/publish"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("p.callout")))
	if got := text("p.callout"); !strings.Contains(got, "Đã công bố số liệu Tháng 06/2024") {
		t.Errorf("after publishing: %q", got)
	}
	pub, err := f.st.Publication(context.Background(), "2024-06")
	if err != nil || pub.PublishedBy != "vanphong" {
		t.Fatalf("publication: %+v %v", pub, err)
	}
	step("open the revisions", chromedp.Navigate(base+"/revisions/2024-06"), chromedp.WaitVisible(chromedp.CSS("#h-revs")))
	shoot(t, ctx, filepath.Join(shots, "revisions-1366.png"))
	staffTablesStyled(t, ctx, "/revisions/2024-06")

	// Sign out; the public now sees the month. Signing out lands on the
	// home page, whose charts are TestBrowserPages' business: what they log
	// is reported, not failed, here.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".logout-form button")), chromedp.WaitVisible(chromedp.CSS(".account-login"))); err != nil {
		t.Fatalf("sign out: %v", err)
	}
	for _, msg := range b.blog.take() {
		t.Logf("home page after signing out logged: %.200s", msg)
	}
	step("public ranking", chromedp.Navigate(base+"/rankings?period=2024-06"), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := text("main"); !strings.Contains(got, "Sở Tài chính") || strings.Contains(got, "Bản nháp") {
		t.Errorf("public ranking of the published month: %q", got)
	}
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.HasPrefix(loc, base+"/rankings") {
		t.Errorf("location %q %v", loc, err)
	}
}

// staffTablesStyled fails unless every table of the page is laid out as the
// public pages' tables are (table.data, self-hosted app.css): headers on the
// left on their shaded row, not the browser's centred defaults, and the
// cells padded.
func staffTablesStyled(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	type look struct {
		Class, Align, Background, Padding string
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]look](`Array.from(document.querySelectorAll('main table')).map(t => {
		const th = getComputedStyle(t.querySelector('thead th:not(.num)'));
		return {Class: t.className, Align: th.textAlign, Background: th.backgroundColor, Padding: th.paddingLeft};
	})`))
	if err != nil {
		t.Fatalf("%s: read the tables' style: %v", page, err)
	}
	if len(got) == 0 {
		t.Fatalf("%s has no table", page)
	}
	for _, l := range got {
		if l.Align != "left" || l.Background != "rgb(240, 243, 247)" || l.Padding == "0px" || l.Padding == "1px" {
			t.Errorf("%s: table %q is not styled like the public tables: header %+v", page, l.Class, l)
		}
	}
}
