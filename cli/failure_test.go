package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/models"
	"scorecard/store"
)

// An import that fails for a reason other than its content leaves a row
// in the audit trail too (a refused file always did): here a file that
// cannot be read.
func TestImportFailureIsAudited(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "f.db"), "SCORECARD_NO_DEMO": "true"}
	bad := filepath.Join(dir, "counts.csv")
	if err := os.Mkdir(bad, 0o700); err != nil { // a folder where a file is expected
		t.Fatal(err)
	}
	r := runCLI(t, context.Background(), env, "import", bad)
	if r.code != 1 {
		t.Fatalf("import of a folder: %+v", r)
	}
	st := openDB(t, env)
	rows, total, err := st.AuditLog(context.Background(), store.AuditFilter{Action: models.ActionImportFailed})
	if err != nil || total != 1 || rows[0].Target != "counts.csv" || rows[0].Actor != models.ActorCLI ||
		!strings.Contains(rows[0].Detail, `"reason":"error"`) {
		t.Errorf("audit rows %+v (%d) %v", rows, total, err)
	}
}

// A full disk is told in words, with what to do, before the cause, in the
// run's language.
func TestDiskFullMessage(t *testing.T) {
	err := fail(fmt.Errorf("store: import counts: %w", store.ErrDiskFull), "cli.import.failed", "x.csv")
	for l, want := range map[i18n.Lang][]string{
		i18n.VI: {"Lỗi: Ổ đĩa chứa cơ sở dữ liệu đã đầy", "không có gì thay đổi", "giải phóng dung lượng", "Chi tiết: cli: Cannot import x.csv", "store: disk full"},
		i18n.EN: {"Error: The disk that holds the database is full", "Detail: cli: Cannot import x.csv", "store: disk full"},
	} {
		var b bytes.Buffer
		printError(&console{l: l, stdout: &b, stderr: &b}, err)
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: missing %q in:\n%s", l, w, b.String())
			}
		}
	}
}
