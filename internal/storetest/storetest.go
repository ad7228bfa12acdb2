// Package storetest gives a test a real, fresh, migrated store on either
// database the product runs on, so that a test written once runs on both:
// SQLite in a temporary folder and PostgreSQL in a schema of its own on the
// server named by SCORECARD_TEST_POSTGRES (see internal/pgtest: without it
// the PostgreSQL variant is skipped loudly, and fails when CI=true). It is
// for tests only.
//
//	func TestSomething(t *testing.T) { storetest.Run(t, testSomething) }
//
//	func testSomething(t *testing.T, db storetest.DB) {
//		st := db.Open(t)
//		…
//	}
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"scorecard/internal/pgtest"
	"scorecard/internal/sqlitetemplate"
	"scorecard/store"
)

// DB is a database a test runs on: store.DriverSQLite or
// store.DriverPostgres.
type DB string

// The databases, in the order Run runs them.
const (
	SQLite   DB = store.DriverSQLite
	Postgres DB = store.DriverPostgres
)

// All is every database the product supports.
var All = []DB{SQLite, Postgres}

// Run runs test once per database, as the subtests "sqlite" and
// "postgres".
func Run(t *testing.T, test func(t *testing.T, db DB)) {
	t.Helper()
	for _, db := range All {
		t.Run(string(db), func(t *testing.T) { test(t, db) })
	}
}

// Config returns the configuration of a fresh database of this kind,
// removed when the test ends: a file in a temporary folder, migrated and
// empty (a copy of one store.Open made once per test process, see
// sqliteTemplate), or an empty PostgreSQL schema of its own, which
// store.Open migrates.
func (db DB) Config(t testing.TB) store.Config {
	t.Helper()
	switch db {
	case SQLite:
		path := filepath.Join(t.TempDir(), "scorecard.db")
		sqliteTemplate.CopyTo(t, path)
		return store.Config{Driver: store.DriverSQLite, DSN: path}
	case Postgres:
		return store.Config{Driver: store.DriverPostgres, DSN: pgtest.DSN(t)}
	}
	t.Fatalf("storetest: unknown database %q", db)
	return store.Config{}
}

// sqliteTemplate is a new SQLite database as store.Open leaves it, every
// migration applied. Tests open hundreds of fresh stores; each running
// the migrations again would only test them again, which the store's own
// tests do (TestOpenMigratesEmptyDatabase and the tests of each step).
var sqliteTemplate = sqlitetemplate.New(func(path string) error {
	st, err := store.Open(context.Background(), store.Config{Driver: store.DriverSQLite, DSN: path})
	if err != nil {
		return err
	}
	return st.Close()
})

// Open returns a store on a fresh database of this kind (see Config),
// migrated and empty, closed when the test ends.
func (db DB) Open(t testing.TB) *store.Store {
	t.Helper()
	return OpenConfig(t, db.Config(t))
}

// OpenConfig opens the store of cfg, closed when the test ends: a second
// store on the same database, as a second process would open it.
func OpenConfig(t testing.TB, cfg store.Config) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", cfg.Driver, err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("storetest: close: %v", err)
		}
	})
	return st
}
