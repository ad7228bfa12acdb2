package handlers

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/data/demo"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/scores"
	"scorecard/store"
)

// newStoreApp is the application over a real SQLite store holding the demo
// data set, imported the way `scorecard demo` does.
func newStoreApp(t *testing.T) (*fiber.App, *store.Store, *importer.Importer) {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: filepath.Join(t.TempDir(), "sc.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	schemes := pageSchemes(t)
	im := importer.New(st, schemes)
	for _, f := range demo.Files() {
		if _, err := im.Import(ctx, f.Name, bytes.NewReader(f.Data), models.SourceDemo, true); err != nil {
			t.Fatalf("import %s: %v", f.Name, err)
		}
	}
	app, err := New(Deps{Scores: scores.New(st, schemes), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return app, st, im
}

// Once the portal's published results are imported, the report states the
// province's national rank and how it moved; before, it says nothing of it.
func TestReportStatesImportedNationalRank(t *testing.T) {
	app, _, im := newStoreApp(t)
	const path = "/reports/2024-04"
	status, _, body := get(t, app, path)
	if status != 200 {
		t.Fatalf("%s: %d", path, status)
	}
	if strings.Contains(body, "Cổng Dịch vụ công quốc gia, tỉnh") || strings.Contains(body, "xếp thứ") {
		t.Fatal("a national rank is stated before any was imported")
	}
	file := "period,unit_code,total,rank,rank_of\n2024-03,BK,70.10,20,63\n2024-04,BK,75.35,12,63\n"
	if _, err := im.Import(t.Context(), "ket-qua-quoc-gia.csv", strings.NewReader(file), models.SourceCLI, false); err != nil {
		t.Fatalf("import official results: %v", err)
	}
	status, _, body = get(t, app, path)
	if status != 200 {
		t.Fatalf("%s after import: %d", path, status)
	}
	p := paragraphWith(t, paragraphsOf(body), "Cổng Dịch vụ công quốc gia", "xếp thứ 12/63 tỉnh, thành phố")
	if !strings.Contains(p, "tăng 8 bậc so với") {
		t.Errorf("the rank's change is not stated: %q", p)
	}
	// March's report states March's rank only.
	if _, _, b := get(t, app, "/reports/2024-03"); !strings.Contains(b, "xếp thứ 20/63") || strings.Contains(b, "12/63") {
		t.Error("the March report does not state March's rank alone")
	}
}

// Over the real store, open data carries Last-Modified (the time of the
// latest import) and answers If-Modified-Since.
func TestOpenDataLastModifiedFromStore(t *testing.T) {
	app, st, _ := newStoreApp(t)
	mod, err := st.DataModified(t.Context())
	if err != nil || mod.IsZero() {
		t.Fatalf("data modified: %v, %v", mod, err)
	}
	const path = "/open-data/2024-04/scores.csv"
	status, hdr, body := get(t, app, path)
	if status != 200 || body == "" {
		t.Fatalf("%s: %d", path, status)
	}
	lm := hdr("Last-Modified")
	if lm != mod.UTC().Format(http.TimeFormat) {
		t.Fatalf("Last-Modified %q, want %q", lm, mod.UTC().Format(http.TimeFormat))
	}
	if status, _, b := get(t, app, path, "If-Modified-Since", lm); status != 304 || b != "" {
		t.Errorf("If-Modified-Since the same time: %d (%d bytes), want 304", status, len(b))
	}
	earlier := mod.Add(-time.Hour).UTC().Format(http.TimeFormat)
	if status, _, _ := get(t, app, path, "If-Modified-Since", earlier); status != 200 {
		t.Errorf("If-Modified-Since an hour before the import: %d, want 200", status)
	}
}
