package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/portal/portaltest"
	"scorecard/scoring"
	"scorecard/store"
)

const portalFixture = "../portal/testdata/h90-2026-08"

func portalEnv(t *testing.T) map[string]string {
	return map[string]string{"SCORECARD_DB": filepath.Join(t.TempDir(), "x.db")}
}

func TestImportPortalCapture(t *testing.T) {
	ctx := context.Background()
	env := portalEnv(t)
	r := runCLI(t, ctx, env, "import", portalFixture)
	if r.code != 0 || !strings.Contains(r.stdout, "tỉnh H90, Tháng 08/2026, số liệu tính đến 06:00 ngày 26/09/2026") ||
		!strings.Contains(r.stdout, "1 kỳ đang là bản nháp, công chúng chưa thấy: scorecard publish 2026-08") {
		t.Fatalf("import: %+v", r)
	}
	r = runCLI(t, ctx, env, "import", "--lang", "en", portalFixture)
	if r.code != 0 || !strings.Contains(r.stdout, "province H90, Aug 2026") || !strings.Contains(r.stdout, "this capture was imported already") {
		t.Fatalf("re-import: %+v", r)
	}
	st := openDB(t, env)
	if u, err := st.UnitByCode(ctx, "H90.101"); err != nil || u.Name != "UBND Phường Bến Thủy" {
		t.Errorf("unit %+v, %v", u, err)
	}
}

func TestImportBarePortalResponses(t *testing.T) {
	ctx := context.Background()
	env := portalEnv(t)
	list := filepath.Join(portalFixture, "transparency.json")
	tree := filepath.Join(portalFixture, "dvc-progress-tree.json")
	// Without --period and --as-of a response is not a capture.
	r := runCLI(t, ctx, env, "import", list)
	if r.code != 2 || !strings.Contains(r.stderr, "--period") || !strings.Contains(r.stderr, "--as-of") {
		t.Fatalf("no period: %+v", r)
	}
	// Units named by id only, unknown yet: refused, saying what to import first.
	r = runCLI(t, ctx, env, "import", "--period", "2026-08", "--as-of", "2026-09-26T06:00:00+07:00", list)
	if r.code != 1 || !strings.Contains(r.stderr, "dvc-progress-tree") || !strings.Contains(r.stderr, "bị từ chối") {
		t.Fatalf("unknown units: %+v", r)
	}
	r = runCLI(t, ctx, env, "import", "--period", "2026-08", "--as-of", "2026-09-26T06:00:00+07:00", tree, list)
	if r.code != 0 || !strings.Contains(r.stdout, "7 đơn vị") {
		t.Fatalf("tree and list: %+v", r)
	}
	if r := runCLI(t, ctx, env, "import", "--period", "2026-H1", "--as-of", "2026-09-26T06:00:00+07:00", tree); r.code != 2 {
		t.Errorf("half-year: %+v", r)
	}
	if r := runCLI(t, ctx, env, "import", "--period", "2026-08", "--as-of", "yesterday", tree); r.code != 2 {
		t.Errorf("bad time: %+v", r)
	}
}

func TestImportRefusedCaptureIsAudited(t *testing.T) {
	ctx := context.Background()
	env := portalEnv(t)
	dir := filepath.Join(t.TempDir(), "cap")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(portalFixture)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(portalFixture, e.Name()))
		if e.Name() == "dossier-digitized.json" {
			b = b[:len(b)-40]
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := runCLI(t, ctx, env, "import", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "Tệp dossier-digitized.json") || strings.Contains(r.stderr, "file dossier-digitized.json") ||
		strings.Contains(r.stderr, "Lỗi") {
		t.Fatalf("refused capture: %+v", r)
	}
	st := openDB(t, env)
	rows, _, err := st.AuditLog(ctx, store.AuditFilter{Action: models.ActionImportRefused})
	if err != nil || len(rows) != 1 || !strings.Contains(rows[0].Detail, "portal") {
		t.Errorf("audit %+v, %v", rows, err)
	}
}

