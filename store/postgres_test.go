package store

import (
	"context"
	"testing"

	"scorecard/internal/pgtest"
)

// openPostgres gives a fresh, migrated, empty store in a PostgreSQL schema
// of its own (pgtest.DSN), or skips the test loudly without a server (and
// fails it when CI=true).
func openPostgres(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{Driver: DriverPostgres, DSN: pgtest.DSN(t)})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// both runs a store test on each database, as the subtests sqlite and
// postgres.
func both(t *testing.T, test func(*testing.T, opener)) {
	t.Helper()
	t.Run(DriverSQLite, func(t *testing.T) { test(t, openSQLite) })
	t.Run(DriverPostgres, func(t *testing.T) { test(t, openPostgres) })
}

// reopen opens the database s is open on a second time, as another process
// (or the same one after a restart) would.
func reopen(t testing.TB, s *Store) *Store {
	t.Helper()
	s2, err := Open(context.Background(), s.cfg)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { _ = s2.Close() })
	return s2
}
