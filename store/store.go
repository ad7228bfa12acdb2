// Package store is every database call of the application. One constructor,
// Open, switches between SQLite (the default: one file, nothing to install)
// and PostgreSQL; the schema comes from versioned, append-only migrations
// (migrations.go). Methods take a context, wrap their errors with the
// package prefix and map "not found" and constraint violations to ErrNotFound
// and ErrConflict.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrNotFound: the unit (or other row) asked for does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a write broke a uniqueness or reference rule (a duplicated
	// key in one batch, a parent or unit that does not exist).
	ErrConflict = errors.New("store: conflict")
	// ErrInvalid: a row handed to the store breaks an invariant the importer
	// should have caught (e.g. numerator > denominator).
	ErrInvalid = errors.New("store: invalid row")
)

// Drivers.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// Config chooses the database. For SQLite, DSN is the path of the database
// file (its folder is created if needed) or ":memory:"; for PostgreSQL it is
// a libpq connection string or URL.
type Config struct {
	Driver string
	DSN    string
}

// Store is the database. It is safe for concurrent use.
type Store struct {
	driver string
	// cfg is what Open was given: a backup and pg_dump connect to the
	// same database.
	cfg Config
	// w is the write side; r serves reads. On PostgreSQL they are the same
	// pool. On SQLite they are two pools over the same file; see Open.
	w *gorm.DB
	r *gorm.DB

	// writes counts this Store's committed write transactions; stamp is
	// the last stamp read, stampMu lets one caller read it (stamp.go).
	writes  atomic.Uint64
	stamp   atomic.Pointer[stampRead]
	stampMu sync.Mutex
}

// sqliteBusyTimeout is how long a connection waits for a lock held by
// another connection or process (e.g. `scorecard import` run while the server
// is writing) before giving up with "database is locked".
const sqliteBusyTimeout = 10 * time.Second

// Open connects, applies pending migrations and returns the store.
//
// SQLite is set up on purpose:
//   - journal_mode=WAL: readers never block the writer and the writer never
//     blocks readers, so pages keep rendering while a 20 000-row import is
//     being written; WAL is persistent in the file.
//   - busy_timeout: wait for a lock instead of failing at once when another
//     process (the CLI importer) holds it.
//   - foreign_keys=ON: SQLite ignores REFERENCES unless told otherwise, per
//     connection; counts must not point at a unit that does not exist.
//   - synchronous=NORMAL: in WAL mode this is still safe against corruption;
//     a power cut can lose only the last committed transactions, which an
//     office re-imports, and every commit no longer waits for an fsync.
//   - _txlock=immediate: BEGIN takes the write lock at once. With a deferred
//     BEGIN, a transaction that read first and writes later can fail with
//     SQLITE_BUSY when another process wrote meanwhile, and busy_timeout
//     cannot help there.
//
// SQLite has a single writer per file, so the write pool is held to one
// connection: our own writers queue in database/sql instead of fighting over
// the lock. Reads go to a second pool of several connections opened with
// query_only, which in WAL mode read the last committed state while a write
// transaction is open.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	gcfg := &gorm.Config{
		// Errors are returned and wrapped; GORM's logger would print slow
		// imports and "record not found" to stdout, into the CLI's output.
		Logger: logger.Default.LogMode(logger.Silent),
		// Map driver errors to gorm.ErrDuplicatedKey / ErrForeignKeyViolated
		// so that conflicts are recognised the same way on both databases.
		TranslateError: true,
		// Every write here runs in an explicit transaction; GORM's implicit
		// one per statement would only cost time.
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	s := &Store{driver: cfg.Driver, cfg: cfg}
	switch cfg.Driver {
	case DriverSQLite, "sqlite3", "":
		s.driver = DriverSQLite
		s.cfg.Driver = DriverSQLite
		if err := s.openSQLite(cfg.DSN, gcfg); err != nil {
			return nil, err
		}
	case DriverPostgres:
		db, err := gorm.Open(postgres.Open(cfg.DSN), gcfg)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		s.w, s.r = db, db
	default:
		return nil, fmt.Errorf("store: unknown driver %q (want sqlite or postgres)", cfg.Driver)
	}
	if err := s.migrate(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	if s.r != s.w {
		// The read pool's connections opened before the migrations (GORM
		// queries on opening) keep the schema they read: the first query
		// of each after a migration reports the old columns (the driver
		// names them before SQLite notices the change), so a column a
		// migration added would read as empty. They are closed; the next
		// ones read the migrated schema.
		rdb, err := s.r.DB()
		if err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("store: read pool: %w", err)
		}
		rdb.SetMaxIdleConns(0)
		rdb.SetMaxIdleConns(readIdle)
	}
	return s, nil
}

// readIdle is how many idle connections the SQLite read pool keeps
// (database/sql's default).
const readIdle = 2

