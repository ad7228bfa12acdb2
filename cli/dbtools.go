package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"scorecard/config"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/store"
)

// backupCmd is `scorecard backup [--db …] FILE`: a consistent copy of the
// database while the server runs (store.Backup).
func backupCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flags("backup", &cfg, stdout, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "Dùng / use: scorecard backup [--db PATH] FILE")
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	info, err := store.Backup(ctx, dbConfig(cfg), fs.Arg(0))
	if err != nil {
		return pgToolError(stderr, err)
	}
	mb := strconv.FormatFloat(float64(info.Bytes)/1e6, 'f', 1, 64)
	secs := strconv.FormatFloat(info.Duration.Seconds(), 'f', 1, 64)
	for _, l := range []i18n.Lang{i18n.VI, i18n.EN} {
		fmt.Fprintln(stdout, l.T("db.backup.done", info.Path, decimal(l, mb), decimal(l, secs), info.Tool))
	}
	return nil
}

// restoreCmd is `scorecard restore [--db …] FILE`: the backup in place of
// the database (store.Restore); the server must be stopped.
func restoreCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flags("restore", &cfg, stdout, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "Dùng / use: scorecard restore [--db PATH] FILE")
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	for _, l := range []i18n.Lang{i18n.VI, i18n.EN} {
		fmt.Fprintln(stderr, l.T("db.restore.stop"))
	}
	info, err := store.Restore(ctx, dbConfig(cfg), fs.Arg(0))
	if err != nil {
		return pgToolError(stderr, err)
	}
	secs := strconv.FormatFloat(info.Duration.Seconds(), 'f', 1, 64)
	for _, l := range []i18n.Lang{i18n.VI, i18n.EN} {
		fmt.Fprintln(stdout, l.T("db.restore.done", fs.Arg(0), decimal(l, secs), info.Tool))
	}
	return nil
}

// migrateDBCmd is `scorecard migrate-db [--db PATH] --to postgres://…`:
// the whole SQLite database copied into an empty PostgreSQL one, checked
// table by table and by the audit trail's chain (store.CopyDatabase).
func migrateDBCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flags("migrate-db", &cfg, stdout, stderr)
	to := fs.String("to", "", "PostgreSQL connection string of an empty database (postgres://USER@HOST/DB)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *to == "" {
		fmt.Fprintln(stderr, "Dùng / use: scorecard migrate-db [--db PATH] --to postgres://USER:PASSWORD@HOST:5432/DB")
		return errUsage
	}
	if cfg.DBDriver != store.DriverSQLite {
		fmt.Fprintln(stderr, "--db phải là tệp SQLite cần chép (bỏ SCORECARD_DB_DRIVER=postgres) / --db must be the SQLite file to copy (unset SCORECARD_DB_DRIVER=postgres).")
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	var tables, rows int64
	rep, err := store.CopyDatabase(ctx, dbConfig(cfg), store.Config{Driver: store.DriverPostgres, DSN: *to}, func(tc store.TableCount) {
		tables++
		rows += tc.Rows
		fmt.Fprintf(stdout, "  %s: %s\n", tc.Name, present.Int(i18n.VI, tc.Rows))
	})
	if err != nil {
		return err
	}
	secs := strconv.FormatFloat(rep.Duration.Seconds(), 'f', 1, 64)
	for _, l := range []i18n.Lang{i18n.VI, i18n.EN} {
		n := func(v int64) string { return present.Int(l, v) }
		fmt.Fprintln(stdout, l.T("db.migrate.done", n(tables), n(rows), decimal(l, secs)))
		if rep.Audit.Rows > 0 {
			fmt.Fprintln(stdout, l.T("db.migrate.audit", n(rep.Audit.Rows), n(int64(rep.Audit.LastID)), rep.Audit.LastHash))
		}
		fmt.Fprintln(stdout, l.T("db.migrate.next"))
	}
	return nil
}

func dbConfig(cfg config.Config) store.Config {
	return store.Config{Driver: cfg.DBDriver, DSN: cfg.DBPath}
}

// decimal writes a number printed with a decimal point the language's way
// (Vietnamese: a comma).
func decimal(l i18n.Lang, s string) string {
	if l == i18n.VI {
		b := []byte(s)
		for i, c := range b {
			if c == '.' {
				b[i] = ','
			}
		}
		return string(b)
	}
	return s
}

// pgToolError says, in both languages, what to run when pg_dump or
// pg_restore is not installed; other errors go back as they are.
func pgToolError(stderr io.Writer, err error) error {
	var e *store.NoPGToolError
	if !errors.As(err, &e) {
		return err
	}
	for _, l := range []i18n.Lang{i18n.VI, i18n.EN} {
		fmt.Fprintln(stderr, l.T("db.pgtool.missing", e.Tool, e.Command))
	}
	return fmt.Errorf("%w: %w", errPrinted, err)
}
