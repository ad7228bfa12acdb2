package handlers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"scorecard/auth"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/store"
)

var confirmAction = regexp.MustCompile(`action="(/staff/import/[0-9a-f]+)"`)

// A file with problems is refused at the preview with every problem by row
// and column, in Vietnamese, and nothing is written; a good file is shown
// before anything is written, then imported on confirmation.
func TestWebImportPreviewAndConfirm(t *testing.T) { storetest.Run(t, testWebImportPreviewAndConfirm) }

func testWebImportPreviewAndConfirm(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	ctx := context.Background()
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	before, err := f.st.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}

	bad := "period,unit_code,metric,numerator,denominator\n" +
		"2024-06,BK.SGTVT,ON_TIME_PROCESSING,30,20\n" +
		"2024-13,BK.KHONGCO,ON_TIME_PROCESSING,1,2\n" +
		"2024-06,BK.STC,KHONG_CO_CHI_SO,1,2\n"
	r := office.upload("/staff/import", "loi.csv", bad)
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d %.500s", r.status, r.body)
	}
	for _, want := range []string{"<td>2</td>", "<td>3</td>", "<td>4</td>", "<code>numerator</code>", "<code>period</code>", "<code>unit_code</code>", "<code>metric</code>", "Không có gì được ghi"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("refusal lacks %q", want)
		}
	}
	if confirmAction.MatchString(r.body) {
		t.Error("a refused file can be confirmed")
	}

	good := "period,unit_code,metric,numerator,denominator\n" +
		"2024-06,BK.SGTVT,ON_TIME_PROCESSING,18,20\n" +
		"2024-06,BK.STC,ON_TIME_PROCESSING,17,20\n"
	r = office.upload("/staff/import", "thang6.csv", good)
	m := confirmAction.FindStringSubmatch(r.body)
	if r.status != fiber.StatusOK || m == nil || !strings.Contains(r.body, "Tệp hợp lệ") || !strings.Contains(r.body, "Tháng 06/2024") {
		t.Fatalf("preview: %d %.800s", r.status, r.body)
	}
	if strings.Contains(r.body, `name="reason"`) {
		t.Error("a reason is asked for a file that corrects nothing")
	}
	// Nothing written by the preview.
	if v, err := f.st.DataVersion(ctx); err != nil || v != before {
		t.Fatalf("the preview wrote: version %d → %d (%v)", before, v, err)
	}
	// Another account cannot confirm this upload.
	admin := f.client()
	admin.login("quantri")
	if r := admin.post(m[1], nil); r.status != fiber.StatusGone {
		t.Errorf("another account confirms: %d", r.status)
	}
	r = office.post(m[1], nil)
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Đã nhập xong") || !strings.Contains(r.body, "/staff/publish?period=2024-06") {
		t.Fatalf("confirm: %d %.800s", r.status, r.body)
	}
	// Once only: a second confirmation shows what the first did.
	if r := office.post(m[1], nil); r.status != fiber.StatusOK || !strings.Contains(r.body, "Đã nhập xong") {
		t.Errorf("confirmed twice: %d", r.status)
	}
	imps, err := f.st.Imports(ctx, 10)
	if err != nil || len(imps) != 3 || imps[0].FileName != "thang6.csv" || imps[0].Source != models.SourceWeb {
		t.Fatalf("imports: %+v %v", imps, err)
	}
	rows, _, err := f.st.AuditLog(ctx, store.AuditFilter{Action: models.ActionImport, Actor: "vanphong"})
	if err != nil || len(rows) != 1 || rows[0].Target != "thang6.csv" || rows[0].ActorID == nil || *rows[0].ActorID != f.ids["vanphong"] {
		t.Fatalf("audit of the web import: %+v %v", rows, err)
	}
	// The new month is a draft: the public does not see it.
	if r := f.client().get("/api/v1/rankings?kind=agency&period=2024-06"); strings.TrimSpace(r.body) != "[]" {
		t.Errorf("the imported draft is public: %s", r.body)
	}

	// Cancel drops the file.
	r = office.upload("/staff/import", "thang6.csv", good)
	m = confirmAction.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no preview")
	}
	if r := office.post(m[1], url.Values{"cancel": {"1"}}); r.status != fiber.StatusSeeOther {
		t.Errorf("cancel: %d", r.status)
	}
	if r := office.post(m[1], nil); r.status != fiber.StatusGone {
		t.Errorf("confirm after cancel: %d", r.status)
	}
	// No file.
	if r := office.post("/staff/import", nil); r.status != fiber.StatusBadRequest || !strings.Contains(r.body, "Chưa chọn tệp") {
		t.Errorf("no file: %d", r.status)
	}
}

