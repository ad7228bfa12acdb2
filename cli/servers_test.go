package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"scorecard/internal/pgtest"
)

// Two server processes on one database, as behind a load balancer: a
// session opened on A works on B; a period published through B reaches the
// public on A; a correction imported by a third process reaches the
// public on both, within a second; a file uploaded and previewed on A is
// confirmed on B, its progress and outcome read on A, imported once.
func TestTwoServersOneDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two server processes (slow)")
	}
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			env := map[string]string{"SCORECARD_DB": filepath.Join(t.TempDir(), "s.db")}
			if db == "postgres" {
				env = map[string]string{"SCORECARD_DB_DRIVER": "postgres", "SCORECARD_DB": pgtest.DSN(t)}
			}
			testTwoServers(t, env)
		})
	}
}

func testTwoServers(t *testing.T, env map[string]string) {
	a := startChild(t, env, 0) // loads the demo into the empty database
	const pw = "mật-khẩu-văn-phòng"
	if r := runIn(t, env, pw+"\n", "user", "add", "--role", "office", "vanphong"); r.code != 0 {
		t.Fatalf("user add: %+v", r)
	}
	b := startChild(t, env, 0)

	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Cookies are the host's, whatever the port: the browser's jar sends
	// A's session to B as it would to two servers behind one address.
	staff := &http.Client{Jar: jar}
	read := func(resp *http.Response, err error) (int, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(body)
	}
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	_, page := read(staff.Get(a.base + "/login"))
	m := csrf.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on A's login page: %.300s", page)
	}
	if code, page := read(staff.PostForm(a.base+"/login", url.Values{"_csrf": {m[1]}, "username": {"vanphong"}, "password": {pw}, "next": {"/staff"}})); code != http.StatusOK || !strings.Contains(page, "vanphong") {
		t.Fatalf("sign in on A: %d %.300s", code, page)
	}
	code, page := read(staff.Get(b.base + "/staff"))
	if m = csrf.FindStringSubmatch(page); code != http.StatusOK || !strings.Contains(page, "vanphong") || m == nil {
		t.Fatalf("the session opened on A, on B: %d %.300s", code, page)
	}

	// within waits until the public answer of target on server s holds
	// want: a request started within a second of the change must see it.
	within := func(what string, s *child, target, want string) {
		t.Helper()
		changed := time.Now()
		for {
			started := time.Now()
			_, body := get(t, s.base+target)
			if strings.Contains(body, want) {
				return
			}
			if started.Sub(changed) > time.Second {
				t.Fatalf("%s answers %s without %q a second after %s: %.300s", s.base, target, want, what, body)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	// A publish through B: the public sees it on A. The running quarter
	// of the demo's last month is a draft until published.
	for i := 0; i < 2; i++ {
		if _, body := get(t, a.base+"/api/v1/periods"); strings.Contains(body, `"2026-Q4"`) {
			t.Fatalf("the draft quarter is public on A: %.300s", body)
		}
	}
	if code, page := read(staff.PostForm(b.base+"/staff/publish", url.Values{"_csrf": {m[1]}, "period": {"2026-Q4"}})); code != http.StatusOK {
		t.Fatalf("publish on B: %d %.300s", code, page)
	}
	within("the publish on B", a, "/api/v1/periods", `"2026-Q4"`)

	// A correction imported by a third process: both servers' public
	// answers, kept before it, change.
	const unit = "/api/v1/units/TN.PHULUONG?period=2026-11"
	for _, s := range []*child{a, b, a, b} {
		if _, body := get(t, s.base+unit); !strings.Contains(body, `"numerator":652`) {
			t.Fatalf("%s before the correction: %.300s", s.base, body)
		}
	}
	file := filepath.Join(t.TempDir(), "sua.csv")
	if err := os.WriteFile(file, []byte("period,unit_code,metric,numerator,denominator\n2026-11,TN.PHULUONG,DOSSIER_RECEIVING_SATISFACTION,653,705\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runIn(t, env, "", "import", "--correction", "Phú Lương gửi lại số liệu tháng 11 theo công văn số 7/UBND.", file); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	within("the import", a, unit, `"numerator":653`)
	within("the import", b, unit, `"numerator":653`)

	// A file uploaded and previewed on A, confirmed on B: the upload, its
	// preview and its job are in the database, not in A. Its progress and
	// outcome are read on A, its figures seen through both.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "sua-web.csv")
	if err == nil {
		_, err = fw.Write([]byte("period,unit_code,metric,numerator,denominator\n2026-11,TN.PHULUONG,DOSSIER_RECEIVING_SATISFACTION,654,705\n"))
	}
	if err == nil {
		err = mw.WriteField("_csrf", m[1])
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	confirm := regexp.MustCompile(`action="(/staff/import/[0-9a-f]{32})"`)
	code, page = read(staff.Post(a.base+"/staff/import", mw.FormDataContentType(), &body))
	action := confirm.FindStringSubmatch(page)
	if code != http.StatusOK || action == nil || !strings.Contains(page, `name="reason"`) {
		t.Fatalf("upload and preview on A (a correction of a published month): %d %.600s", code, page)
	}
	reason := url.Values{"_csrf": {m[1]}, "reason": {"Phú Lương gửi lại số liệu tháng 11 lần thứ hai qua trang nhập liệu."}}
	if code, page := read(staff.PostForm(b.base+action[1], reason)); code != http.StatusOK || !strings.Contains(page, "Đã nhập xong") {
		t.Fatalf("confirm on B: %d %.600s", code, page)
	}
	var p struct {
		Done    bool `json:"done"`
		Percent int  `json:"percent"`
	}
	code, page = read(staff.Get(a.base + action[1] + "/progress"))
	if err := json.Unmarshal([]byte(page), &p); code != http.StatusOK || err != nil || !p.Done || p.Percent != 100 {
		t.Fatalf("progress of B's import, on A: %d %v %.300s", code, err, page)
	}
	for _, s := range []*child{a, b} {
		if code, page := read(staff.Get(s.base + action[1])); code != http.StatusOK || !strings.Contains(page, "Đã nhập xong") {
			t.Errorf("the outcome on %s: %d %.300s", s.base, code, page)
		}
	}
	// Confirmed again, on A: what B did, nothing more.
	if code, page := read(staff.PostForm(a.base+action[1], reason)); code != http.StatusOK || !strings.Contains(page, "Đã nhập xong") {
		t.Errorf("second confirmation on A: %d %.300s", code, page)
	}
	within("the web import", a, unit, `"numerator":654`)
	within("the web import", b, unit, `"numerator":654`)
	if _, page := read(staff.Get(a.base + "/staff")); strings.Count(page, "sua-web.csv") != 1 {
		t.Errorf("the file confirmed twice is listed %d times among the imports", strings.Count(page, "sua-web.csv"))
	}
}
