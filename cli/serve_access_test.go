package cli

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// serve wires the accounts: without an admin account it says how
// to create one; the demo data is public; an office account signs in and
// reaches the staff's page; everything lives under the base path.
func TestServeWithAccounts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process (slow)")
	}
	env := map[string]string{"SCORECARD_DB": filepath.Join(t.TempDir(), "s.db"), "SCORECARD_BASE_PATH": "/chiso"}
	base, stop := serveFor(t, env)
	code, body := get(t, base+"/chiso/api/v1/periods")
	if code != http.StatusOK || !strings.Contains(body, `"period":"2024-04"`) {
		t.Errorf("the demo's periods are not public: %d %.300s", code, body)
	}
	if code, body := get(t, base+"/chiso/"); code != http.StatusOK || !strings.Contains(body, `href="/chiso/login`) {
		t.Errorf("home under the base path: %d", code)
	}
	r := stop()
	if !strings.Contains(r.stderr, "scorecard user add --role admin") {
		t.Errorf("no warning about the missing admin account:\n%s", r.stderr)
	}

	const pw = "mật-khẩu-văn-phòng"
	if r := runIn(t, env, pw+"\n", "user", "add", "--role", "office", "vanphong"); r.code != 0 {
		t.Fatalf("user add: %+v", r)
	}
	base, stop = serveFor(t, env)
	defer stop()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	cl := &http.Client{Jar: jar}
	read := func(resp *http.Response, err error) (int, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	_, page := read(cl.Get(base + "/chiso/login"))
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the login page: %.500s", page)
	}
	code, page = read(cl.PostForm(base+"/chiso/login", url.Values{"_csrf": {m[1]}, "username": {"vanphong"}, "password": {pw}, "next": {"/chiso/staff"}}))
	if code != http.StatusOK || !strings.Contains(page, "vanphong") || !strings.Contains(page, "Các kỳ có số liệu") {
		t.Fatalf("sign in and reach the staff page: %d %.500s", code, page)
	}
}
