package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"scorecard/dossier"
	"scorecard/internal/pgtest"
	"scorecard/models"
	"scorecard/scoring"
)

// A database of each kind that Backup and Restore work on as a whole: a
// SQLite file, or a PostgreSQL database of its own (pg_dump dumps a whole
// database).
func backupConfig(t *testing.T, driver string) Config {
	t.Helper()
	if driver == DriverSQLite {
		return Config{Driver: DriverSQLite, DSN: filepath.Join(t.TempDir(), "db", "scorecard.db")}
	}
	dsn := pgtest.Database(t)
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := "!!! POSTGRESQL BACKUP TEST NOT RUN: " + tool + " is not installed (apt-get install postgresql-client). !!!"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	return Config{Driver: DriverPostgres, DSN: dsn}
}

func openConfig(t testing.TB, cfg Config) *Store {
	t.Helper()
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// pausedSource is a dossier file that stops after some rows until told to
// go on: the import's transaction is then open, with rows written.
type pausedSource struct {
	*dossier.DossierReader
	after  int
	n      int
	paused chan struct{}
	resume chan struct{}
}

func (p *pausedSource) Next() bool {
	if p.n == p.after {
		close(p.paused)
		<-p.resume
	}
	p.n++
	return p.DossierReader.Next()
}

// What a backup or a restored database holds of the import under test.
type importState struct {
	dossiers, dossierImports int64
	ds                       *scoring.Dataset
}

func stateOfImport(t testing.TB, s *Store) importState {
	t.Helper()
	var st importState
	if err := s.r.Raw("SELECT COUNT(*) FROM dossiers").Scan(&st.dossiers).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.r.Raw("SELECT COUNT(*) FROM imports WHERE kind = ?", models.ImportDossiers).Scan(&st.dossierImports).Error; err != nil {
		t.Fatal(err)
	}
	ds, err := s.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st.ds = ds
	return st
}

func integrityOK(t testing.TB, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&v); err != nil || v != "ok" {
		t.Errorf("integrity_check of %s: %q %v", path, v, err)
	}
}

// A backup taken while an import is writing holds none of it, one taken
// after holds all of it; both restore to databases that pass SQLite's
// integrity check (or pg_restore's single transaction) and hold exactly
// what the database held at the time, the derived counts included.
func TestBackupDuringImport(t *testing.T) {
	t.Parallel()
	for _, driver := range []string{DriverSQLite, DriverPostgres} {
		t.Run(driver, func(t *testing.T) { testBackupDuringImport(t, driver) })
	}
}

func testBackupDuringImport(t *testing.T, driver string) {
	ctx := context.Background()
	cfg := backupConfig(t, driver)
	s := openConfig(t, cfg)
	mustImportUnits(t, s, demoUnitRows(t), false)
	// The backup is taken while the import's transaction holds a third
	// of the rows; -short writes fewer of them (several statements).
	rows := 30_000
	if testing.Short() {
		rows = 6_000
	}
	d, c := genFiles(t, rows, 4, 5)
	importCatalogue(t, s, c)
	before := stateOfImport(t, s)

	rd := dossier.NewDossierReader("d.csv", bytes.NewReader(d), dossier.ReadOptions{})
	defer rd.Close()
	src := &pausedSource{DossierReader: rd, after: rows / 3, paused: make(chan struct{}), resume: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		_, err := s.ImportDossiers(ctx, imp("d.csv"), src, func() error { return rd.Err() })
		done <- err
	}()
	select {
	case <-src.paused:
	case err := <-done:
		t.Fatalf("the import ended before its pause: %v", err)
	}
	dir := t.TempDir()
	during, after := filepath.Join(dir, "during.bak"), filepath.Join(dir, "after.bak")
	bctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	info, err := Backup(bctx, cfg, during)
	close(src.resume)
	if err != nil {
		t.Fatalf("backup during the import: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the import, after a backup was taken during it: %v", err)
	}
	if fi, err := os.Stat(during); err != nil || fi.Size() != info.Bytes || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v %v, info %+v", fi, err, info)
	}
	complete := stateOfImport(t, s)
	if complete.dossiers != int64(rows) {
		t.Fatalf("%d dossiers after the import", complete.dossiers)
	}
	if _, err := Backup(ctx, cfg, after); err != nil {
		t.Fatalf("backup after the import: %v", err)
	}
	if _, err := Backup(ctx, cfg, after); err == nil {
		t.Error("a backup wrote over an existing file")
	}

	for _, c := range []struct {
		file string
		want importState
	}{{during, before}, {after, complete}} {
		target := backupConfig(t, driver)
		res, err := Restore(ctx, target, c.file)
		if err != nil {
			t.Fatalf("restore %s: %v", filepath.Base(c.file), err)
		}
		if driver == DriverSQLite {
			integrityOK(t, target.DSN)
		}
		r := openConfig(t, target)
		got := stateOfImport(t, r)
		if got.dossiers != c.want.dossiers || got.dossierImports != c.want.dossierImports || !reflect.DeepEqual(got.ds, c.want.ds) {
			t.Errorf("%s restored: %d dossiers, %d dossier imports (want %d, %d); same counts: %v", filepath.Base(c.file),
				got.dossiers, got.dossierImports, c.want.dossiers, c.want.dossierImports, reflect.DeepEqual(got.ds, c.want.ds))
		}
		if v := version(t, r); v != res.Version || v <= 0 {
			t.Errorf("data version after the restore %d, reported %d", v, res.Version)
		}
	}
}

