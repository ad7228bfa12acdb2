package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	sqlite3 "github.com/mattn/go-sqlite3"
)

// Backups and restores. SQLite's copy is VACUUM INTO on a read-only
// connection of its own: one read transaction, so the copy is the database
// as of one commit however long the server or an import goes on writing
// meanwhile (in WAL mode a reader never waits for the writer, nor the
// writer for it), and the file it writes is a complete, compacted
// database. PostgreSQL's is pg_dump's, which is also one snapshot; the
// store runs pg_dump and pg_restore when they are installed and says what
// to run otherwise.

// ErrNoPGTool: pg_dump or pg_restore is not installed. The error is a
// *NoPGToolError, which says what to run where it is.
var ErrNoPGTool = errors.New("store: PostgreSQL client tool not found")

// NoPGToolError names the missing tool and the command line that does the
// job where it is installed (the database's password left out: the tool
// asks for it, or reads PGPASSWORD).
type NoPGToolError struct {
	Tool    string
	Command string
}

func (e *NoPGToolError) Error() string {
	return fmt.Sprintf("store: %s is not installed (Debian: apt-get install postgresql-client); run where it is: %s", e.Tool, e.Command)
}

// Is makes errors.Is(err, ErrNoPGTool) hold.
func (e *NoPGToolError) Is(target error) bool { return target == ErrNoPGTool }

// BackupInfo says what Backup wrote.
type BackupInfo struct {
	Path  string
	Bytes int64
	// Tool is "VACUUM INTO" (SQLite) or "pg_dump" (PostgreSQL).
	Tool     string
	Duration time.Duration
}

// Backup writes a consistent copy of the database of cfg to path, which
// must not exist yet: a SQLite database file (checked with PRAGMA
// integrity_check before it is given its name), or pg_dump's custom
// format for PostgreSQL. The file is readable by its owner only, like the
// database: it holds the accounts' password hashes. Backup neither
// migrates nor otherwise writes to the database, so a server of this or
// an older version may be running on it.
func Backup(ctx context.Context, cfg Config, path string) (BackupInfo, error) {
	start := time.Now()
	info := BackupInfo{Path: path}
	if _, err := os.Lstat(path); err == nil {
		return info, fmt.Errorf("store: backup: %s exists already; give a new file name", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return info, fmt.Errorf("store: backup: %w", err)
	}
	// The copy is made under a temporary name beside path and renamed
	// once complete, so that path is never a half-written backup.
	tmp, err := privateTemp(path)
	if err != nil {
		return info, fmt.Errorf("store: backup: %w", err)
	}
	defer func() { _ = os.Remove(tmp) }()
	switch driverOf(cfg) {
	case DriverSQLite:
		info.Tool = "VACUUM INTO"
		err = backupSQLite(ctx, cfg.DSN, tmp)
	case DriverPostgres:
		info.Tool = "pg_dump"
		err = runPGTool(ctx, "pg_dump", cfg.DSN, "--format=custom", "--no-owner", "--file="+tmp)
		if e := (*NoPGToolError)(nil); errors.As(err, &e) {
			e.Command = strings.ReplaceAll(e.Command, tmp, path)
		}
	default:
		err = fmt.Errorf("unknown driver %q", cfg.Driver)
	}
	if err != nil {
		return info, fmt.Errorf("store: backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return info, fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return info, fmt.Errorf("store: backup: %w", err)
	}
	_ = syncFile(filepath.Dir(path))
	fi, err := os.Stat(path)
	if err != nil {
		return info, fmt.Errorf("store: backup: %w", err)
	}
	info.Bytes, info.Duration = fi.Size(), time.Since(start)
	return info, nil
}

func driverOf(cfg Config) string {
	if cfg.Driver == "" || cfg.Driver == "sqlite3" {
		return DriverSQLite
	}
	return cfg.Driver
}

// privateTemp creates an empty file readable by its owner only beside
// path, named after it, and returns its name.
func privateTemp(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if err := errors.Join(f.Chmod(0o600), f.Close()); err != nil {
		_ = os.Remove(name)
		return "", err
	}
	return name, nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// sqliteURI is a read-only URI of a database file: the connection can
// neither write nor create it.
func sqliteURI(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=ro&_busy_timeout=" +
		strconv.FormatInt(sqliteBusyTimeout.Milliseconds(), 10)
}

func backupSQLite(ctx context.Context, path, dest string) error {
	if path == "" || path == ":memory:" {
		return fmt.Errorf("sqlite: %q is not a database file", path)
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	db, err := sql.Open("sqlite3", sqliteURI(path))
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer func() { _ = db.Close() }()
	// VACUUM INTO writes into an empty file; dest was made empty, and
	// private, by privateTemp.
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return fmt.Errorf("sqlite: VACUUM INTO: %w", err)
	}
	return checkSQLiteFile(ctx, dest)
}

// checkSQLiteFile runs SQLite's integrity check on a database file and
// says whether it is a database of this program: one with the migrations
// table, none of whose steps this binary does not know.
func checkSQLiteFile(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", sqliteURI(path))
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer func() { _ = db.Close() }()
	var verdict []string
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("sqlite: %s is not a database: %w", path, err)
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			_ = rows.Close()
			return fmt.Errorf("sqlite: integrity check: %w", err)
		}
		if len(verdict) < 5 {
			verdict = append(verdict, v)
		}
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	if len(verdict) != 1 || verdict[0] != "ok" {
		return fmt.Errorf("sqlite: %s fails the integrity check: %s", path, strings.Join(verdict, "; "))
	}
	ids, err := queryStrings(ctx, db, "SELECT id FROM "+migrationsTable)
	if err != nil {
		return fmt.Errorf("sqlite: %s is not a database of this program: %w", path, err)
	}
	return knownMigrations(ids)
}

// knownMigrations refuses a database migrated by a newer binary, which
// this one could misread.
func knownMigrations(ids []string) error {
	known := map[string]bool{}
	for _, m := range migrations {
		known[m.id] = true
	}
	for _, id := range ids {
		if !known[id] {
			return fmt.Errorf("the database was written by a newer version of the program (migration %s); use that version", id)
		}
	}
	return nil
}

func queryStrings(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			_ = rows.Close()
			return nil, err
		}
		out = append(out, v)
	}
	return out, closeRows(rows)
}

