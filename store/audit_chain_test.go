package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"scorecard/models"
)

func verify(t *testing.T, s *Store) models.AuditChain {
	t.Helper()
	c, err := s.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fillAudit appends n rows, as different writers would.
func fillAudit(t *testing.T, s *Store, n int) {
	t.Helper()
	base := time.Date(2024, 5, 1, 8, 0, 0, 123456789, time.UTC)
	for i := range n {
		e := models.AuditEntry{At: base.Add(time.Duration(i) * time.Minute), Actor: fmt.Sprintf("user%d", i%3),
			Action: models.ActionLoginSuccess, Target: "x", Detail: fmt.Sprintf(`{"i":%d}`, i), RemoteAddr: "192.0.2.1", UserAgent: "UA\x00 \xff"}
		if i%2 == 0 {
			id := uint(i + 1)
			e.ActorID = &id
		}
		if err := s.AppendAudit(context.Background(), &e); err != nil {
			t.Fatal(err)
		}
	}
}

// The chain holds over rows written by the application, through both
// databases' round trip of times (microseconds), NULLs and a client's
// invalid text.
func testAuditChainHolds(t *testing.T, open opener) {
	s := open(t)
	if c := verify(t, s); !c.Intact() || c.Rows != 0 || c.LastID != 0 {
		t.Fatalf("empty trail: %+v", c)
	}
	fillAudit(t, s, 7)
	c := verify(t, s)
	if !c.Intact() || c.Rows != 7 || c.LastID != 7 || len(c.LastHash) != 64 {
		t.Fatalf("after 7 rows: %+v", c)
	}
}

// The database refuses every way of rewriting the trail that works
// without first removing its protections: REPLACE of an existing id (the
// delete trigger does not see it), an upsert, a row slipped in with an
// old id or a made-up hash, a row added without the chain.
func testAuditRewriteRefused(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	fillAudit(t, s, 3)
	var first models.AuditEntry
	if err := s.r.Where("id = 1").First(&first).Error; err != nil {
		t.Fatal(err)
	}
	cols := "id, at, actor, action, target, detail, remote_addr, user_agent, prev_hash, hash"
	vals := "?, ?, 'intruder', 'publish', 'x', '{}', '', '', ?, ?"
	attempts := map[string][]any{
		"INSERT INTO audit (" + cols + ") VALUES (" + vals + ")":                  {1, first.At, first.PrevHash, first.Hash},
		"INSERT INTO audit (actor, action, at) VALUES ('intruder', 'publish', ?)": {time.Now()},
		"INSERT INTO audit (" + cols + ") VALUES (" + vals + ")" + " ":            {4, time.Now(), "made-up", strings.Repeat("0", 64)},
	}
	if s.driver == DriverSQLite {
		attempts["INSERT OR REPLACE INTO audit ("+cols+") VALUES ("+vals+")"] = []any{1, first.At, first.PrevHash, first.Hash}
		attempts["REPLACE INTO audit ("+cols+") VALUES ("+vals+")"] = []any{2, first.At, first.PrevHash, first.Hash}
	} else {
		attempts["INSERT INTO audit ("+cols+") VALUES ("+vals+") ON CONFLICT (id) DO UPDATE SET actor = 'intruder'"] = []any{1, first.At, first.PrevHash, first.Hash}
	}
	for stmt, args := range attempts {
		err := s.w.WithContext(ctx).Exec(stmt, args...).Error
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
	c := verify(t, s)
	if !c.Intact() || c.Rows != 3 {
		t.Errorf("after the attempts: %+v", c)
	}
	var again models.AuditEntry
	if err := s.r.Where("id = 1").First(&again).Error; err != nil || again.Actor != first.Actor {
		t.Errorf("row 1 after the attempts: %+v %v", again, err)
	}
}

// With its protections removed by someone who has the database, the trail
// can be changed; verify then names the protections gone and the first
// row where the chain breaks.
func testAuditTamperingShows(t *testing.T, open opener) {
	ctx := context.Background()
	drop := map[string][]string{
		DriverSQLite:   {"DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"},
		DriverPostgres: {"ALTER TABLE audit DISABLE TRIGGER audit_no_change"},
	}
	for _, c := range []struct {
		name, stmt string
		missing    string
		at         uint
		reason     string
	}{
		{"delete a row", "DELETE FROM audit WHERE id = 3", "audit_no_", 4, models.BreakLink},
		{"change a row", "UPDATE audit SET actor = 'someone else' WHERE id = 2", "audit_no_", 2, models.BreakContent},
		// Changed and hashed again as the program would: the next row
		// no longer follows it.
		{"change a row and its hash", "rehash", "audit_no_", 3, models.BreakLink},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			fillAudit(t, s, 5)
			for _, stmt := range drop[s.driver] {
				if err := s.w.WithContext(ctx).Exec(stmt).Error; err != nil {
					t.Fatal(err)
				}
			}
			stmt, args := c.stmt, []any(nil)
			if stmt == "rehash" {
				var e models.AuditEntry
				if err := s.r.Where("id = 2").First(&e).Error; err != nil {
					t.Fatal(err)
				}
				e.Actor = "someone else"
				stmt, args = "UPDATE audit SET actor = ?, hash = ? WHERE id = 2", []any{e.Actor, chainHash(&e)}
			}
			if err := s.w.WithContext(ctx).Exec(stmt, args...).Error; err != nil {
				t.Fatal(err)
			}
			got := verify(t, s)
			if got.Intact() || got.Broken == nil || got.Broken.ID != c.at || got.Broken.Reason != c.reason {
				t.Errorf("verify: %+v, broken %+v; want row %d (%s)", got, got.Broken, c.at, c.reason)
			}
			if len(got.Missing) == 0 || !strings.HasPrefix(got.Missing[0], c.missing) {
				t.Errorf("missing protections %v", got.Missing)
			}
		})
	}
}

