package store

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"scorecard/models"
)

func appendAt(t testing.TB, s *Store, at time.Time, actor, action, target, addr string) {
	t.Helper()
	e := models.AuditEntry{At: at, Actor: actor, Action: action, Target: target, RemoteAddr: addr, Detail: `{"n":1}`}
	if err := s.AppendAudit(context.Background(), &e); err != nil {
		t.Fatal(err)
	}
}

// Nothing can change or delete an audit row: not the application (it has
// no method for it), not a statement sent to the database.
func testAuditAppendOnly(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	appendAt(t, s, time.Now(), "admin", models.ActionPublish, "2024-04", "192.0.2.1")
	for _, stmt := range []string{
		"UPDATE audit SET actor = 'someone else'",
		"DELETE FROM audit",
		"DELETE FROM audit WHERE action = 'publish'",
	} {
		err := s.w.WithContext(ctx).Exec(stmt).Error
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
	rows, total, err := s.AuditLog(ctx, AuditFilter{})
	if err != nil || total != 1 || rows[0].Actor != "admin" || rows[0].Detail != `{"n":1}` {
		t.Errorf("after the attempts: %+v %d %v", rows, total, err)
	}
}

func TestAuditAppendOnly(t *testing.T) { both(t, testAuditAppendOnly) }

// Another process on the file meets the same triggers.
func TestAuditAppendOnlyForOtherConnections(t *testing.T) {
	s, path := openTest(t)
	appendAt(t, s, time.Now(), "admin", models.ActionPublish, "2024-04", "")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DELETE FROM audit"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("raw delete: %v", err)
	}
}

func TestAuditLogFilter(t *testing.T) { both(t, testAuditLogFilter) }

func testAuditLogFilter(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	base := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	appendAt(t, s, base, "nam", models.ActionLoginSuccess, "nam", "192.0.2.1")
	appendAt(t, s, base.Add(time.Hour), "nam", models.ActionImport, "counts.csv", "192.0.2.1")
	appendAt(t, s, base.Add(2*time.Hour), "lan", models.ActionLoginFailure, "lan", "192.0.2.9")
	appendAt(t, s, base.Add(3*time.Hour), "cli", models.ActionPublish, "2024-04", "")
	appendAt(t, s, base.Add(4*time.Hour), "nam", models.ActionLogout, "nam", "192.0.2.1")

	cases := []struct {
		name  string
		f     AuditFilter
		want  []string // actions, newest first
		total int64
	}{
		{"all", AuditFilter{}, []string{"logout", "publish", "login.failure", "import", "login.success"}, 5},
		{"actor", AuditFilter{Actor: "nam"}, []string{"logout", "import", "login.success"}, 3},
		{"action prefix", AuditFilter{Action: "login."}, []string{"login.failure", "login.success"}, 2},
		{"action", AuditFilter{Action: "publish"}, []string{"publish"}, 1},
		{"range", AuditFilter{From: base.Add(time.Hour), To: base.Add(3 * time.Hour)}, []string{"login.failure", "import"}, 2},
		{"page", AuditFilter{Limit: 2, Offset: 1}, []string{"publish", "login.failure"}, 5},
		{"no match", AuditFilter{Actor: "nobody"}, nil, 0},
		{"wildcards are literal", AuditFilter{Action: "%."}, nil, 0},
	}
	for _, c := range cases {
		rows, total, err := s.AuditLog(ctx, c.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Action)
		}
		if !equalStrings(got, c.want) || total != c.total {
			t.Errorf("%s: %v (%d), want %v (%d)", c.name, got, total, c.want, c.total)
		}
	}
}

func TestFailedLogins(t *testing.T) { both(t, testFailedLogins) }

func testFailedLogins(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	now := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return now.Add(time.Duration(min) * time.Minute) }
	appendAt(t, s, at(-30), "lan", models.ActionLoginFailure, "lan", "192.0.2.9") // outside the window
	appendAt(t, s, at(-10), "lan", models.ActionLoginFailure, "lan", "192.0.2.9")
	appendAt(t, s, at(-8), "lan", models.ActionLoginFailure, "lan", "192.0.2.8")
	appendAt(t, s, at(-6), "lan", models.ActionLoginBlocked, "lan", "192.0.2.9") // not a failure
	appendAt(t, s, at(-5), "hoa", models.ActionLoginFailure, "hoa", "192.0.2.9")

	since := at(-15)
	got, err := s.FailedLogins(ctx, "lan", since, 10)
	if err != nil || len(got) != 2 || !got[0].Equal(at(-8)) || !got[1].Equal(at(-10)) {
		t.Errorf("lan: %v %v", got, err)
	}
	if got, _ := s.FailedLogins(ctx, "lan", since, 1); len(got) != 1 || !got[0].Equal(at(-8)) {
		t.Errorf("lan, limit 1: %v", got)
	}
	got, err = s.FailedLoginsFrom(ctx, "192.0.2.9", since, 10)
	if err != nil || len(got) != 2 || !got[0].Equal(at(-5)) {
		t.Errorf("from 192.0.2.9: %v %v", got, err)
	}
	// A successful login starts the account's count again (not the
	// address's).
	appendAt(t, s, at(-7), "lan", models.ActionLoginSuccess, "lan", "192.0.2.8")
	if got, _ := s.FailedLogins(ctx, "lan", since, 10); len(got) != 0 {
		t.Errorf("failures before the success still count: %v", got)
	}
	appendAt(t, s, at(-3), "lan", models.ActionLoginFailure, "lan", "192.0.2.8")
	if got, _ := s.FailedLogins(ctx, "lan", since, 10); len(got) != 1 || !got[0].Equal(at(-3)) {
		t.Errorf("after the success: %v", got)
	}
	if got, _ := s.FailedLoginsFrom(ctx, "192.0.2.8", since, 10); len(got) != 2 {
		t.Errorf("from 192.0.2.8: %v", got)
	}
}
