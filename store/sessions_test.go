package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"scorecard/models"
)

func newSession(userID uint, hash string, now time.Time) *models.Session {
	return &models.Session{IDHash: hash, UserID: userID, CSRFSecret: "c0ffee", CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(7 * 24 * time.Hour), RemoteAddr: "192.0.2.1", UserAgent: "test"}
}

func testSessions(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	u := mustUser(t, s, "vanphong", models.RoleOffice, "")
	other := mustUser(t, s, "vanphong2", models.RoleOffice, "")
	now := time.Now().UTC().Truncate(time.Second)

	login := cli.Entry(models.ActionLoginSuccess, u.Username, nil)
	if err := s.CreateSession(ctx, newSession(u.ID, "old", now), "", &login); err != nil {
		t.Fatal(err)
	}
	su, err := s.SessionByHash(ctx, "old")
	if err != nil || su.User.ID != u.ID || su.Session.CSRFSecret != "c0ffee" || !su.Session.ExpiresAt.Equal(now.Add(7*24*time.Hour)) {
		t.Fatalf("session: %+v %v", su, err)
	}
	// Rotation: signing in again from the same browser replaces its
	// session, whichever account it belonged to.
	if err := s.CreateSession(ctx, newSession(other.ID, "new", now), "old", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByHash(ctx, "old"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the replaced session is still valid: %v", err)
	}
	if su, err := s.SessionByHash(ctx, "new"); err != nil || su.User.ID != other.ID {
		t.Errorf("new session: %+v %v", su, err)
	}
	// Activity only moves forward.
	if err := s.TouchSession(ctx, "new", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchSession(ctx, "new", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if su, _ := s.SessionByHash(ctx, "new"); !su.Session.LastSeenAt.Equal(now.Add(time.Hour)) {
		t.Errorf("last seen %v", su.Session.LastSeenAt)
	}
	// Expired sessions: idle (last seen before the cut) or past the end.
	idle := newSession(u.ID, "idle", now.Add(-10*time.Hour))
	ended := newSession(u.ID, "ended", now)
	ended.ExpiresAt = now.Add(-time.Second)
	for _, x := range []*models.Session{idle, ended} {
		if err := s.CreateSession(ctx, x, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.DeleteExpiredSessions(ctx, now.Add(-8*time.Hour), now)
	if err != nil || n != 2 {
		t.Errorf("deleted %d %v", n, err)
	}
	if _, err := s.SessionByHash(ctx, "new"); err != nil {
		t.Errorf("a live session went: %v", err)
	}
	// A login deletes the account's sessions past their end.
	if err := s.CreateSession(ctx, ended, "", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, newSession(u.ID, "third", now), "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByHash(ctx, "ended"); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired session kept at login: %v", err)
	}
	// Logout twice is fine; the audit row is written once per call.
	out := cli.Entry(models.ActionLogout, u.Username, nil)
	for range 2 {
		if err := s.DeleteSession(ctx, "third", &out); err != nil {
			t.Fatal(err)
		}
	}
	if got := auditActions(t, s, u.Username); !equalStrings(got, []string{models.ActionUserAdd, models.ActionLoginSuccess, models.ActionLogout, models.ActionLogout}) {
		t.Errorf("audit: %v", got)
	}
	if err := s.CreateSession(ctx, &models.Session{IDHash: "x"}, "", nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("incomplete session: %v", err)
	}

	calls := 0
	fresh := func() (string, error) { calls++; return "k" + string(rune('0'+calls)), nil }
	a, err := s.Secret(ctx, "csrf", fresh)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Secret(ctx, "csrf", fresh)
	if err != nil || a != b || calls != 1 || a != "k1" {
		t.Errorf("secret %q then %q, %d calls, %v", a, b, calls, err)
	}
}

func TestSessions(t *testing.T) { both(t, testSessions) }

// A long import (here another process holding the write lock) must not
// make page views fail or hang, nor logins fail: session reads go to the
// read pool and answer at once; a login's write waits for the lock
// (busy_timeout) and then succeeds.
func TestSessionsDuringLongWrite(t *testing.T) {
	// It mostly waits for the other process's lock, on a database of its
	// own: alongside the others, so that the package's run (the last of
	// go test ./...) is not that much longer.
	t.Parallel()
	ctx := context.Background()
	s, path := openTest(t)
	u := mustUser(t, s, "vanphong", models.RoleOffice, "")
	now := time.Now().UTC()
	if err := s.CreateSession(ctx, newSession(u.ID, "live", now), "", nil); err != nil {
		t.Fatal(err)
	}

	other, err := sql.Open("sqlite3", path+"?_busy_timeout=10000&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("UPDATE data_state SET version = version + 1"); err != nil {
		t.Fatal(err)
	}
	const hold = 1500 * time.Millisecond
	released := make(chan struct{})
	go func() {
		time.Sleep(hold)
		_ = tx.Commit()
		close(released)
	}()

	start := time.Now()
	if _, err := s.SessionByHash(ctx, "live"); err != nil {
		t.Fatalf("session read during a write: %v", err)
	}
	if d := time.Since(start); d > hold/2 {
		t.Errorf("session read waited %v for the writer", d)
	}
	if err := s.CreateSession(ctx, newSession(u.ID, "during", now), "", nil); err != nil {
		t.Fatalf("login during a long write failed: %v", err)
	}
	if d := time.Since(start); d < hold*9/10 {
		t.Errorf("the login's write did not wait for the lock (%v): was the lock held?", d)
	}
	<-released
}
