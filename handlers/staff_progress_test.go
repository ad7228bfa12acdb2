package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/dossier"
	"scorecard/handlers/site"
	"scorecard/importer"
	"scorecard/internal/storetest"
	"scorecard/present"
)

// progressDossiers is a dossier file of n rows for BK.SGTVT in June 2024
// (a month nobody published) and its catalogue.
func progressDossiers(n int) (catalogue, dossiers string) {
	catalogue = "period,procedure_code,name,unit_code,online_level,has_fee,individual_applicant,citizen_data_connected\n" +
		"2024-06,1.001234,Cấp giấy phép lái xe,BK.SGTVT,full,1,1,1\n"
	var b strings.Builder
	b.WriteString(strings.Join(dossier.DossierColumns, ",") + "\n")
	for i := 0; i < n; i++ {
		day := 1 + i%28
		fmt.Fprintf(&b, "000.00.12.H05-2406%02d-%06d,BK.SGTVT,1.001234,2024-06-%02dT09:15:00+07:00,2024-06-%02dT17:00:00+07:00,2024-06-%02dT10:00:00+07:00,online,1,1,1,1,0,0,1,1,0,satisfied\n",
			day, i, day, min(day+2, 30), min(day+1+i%3, 30))
	}
	return catalogue, b.String()
}

// jobHolder stops web import jobs at their progress reports (it observes
// them as Deps.Progress), so that a test sees them half-way.
type jobHolder struct {
	t       *testing.T
	holds   atomic.Int32
	held    chan importer.Progress
	proceed chan struct{}
}

// holdJobs is a holder for the fixture (fixtureOptions.jobs); it holds
// nothing until armed.
func holdJobs(t *testing.T) *jobHolder {
	return &jobHolder{t: t, held: make(chan importer.Progress), proceed: make(chan struct{})}
}

// observe is the fixture's Deps.Progress.
func (j *jobHolder) observe(p importer.Progress) {
	if !p.Done && p.Rows > 0 && j.holds.Add(-1) >= 0 {
		j.held <- p
		<-j.proceed
	}
}

// arm holds the next n reports (of rows read, before the end of the file).
func (j *jobHolder) arm(n int32) { j.holds.Store(n) }

// next waits for a job to be held and returns its progress.
func (j *jobHolder) next(what string) importer.Progress {
	j.t.Helper()
	select {
	case p := <-j.held:
		return p
	case <-time.After(30 * time.Second):
		j.t.Fatalf("%s: no progress reported", what)
		return importer.Progress{}
	}
}

// release lets the held job go on.
func (j *jobHolder) release() { j.proceed <- struct{}{} }

// jobStatus reads GET /staff/import/{token}/progress.
func jobStatus(t *testing.T, cl *client, page string) jobProgress {
	t.Helper()
	r := cl.get(page + "/progress")
	if r.status != fiber.StatusOK || !strings.HasPrefix(r.header.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		t.Fatalf("progress: %d %s %.300s", r.status, r.header.Get(fiber.HeaderContentType), r.body)
	}
	var p jobProgress
	if err := json.Unmarshal([]byte(r.body), &p); err != nil {
		t.Fatalf("progress: %v in %s", err, r.body)
	}
	return p
}

// waitJob polls the progress until the job is over.
func waitJob(t *testing.T, cl *client, page string) jobProgress {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if p := jobStatus(t, cl, page); p.Done {
			return p
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the job did not finish within a minute")
	return jobProgress{}
}

// TestWebImportShowsProgress: a web import that does not finish at once
// answers with a page that follows it; the page and its JSON say how far
// the check and then the import have got (held half-way by the test), in
// the visitor's language; the outcome shows once over, once.
func TestWebImportShowsProgress(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testWebImportShowsProgress)
}