func (s *Store) openSQLite(path string, gcfg *gorm.Config) error {
	if path == "" {
		return errors.New("store: sqlite: empty database path")
	}
	pragmas := fmt.Sprintf("_busy_timeout=%d&_foreign_keys=on&_synchronous=NORMAL", sqliteBusyTimeout.Milliseconds())
	if path == ":memory:" {
		// Every connection to ":memory:" is a separate database, so a
		// second pool would see nothing: one connection does everything.
		db, err := gorm.Open(sqlite.Open(":memory:?"+pragmas), gcfg)
		if err != nil {
			return fmt.Errorf("store: open sqlite: %w", err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return fmt.Errorf("store: open sqlite: %w", err)
		}
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetConnMaxIdleTime(0)
		sqlDB.SetConnMaxLifetime(0)
		s.w, s.r = db, db
		return nil
	}
	// The driver takes its settings after a '?'; a path with one would be cut
	// there and open a different file.
	if strings.ContainsRune(path, '?') {
		return fmt.Errorf("store: sqlite path %q must not contain '?'", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		// The folder is the office's alone: it holds the accounts'
		// password hashes and the audit trail. An existing folder keeps
		// its mode (it may be shared on purpose).
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("store: create database folder: %w", err)
		}
	}
	if err := privateFiles(path); err != nil {
		return err
	}
	if err := initSQLiteFile(path); err != nil {
		return err
	}
	w, err := gorm.Open(sqlite.Open(path+"?"+pragmas+"&_journal_mode=WAL&_txlock=immediate"), gcfg)
	if err != nil {
		return fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	wdb, err := w.DB()
	if err != nil {
		return fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	// Force the first connection now so the file exists and is in WAL mode
	// before the read pool opens it.
	if err := wdb.Ping(); err != nil {
		_ = wdb.Close()
		return fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	// query_only makes an accidental write through the read pool fail
	// loudly instead of competing with the writer for the lock.
	r, err := gorm.Open(sqlite.Open(path+"?"+pragmas+"&_query_only=1"), gcfg)
	if err != nil {
		_ = wdb.Close()
		return fmt.Errorf("store: open sqlite %s for reading: %w", path, err)
	}
	rdb, err := r.DB()
	if err != nil {
		_ = wdb.Close()
		return fmt.Errorf("store: open sqlite %s for reading: %w", path, err)
	}
	rdb.SetMaxOpenConns(max(4, runtime.NumCPU()))
	s.w, s.r = w, r
	return nil
}

// privateFiles makes the database file readable by its owner only
// (0600), creating it empty if needed, and takes the group's and others'
// rights from an existing one and from its WAL and shared-memory files.
// SQLite creates the WAL and -shm files with the mode of the database
// file, whatever the umask, so they follow.
func privateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: sqlite %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store: sqlite %s: %w", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: sqlite %s: %w", p, err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil {
				return fmt.Errorf("store: sqlite %s: make it private: %w", p, err)
			}
		}
	}
	return nil
}

// sqlitePageSize is the page size of a new database file. SQLite's
// default is 4 KiB; with 8 KiB, a million dossiers go into their table
// and its two indexes a fifth faster (fewer pages to split and write;
// measured with bench/dossiers.sh), and a page read for one unit's rows
// costs no more in practice (the pages are in memory).
const sqlitePageSize = 8192

// initSQLiteFile gives a database file that does not exist yet (or is
// empty) its page size. The size is fixed by the file's header, written
// when the first connection sets WAL mode, so it must be set before, on a
// connection of its own; an existing file keeps its size (changing it
// would mean a VACUUM of the whole database).
func initSQLiteFile(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: sqlite %s: %w", path, err)
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		return fmt.Errorf("store: create sqlite %s: %w", path, err)
	}
	defer func() { _ = db.Close() }()
	for _, p := range []string{"PRAGMA page_size = " + strconv.Itoa(sqlitePageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := db.Exec(p); err != nil {
			return fmt.Errorf("store: create sqlite %s: %w", path, err)
		}
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("store: create sqlite %s: %w", path, err)
	}
	return nil
}

// Close closes the connection pools.
func (s *Store) Close() error {
	var errs []error
	closed := map[*gorm.DB]bool{}
	for _, db := range []*gorm.DB{s.w, s.r} {
		if db == nil || closed[db] {
			continue
		}
		closed[db] = true
		sqlDB, err := db.DB()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := sqlDB.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Driver is "sqlite" or "postgres".
func (s *Store) Driver() string { return s.driver }

// dbErr maps GORM's errors to the package's sentinels, keeping the original
// in the chain.
func dbErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case errors.Is(err, gorm.ErrDuplicatedKey), errors.Is(err, gorm.ErrForeignKeyViolated):
		return fmt.Errorf("%w: %w", ErrConflict, err)
	case isDiskFull(err) && !errors.Is(err, ErrDiskFull):
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return err
}

// bumpVersion moves the data version on, and the time of the change with
// it, inside the write transaction that changed units or counts, so that
// DataVersion, DataModified and the data change together.
func bumpVersion(tx *gorm.DB) error {
	// modified_at is the commit's time to the second or better: open
	// data's Last-Modified (DataModified).
	// Any write but a counts import (bumpVersionFor) may change the
	// scores of every period: the score epoch moves with it (scores.go).
	res := tx.Exec("UPDATE data_state SET version = version + 1, scores_epoch = version + 1, modified_at = ? WHERE id = 1", tx.NowFunc())
	if res.Error != nil {
		return fmt.Errorf("bump data version: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return errors.New("bump data version: data_state row missing")
	}
	return nil
}

// DataVersion changes whenever units or counts change (imports and demo
// removal), so callers can cache what they derive from the data.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.r.WithContext(ctx).Raw("SELECT version FROM data_state WHERE id = 1").Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("store: data version: %w", dbErr(err))
	}
	return v, nil
}