// The correction flow: a file that changes a published period asks for a
// written reason; confirmed with one, the period gets revision 2, revision
// 1 keeps the old figures, and the audit trail has the import and the
// correction with the reason.
func TestWebCorrectionKeepsRevisionsAndAudit(t *testing.T) {
	storetest.Run(t, testWebCorrectionKeepsRevisionsAndAudit)
}

func testWebCorrectionKeepsRevisionsAndAudit(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	ctx := context.Background()
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	r := office.upload("/staff/import", "sua-thang4.csv", "period,unit_code,metric,numerator,denominator\n2024-04,BK.STC,ON_TIME_PROCESSING,19,20\n")
	m := confirmAction.FindStringSubmatch(r.body)
	if m == nil || !strings.Contains(r.body, `name="reason"`) || !strings.Contains(r.body, "Tháng 04/2024, công bố ngày") {
		t.Fatalf("preview of a correction: %.1000s", r.body)
	}
	// Without a reason, or with a too short one: refused, nothing written.
	for _, reason := range []string{"", "sửa"} {
		r = office.post(m[1], url.Values{"reason": {reason}})
		if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "Lý do điều chỉnh phải dài từ 10") {
			t.Fatalf("reason %q: %d %.300s", reason, r.status, r.body)
		}
	}
	if revs, err := f.st.Revisions(ctx, "2024-04"); err != nil || len(revs) != 1 {
		t.Fatalf("revisions before: %d %v", len(revs), err)
	}
	const reason = "Sở Tài chính gửi lại số liệu tháng 4 theo công văn số 12/STC ngày 10/5."
	r = office.post(m[1], url.Values{"reason": {reason}})
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Đã tạo bản số liệu mới cho 1 kỳ") {
		t.Fatalf("correction: %d %.1000s", r.status, r.body)
	}
	revs, err := f.st.Revisions(ctx, "2024-04")
	if err != nil || len(revs) != 2 || revs[1].Reason != reason || revs[1].Kind != models.RevisionCorrection || revs[0].Snapshot == nil || revs[1].Snapshot == nil {
		t.Fatalf("revisions after: %+v %v", revs, err)
	}
	total := func(rev models.Revision, code string) string {
		snap, err := scorecache.ParseSnapshot([]byte(*rev.Snapshot))
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range snap.Units {
			if u.Code == code {
				b, _ := json.Marshal(u.Total)
				return string(b)
			}
		}
		t.Fatalf("%s not in the snapshot", code)
		return ""
	}
	old, corrected := total(revs[0], "BK.STC"), total(revs[1], "BK.STC")
	if old == corrected || old != "29.00" || corrected != "33.00" {
		t.Errorf("BK.STC: revision 1 %s, revision 2 %s", old, corrected)
	}
	for _, action := range []string{models.ActionImport, models.ActionCorrection} {
		rows, _, err := f.st.AuditLog(ctx, store.AuditFilter{Action: action, Actor: "vanphong"})
		if err != nil || len(rows) != 1 || !strings.Contains(rows[0].Detail, "công văn số 12/STC") {
			t.Errorf("audit %s: %+v %v", action, rows, err)
		}
	}
	// Both revisions are public, the old figures included.
	anon := f.client()
	r = anon.get("/revisions/2024-04")
	if !strings.Contains(r.body, reason) || !strings.Contains(r.body, `href="/revisions/2024-04/1"`) || strings.Contains(r.body, "vanphong") {
		t.Errorf("revisions page: %.2000s", r.body)
	}
	if r := anon.get("/revisions/2024-04/1"); !strings.Contains(r.body, "29,00") || !strings.Contains(r.body, "bản số liệu cũ") {
		t.Errorf("revision 1 page lacks the old total")
	}
	if r := anon.get("/revisions/2024-04/2"); !strings.Contains(r.body, "33,00") {
		t.Errorf("revision 2 page lacks the new total")
	}
	if r := anon.get("/revisions/2024-05"); r.status != fiber.StatusNotFound {
		t.Errorf("revisions of a draft: %d", r.status)
	}
	// The staff see who corrected.
	if r := office.get("/revisions/2024-04"); !strings.Contains(r.body, "vanphong") {
		t.Error("staff do not see who corrected")
	}
}

