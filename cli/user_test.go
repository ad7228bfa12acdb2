package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"

	"scorecard/models"
	"scorecard/store"
)

// runIn runs a command with stdin.
func runIn(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func openDB(t *testing.T, env map[string]string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.Config{Driver: store.DriverSQLite, DSN: env["SCORECARD_DB"]})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "users.db")}
	const pw = "Mật khẩu của quản trị 2024"

	r := runIn(t, env, pw+"\n", "user", "add", "--role", "admin", "QuanTri")
	if r.code != 0 || !strings.Contains(r.stdout, "quantri") {
		t.Fatalf("user add: %+v", r)
	}
	for name, c := range map[string]struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		"no password":        {"", []string{"user", "add", "--role", "office", "vanphong"}, 1, "Không có mật khẩu trên stdin"},
		"short password":     {"ngan\n", []string{"user", "add", "--role", "office", "vanphong"}, 1, "ít nhất 10"},
		"short, in English":  {"ngan\n", []string{"user", "add", "--lang", "en", "--role", "office", "vanphong"}, 1, "Error: The password must have at least 10"},
		"taken":              {pw + "\n", []string{"user", "add", "--role", "office", "quantri"}, 1, "đã có"},
		"unit without code":  {pw + "\n", []string{"user", "add", "--role", "unit", "so.gtvt"}, 2, "--unit"},
		"unknown unit":       {pw + "\n", []string{"user", "add", "--role", "unit", "--unit", "BK.NOPE", "so.gtvt"}, 1, "BK.NOPE"},
		"unknown role":       {pw + "\n", []string{"user", "add", "--role", "root", "x.y"}, 2, "--role"},
		"bad name":           {pw + "\n", []string{"user", "add", "--role", "office", "a b"}, 2, "3–64"},
		"passwd of nobody":   {pw + "\n", []string{"user", "passwd", "nobody"}, 1, "nobody"},
		"unknown subcommand": {"", []string{"user", "delete", "quantri"}, 2, `không có lệnh "delete"`},
	} {
		r := runIn(t, env, c.stdin, c.args...)
		if r.code != c.code || !strings.Contains(r.stdout+r.stderr, c.want) {
			t.Errorf("%s: %+v", name, r)
		}
	}
	units := writeFile(t, dir, "units.csv", "code,name,kind,parent_code\nBK,Tỉnh Bắc Kạn,province,\nBK.SGTVT,Sở Giao thông vận tải,agency,BK\n")
	if r := runCLI(t, context.Background(), env, "import", units); r.code != 0 {
		t.Fatalf("import units: %+v", r)
	}
	// Flags may follow the name; the password keeps its spaces.
	if r := runIn(t, env, "  "+pw+"  \r\n", "user", "add", "so.gtvt", "--role", "unit", "--unit", "BK.SGTVT"); r.code != 0 {
		t.Fatalf("unit account: %+v", r)
	}
	const newPW = "Mật khẩu mới sau khi quên"
	if r := runIn(t, env, newPW+"\n", "user", "passwd", "quantri"); r.code != 0 {
		t.Fatalf("passwd: %+v", r)
	}
	if r := runIn(t, env, "", "user", "disable", "so.gtvt"); r.code != 0 {
		t.Fatalf("disable: %+v", r)
	}
	r = runIn(t, env, "", "user", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "quantri") || !strings.Contains(r.stdout, "BK.SGTVT") || !strings.Contains(r.stdout, "đã khóa") {
		t.Fatalf("list: %+v", r)
	}

	st := openDB(t, env)
	ctx := context.Background()
	check := func(name, pw string) bool {
		u, err := st.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(norm.NFC.String(pw))) == nil
	}
	if !check("quantri", newPW) || check("quantri", pw) {
		t.Error("passwd did not replace the password")
	}
	if !check("so.gtvt", "  "+pw+"  ") || check("so.gtvt", pw) {
		t.Error("the password from stdin was not taken as typed")
	}
	u, _ := st.UserByUsername(ctx, "so.gtvt")
	if !u.Disabled || u.Role != models.RoleUnit || u.Unit() != "BK.SGTVT" {
		t.Errorf("unit account: %+v", u)
	}
	rows, _, err := st.AuditLog(ctx, store.AuditFilter{Action: "user."})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		if r.Actor != models.ActorCLI {
			t.Errorf("actor %q", r.Actor)
		}
		got = append(got, r.Action+" "+r.Target)
	}
	want := []string{"user.disable so.gtvt", "user.passwd quantri", "user.add so.gtvt", "user.add quantri"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("audit: %v", got)
	}
}
