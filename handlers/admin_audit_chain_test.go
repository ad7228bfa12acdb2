package handlers

import (
	"context"
	"database/sql"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"scorecard/models"
)

// The audit page says whether the trail is intact, and where it breaks
// once someone with the database file removed a row.
func TestAdminAuditShowsChain(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, fixtureOptions{})
	admin := f.client()
	admin.login("quantri")
	r := admin.get("/admin/audit")
	if !strings.Contains(r.body, "Tính toàn vẹn của nhật ký") || !strings.Contains(r.body, "Nhật ký nguyên vẹn:") || strings.Contains(r.body, `role="alert"><p>Chuỗi`) {
		t.Errorf("intact trail: %.3000s", r.body)
	}

	g := newAccessFixture(t, fixtureOptions{})
	db, err := sql.Open("sqlite3", g.dbConfig.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	admin = g.client()
	admin.login("quantri")
	r = admin.get("/admin/audit?lang=en")
	for _, want := range []string{`role="alert"><p>The hash chain breaks at row 3: the row before it was removed or replaced.</p>`, "(audit_no_delete)"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("tampered trail: %q missing from %.3000s", want, r.body)
		}
	}
}

// slowChecker counts checks; while hold is open, a check waits until the
// test closes it (or the check's context ends).
type slowChecker struct {
	calls atomic.Int32
	hold  chan struct{}
	err   error
}

func (s *slowChecker) VerifyAudit(ctx context.Context) (models.AuditChain, error) {
	s.calls.Add(1)
	if s.hold != nil {
		select {
		case <-s.hold:
		case <-ctx.Done():
		}
	}
	return models.AuditChain{Rows: 3, LastID: 3, LastHash: strings.Repeat("a", 64)}, s.err
}

// A check is reused while fresh, one runs at a time, and a view does not
// wait for a slow one longer than chainWait.
func TestChainCheckCaches(t *testing.T) {
	// It mostly waits (chainWait): alongside the others.
	t.Parallel()
	now := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	sc := &slowChecker{}
	k := &chainCheck{st: sc, now: func() time.Time { return now }}
	c, at, err := k.state(context.Background())
	if err != nil || c.Rows != 3 || !at.Equal(now) {
		t.Fatalf("first check: %+v %v %v", c, at, err)
	}
	k.state(context.Background())
	if n := sc.calls.Load(); n != 1 {
		t.Errorf("%d checks within chainFresh, want 1", n)
	}
	k.mu.Lock()
	now = now.Add(chainFresh)
	k.mu.Unlock()
	sc.hold = make(chan struct{})
	start := time.Now()
	_, at, _ = k.state(context.Background())
	if waited := time.Since(start); waited < chainWait || waited > chainWait+time.Second/2 || !at.Equal(now.Add(-chainFresh)) {
		t.Errorf("a slow check: waited %v, got the check of %v", waited, at)
	}
	k.state(context.Background()) // while it runs: no second check
	if n := sc.calls.Load(); n != 2 {
		t.Errorf("%d checks while one runs, want 2", n)
	}
	close(sc.hold)
	// The held check ends and becomes the latest.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, at, _ = k.state(context.Background())
		if at.Equal(now) || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !at.Equal(now) {
		t.Errorf("after the slow check ended: the check of %v, want %v", at, now)
	}
	if n := sc.calls.Load(); n != 2 {
		t.Errorf("%d checks, want 2", n)
	}
}
