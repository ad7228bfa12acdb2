package handlers

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/models"
	"scorecard/store"
)

// Every route but the upload reads at most 64 KiB of a body and refuses
// the rest with 413, saying its limit, whether the body announces its
// length or not; the what-if API says its own limit.
func TestSmallBodyLimit(t *testing.T) {
	f := newAccessFixture(t, fixtureOptions{})
	big := "username=x&password=" + strings.Repeat("a", 200<<10)
	req := httptest.NewRequest(fiber.MethodPost, "/login", strings.NewReader(big))
	req.Header.Set("Content-Type", fiber.MIMEApplicationForm)
	resp, err := f.app.Test(req, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != fiber.StatusRequestEntityTooLarge || !strings.Contains(string(b), "tối đa 64 KiB") || !resp.Close {
		t.Errorf("200 KiB with its length: %d close %v %.300s", resp.StatusCode, resp.Close, b)
	}
	// Without its length (chunked), on a real connection: app.Test
	// cannot send one.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = f.app.Listener(ln) }()
	t.Cleanup(func() { _ = f.app.Shutdown() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	go func() {
		w := bufio.NewWriter(conn)
		fmt.Fprintf(w, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n", fiber.MIMEApplicationForm)
		for i := 0; i < len(big); i += 16 << 10 {
			chunk := big[i:min(i+16<<10, len(big))]
			fmt.Fprintf(w, "%x\r\n%s\r\n", len(chunk), chunk)
		}
		fmt.Fprint(w, "0\r\n\r\n")
		_ = w.Flush() // the server may have closed the connection by then
	}()
	resp, err = http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != fiber.StatusRequestEntityTooLarge || !strings.Contains(string(b), "tối đa 64 KiB") || !resp.Close {
		t.Errorf("200 KiB chunked: %d close %v %.300s", resp.StatusCode, resp.Close, b)
	}

	req = httptest.NewRequest(fiber.MethodPost, "/api/v1/units/BK.SGTVT/whatif?period=2024-04", strings.NewReader(`{"counts":{}, "x":"`+strings.Repeat("a", 100<<10)+`"}`))
	req.Header.Set("Content-Type", fiber.MIMEApplicationJSON)
	resp, err = f.app.Test(req, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	var e site.APIError
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != fiber.StatusRequestEntityTooLarge ||
		!strings.Contains(e.Error, "64 KiB") || strings.Contains(e.Error, "MB") {
		t.Errorf("what-if API: %d %+v %v", resp.StatusCode, e, err)
	}
	_ = resp.Body.Close()
	// A form of ordinary size goes through.
	cl := f.client()
	cl.login("vanphong")
}

// The upload route takes a file up to the upload limit from an account
// allowed to import, spooled to disk and deleted after; anyone else gets
// the small limit, and writes nothing to disk. A refused upload leaves an
// audit row.
func TestUploadBody(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, fixtureOptions{uploadLimit: 1 << 20, importWait: time.Minute})
	staging, err := f.stagingFolder()
	if err != nil {
		t.Fatal(err)
	}
	file := "period,unit_code,metric,numerator,denominator\n" + strings.Repeat("2024-06,BK.SGTVT,ON_TIME_PROCESSING,1,2\n", 20000) // 0,8 MB
	anon := f.client()
	anon.get("/login")
	if r := anon.upload("/staff/import", "a.csv", file); r.status != fiber.StatusRequestEntityTooLarge {
		t.Errorf("anonymous upload of 0,8 MB: %d", r.status)
	}
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	// Received and checked (the checks refuse its repeated rows).
	if r := office.upload("/staff/import", "a.csv", file); r.status != fiber.StatusUnprocessableEntity {
		t.Errorf("upload of 0,8 MB: %d %.500s", r.status, r.body)
	}
	r := office.upload("/staff/import", "lon.csv", file+file)
	if r.status != fiber.StatusRequestEntityTooLarge || !strings.Contains(r.body, "giới hạn tải lên là 1 MB") {
		t.Errorf("upload of 1,6 MB: %d %.500s", r.status, r.body)
	}
	entries, _ := os.ReadDir(staging)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "body-") {
			t.Errorf("a spooled body is left: %s", e.Name())
		}
	}
	rows, _, err := f.st.AuditLog(context.Background(), store.AuditFilter{Action: models.ActionImportRefused, Target: "lon.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Actor != "vanphong" ||
		!strings.Contains(rows[0].Detail, `"stage":"upload"`) || !strings.Contains(rows[0].Detail, `"reason":"too_large"`) {
		t.Errorf("audit of the refused upload: %+v", rows)
	}
}

// stagingFolder is where uploads are staged and spooled.
func (f *accessFixture) stagingFolder() (string, error) {
	return filepath.Join(f.uploadDir, "scorecard-uploads"), nil
}

// A file the checks refuse leaves an import.refused row at its preview,
// as the command line's refusals always did.
func TestRefusedPreviewIsAudited(t *testing.T) {
	f := newAccessFixture(t, fixtureOptions{importWait: time.Minute})
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	r := office.upload("/staff/import", "sai.csv", "period,unit_code,metric,numerator,denominator\n2024-06,KHONG.CO,ON_TIME_PROCESSING,3,2\n")
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("a wrong file: %d", r.status)
	}
	rows, _, err := f.st.AuditLog(context.Background(), store.AuditFilter{Action: models.ActionImportRefused})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Actor != "vanphong" || rows[0].Target != "sai.csv" || !strings.Contains(rows[0].Detail, `"stage":"preview"`) {
		t.Errorf("audit of the refused file: %+v", rows)
	}
}

// Files an earlier run left in the staging folder (a crash) are deleted at
// start once a day old; younger ones may be another process's.
func TestLeftUploadsCleanedAtStart(t *testing.T) {
	dir := t.TempDir()
	staging := filepath.Join(dir, "scorecard-uploads")
	if err := os.MkdirAll(filepath.Join(staging, "preview-123"), 0o700); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-25 * time.Hour)
	for _, name := range []string{"upload-old", "preview-123", "upload-new"} {
		p := filepath.Join(staging, name)
		if name != "preview-123" {
			if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if name != "upload-new" {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	u := newUploads(dir)
	if n, err := u.cleanLeft(); err != nil || n != 2 {
		t.Errorf("cleanLeft: %d %v", n, err)
	}
	entries, _ := os.ReadDir(staging)
	if len(entries) != 1 || entries[0].Name() != "upload-new" {
		t.Errorf("left: %v", entries)
	}
}

// Downloads name their source by the configured public address, or by
// path: never by the Host the request came with.
func TestDownloadsIgnoreHost(t *testing.T) {
	t.Parallel()
	for _, public := range []string{"", "https://chiso.backan.gov.vn"} {
		f := newAccessFixture(t, fixtureOptions{publicURL: public})
		for _, target := range []string{"/open-data/2024-04/scores.json", "/open-data/2024-04/scores.xlsx",
			"/export/rankings?period=2024-04&kind=agency&format=json", "/export/rankings?period=2024-04&kind=agency&format=xlsx"} {
			req := httptest.NewRequest(fiber.MethodGet, target, nil)
			req.Host = "evil.example"
			resp, err := f.app.Test(req, 30_000)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != fiber.StatusOK {
				t.Fatalf("%s: %d %.300s", target, resp.StatusCode, b)
			}
			text := unpacked(t, b)
			if strings.Contains(text, "evil.example") {
				t.Errorf("%s names the request's Host", target)
			}
			if want := public + "/"; public != "" && !strings.Contains(text, want) {
				t.Errorf("%s does not name %s", target, public)
			}
		}
	}
}

// unpacked is a download as text: a workbook's parts, or the file itself.
func unpacked(t *testing.T, b []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return string(b)
	}
	var all strings.Builder
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		part, _ := io.ReadAll(rc)
		_ = rc.Close()
		all.Write(part)
	}
	return all.String()
}