// Restoring over a database replaces all of it, and the data version
// ends above both the backup's and the replaced database's, so that no
// page cached by version survives.
func TestRestoreOverDatabase(t *testing.T) {
	ctx := context.Background()
	cfg := backupConfig(t, DriverSQLite)
	s := openConfig(t, cfg)
	mustImportUnits(t, s, hierarchy, false)
	bak := filepath.Join(t.TempDir(), "b.db")
	if _, err := Backup(ctx, cfg, bak); err != nil {
		t.Fatal(err)
	}
	want := stateOfImport(t, s)
	for i := 0; i < 3; i++ {
		mustImportCounts(t, s, countRows("2024-0"+string(rune('1'+i))), false)
	}
	replaced := version(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	info, err := Restore(ctx, cfg, bak)
	if err != nil {
		t.Fatal(err)
	}
	integrityOK(t, cfg.DSN)
	r := openConfig(t, cfg)
	if got := stateOfImport(t, r); !reflect.DeepEqual(got.ds, want.ds) {
		t.Errorf("restored counts: %d, want the backup's %d", len(got.ds.Own), len(want.ds.Own))
	}
	if info.Version <= replaced {
		t.Errorf("data version %d after the restore, not above the replaced database's %d", info.Version, replaced)
	}
	for _, f := range []string{cfg.DSN, cfg.DSN + "-wal"} {
		if fi, err := os.Stat(f); err == nil && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", f, fi.Mode().Perm())
		}
	}
}

// A file that is not a good backup of this program is refused before the
// database is touched: not a database, a damaged one, one written by a
// newer version.
func TestRestoreRefusesBadBackups(t *testing.T) {
	ctx := context.Background()
	cfg := backupConfig(t, DriverSQLite)
	s := openConfig(t, cfg)
	mustImportUnits(t, s, hierarchy, false)
	want := stateOfImport(t, s)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if _, err := Backup(ctx, cfg, good); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	notDB := filepath.Join(dir, "notes.txt")
	damaged := filepath.Join(dir, "damaged.db")
	newer := filepath.Join(dir, "newer.db")
	bad := append([]byte(nil), data...)
	for i := len(bad) / 2; i < len(bad)/2+3000 && i < len(bad); i++ {
		bad[i] ^= 0x5a
	}
	for name, b := range map[string][]byte{notDB: []byte("không phải cơ sở dữ liệu\n"), damaged: bad, newer: data} {
		if err := os.WriteFile(name, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite3", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO migrations (id) VALUES ('299901010001_from_the_future')"); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	for _, f := range []string{notDB, damaged, newer, filepath.Join(dir, "missing.db")} {
		if _, err := Restore(ctx, cfg, f); err == nil {
			t.Errorf("restore of %s accepted", filepath.Base(f))
		}
	}
	if got := stateOfImport(t, s); !reflect.DeepEqual(got.ds, want.ds) {
		t.Error("a refused restore changed the database")
	}
}

// Without pg_dump the backup says what to run where it is installed, the
// password left out, and writes no file.
func TestBackupWithoutPGDump(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	path := filepath.Join(t.TempDir(), "b.dump")
	_, err := Backup(context.Background(), Config{Driver: DriverPostgres, DSN: "postgres://office:s3cret-pw@db.example:5432/scorecard?sslmode=require"}, path)
	var e *NoPGToolError
	if !errors.As(err, &e) || !errors.Is(err, ErrNoPGTool) || e.Tool != "pg_dump" {
		t.Fatalf("backup without pg_dump: %v", err)
	}
	if strings.Contains(e.Command, "s3cret") || !strings.Contains(e.Command, "postgres://office@db.example:5432/scorecard?sslmode=require") ||
		!strings.Contains(e.Command, "--file="+path) {
		t.Errorf("command to run: %s", e.Command)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a backup file was left: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); len(left) != 0 {
		t.Errorf("files left: %v", left)
	}
}