// RestoreInfo says what Restore did.
type RestoreInfo struct {
	Tool     string // "sqlite3 backup" or "pg_restore"
	Duration time.Duration
	// Version is the data version after the restore: above both the
	// restored one and the one the database had, so that nothing cached
	// by data version survives it.
	Version int64
}

// Restore puts the backup at path (made by Backup) in place of the
// database of cfg, then migrates it if it is older than this program.
// The server must not be running on the database. On SQLite the backup
// is checked first (integrity, and written by this version or an older
// one) and copied in with SQLite's backup API, which also empties the
// database's write-ahead log, so that nothing of the old database can be
// replayed over the restored one; a database file that does not exist yet
// is created. On PostgreSQL pg_restore replaces the schema's objects in
// one transaction.
func Restore(ctx context.Context, cfg Config, path string) (RestoreInfo, error) {
	start := time.Now()
	var info RestoreInfo
	if _, err := os.Stat(path); err != nil {
		return info, fmt.Errorf("store: restore: %w", err)
	}
	cfg.Driver = driverOf(cfg)
	before, err := dataVersionOf(ctx, cfg)
	if err != nil {
		return info, fmt.Errorf("store: restore: %w", err)
	}
	switch cfg.Driver {
	case DriverSQLite:
		info.Tool = "sqlite3 backup"
		err = restoreSQLite(ctx, cfg.DSN, path)
	case DriverPostgres:
		info.Tool = "pg_restore"
		err = runPGTool(ctx, "pg_restore", cfg.DSN, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", path)
	default:
		err = fmt.Errorf("unknown driver %q", cfg.Driver)
	}
	if err != nil {
		return info, fmt.Errorf("store: restore: %w", err)
	}
	s, err := Open(ctx, cfg)
	if err != nil {
		return info, fmt.Errorf("store: restore: open the restored database: %w", err)
	}
	defer func() { _ = s.Close() }()
	if err := s.w.WithContext(ctx).Exec("UPDATE data_state SET version = CASE WHEN version > ? THEN version ELSE ? END + 1, scores_epoch = CASE WHEN version > ? THEN version ELSE ? END + 1 WHERE id = 1",
		before, before, before, before).Error; err != nil {
		return info, fmt.Errorf("store: restore: %w", err)
	}
	if info.Version, err = s.DataVersion(ctx); err != nil {
		return info, fmt.Errorf("store: restore: %w", err)
	}
	info.Duration = time.Since(start)
	return info, nil
}

// dataVersionOf reads the data version of a database that may not exist
// or not be one of ours yet (0 then), without migrating it.
func dataVersionOf(ctx context.Context, cfg Config) (int64, error) {
	var db *sql.DB
	var err error
	switch cfg.Driver {
	case DriverSQLite:
		if fi, statErr := os.Stat(cfg.DSN); statErr != nil || fi.Size() == 0 {
			return 0, nil // no database yet: nothing cached from it
		}
		db, err = sql.Open("sqlite3", sqliteURI(cfg.DSN))
	default:
		db, err = sql.Open("pgx", cfg.DSN)
	}
	if err != nil {
		return 0, err
	}
	defer func() { _ = db.Close() }()
	// No such table (not one of ours yet) or no row: nothing to stay
	// above. A server that cannot be reached fails the restore later,
	// with its own message.
	var v sql.NullInt64
	_ = db.QueryRowContext(ctx, "SELECT version FROM data_state WHERE id = 1").Scan(&v)
	return v.Int64, nil
}

func restoreSQLite(ctx context.Context, target, backup string) error {
	if target == "" || target == ":memory:" || strings.ContainsRune(target, '?') {
		return fmt.Errorf("sqlite: %q is not a database file to restore into", target)
	}
	if err := checkSQLiteFile(ctx, backup); err != nil {
		return fmt.Errorf("the backup %s: %w", backup, err)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if err := privateFiles(target); err != nil {
		return err
	}
	dst, err := sql.Open("sqlite3", target+"?_busy_timeout="+strconv.FormatInt(sqliteBusyTimeout.Milliseconds(), 10))
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer func() { _ = dst.Close() }()
	src, err := sql.Open("sqlite3", sqliteURI(backup))
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer func() { _ = src.Close() }()
	dc, err := dst.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer func() { _ = dc.Close() }()
	// Out of WAL mode first: the log is checkpointed and removed, and the
	// backup may then change the page size (a WAL database keeps its
	// own). Open puts WAL mode back.
	if _, err := dc.ExecContext(ctx, "PRAGMA journal_mode = DELETE"); err != nil {
		return fmt.Errorf("sqlite: leave WAL mode (is the server still running?): %w", err)
	}
	sc, err := src.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer func() { _ = sc.Close() }()
	return dc.Raw(func(d any) error {
		return sc.Raw(func(s any) error {
			dconn, ok1 := d.(*sqlite3.SQLiteConn)
			sconn, ok2 := s.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return fmt.Errorf("sqlite: connections are %T and %T", d, s)
			}
			b, err := dconn.Backup("main", sconn, "main")
			if err != nil {
				return fmt.Errorf("sqlite: backup API: %w", err)
			}
			if _, err := b.Step(-1); err != nil {
				_ = b.Finish()
				return fmt.Errorf("sqlite: copy the backup in: %w", err)
			}
			if err := b.Finish(); err != nil {
				return fmt.Errorf("sqlite: copy the backup in: %w", err)
			}
			return nil
		})
	})
}

// pgPassword matches the password of a key=value connection string.
var pgPassword = regexp.MustCompile(`(^|\s)password\s*=\s*('(\\.|[^'\\])*'|\S+)`)

// runPGTool runs pg_dump or pg_restore on the database of dsn. The
// password goes to the tool in its environment (PGPASSWORD), not on its
// command line, where any user of the machine could read it.
func runPGTool(ctx context.Context, tool, dsn string, args ...string) error {
	pc, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("postgres: connection string: %w", err)
	}
	conn := dsn
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		q := u.Query()
		q.Del("password")
		// libpq reads a '+' as itself, not as a space.
		u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
		conn = u.String()
	} else {
		conn = strings.TrimSpace(pgPassword.ReplaceAllString(dsn, "$1"))
	}
	// The connection comes before a file to restore: pg_restore takes
	// its options first.
	argv := append([]string{"--dbname=" + conn}, args...)
	path, err := exec.LookPath(tool)
	if err != nil {
		quoted := make([]string, len(argv))
		for i, a := range argv {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		return &NoPGToolError{Tool: tool, Command: tool + " " + strings.Join(quoted, " ")}
	}
	cmd := exec.CommandContext(ctx, path, argv...)
	cmd.Env = os.Environ()
	if pc.Password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+pc.Password)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(out.String())
		if len(msg) > 2000 {
			msg = msg[:2000] + "…"
		}
		return fmt.Errorf("%s: %w: %s", tool, err, msg)
	}
	return nil
}