func testWebImportShowsProgress(t *testing.T, db storetest.DB) {
	jobs := holdJobs(t)
	f := newAccessFixture(t, fixtureOptions{db: db, importWait: -1, jobs: jobs}) // never wait: always the progress page
	// Three progress reports before the end of the file; with -short one
	// (held all the same, at 16 384 of 16 484 rows), a third of the work.
	rows := 3*16384 + 100
	if testing.Short() {
		rows = 16384 + 100
	}
	cat, file := progressDossiers(rows)
	f.importString("catalogue.csv", cat)

	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	jobs.arm(1)
	r := office.upload("/staff/import", "hoso-thang6.csv", file)
	page := r.header.Get(fiber.HeaderLocation)
	if r.status != fiber.StatusSeeOther || !strings.HasPrefix(page, "/staff/import/") {
		t.Fatalf("upload of a long file: %d %q %.300s", r.status, page, r.body)
	}
	mid := jobs.next("check")
	p := jobStatus(t, office, page)
	if p.Done || p.Rows != mid.Rows || p.Percent <= 0 || p.Percent >= 100 ||
		!strings.Contains(p.Text, "đã đọc "+present.Int("vi", int64(mid.Rows))+" dòng") || !strings.Contains(p.Text, fmt.Sprintf("%d%%", p.Percent)) {
		t.Errorf("progress half-way through the check: %+v (held at %+v)", p, mid)
	}
	r = office.get(page)
	// The page's text as far as the rows read: the rate and the time left
	// after them move with the clock between the two requests.
	read := strings.Join(strings.SplitN(p.Text, " · ", 3)[:2], " · ")
	for _, want := range []string{"Đang kiểm tra tệp", `<progress id="import-progress"`, fmt.Sprintf(`value="%d"`, p.Percent),
		"js/import.js", `data-progress-url="` + page + `/progress"`, `http-equiv="refresh"`, read} {
		if r.status != fiber.StatusOK || !strings.Contains(r.body, want) {
			t.Errorf("progress page lacks %q (%d)", want, r.status)
		}
	}
	// Another account sees nothing of it.
	admin := f.client()
	admin.login("quantri")
	if r := admin.get(page + "/progress"); r.status != fiber.StatusGone {
		t.Errorf("another account reads the progress: %d", r.status)
	}
	jobs.release()
	waitJob(t, office, page)
	r = office.get(page)
	m := confirmAction.FindStringSubmatch(r.body)
	if r.status != fiber.StatusOK || m == nil || !strings.Contains(r.body, "Tệp hợp lệ") || !strings.Contains(r.body, present.Int("vi", int64(rows))) {
		t.Fatalf("preview after the check: %d %.600s", r.status, r.body)
	}
	// The periods the file changes, and no other: not those of the
	// throwaway database's seed catalogue (which the preview needs to
	// know the procedure codes).
	for _, want := range []string{"Tháng 06/2024", "Quý II/2024", "Năm 2024"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("preview lacks the period %s", want)
		}
	}
	if strings.Contains(r.body, "2000") {
		t.Errorf("preview names the seed's periods: %.2000s", r.body[strings.Index(r.body, "<dl"):])
	}

	// The import, followed in English this time.
	jobs.arm(1)
	r = office.post(m[1], nil)
	if r.status != fiber.StatusSeeOther || r.header.Get(fiber.HeaderLocation) != page {
		t.Fatalf("confirm of a long file: %d %q", r.status, r.header.Get(fiber.HeaderLocation))
	}
	mid = jobs.next("import")
	office.get("/staff/import?lang=en")
	p = jobStatus(t, office, page)
	if p.Done || p.Rows != mid.Rows || !strings.Contains(p.Text, present.Int("en", int64(mid.Rows))+" rows read") {
		t.Errorf("progress half-way through the import: %+v", p)
	}
	if r := office.get(page); !strings.Contains(r.body, "Importing the file") {
		t.Errorf("progress page of the import: %.400s", r.body)
	}
	// A second click on the confirmation shows the same import, never
	// a second one.
	if r := office.post(m[1], nil); r.status != fiber.StatusSeeOther || r.header.Get(fiber.HeaderLocation) != page {
		t.Errorf("second confirmation: %d %q", r.status, r.header.Get(fiber.HeaderLocation))
	}
	jobs.release()
	waitJob(t, office, page)
	office.get("/staff/import?lang=vi")
	r = office.get(page)
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Đã nhập xong") || !strings.Contains(r.body, "/staff/publish?period=2024-06") {
		t.Fatalf("outcome: %d %.600s", r.status, r.body)
	}
	// Shown again (a reload), the file imported once.
	if r := office.get(page); r.status != fiber.StatusOK || !strings.Contains(r.body, "Đã nhập xong") {
		t.Errorf("outcome shown again: %d", r.status)
	}
	imps, err := f.st.Imports(t.Context(), 1)
	if err != nil || len(imps) != 1 || imps[0].FileName != "hoso-thang6.csv" || imps[0].Rows != rows {
		t.Fatalf("imports: %+v %v", imps, err)
	}
}

