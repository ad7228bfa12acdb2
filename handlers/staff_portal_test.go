package handlers

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"io"
	"mime/multipart"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/scorecache"
	"scorecard/store"
)

// zipCapture zips the fixture capture, each file passed through edit.
func zipCapture(t *testing.T, edit func(name string, b []byte) []byte) string {
	t.Helper()
	entries, err := os.ReadDir(portalCapture)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// The fastest deflate: the zip bomb's 33 MB take a fraction of the
	// default level's CPU and still pack to some 100 KB.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(portalCapture, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			b = edit(e.Name(), b)
		}
		w, err := zw.Create("h90-2026-08/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// uploadWith posts a file and form fields in a multipart form.
func (cl *client) uploadWith(target, name, content string, fields map[string]string) reply {
	cl.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fields[auth.CSRFField] = cl.token
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			cl.t.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		cl.t.Fatal(err)
	}
	if _, err := io.WriteString(fw, content); err != nil {
		cl.t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		cl.t.Fatal(err)
	}
	return cl.do(fiber.MethodPost, target, &buf, w.FormDataContentType())
}

// The staff import page takes a capture of the national portal (its zip)
// and a bare answer with its period and moment, through the portal's own
// reader and importer: a preview that writes nothing, a confirmation that
// imports, a second import of the same capture that changes nothing, and
// bad captures refused with the file and place named, nothing changed.
func TestWebImportOfPortalCapture(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testWebImportOfPortalCapture)
}

