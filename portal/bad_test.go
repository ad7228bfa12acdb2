package portal_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scorecard/i18n"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/scoring"
	"scorecard/store"
)

// replaceIn edits one file of the fixture: old must be found.
func replaceIn(t testing.TB, file, old, new string) func(string, []byte) []byte {
	return func(name string, b []byte) []byte {
		if name != file {
			return b
		}
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s does not contain %q", name, old)
		}
		return bytes.Replace(b, []byte(old), []byte(new), 1)
	}
}

// refused imports path and requires a refusal whose lines (both
// languages) contain every want, with nothing changed in the database.
func refused(t *testing.T, st *store.Store, err error, want ...string) {
	t.Helper()
	ctx := context.Background()
	var pe *portal.ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("want a refusal, got %v", err)
	}
	vi := strings.Join(pe.Lines(i18n.VI), "\n")
	en := strings.Join(pe.Lines(i18n.EN), "\n")
	for _, w := range want {
		if !strings.Contains(en, w) {
			t.Errorf("English refusal lacks %q:\n%s", w, en)
		}
	}
	if strings.Contains(vi+en, "%!") || strings.Contains(vi+en, "[portal.") {
		t.Errorf("badly formatted message:\n%s\n%s", vi, en)
	}
	if vi == en {
		t.Errorf("no Vietnamese:\n%s", vi)
	}
	t.Log(vi)
	if imps, _ := st.Imports(ctx, 0); len(imps) != 0 {
		t.Errorf("%d imports logged after a refusal", len(imps))
	}
	if v, _ := st.DataVersion(ctx); v != 0 {
		t.Errorf("data version %d after a refusal", v)
	}
	if units, _ := st.Units(ctx); len(units) != 0 {
		t.Errorf("%d units after a refusal", len(units))
	}
}

