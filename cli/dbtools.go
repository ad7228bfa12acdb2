package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"scorecard/config"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/store"
)

// backupCmd is `scorecard backup [--db …] FILE`: a consistent copy of the
// database while the server runs (store.Backup).
func backupCmd(ctx context.Context, t *console, cfg config.Config, args []string) error {
	fs := flags(t, "backup", &cfg)
	if err := parse(t, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return t.usageErr("cli.backup.file")
	}
	if err := cfg.Validate(); err != nil {
		return configError(err)
	}
	info, err := store.Backup(ctx, dbConfig(cfg), fs.Arg(0))
	if err != nil {
		return pgToolError(t, err, "cli.backup.failed")
	}
	mb := strconv.FormatFloat(float64(info.Bytes)/1e6, 'f', 1, 64)
	secs := strconv.FormatFloat(info.Duration.Seconds(), 'f', 1, 64)
	t.say("db.backup.done", info.Path, decimal(t.l, mb), decimal(t.l, secs), info.Tool)
	return nil
}

// restoreCmd is `scorecard restore [--db …] FILE`: the backup in place of
// the database (store.Restore); the server must be stopped.
func restoreCmd(ctx context.Context, t *console, cfg config.Config, args []string) error {
	fs := flags(t, "restore", &cfg)
	if err := parse(t, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return t.usageErr("cli.restore.file")
	}
	if err := cfg.Validate(); err != nil {
		return configError(err)
	}
	t.warn("db.restore.stop")
	info, err := store.Restore(ctx, dbConfig(cfg), fs.Arg(0))
	if err != nil {
		return pgToolError(t, err, "cli.restore.failed")
	}
	secs := strconv.FormatFloat(info.Duration.Seconds(), 'f', 1, 64)
	t.say("db.restore.done", fs.Arg(0), decimal(t.l, secs), info.Tool)
	return nil
}

// migrateDBCmd is `scorecard migrate-db [--db PATH] --to postgres://…`:
// the whole SQLite database copied into an empty PostgreSQL one, checked
// table by table and by the audit trail's chain (store.CopyDatabase).
func migrateDBCmd(ctx context.Context, t *console, cfg config.Config, args []string) error {
	fs := flags(t, "migrate-db", &cfg)
	to := fs.String("to", "", "")
	if err := parse(t, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return t.extraArgs(fs.Args())
	}
	if *to == "" {
		return t.usageErr("cli.migrate.to")
	}
	if cfg.DBDriver != store.DriverSQLite {
		return t.usageErr("cli.migrate.sqlite")
	}
	if err := cfg.Validate(); err != nil {
		return configError(err)
	}
	var tables, rows int64
	n := func(v int64) string { return present.Int(t.l, v) }
	rep, err := store.CopyDatabase(ctx, dbConfig(cfg), store.Config{Driver: store.DriverPostgres, DSN: *to}, func(tc store.TableCount) {
		tables++
		rows += tc.Rows
		fmt.Fprintf(t.stdout, "  %s: %s\n", tc.Name, n(tc.Rows))
	})
	if err != nil {
		return fail(err, "cli.migrate.failed")
	}
	secs := strconv.FormatFloat(rep.Duration.Seconds(), 'f', 1, 64)
	t.say("db.migrate.done", n(tables), n(rows), decimal(t.l, secs))
	if rep.Audit.Rows > 0 {
		t.sayN(int(rep.Audit.Rows), "db.migrate.audit", n(rep.Audit.Rows), n(int64(rep.Audit.LastID)), rep.Audit.LastHash)
	}
	t.say("db.migrate.next")
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

// pgToolError says what to run when pg_dump or pg_restore is not
// installed; other errors are worded by key.
func pgToolError(t *console, err error, key string) error {
	var e *store.NoPGToolError
	if !errors.As(err, &e) {
		return fail(err, key)
	}
	t.warn("db.pgtool.missing", e.Tool, e.Command)
	return fmt.Errorf("%w: %w", errPrinted, err)
}