// TestImportJobPanic: a panic in a job (outside Fiber's handlers) becomes
// the job's error and a line in the log, and the server goes on.
func TestImportJobPanic(t *testing.T) {
	var logged bytes.Buffer
	h := &handler{Site: &site.Site{Log: slog.New(slog.NewTextHandler(&logged, nil))}}
	j := newJob(jobImport)
	h.run(j, "hoso.csv", func() { panic("boom") })
	if !j.wait(10 * time.Second) {
		t.Fatal("the job never ended")
	}
	if j.err == nil || !strings.Contains(j.err.Error(), "boom") || !strings.Contains(logged.String(), "panicked") {
		t.Fatalf("err %v, log %q", j.err, logged.String())
	}
}

// TestTimeLeft: seconds up to a minute and a half, then minutes.
func TestTimeLeft(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "sắp xong"},
		{1400 * time.Millisecond, "sắp xong"},
		{4 * time.Second, "còn khoảng 4 giây"},
		{90 * time.Second, "còn khoảng 90 giây"},
		{151 * time.Second, "còn khoảng 3 phút"},
		{2 * time.Hour, "còn khoảng 120 phút"},
	} {
		if got := timeLeft("vi", c.d); got != c.want {
			t.Errorf("%v: %q, want %q", c.d, got, c.want)
		}
	}
	if got := timeLeft("en", 151*time.Second); got != "about 3 min left" {
		t.Errorf("en: %q", got)
	}
}

// TestPeriodLinksInCalendarOrder: the periods an import changes are listed
// as the calendar has them, months before the quarter and half-year they
// close.
func TestPeriodLinksInCalendarOrder(t *testing.T) {
	in := []string{"2023-H1", "2023", "2023-Q2", "2023-05", "2023-06", "2023-07", "2023-Q3", "2023-H2", "2024-01"}
	var got []string
	for _, p := range periodLinks("vi", in) {
		got = append(got, p.Code)
	}
	want := []string{"2023-05", "2023-06", "2023-Q2", "2023-H1", "2023-07", "2023-Q3", "2023-H2", "2023", "2024-01"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("order %v, want %v", got, want)
	}
	if in[0] != "2023-H1" {
		t.Error("the caller's list was reordered")
	}
}

// TestWebImportProgressUnderBasePath: behind a proxy that keeps a prefix,
// the progress page's redirect, its script's URLs and the progress JSON
// all carry it.
func TestWebImportProgressUnderBasePath(t *testing.T) {
	storetest.Run(t, testWebImportProgressUnderBasePath)
}

func testWebImportProgressUnderBasePath(t *testing.T, db storetest.DB) {
	jobs := holdJobs(t)
	f := newAccessFixture(t, fixtureOptions{db: db, basePath: "/chiso", importWait: -1, jobs: jobs})
	cat, file := progressDossiers(16384 + 10)
	f.importString("catalogue.csv", cat)
	office := f.client()
	office.base = "/chiso"
	office.login("vanphong")
	office.get("/staff/import")
	jobs.arm(1)
	r := office.upload("/staff/import", "hoso.csv", file)
	page := r.header.Get(fiber.HeaderLocation)
	if r.status != fiber.StatusSeeOther || !strings.HasPrefix(page, "/chiso/staff/import/") {
		t.Fatalf("upload: %d %q", r.status, page)
	}
	local := strings.TrimPrefix(page, "/chiso")
	jobs.next("check")
	r = office.get(local)
	for _, want := range []string{`data-progress-url="` + page + `/progress"`, `data-page-url="` + page + `"`, `href="/chiso/static/`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("progress page lacks %s", want)
		}
	}
	jobs.release()
	p := waitJob(t, office, local)
	if !p.Done {
		t.Fatalf("progress %+v", p)
	}
	// The job is over: the page is the preview, with the confirmation
	// under the prefix.
	r = office.get(local)
	if r.status != fiber.StatusOK || !strings.Contains(r.body, `action="`+page+`"`) {
		t.Fatalf("preview under the prefix: %d %.300s", r.status, r.body)
	}
}
