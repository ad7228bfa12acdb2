package handlers

import (
	"io"
	"log/slog"
	"maps"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/importer"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/present"
	"scorecard/scorecache"
)

// secondServer is another application on the fixture's database, as a
// second server process behind the same address would be: its own
// staging folder and jobs (held by jobs when not nil), nothing shared
// with the first but the database.
func (f *accessFixture) secondServer(t *testing.T, jobs *jobHolder) *fiber.App {
	t.Helper()
	var progress func(importer.Progress)
	if jobs != nil {
		progress = jobs.observe
	}
	app, _, err := build(Deps{Scores: f.svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Store: f.st, Auth: f.auth, Importer: f.imp,
		Snapshot: scorecache.SnapshotFunc(f.svc), Progress: progress,
		Options: Options{OfficeName: "Văn phòng UBND tỉnh Bắc Kạn", UploadDir: t.TempDir(), ImportWait: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// TestStagedImportAcrossServers: a file uploaded and previewed on server
// A is confirmed on server B; its import (held half-way on B) shows its
// progress on A, its outcome on A and B once over; a second confirmation, on
// either, imports nothing more, and neither do two at the same moment on
// both. An unknown, tampered or another account's upload is refused with
// a message on both.
func TestStagedImportAcrossServers(t *testing.T) {
	storetest.Run(t, testStagedImportAcrossServers)
}

func testStagedImportAcrossServers(t *testing.T, db storetest.DB) {
	jobs := holdJobs(t)
	f := newAccessFixture(t, fixtureOptions{db: db, importWait: -1})
	a, b := f.app, f.secondServer(t, jobs)
	// Past one progress report (every 16 384 rows), where B's import is
	// held.
	cat, file := progressDossiers(16384 + 100)
	f.importString("catalogue.csv", cat)
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")

	// Upload and preview on A.
	r := office.upload("/staff/import", "hoso-thang6.csv", file)
	page := r.header.Get(fiber.HeaderLocation)
	if r.status != fiber.StatusSeeOther || !strings.HasPrefix(page, "/staff/import/") {
		t.Fatalf("upload on A: %d %q %.300s", r.status, page, r.body)
	}
	waitJob(t, office, page)
	r = office.get(page)
	m := confirmAction.FindStringSubmatch(r.body)
	if r.status != fiber.StatusOK || m == nil || !strings.Contains(r.body, "Tệp hợp lệ") {
		t.Fatalf("preview on A: %d %.600s", r.status, r.body)
	}
	// The same preview on B.
	office.app = b
	if r := office.get(page); r.status != fiber.StatusOK || !strings.Contains(r.body, "Tệp hợp lệ") || !strings.Contains(r.body, m[1]) {
		t.Fatalf("preview on B: %d %.600s", r.status, r.body)
	}

	// Bad confirmations change nothing, with a message, on either server.
	admin := f.client()
	admin.login("quantri")
	admin.get("/staff/import")
	for _, c := range []struct {
		who    *client
		target string
	}{
		{admin, m[1]}, // another account's upload
		{office, "/staff/import/0123456789abcdef0123456789abcdef"}, // unknown
		{office, "/staff/import/" + url.PathEscape("../../x")},     // tampered
		{office, m[1] + "x"},
	} {
		for _, app := range []*fiber.App{a, b} {
			c.who.app = app
			r := c.who.post(c.target, url.Values{"reason": {strings.Repeat("x", 30)}})
			if r.status != fiber.StatusGone && r.status != fiber.StatusNotFound {
				t.Errorf("confirm %s: %d", c.target, r.status)
			}
			if r.status == fiber.StatusGone && !strings.Contains(r.body, "Tệp đã tải lên không còn") {
				t.Errorf("confirm %s: no message: %.400s", c.target, r.body)
			}
		}
	}
	if imps, err := f.st.Imports(t.Context(), 10); err != nil || len(imps) != 3 {
		t.Fatalf("imports after bad confirmations: %d %v", len(imps), err)
	}

	// Confirm on B; B's import is held half-way, and A shows how far it
	// has got.
	office.app = b
	jobs.arm(1)
	if r := office.post(m[1], nil); r.status != fiber.StatusSeeOther || r.header.Get(fiber.HeaderLocation) != page {
		t.Fatalf("confirm on B: %d %q %.300s", r.status, r.header.Get(fiber.HeaderLocation), r.body)
	}
	mid := jobs.next("import on B")
	office.app = a
	var p jobProgress
	if db == storetest.Postgres {
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if p = jobStatus(t, office, page); p.Rows == mid.Rows {
				break
			}
		}
		if p.Done || p.Rows != mid.Rows || p.Percent <= 0 || !strings.Contains(p.Text, "đã đọc "+present.Int("vi", int64(mid.Rows))+" dòng") {
			t.Errorf("progress of B's import on A: %+v (held at %+v)", p, mid)
		}
	} else if p = jobStatus(t, office, page); p.Done {
		// SQLite has one writer: the import's transaction keeps B's
		// progress from the file until it commits. A says it is running.
		t.Errorf("progress of B's import on A: %+v", p)
	}
	if r := office.get(page); r.status != fiber.StatusOK || !strings.Contains(r.body, "Đang nhập") {
		t.Errorf("A's page of B's import: %d %.400s", r.status, r.body)
	}
	// A second confirmation, on A: the page of the import, never a
	// second one.
	if r := office.post(m[1], nil); r.status != fiber.StatusSeeOther || r.header.Get(fiber.HeaderLocation) != page {
		t.Errorf("second confirmation on A: %d %q", r.status, r.header.Get(fiber.HeaderLocation))
	}
	jobs.release()
	waitJob(t, office, page)
	r = office.get(page)
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Đã nhập xong") || !strings.Contains(r.body, "/staff/publish?period=2024-06") {
		t.Fatalf("outcome on A: %d %.600s", r.status, r.body)
	}
	office.app = b
	if r := office.get(page); r.status != fiber.StatusOK || !strings.Contains(r.body, "Đã nhập xong") {
		t.Errorf("outcome on B: %d %.300s", r.status, r.body)
	}
	if p := jobStatus(t, office, page); !p.Done {
		t.Errorf("progress on B once over: %+v", p)
	}
	imps, err := f.st.Imports(t.Context(), 10)
	if err != nil || len(imps) != 4 || imps[0].FileName != "hoso-thang6.csv" || imps[0].Rows != 16384+100 {
		t.Fatalf("imports: %d %v", len(imps), err)
	}

	// Two confirmations at the same moment, one on each server: one
	// import.
	office.app = a
	r = office.upload("/staff/import", "hoso-lan2.csv", "period,unit_code,metric,numerator,denominator\n2024-06,BK.SGTVT,ON_TIME_PROCESSING,18,20\n")
	page = r.header.Get(fiber.HeaderLocation)
	waitJob(t, office, page)
	if m = confirmAction.FindStringSubmatch(office.get(page).body); m == nil {
		t.Fatal("no preview of the second file")
	}
	var wg sync.WaitGroup
	for _, app := range []*fiber.App{a, b} {
		cl := &client{t: t, app: app, cookies: maps.Clone(office.cookies), token: office.token}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := cl.post(m[1], nil); r.status != fiber.StatusSeeOther && r.status != fiber.StatusOK {
				t.Errorf("confirmation at the same moment: %d %.300s", r.status, r.body)
			}
		}()
	}
	wg.Wait()
	waitJob(t, office, page)
	if r := office.get(page); !strings.Contains(r.body, "Đã nhập xong") {
		t.Errorf("outcome of the second file: %d %.400s", r.status, r.body)
	}
	imps, err = f.st.Imports(t.Context(), 10)
	n := 0
	for _, imp := range imps {
		if imp.FileName == "hoso-lan2.csv" {
			n++
		}
	}
	if err != nil || n != 1 {
		t.Errorf("the file confirmed twice at once was imported %d times (%v)", n, err)
	}
}

// TestStagedUploadGone: an upload expired, or whose job stopped with its
// process (no sign of life for staleAfter, on no server now), is refused
// with a message, on any server, and imports nothing.
func TestStagedUploadGone(t *testing.T) { storetest.Run(t, testStagedUploadGone) }

func testStagedUploadGone(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db, importWait: -1})
	b := f.secondServer(t, nil)
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	now := time.Now().UTC()
	file := "period,unit_code,metric,numerator,denominator\n2024-06,BK.SGTVT,ON_TIME_PROCESSING,18,20\n"
	stage := func(id string, ready bool, expires, beat time.Time) string {
		t.Helper()
		row := &models.StagedUpload{ID: id, OwnerID: f.ids["vanphong"], FileName: "thang6.csv", Size: int64(len(file)), CreatedAt: now.Add(-2 * time.Hour),
			ExpiresAt: expires, Phase: models.StagedPreview, Running: !ready, StartedAt: beat, HeartbeatAt: beat}
		if ready {
			row.OutcomeKind, row.Outcome = models.StagedReady, `{"Preview":{"Report":{"Kind":"counts","Rows":1,"Periods":["2024-06"]}}}`
		}
		if err := f.st.StageUpload(t.Context(), row, strings.NewReader(file), now, now.Add(-time.Hour), maxStaged); err != nil {
			t.Fatal(err)
		}
		return "/staff/import/" + id
	}
	expired := stage("0123456789abcdef0123456789abcde1", true, now.Add(-time.Minute), now.Add(-2*time.Hour))
	stopped := stage("0123456789abcdef0123456789abcde2", false, now.Add(time.Hour), now.Add(-staleAfter-time.Minute))
	running := stage("0123456789abcdef0123456789abcde3", false, now.Add(time.Hour), now)
	before, err := f.st.Imports(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, app := range []*fiber.App{f.app, b} {
		office.app = app
		if r := office.post(expired, nil); r.status != fiber.StatusGone || !strings.Contains(r.body, "Tệp đã tải lên không còn") {
			t.Errorf("confirm of an expired upload: %d %.300s", r.status, r.body)
		}
		// Being checked on another server: the page that follows it,
		// never an import.
		if r := office.post(running, nil); r.status != fiber.StatusSeeOther || r.header.Get(fiber.HeaderLocation) != running {
			t.Errorf("confirm while checked elsewhere: %d %q", r.status, r.header.Get(fiber.HeaderLocation))
		}
		if r := office.get(running); r.status != fiber.StatusOK || !strings.Contains(r.body, "Đang kiểm tra tệp") {
			t.Errorf("page of a check running elsewhere: %d %.300s", r.status, r.body)
		}
	}
	office.app = b
	if p := jobStatus(t, office, stopped); !p.Done {
		t.Errorf("progress of a stopped job: %+v", p)
	}
	if r := office.post(stopped, nil); r.status != fiber.StatusGone || !strings.Contains(r.body, "đã dừng giữa chừng") {
		t.Errorf("confirm of a stopped job's upload: %d %.300s", r.status, r.body)
	}
	if r := office.get(stopped); r.status != fiber.StatusGone || !strings.Contains(r.body, "Tệp đã tải lên không còn") {
		t.Errorf("a stopped job's upload once said: %d %.300s", r.status, r.body)
	}
	after, err := f.st.Imports(t.Context(), 10)
	if err != nil || len(after) != len(before) {
		t.Errorf("imports: %d → %d (%v)", len(before), len(after), err)
	}
}
