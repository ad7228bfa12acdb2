package cli

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dbFiles fingerprints the database's files (the database and its
// journals), to tell that a refused command changed nothing.
func dbFiles(t *testing.T, db string) map[string][32]byte {
	t.Helper()
	names, err := filepath.Glob(db + "*")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][32]byte{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out[n] = sha256.Sum256(b)
	}
	return out
}

// An administrator's folder of scheme files with a mistake stops every
// command that scores before it touches the database, and says in the
// run's language which file, where in it and what is wrong.
func TestInvalidSchemeFolderChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	env := map[string]string{"SCORECARD_DB": db}
	units := writeFile(t, dir, "units.csv", "code,name,kind,parent_code\nBK,Tỉnh Bắc Kạn,province,\nBK.SYT,Sở Y tế,agency,BK\n")
	counts := writeFile(t, dir, "counts.csv", "period,unit_code,metric,numerator,denominator\n2024-04,BK.SYT,ON_TIME_PROCESSING,9,10\n")
	if r := runCLI(t, ctx, env, "import", units); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	schemes := filepath.Join(dir, "schemes")
	if err := os.Mkdir(schemes, 0o755); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile("../data/schemes/qd766.json")
	if err != nil {
		t.Fatal(err)
	}
	next := strings.Replace(strings.Replace(string(good), `"id": "qd766"`, `"id": "v2027"`, 1), `"2022-07-01"`, `"2027-01-01"`, 1)
	broken := strings.Replace(next, `"rule": "linear"`, `"rule": "square"`, 1)
	if broken == next {
		t.Fatal("test edit did not apply")
	}
	file := writeFile(t, schemes, "v2027.json", broken)
	before := dbFiles(t, db)

	for _, args := range [][]string{
		{"import", "--schemes", schemes, counts},
		{"publish", "--schemes", schemes, "2024-04"},
	} {
		r := runCLI(t, ctx, env, args...)
		if r.code != 1 || !strings.Contains(r.stderr, "Lỗi: Tệp bộ chỉ số không dùng được (thư mục "+schemes+").") ||
			!strings.Contains(r.stderr, file+", metrics[") ||
			!strings.Contains(r.stderr, `.rule: "square" không hợp lệ: dùng linear, threshold, info.`) {
			t.Errorf("%s: %+v", args[0], r)
		}
		if strings.Contains(r.stderr, "not_one_of") || strings.Contains(r.stderr, "scoring:") {
			t.Errorf("%s: codes for developers shown: %s", args[0], r.stderr)
		}
	}
	after := dbFiles(t, db)
	if len(after) != len(before) {
		t.Errorf("database files %d, were %d", len(after), len(before))
	}
	for n, h := range before {
		if after[n] != h {
			t.Errorf("%s changed", n)
		}
	}

	// In English when asked, and a file that is not JSON says where.
	writeFile(t, schemes, "v2027.json", strings.Replace(next, `"tie_precision": 2`, `"tie_precision": 2,,`, 1))
	r := runCLI(t, ctx, env, "publish", "--lang", "en", "--schemes", schemes, "2024-04")
	if r.code != 1 || !strings.Contains(r.stderr, file+": not valid JSON (error on line ") {
		t.Errorf("not JSON: %+v", r)
	}
}