func TestFetchCommand(t *testing.T) {
	ctx := context.Background()
	schemes, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	pr := portaltest.NewProvince("H92", 3, 6, schemes)
	srv := portaltest.NewServer(portaltest.ProvinceSource(pr, func(scoring.Period) int { return 3 }, 0))
	defer srv.Close()
	env := portalEnv(t)
	captures := t.TempDir()
	env["SCORECARD_PORTAL_URL"] = srv.URL
	r := runCLI(t, ctx, env, "fetch", "--province", pr.ID, "--period", "2026-08", "--period", "2026-Q3",
		"--captures", captures, "--pause", "0", "--retries", "1")
	if r.code != 0 || strings.Count(r.stdout, "Đã lưu bản thu vào") != 2 || strings.Count(r.stdout, "10 đơn vị") != 2 {
		t.Fatalf("fetch: %+v", r)
	}
	for _, p := range []string{"2026-08", "2026-Q3"} {
		m, _ := filepath.Glob(filepath.Join(captures, "H92", p, "*", portal.ManifestName))
		if len(m) != 1 {
			t.Errorf("%s: manifests %v", p, m)
		}
	}
	// The portal fails for one endpoint: the capture is kept apart and
	// not imported; the command fails.
	srv.SetFault(func(e portal.Endpoint, _ portal.Request, _ int) *portaltest.Fault {
		if e == portal.Payment {
			return &portaltest.Fault{Status: 500}
		}
		return nil
	})
	r = runCLI(t, ctx, env, "fetch", "--province", pr.ID, "--period", "2026-08", "--captures", captures, "--pause", "0", "--retries", "1")
	if r.code != 1 || !strings.Contains(r.stderr, "chưa đầy đủ") || !strings.Contains(r.stderr, "formality-online-payment-tree trang 1: HTTP 500") {
		t.Fatalf("failing portal: %+v", r)
	}
	if m, _ := filepath.Glob(filepath.Join(captures, "H92", "2026-08", "*.incomplete")); len(m) != 1 {
		t.Errorf("incomplete captures %v", m)
	}
	st := openDB(t, env)
	caps, err := st.PortalCaptures(ctx, "H92", "2026-08")
	if err != nil || len(caps) != 1 {
		t.Errorf("captures imported: %+v, %v", caps, err)
	}
	if r := runCLI(t, ctx, env, "fetch"); r.code != 2 || !strings.Contains(r.stderr, "--province") {
		t.Errorf("fetch without a province: %+v", r)
	}
	if r := runCLI(t, ctx, env, "fetch", "--province", pr.ID, "--period", "2026-H1"); r.code != 2 {
		t.Errorf("fetch of a half-year: %+v", r)
	}
}

func TestHelpListsPortalCommands(t *testing.T) {
	r := runCLI(t, context.Background(), nil, "--help")
	for _, want := range []string{"scorecard fetch [--db PATH] --province ID [--period PERIOD]...", "scorecard publish [--db PATH]",
		"scorecard import [--db PATH] --period PERIOD --as-of TIME PORTAL_RESPONSE.json...",
		"scorecard import [--db PATH] CAPTURE_DIR_OR_ZIP...", "SCORECARD_FETCH_PROVINCE", "SCORECARD_FETCH_AT"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestNextRunIsVietnamTime(t *testing.T) {
	at := 6 * time.Hour
	for now, want := range map[string]string{
		"2026-09-25T22:30:00Z": "2026-09-26T06:00:00+07:00", // 05:30 in Vietnam: today
		"2026-09-25T23:30:00Z": "2026-09-27T06:00:00+07:00", // 06:30 in Vietnam: tomorrow
		"2026-09-30T23:30:00Z": "2026-10-02T06:00:00+07:00",
	} {
		n, _ := time.Parse(time.RFC3339, now)
		if got := nextRun(n, at).Format(time.RFC3339); got != want {
			t.Errorf("nextRun(%s) = %s, want %s", now, got, want)
		}
	}
}