func TestBadCapturesAreRefused(t *testing.T) {
	otherProvince := "019d2c41-0000-7000-8000-000000000001"
	for _, tc := range []struct {
		name     string
		edit     func(string, []byte) []byte
		manifest func(*portal.Manifest)
		want     []string
	}{
		{name: "code not OK",
			edit: func(name string, b []byte) []byte {
				if name == "transparency.json" {
					return []byte(`{"code":"SYSTEM_MAINTENANCE","data":null,"message":"Hệ thống đang bảo trì"}`)
				}
				return b
			},
			want: []string{"file transparency.json, code: ", `code "SYSTEM_MAINTENANCE"`, "Hệ thống đang bảo trì"}},
		{name: "truncated",
			edit: func(name string, b []byte) []byte {
				if name == "dossier-digitized.json" {
					return b[:len(b)/2]
				}
				return b
			},
			want: []string{"file dossier-digitized.json: The file is truncated"}},
		{name: "HTML error page",
			edit: func(name string, b []byte) []byte {
				if name == "dvc-progress-tree.json" {
					return []byte("<html><body>502 Bad Gateway</body></html>")
				}
				return b
			},
			want: []string{"file dvc-progress-tree.json: The file is an HTML page"}},
		{name: "binary bytes",
			edit: func(name string, b []byte) []byte {
				if name == "provide-online-tree.json" {
					return []byte{0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe}
				}
				return b
			},
			want: []string{"file provide-online-tree.json: "}},
		{name: "page missing",
			edit: replaceIn(t, "transparency.json", `"pagination":{"total":6,"currentPage":1,"pageSize":200,"totalPages":1}`,
				`"pagination":{"total":12,"currentPage":1,"pageSize":6,"totalPages":2}`),
			want: []string{"Page 2 of 2 of transparency is missing"}},
		{name: "two provinces",
			edit: replaceIn(t, "handling-satisfaction.json", `"departmentId":"019d2c41-7a10-7c3e-9b21-0f1e2d3c4b5a"`,
				`"departmentId":"`+otherProvince+`"`),
			want: []string{"file handling-satisfaction.json, data.overview.departmentId: The answer is of province", otherProvince}},
		{name: "two periods",
			manifest: func(m *portal.Manifest) {
				for i := range m.Responses {
					if m.Responses[i].Endpoint == portal.Satisfaction {
						m.Responses[i].Request.FromDate, m.Responses[i].Request.ToDate = "2026-07-01", "2026-07-31"
					}
				}
			},
			want: []string{"file handling-satisfaction.json: The request asks for period 2026-07 but the capture is of period 2026-08"}},
		{name: "numerator above denominator",
			edit: replaceIn(t, "dvc-progress-tree.json", `"totalReceived":1207,"totalOnTime":1198`, `"totalReceived":1207,"totalOnTime":1300`),
			want: []string{"file dvc-progress-tree.json, data.children[1].totalOnTime: ", "ON_TIME_PROCESSING has a numerator of 1,300, larger than its denominator (totalReceived = 1,207)"}},
		{name: "list numerator above denominator",
			edit: replaceIn(t, "handling-satisfaction.json", `"numerator":1188,"denominator":1207`, `"numerator":1288,"denominator":1207`),
			want: []string{"file handling-satisfaction.json, data.evaluation[1].metrics[1].numerator: The metric DOSSIER_RECEIVING_SATISFACTION has a numerator of 1,288"}},
		{name: "unknown field",
			edit: replaceIn(t, "transparency.json", `"stt":2,`, `"stt":2,"nationalRank":3,`),
			want: []string{"file transparency.json, data.evaluation[1]: Unknown fields: \"nationalRank\""}},
		{name: "unknown metric",
			edit: replaceIn(t, "dossier-digitized.json", `"code":"REUSED_DIGITIZED_DATA"`, `"code":"REUSED_DIGITISED_DATA"`),
			want: []string{"data.overview.metrics[2].code: The metric code \"REUSED_DIGITISED_DATA\" is not in the scheme"}},
		{name: "negative count",
			edit: replaceIn(t, "formality-online-payment-tree.json", `"totalFeeFormality":8,`, `"totalFeeFormality":-8,`),
			want: []string{"data.children[0].totalFeeFormality: -8 is negative"}},
		{name: "score with three decimals",
			edit: replaceIn(t, "transparency.json", `"totalScore":7.96`, `"totalScore":7.965`),
			want: []string{"data.overview.totalScore: The score 7.965 has more than two decimals"}},
		{name: "one procedure only",
			manifest: func(m *portal.Manifest) { m.Responses[0].Request.FormalityID = "019d2bfd-8e22-77ef-819f-e49460350904" },
			want:     []string{"file dvc-progress-tree.json: The request filters by one procedure"}},
		{name: "file changed after the capture",
			manifest: func(m *portal.Manifest) { m.Responses[2].SHA256 = strings.Repeat("0", 64) },
			want:     []string{"file formality-online-payment-tree.json: The file's content does not match the SHA-256"}},
		{name: "endpoint missing",
			edit: func(name string, b []byte) []byte {
				if name == "provide-online-tree.json" {
					return nil
				}
				return b
			},
			want: []string{"The answer of provide-online-tree is missing"}},
		{name: "incomplete capture",
			manifest: func(m *portal.Manifest) {
				f := false
				m.Complete = &f
				m.Errors = []portal.ManifestError{{Endpoint: portal.Payment, Page: 1, Attempts: 5, Error: "HTTP 503"}}
			},
			want: []string{"The capture is incomplete", "Request formality-online-payment-tree page 1 failed: HTTP 503"}},
		{name: "misspelt manifest field",
			edit: func(name string, b []byte) []byte { return b },
			manifest: func(m *portal.Manifest) {
				m.CapturedAt = "26/09/2026 06:00"
			},
			want: []string{"file manifest.json, capturedAt: The time \"26/09/2026 06:00\" is not RFC 3339"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := variant(t, tc.edit, tc.manifest)
			st := openStore(t)
			_, err := importer(t, st).ImportCapture(context.Background(), dir, models.SourceCLI)
			refused(t, st, err, tc.want...)
		})
	}
}

func TestUnknownManifestFieldIsRefused(t *testing.T) {
	dir := variant(t, nil, nil)
	p := filepath.Join(dir, portal.ManifestName)
	b, _ := os.ReadFile(p)
	b = bytes.Replace(b, []byte(`"capturedAt"`), []byte(`"captured_at"`), 1)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	_, err := importer(t, st).ImportCapture(context.Background(), dir, models.SourceCLI)
	refused(t, st, err, `file manifest.json: The manifest has an unknown field "captured_at"`)
}

