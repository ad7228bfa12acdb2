// Package pgtest gives a test a PostgreSQL database of its own on the server
// named by SCORECARD_TEST_POSTGRES (a URL or libpq connection string of a
// role that may create schemas and databases), and removes it when the test
// ends. It is for tests only.
//
// Without the variable a test that asks for PostgreSQL is skipped, loudly;
// with CI=true it fails instead, so that CI can never silently stop testing
// PostgreSQL. A server that cannot be reached fails the test either way.
//
// It does not import the store, so that the store's own tests can use it;
// internal/storetest builds on it to give other packages a whole store.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Env names the server the PostgreSQL variants of the tests use.
const Env = "SCORECARD_TEST_POSTGRES"

// Server returns the server's connection string, or skips the test loudly
// when Env is not set (fails it when CI=true).
func Server(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(Env)
	if dsn != "" {
		return dsn
	}
	msg := "!!! POSTGRESQL TEST NOT RUN: " + Env + " is not set, so the PostgreSQL variant of this test did not run. " +
		"Set it to a server URL, e.g. postgres://scorecard:scorecard@127.0.0.1:5432/postgres, to run it. !!!"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
	seq       atomic.Int64
)

// adminDB is one pool per test binary for creating and dropping what the
// tests use: a connection of its own per test would cost more than the
// schema it creates.
func adminDB(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", dsn)
		if adminErr == nil {
			admin.SetMaxOpenConns(2)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			adminErr = admin.PingContext(ctx)
		}
	})
	if adminErr != nil {
		t.Fatalf("pgtest: connect to %s: %v", Env, adminErr)
	}
	return admin
}

// name is a fresh identifier: the process and a counter keep test
// binaries running at the same time (go test runs packages in parallel)
// apart.
func name(prefix string) string {
	return fmt.Sprintf("%s_%d_%d_%d", prefix, os.Getpid(), time.Now().UnixNano()%1_000_000, seq.Add(1))
}

// DSN gives the test an empty schema of its own in the server's database
// and returns a connection string whose search_path is that schema, so
// that everything the test creates goes there. A schema rather than a
// database: CREATE and DROP DATABASE write and sync a whole database
// each, about 1.5 s a test on a busy machine, a schema a few milliseconds.
// The schema is dropped, with everything in it, when the test ends.
//
// The connections of the test do not wait for the disk at every commit
// (synchronous_commit off): what a test writes is thrown away, and each
// of its many small transactions (the migrations are one) would otherwise
// wait for an fsync of the server's log. Both settings travel in the
// startup option "options", which pgx and libpq (pg_dump) both pass on.
func DSN(t testing.TB) string {
	t.Helper()
	server := Server(t)
	db := adminDB(t, server)
	schema := name("scorecard_test")
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", schema, err)
		}
	})
	return with(t, server, "options", "-c search_path="+schema+" -c synchronous_commit=off")
}

// Database gives the test an empty database of its own, for what needs a
// whole database (pg_dump, pg_restore), and returns its connection string
// (commits not waiting for the disk, as DSN's).
// It is dropped when the test ends, closing any connection left to it.
func Database(t testing.TB) string {
	t.Helper()
	server := Server(t)
	db := adminDB(t, server)
	dbname := name("scorecard_test")
	if _, err := db.Exec("CREATE DATABASE " + dbname); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP DATABASE " + dbname + " WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", dbname, err)
		}
	})
	return with(t, with(t, server, "dbname", dbname), "options", "-c synchronous_commit=off")
}

// with sets one setting of a connection string, URL or key=value. dbname
// is the URL's path.
func with(t testing.TB, dsn, key, value string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("pgtest: %s is not a URL: %v", Env, err)
		}
		if key == "dbname" {
			u.Path = "/" + value
			return u.String()
		}
		q := u.Query()
		q.Set(key, value)
		// libpq (pg_dump) reads a '+' as itself, not as a space.
		u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
		return u.String()
	}
	// key=value: a later setting overrides an earlier one; a value with
	// spaces is quoted.
	if strings.ContainsAny(value, " '\\") {
		value = "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(value) + "'"
	}
	return dsn + " " + key + "=" + value
}
