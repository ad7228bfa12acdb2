package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"scorecard/models"
)

// The database, its WAL and shared-memory files are the owner's alone, and
// so is a folder created for them; an existing file made by an older
// version is tightened.
func TestSQLiteFilesArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "private.db")
	s, err := Open(context.Background(), Config{Driver: DriverSQLite, DSN: path})
	if err != nil {
		t.Fatal(err)
	}
	appendAt(t, s, time.Now(), "admin", models.ActionPublish, "2024-04", "") // the WAL and -shm exist now
	mode := func(p string) os.FileMode {
		t.Helper()
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	if m := mode(dir); m != 0o700 {
		t.Errorf("folder %v, want 0700", m)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(p); m != 0o600 {
			t.Errorf("%s: %v, want 0600", filepath.Base(p), m)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	old := filepath.Join(t.TempDir(), "old.db")
	s, err = Open(context.Background(), Config{Driver: DriverSQLite, DSN: old})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	if err := os.Chmod(old, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = Open(context.Background(), Config{Driver: DriverSQLite, DSN: old})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if m := mode(old); m != 0o600 {
		t.Errorf("an existing 0644 database is %v after opening, want 0600", m)
	}
}

// A write transaction that fails on a full disk is reported as
// ErrDiskFull, and the WAL it grew is given back at once rather than when
// the server stops. The disk is "full" here by SQLite's max_page_count,
// which fails the same way (SQLITE_FULL) as a disk without space.
func TestDiskFullGivesTheWALBack(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	if err := s.w.Exec("CREATE TABLE ballast (b BLOB NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	var pages int64
	if err := s.w.Raw("PRAGMA page_count").Scan(&pages).Error; err != nil {
		t.Fatal(err)
	}
	// Room for 4 MiB more; the transaction writes 24 MiB, spilling its
	// pages into the WAL on the way (the page cache is 2 MiB).
	if err := s.w.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages+4<<20/sqlitePageSize)).Error; err != nil {
		t.Fatal(err)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		for range 96 {
			if err := tx.Exec("INSERT INTO ballast (b) VALUES (randomblob(262144))").Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		t.Fatal("the write did not fail")
	}
	if !errors.Is(dbErr(err), ErrDiskFull) {
		t.Fatalf("not recognised as a full disk: %v", err)
	}
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("WAL after the failed transaction: %d bytes", fi.Size())
	if fi.Size() != 0 {
		t.Errorf("the WAL keeps %d bytes after the failed transaction, want 0", fi.Size())
	}
	// The database works on, and records what happened.
	appendAt(t, s, time.Now(), models.ActorCLI, models.ActionImport, "after.csv", "")
}

// The two databases' and the system's ways of saying "disk full".
func TestIsDiskFull(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{sqlState("53100"), true},
		{fmt.Errorf("wrapped: %w", sqlState("53100")), true},
		{sqlState("23505"), false},
		{&os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}, true},
		{errors.New("database or disk is full"), false}, // text alone is not trusted
		{nil, false},
	} {
		if got := isDiskFull(c.err); got != c.want {
			t.Errorf("isDiskFull(%v) = %v", c.err, got)
		}
	}
}

type sqlState string

func (s sqlState) Error() string    { return "pg error " + string(s) }
func (s sqlState) SQLState() string { return string(s) }