func TestZipBombIsRefused(t *testing.T) {
	dir := variant(t, nil, nil)
	out := zipOf(t, dir)
	// Add an entry of 64 MB of spaces: a few kilobytes compressed.
	f, err := os.OpenFile(out, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range zr.File {
		if err := zw.Copy(e); err != nil {
			t.Fatal(err)
		}
	}
	_ = zr.Close()
	w, err := zw.Create("capture/padding.json")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 64; i++ {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(buf.Bytes(), 0); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	if buf.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes compressed", buf.Len())
	}
	st := openStore(t)
	_, err = importer(t, st).ImportCapture(context.Background(), out, models.SourceCLI)
	refused(t, st, err, "file padding.json: The file is too large (64 MB; at most 32 MB)")
}

func TestHugeFileIsRefusedUnread(t *testing.T) {
	// A sparse 2 GB file: refused from its size, never read.
	dir := variant(t, nil, nil)
	huge := filepath.Join(dir, "transparency.json")
	if err := os.Truncate(huge, 2<<30); err != nil {
		t.Skipf("no sparse files here: %v", err)
	}
	st := openStore(t)
	start := time.Now()
	_, err := importer(t, st).ImportCapture(context.Background(), dir, models.SourceCLI)
	refused(t, st, err, "file transparency.json: The file is too large (2,048 MB; at most 32 MB)")
	_, err = importer(t, st).ImportResponses(context.Background(), []string{huge}, scoring.MustPeriod("2026-08"), time.Now(), models.SourceCLI)
	refused(t, st, err, "file transparency.json: The file is too large")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v: the file was read", d)
	}
}

func TestBareResponsesNeedKnownUnits(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	im := importer(t, st)
	p, asOf := scoring.MustPeriod("2026-08"), time.Date(2026, 9, 26, 6, 0, 0, 0, scoring.Location)
	list := filepath.Join(fixture, "transparency.json")
	_, err := im.ImportResponses(ctx, []string{list}, p, asOf, models.SourceCLI)
	refused(t, st, err, "The code of province \"019d2c41-7a10-7c3e-9b21-0f1e2d3c4b5a\" is not known yet",
		"first the dvc-progress-tree")
	// The digitisation list names units by code; with it, the
	// transparency list can be read.
	rep, err := im.ImportResponses(ctx, []string{filepath.Join(fixture, "dossier-digitized.json")}, p, asOf, models.SourceCLI)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Complete || rep.Units != 7 {
		t.Errorf("bare digitisation list: %+v", rep)
	}
	if _, err := im.ImportResponses(ctx, []string{list}, p, asOf.Add(time.Minute), models.SourceCLI); err != nil {
		t.Fatal(err)
	}
	// Without --period and --as-of a response is not a capture.
	_, err = im.ImportResponses(ctx, []string{list}, scoring.Period{}, time.Time{}, models.SourceCLI)
	var pe *portal.ProblemsError
	if !errors.As(err, &pe) || !strings.Contains(strings.Join(pe.Lines(i18n.EN), " "), "--period") {
		t.Errorf("no period: %v", err)
	}
}

func TestBareResponseOfUnknownUnit(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	im := importer(t, st)
	p, asOf := scoring.MustPeriod("2026-08"), time.Date(2026, 9, 26, 6, 0, 0, 0, scoring.Location)
	// The province and its units known from a tree, but the satisfaction
	// list names one more unit, by id only.
	if _, err := im.ImportResponses(ctx, []string{filepath.Join(fixture, "dvc-progress-tree.json")}, p, asOf, models.SourceCLI); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(fixture, "handling-satisfaction.json"))
	b = bytes.Replace(b, []byte("019d2c41-7b02-74aa-9d40-6f5e4d3c2b03"), []byte("019d2c41-7b02-74aa-9d40-6f5e4d3c2bff"), 1)
	path := filepath.Join(t.TempDir(), "hl.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	v, _ := st.DataVersion(ctx)
	_, err := im.ImportResponses(ctx, []string{path}, p, asOf, models.SourceCLI)
	var pe *portal.ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("want a refusal, got %v", err)
	}
	en := strings.Join(pe.Lines(i18n.EN), "\n")
	if !strings.Contains(en, `file hl.json, data.evaluation[5]: The unit "019d2c41-7b02-74aa-9d40-6f5e4d3c2bff" ("UBND xã Mường Lống") is not in the database`) ||
		!strings.Contains(en, "Import the whole capture") {
		t.Errorf("refusal:\n%s", en)
	}
	if v2, _ := st.DataVersion(ctx); v2 != v {
		t.Error("the refused response changed the data")
	}
}
