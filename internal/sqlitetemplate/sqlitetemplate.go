// Package sqlitetemplate gives tests a fresh SQLite database file without
// making it from nothing each time: the file is made once per test process
// (by a function the test package gives, e.g. opening a store, which runs
// every migration) and each test gets a copy of its bytes. Running the
// migrations costs SQLite ~20 ms of CPU and several syncs to the disk; a
// copy, a fraction of a millisecond. It is for tests only.
//
// It does not import the store, so that the store's own tests can use it;
// internal/storetest uses it for everyone else's.
package sqlitetemplate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// Template is a database file made once, on first use.
type Template struct {
	create func(path string) error

	once  sync.Once
	files map[string][]byte // by suffix: "" the database, "-wal" its log if one was left
	err   error
}

// New returns the template that create makes: create makes a database
// file at path (in an empty folder of its own) and closes every
// connection to it before returning.
func New(create func(path string) error) *Template {
	return &Template{create: create}
}

// CopyTo writes a copy of the template database at path, creating its
// folder, readable by its owner only, as the store makes its files. The
// test fails if the template could not be made.
func (tp *Template) CopyTo(t testing.TB, path string) {
	t.Helper()
	tp.once.Do(tp.build)
	if tp.err != nil {
		t.Fatalf("sqlitetemplate: %v", tp.err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatalf("sqlitetemplate: %v", err)
	}
	for suffix, b := range tp.files {
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			t.Fatalf("sqlitetemplate: %v", err)
		}
	}
}

func (tp *Template) build() {
	dir, err := os.MkdirTemp("", "sqlitetemplate")
	if err != nil {
		tp.err = err
		return
	}
	defer func() { _ = os.RemoveAll(dir) }()
	path := filepath.Join(dir, "template.db")
	if err := tp.create(path); err != nil {
		tp.err = fmt.Errorf("make the template database: %w", err)
		return
	}
	tp.files = map[string][]byte{}
	// The last connection to close normally folds the log into the
	// database and removes it; a log left behind is part of the
	// database all the same. The shared-memory index is not: SQLite
	// builds it again from the log.
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			tp.err = err
			return
		}
		tp.files[suffix] = b
	}
}