func testWebImportOfPortalCapture(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	ctx := context.Background()
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	version := func() int64 {
		t.Helper()
		v, err := f.st.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := version()

	// Bad input: a truncated answer, an answer that is not OK, a bare
	// answer without its period; each refused, nothing written.
	for _, tc := range []struct {
		name, content string
		fields        map[string]string
		want          []string
	}{
		{"cat.zip", zipCapture(t, func(name string, b []byte) []byte {
			if name == "transparency.json" {
				return b[:len(b)/2]
			}
			return b
		}), nil, []string{"transparency.json", "bị cắt cụt"}},
		{"loi.zip", zipCapture(t, func(name string, b []byte) []byte {
			if name == "dvc-progress-tree.json" {
				return bytes.Replace(b, []byte(`"code":"OK"`), []byte(`"code":"ERROR"`), 1)
			}
			return b
		}), nil, []string{"dvc-progress-tree.json", "thay vì \"OK\""}},
		// A zip bomb: an answer that inflates past the reader's limit.
		{"bom.zip", zipCapture(t, func(name string, b []byte) []byte {
			if name == "transparency.json" {
				bomb := bytes.Repeat([]byte(" "), 33<<20)
				bomb[0] = '{'
				return bomb
			}
			return b
		}), nil, []string{"transparency.json", "MB"}},
		{"tree.json", readFixture(t, "dvc-progress-tree.json"), map[string]string{"period": "", "as_of": "2026-09-26T06:00"},
			[]string{"tree.json", "cần kỳ của câu trả lời"}},
		{"tree.json", readFixture(t, "dvc-progress-tree.json"), map[string]string{"period": "2026-08", "as_of": "hôm qua"},
			[]string{"cần thời điểm thu", "hôm qua"}},
	} {
		fields := tc.fields
		if fields == nil {
			fields = map[string]string{}
		}
		r := office.uploadWith("/staff/import", tc.name, tc.content, fields)
		if r.status != fiber.StatusUnprocessableEntity || confirmAction.MatchString(r.body) {
			t.Errorf("%s: %d, want a refusal without confirmation: %.600s", tc.name, r.status, r.body)
			continue
		}
		for _, want := range tc.want {
			if !strings.Contains(r.body, want) && !strings.Contains(r.body, strings.ReplaceAll(want, `"`, "&#34;")) {
				t.Errorf("%s: the refusal does not say %q", tc.name, want)
			}
		}
	}
	if v := version(); v != before {
		t.Fatalf("a refused capture changed the data: version %d → %d", before, v)
	}

	capture := zipCapture(t, nil)
	r := office.upload("/staff/import", "h90-2026-08.zip", capture)
	m := confirmAction.FindStringSubmatch(r.body)
	if r.status != fiber.StatusOK || m == nil {
		t.Fatalf("preview: %d %.800s", r.status, r.body)
	}
	line := between(t, r.body, `id="portal-line"`, "</dd>")
	for _, want := range []string{"(H90)", "Tháng 08/2026", "06:00 ngày 26/09/2026", "7 đơn vị"} {
		if !strings.Contains(line, want) {
			t.Errorf("the preview's line %q lacks %q", line, want)
		}
	}
	if !strings.Contains(r.body, "Bản chụp số liệu của Cổng DVCQG") {
		t.Error("the preview does not name the kind of file")
	}
	if v := version(); v != before {
		t.Fatalf("the preview wrote: version %d → %d", before, v)
	}
	r = office.post(m[1], nil)
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Đã nhập xong") || !strings.Contains(r.body, "/staff/publish?period=2026-08") ||
		!strings.Contains(r.body, `href="/staff/reconciliation?period=2026-08&amp;province=H90"`) {
		t.Fatalf("confirm: %d %.800s", r.status, r.body)
	}
	imps, err := f.st.Imports(ctx, 1)
	if err != nil || len(imps) != 1 || imps[0].FileName != "h90-2026-08.zip" || imps[0].Source != models.SourceWeb || imps[0].Kind != models.ImportPortal {
		t.Fatalf("imports: %+v %v", imps, err)
	}
	off, err := f.st.OfficialScores(ctx, "2026-08", "H90.07")
	if err != nil || len(off) == 0 {
		t.Fatalf("the capture's published scores were not stored: %d %v", len(off), err)
	}
	after := version()

	// The same capture again: nothing changes.
	r = office.upload("/staff/import", "lai-lan-nua.zip", capture)
	if m = confirmAction.FindStringSubmatch(r.body); m == nil {
		t.Fatalf("preview again: %d", r.status)
	}
	r = office.post(m[1], nil)
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "đã được nhập") {
		t.Errorf("the same capture again: %d %.600s", r.status, r.body)
	}
	if v := version(); v != after {
		t.Errorf("the same capture again changed the data: %d → %d", after, v)
	}

	// A later capture that changes the published period is a
	// correction: the confirmation asks for a reason, then imports it.
	if _, err := f.st.Publish(ctx, "2026-08", store.Actor{Name: models.ActorCLI}, scorecache.SnapshotFunc(f.svc)); err != nil {
		t.Fatal(err)
	}
	var digitized []byte
	later := zipCapture(t, func(name string, b []byte) []byte {
		switch name {
		case "dossier-digitized.json":
			digitized = bytes.Replace(b, []byte(`"numerator":980,`), []byte(`"numerator":990,`), 1)
			return digitized
		case "manifest.json":
			b = bytes.Replace(b, []byte(`"capturedAt": "2026-09-26T06:00:00+07:00"`), []byte(`"capturedAt": "2026-09-26T18:00:00+07:00"`), 1)
			orig := []byte(readFixture(t, "dossier-digitized.json"))
			edited := bytes.Replace(orig, []byte(`"numerator":980,`), []byte(`"numerator":990,`), 1)
			return bytes.Replace(b, []byte(portal.File{Data: orig}.SHA256()), []byte(portal.File{Data: edited}.SHA256()), 1)
		}
		return b
	})
	r = office.upload("/staff/import", "h90-chieu.zip", later)
	if m = confirmAction.FindStringSubmatch(r.body); m == nil {
		t.Fatalf("preview of the later capture: %d %.800s", r.status, r.body)
	}
	r = office.post(m[1], nil)
	if r.status != fiber.StatusConflict || !strings.Contains(r.body, `name="reason"`) {
		t.Fatalf("a capture changing a published period: %d %.800s", r.status, r.body)
	}
	if m = confirmAction.FindStringSubmatch(r.body); m == nil {
		t.Fatal("no confirmation with a reason")
	}
	r = office.post(m[1], url.Values{"reason": {"Cổng cập nhật số liệu số hóa buổi chiều"}})
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Đã nhập xong") {
		t.Fatalf("the correction: %d %.800s", r.status, r.body)
	}
	if revs, err := f.st.Revisions(ctx, "2026-08"); err != nil || len(revs) != 2 {
		t.Errorf("revisions of 2026-08 after the correction: %d %v", len(revs), err)
	}

	// A bare answer with its period and moment, now that its units are
	// known.
	r = office.uploadWith("/staff/import", "dvc-progress-tree.json", readFixture(t, "dvc-progress-tree.json"),
		map[string]string{"period": "2026-08", "as_of": "2026-09-27T06:00"})
	if m = confirmAction.FindStringSubmatch(r.body); r.status != fiber.StatusOK || m == nil ||
		!strings.Contains(between(t, r.body, `id="portal-line"`, "</dd>"), "06:00 ngày 27/09/2026") {
		t.Fatalf("bare answer preview: %d %.800s", r.status, r.body)
	}
	if r = office.post(m[1], nil); r.status != fiber.StatusOK || !strings.Contains(r.body, "Đã nhập xong") {
		t.Errorf("bare answer: %d %.600s", r.status, r.body)
	}
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(portalCapture, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
