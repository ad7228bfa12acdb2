package cli

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// `scorecard audit verify` says the trail is intact, then, once someone
// with the database file removed a protection and a row, where it breaks
// (exit status 1).
func TestAuditVerify(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "a.db"), "SCORECARD_NO_DEMO": "true"}
	for range 3 { // three failed imports: three rows
		runCLI(t, ctx, env, "import", dir)
	}
	r := runCLI(t, ctx, env, "audit", "verify")
	if r.code != 0 || !strings.Contains(r.stdout, "Nhật ký nguyên vẹn: 3 dòng") || strings.Contains(r.stdout, "intact") {
		t.Fatalf("intact trail: %+v", r)
	}
	if r := runCLI(t, ctx, env, "audit", "verify", "--lang", "en"); r.code != 0 || !strings.Contains(r.stdout, "The audit trail is intact: 3 rows") {
		t.Fatalf("intact trail, in English: %+v", r)
	}
	db, err := sql.Open("sqlite3", env["SCORECARD_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, ctx, env, "audit", "verify")
	for _, want := range []string{"Chuỗi mã băm bị đứt ở dòng số 3", "(audit_no_delete)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("missing %q in:\n%s", want, r.stdout)
		}
	}
	if r := runCLI(t, ctx, map[string]string{"SCORECARD_DB": env["SCORECARD_DB"], "LANG": "en_GB.UTF-8"}, "audit", "verify"); !strings.Contains(r.stdout, "breaks at row 3") {
		t.Errorf("LANG=en_GB: %+v", r)
	}
	if r.code != 1 || strings.Contains(r.stderr, "Lỗi") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, env, "audit"); r.code != 2 {
		t.Errorf("audit without verify: %+v", r)
	}
}