// Publishing from the staff page: a confirmation page, then the period is
// public, frozen as revision 1, with an audit row naming the account.
func TestWebPublish(t *testing.T) { storetest.Run(t, testWebPublish) }

func testWebPublish(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	ctx := context.Background()
	office := f.client()
	office.login("vanphong")
	r := office.get("/staff")
	if !strings.Contains(r.body, `href="/staff/publish?period=2024-05"`) || !strings.Contains(r.body, "Bản nháp") {
		t.Fatalf("staff page: %.2000s", r.body)
	}
	r = office.get("/staff/publish?period=2024-05")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Kỳ này có số liệu của 2 đơn vị") {
		t.Fatalf("confirmation: %d %.1000s", r.status, r.body)
	}
	r = office.post("/staff/publish", url.Values{"period": {"2024-05"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("publish: %d %.300s", r.status, r.body)
	}
	r = office.get(r.header.Get("Location"))
	if !strings.Contains(r.body, "Đã công bố số liệu Tháng 05/2024") {
		t.Errorf("no confirmation message: %.1500s", r.body)
	}
	pub, err := f.st.Publication(ctx, "2024-05")
	if err != nil || pub.PublishedBy != "vanphong" {
		t.Fatalf("publication: %+v %v", pub, err)
	}
	rows, _, err := f.st.AuditLog(ctx, store.AuditFilter{Action: models.ActionPublish, Target: "2024-05"})
	if err != nil || len(rows) != 1 || rows[0].Actor != "vanphong" {
		t.Fatalf("audit: %+v %v", rows, err)
	}
	if r := f.client().get("/api/v1/units/BK.SGTVT?period=2024-05"); !strings.Contains(r.body, `"numerator":6173`) {
		t.Errorf("published period not public: %.300s", r.body)
	}
	// Already published; a period without data.
	if r := office.get("/staff/publish?period=2024-05"); r.status != fiber.StatusConflict {
		t.Errorf("publish form of a published period: %d", r.status)
	}
	if r := office.post("/staff/publish", url.Values{"period": {"2019-01"}}); r.status != fiber.StatusUnprocessableEntity {
		t.Errorf("publish without data: %d", r.status)
	}
	// A hand-made link cannot make the page claim a publication.
	if r := office.get("/staff?published=2024-06"); strings.Contains(r.body, "Đã công bố số liệu") {
		t.Error("the staff page claims a publication that did not happen")
	}
}

// The templates: the importer's header, prefilled, text cells; the counts
// template imports as it is (only "no counts" rows) without problems.
func TestImportTemplates(t *testing.T) { storetest.Run(t, testImportTemplates) }

func testImportTemplates(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	office := f.client()
	office.login("vanphong")
	for _, kind := range staffImportKinds {
		r := office.get("/staff/templates/" + kind + "?period=2024-07")
		if r.status != fiber.StatusOK || !strings.Contains(r.header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("%s: %d", kind, r.status)
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows(x.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(rows[0], ","); got != strings.Join(templateColumns[kind], ",") {
			t.Errorf("%s header %s", kind, got)
		}
		switch kind {
		case models.ImportUnits:
			if len(rows) != 6 || rows[2][0] != "BK.SGTVT" && rows[1][0] != "BK" {
				t.Errorf("units rows: %v", rows)
			}
			// With its dates columns, the units template imports as it is.
			if r := office.upload("/staff/import", "mau-units.xlsx", r.body); r.status != fiber.StatusOK || !confirmAction.MatchString(r.body) {
				t.Errorf("the units template does not pass the preview: %d %.1500s", r.status, r.body)
			}
		case models.ImportUnitChanges:
			// No change imported yet: the header alone, and the rules.
			if len(rows) != 1 {
				t.Errorf("unit changes rows: %v", rows)
			}
			notes, err := x.GetRows(x.GetSheetList()[len(x.GetSheetList())-1])
			if err != nil || len(notes) < 5 || !strings.Contains(notes[2][0], "merged (sáp nhập), split (chia tách), renamed (đổi mã)") {
				t.Errorf("unit changes notes: %v (%v)", notes, err)
			}
		case models.ImportCounts:
			provinceRows, sgtvt := 0, 0
			for _, row := range rows[1:] {
				if row[0] != "2024-07" {
					t.Fatalf("counts period %v", row)
				}
				switch row[1] {
				case "BK":
					provinceRows++
				case "BK.SGTVT":
					sgtvt++
				}
			}
			if provinceRows == 0 || sgtvt < 10 {
				t.Errorf("counts rows: province %d, BK.SGTVT %d", provinceRows, sgtvt)
			}
			// The template as it is imports without a problem.
			r := office.upload("/staff/import", "mau.xlsx", r.body)
			if r.status != fiber.StatusOK || !confirmAction.MatchString(r.body) {
				t.Errorf("the counts template does not pass the preview: %d %.1500s", r.status, r.body)
			}
		}
		_ = x.Close()
	}
	if r := office.get("/staff/templates/other"); r.status != fiber.StatusNotFound {
		t.Errorf("unknown template: %d", r.status)
	}
}

// An upload over the limit is refused with the limit in the message.
func TestUploadLimit(t *testing.T) { storetest.Run(t, testUploadLimit) }

func testUploadLimit(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db, uploadLimit: 2 << 20})
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	// A file over the limit in a request the server still reads.
	big := "period,unit_code,metric,numerator,denominator\n" + strings.Repeat("2024-06,BK.SGTVT,ON_TIME_PROCESSING,1,2\n", 62000)
	r := office.upload("/staff/import", "lon.csv", big)
	if r.status != fiber.StatusRequestEntityTooLarge || !strings.Contains(r.body, "giới hạn tải lên là 2 MB") {
		t.Errorf("file over the limit: %d %.500s", r.status, r.body)
	}
	// A request announcing more than the route takes: refused once its
	// headers and the first few kilobytes have arrived, the rest never read
	// (a real listener: app.Test cannot send it).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = f.app.Listener(ln) }()
	t.Cleanup(func() { _ = f.app.Shutdown() })
	// The request announces its size; the server answers without reading
	// the body (a client still sending it would see the connection reset).
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(conn, "POST /staff/import HTTP/1.1\r\nHost: x\r\nCookie: %s=%s\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n\r\n%s",
		auth.SessionCookie, office.cookies[auth.SessionCookie], 4<<20, strings.Repeat("x", 16<<10)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != fiber.StatusRequestEntityTooLarge || !strings.Contains(string(body), "giới hạn tải lên là 2 MB") {
		t.Errorf("request over the limit: %d %.500s", resp.StatusCode, body)
	}
}

// A long import must not make a login or a page view fail or hang: the
// page view reads while the import writes (WAL), the login's write waits
// for the writer.
func TestLoginAndPageDuringLongImport(t *testing.T) {
	storetest.Run(t, testLoginAndPageDuringLongImport)
}

func testLoginAndPageDuringLongImport(t *testing.T, db storetest.DB) {
	if testing.Short() {
		t.Skip("slow: a large import")
	}
	f := newAccessFixture(t, fixtureOptions{db: db})
	// 300 more units, and a counts file of 300 units × all metrics × 6
	// months.
	var units strings.Builder
	units.WriteString("code,name,kind,parent_code\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&units, "BK.X%03d,Xã thử %03d,commune,BK.BABE\n", i, i)
	}
	f.importString("units.csv", units.String())
	scheme := f.svc.Schemes().Latest()
	var counts bytes.Buffer
	counts.WriteString("period,unit_code,metric,numerator,denominator\n")
	rows := 0
	for m := 1; m <= 6; m++ {
		for i := 0; i < 300; i++ {
			for _, met := range scheme.Metrics {
				if met.Level == "province" {
					continue
				}
				fmt.Fprintf(&counts, "2023-%02d,BK.X%03d,%s,%d,%d\n", m, i, met.Code, i%7, 7+i%5)
				rows++
			}
		}
	}
	// Warm the scores cache, as a running server has it.
	f.client().get("/rankings?period=2024-04")
	var done atomic.Bool
	errc := make(chan error, 1)
	var importTime time.Duration
	go func() {
		t0 := time.Now()
		_, err := f.imp.Import(context.Background(), "lon.csv", bytes.NewReader(counts.Bytes()), models.SourceCLI, false)
		importTime = time.Since(t0)
		done.Store(true)
		errc <- err
	}()
	// Page views and logins one after the other for as long as the import
	// runs: some of them meet its write transaction.
	var pageMax, loginMax time.Duration
	var cl *client
	rounds := 0
	for !done.Load() {
		t0 := time.Now()
		r := f.client().get("/rankings?period=2024-04")
		pageMax = max(pageMax, time.Since(t0))
		if r.status != fiber.StatusOK {
			t.Errorf("page view during the import: %d", r.status)
		}
		t0 = time.Now()
		cl = f.client()
		cl.get("/login")
		r = cl.post("/login", url.Values{"username": {"quantri"}, "password": {accessPassword}})
		loginMax = max(loginMax, time.Since(t0))
		if r.status != fiber.StatusSeeOther {
			t.Errorf("login during the import: %d %.300s", r.status, r.body)
		}
		rounds++
	}
	if err := <-errc; err != nil {
		t.Fatalf("import: %v", err)
	}
	t.Logf("%d rows imported in %v; %d rounds; slowest page %v, slowest login %v", rows, importTime, rounds, pageMax, loginMax)
	if rounds < 3 {
		t.Fatalf("only %d rounds during the import (%v): make the file larger", rounds, importTime)
	}
	if pageMax > 2*time.Second {
		t.Errorf("a page view took %v during the import", pageMax)
	}
	if loginMax > importTime+5*time.Second {
		t.Errorf("a login took %v (import %v)", loginMax, importTime)
	}
	// PostgreSQL has no single writer: a login must not wait for the
	// import's transaction (it did while the import held the audit
	// trail's lock from its start).
	if db == storetest.Postgres && loginMax > importTime/2 {
		t.Errorf("on PostgreSQL a login waited %v for the import (%v)", loginMax, importTime)
	}
	if r := cl.get("/admin/users"); r.status != fiber.StatusOK {
		t.Errorf("session after login: %d", r.status)
	}
}

// The preview checks a file against the units' days as the real import
// does: counts for an agency in a month after it ended are refused there,
// not only on confirmation.
func TestWebImportPreviewKnowsTheUnitsDays(t *testing.T) {
	f := newAccessFixture(t, fixtureOptions{})
	f.importString("units-dates.csv", "code,name,kind,parent_code,valid_from,valid_to\nBK.SYT,Sở Y tế,agency,BK,,2024-06-01\n")
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	r := office.upload("/staff/import", "thang6.csv", "period,unit_code,metric,numerator,denominator\n2024-06,BK.SYT,ON_TIME_PROCESSING,1,2\n")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "không tồn tại trong kỳ 2024-06") {
		t.Fatalf("counts after the unit ended: %d %.1500s", r.status, r.body)
	}
}