// Appends from many requests at once chain one after the other (on
// PostgreSQL they would otherwise read the same last row).
func testAuditConcurrentAppends(t *testing.T, open opener) {
	s := open(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := models.AuditEntry{Actor: "a", Action: models.ActionLoginFailure, Target: fmt.Sprint(i)}
			errs <- s.AppendAudit(context.Background(), &e)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if c := verify(t, s); !c.Intact() || c.Rows != 40 || c.LastID != 40 {
		t.Errorf("after 40 concurrent appends: %+v %+v", c, c.Broken)
	}
}

func TestAuditChain(t *testing.T) {
	for name, test := range map[string]func(*testing.T, opener){
		"Holds":             testAuditChainHolds,
		"RewriteRefused":    testAuditRewriteRefused,
		"TamperingShows":    testAuditTamperingShows,
		"ConcurrentAppends": testAuditConcurrentAppends,
	} {
		t.Run("sqlite/"+name, func(t *testing.T) { test(t, openSQLite) })
		t.Run("postgres/"+name, func(t *testing.T) { test(t, openPostgres) })
	}
}

// A trail written before the chain existed is chained by the migration
// that adds it, and goes on from there.
func TestAuditChainMigration(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		testAuditChainMigration(t, func(t testing.TB) *Store {
			s, err := Open(context.Background(), Config{Driver: DriverSQLite, DSN: filepath.Join(t.TempDir(), "old.db")})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		})
	})
	t.Run("postgres", func(t *testing.T) { testAuditChainMigration(t, openPostgres) })
}

func testAuditChainMigration(t *testing.T, open opener) {
	ctx := context.Background()
	at := slices.IndexFunc(migrations, func(m migration) bool { return m.id == "202612160001_audit_chain" })
	if at < 0 {
		t.Fatal("the chain's migration is missing")
	}
	all := migrations
	migrations = all[:at]
	defer func() { migrations = all }() // also when open skips the test
	s := open(t)
	migrations = all
	for i := range 5 {
		if err := s.w.Exec("INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, 'login.success', 'x', '{}')",
			time.Date(2024, 5, 1, 8, i, 0, 999_999_999, time.UTC), fmt.Sprint("user", i)).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := s.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if c := verify(t, s); !c.Intact() || c.Rows != 5 {
		t.Fatalf("the old rows after the migration: %+v %+v", c, c.Broken)
	}
	fillAudit(t, s, 2)
	if c := verify(t, s); !c.Intact() || c.Rows != 7 || c.LastID != 7 {
		t.Fatalf("after two more: %+v %+v", c, c.Broken)
	}
	if err := s.w.Exec("UPDATE audit SET actor = 'x'").Error; err == nil {
		t.Error("the update trigger was not put back")
	}
}
