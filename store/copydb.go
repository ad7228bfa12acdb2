package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	sqlite3 "github.com/mattn/go-sqlite3"

	"scorecard/models"
)

// Moving house: CopyDatabase copies a whole SQLite database into an empty
// PostgreSQL one. It knows no table by name: both databases are migrated
// by this binary, so they have the same tables, and the tables, their
// columns, keys, references and identity columns are read from the target's
// catalogue. A table added by a later migration is copied without a change
// here.

// ErrTargetNotEmpty: the database to copy into already has tables.
var ErrTargetNotEmpty = errors.New("store: the target database is not empty")

// TableCount is a table and its rows, the same in both databases once
// copied.
type TableCount struct {
	Name string
	Rows int64
}

// CopyReport says what CopyDatabase copied and found.
type CopyReport struct {
	Tables []TableCount // by name
	// Audit is the target's audit trail, verified after the copy: intact,
	// and ending on the same row and hash as the source's.
	Audit    models.AuditChain
	Duration time.Duration
}

// CopyDatabase copies every row of every table of the SQLite database of
// from into the PostgreSQL database (or schema, by its search_path) of to,
// which must have no tables. Both are migrated first, to this binary's
// schema. The source is read in one read transaction, so the copy is the
// database as of one commit even while a server writes to it; the target
// is written in one transaction: its references are set aside while the
// rows go in (COPY, in primary key order, so that the audit trail's rows
// follow one another as its trigger requires) and put back after, which
// checks every one of them; identity columns continue after the copied
// ids; and each table's rows are counted on both sides before the commit.
// After it the target's audit chain is verified and compared with the
// source's. A source whose audit chain is broken is refused: check it
// with `scorecard audit verify`.
func CopyDatabase(ctx context.Context, from, to Config, progress func(TableCount)) (CopyReport, error) {
	start := time.Now()
	var rep CopyReport
	if driverOf(from) != DriverSQLite || driverOf(to) != DriverPostgres {
		return rep, fmt.Errorf("store: copy: from SQLite to PostgreSQL only, not %s to %s", driverOf(from), driverOf(to))
	}
	if err := targetEmpty(ctx, to.DSN); err != nil {
		return rep, err
	}
	src, err := Open(ctx, from)
	if err != nil {
		return rep, fmt.Errorf("store: copy: open the source: %w", err)
	}
	defer func() { _ = src.Close() }()
	dst, err := Open(ctx, to)
	if err != nil {
		return rep, fmt.Errorf("store: copy: open the target: %w", err)
	}
	defer func() { _ = dst.Close() }()

	srcChain, err := src.VerifyAudit(ctx)
	if err != nil {
		return rep, fmt.Errorf("store: copy: %w", err)
	}
	if srcChain.Broken != nil {
		return rep, fmt.Errorf("store: copy: the source's audit trail breaks at row %d (%s); see scorecard audit verify", srcChain.Broken.ID, srcChain.Broken.Reason)
	}
	if rep.Tables, err = copyTables(ctx, src, dst, progress); err != nil {
		return rep, fmt.Errorf("store: copy: %w", err)
	}
	if rep.Audit, err = dst.VerifyAudit(ctx); err != nil {
		return rep, fmt.Errorf("store: copy: %w", err)
	}
	if !rep.Audit.Intact() || rep.Audit.Rows != srcChain.Rows || rep.Audit.LastID != srcChain.LastID || rep.Audit.LastHash != srcChain.LastHash {
		return rep, fmt.Errorf("store: copy: the copied audit trail (%d rows, last %d %s, intact %v) is not the source's (%d rows, last %d %s)",
			rep.Audit.Rows, rep.Audit.LastID, rep.Audit.LastHash, rep.Audit.Intact(), srcChain.Rows, srcChain.LastID, srcChain.LastHash)
	}
	rep.Duration = time.Since(start)
	return rep, nil
}

// targetEmpty refuses a target whose schema has tables: copying into one
// this program has used would mix two databases.
func targetEmpty(ctx context.Context, dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	defer func() { _ = db.Close() }()
	tables, err := queryStrings(ctx, db, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1")
	if err != nil {
		return fmt.Errorf("store: copy: the target: %w", err)
	}
	if len(tables) > 0 {
		if len(tables) > 5 {
			tables = append(tables[:5], "…")
		}
		return fmt.Errorf("%w: it has tables (%s); copy into a new database (createdb) or an empty schema", ErrTargetNotEmpty, strings.Join(tables, ", "))
	}
	return nil
}

// pgTable is a table as the target's catalogue describes it.
type pgTable struct {
	name       string
	cols       []string
	types      []string // information_schema's data_type, by column
	key        []string // primary key columns, for the order of the copy
	identities []string
}

// pgForeignKey is a reference set aside during the copy.
type pgForeignKey struct{ table, name, def string }

func copyTables(ctx context.Context, src, dst *Store, progress func(TableCount)) ([]TableCount, error) {
	srcDB, err := src.r.DB()
	if err != nil {
		return nil, err
	}
	dstDB, err := dst.w.DB()
	if err != nil {
		return nil, err
	}
	// One read transaction: every table as of the same commit.
	stx, err := srcDB.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read the source: %w", err)
	}
	defer func() { _ = stx.Rollback() }()
	conn, err := dstDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("the target: %w", err)
	}
	defer func() { _ = conn.Close() }()
	var out []TableCount
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the target's connection is a %T", dc)
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
		if out, err = copyInto(ctx, stx, tx, progress); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	return out, err
}

func copyInto(ctx context.Context, stx *sql.Tx, tx pgx.Tx, progress func(TableCount)) ([]TableCount, error) {
	if err := sameMigrations(ctx, stx, tx); err != nil {
		return nil, err
	}
	tables, err := pgTables(ctx, tx)
	if err != nil {
		return nil, err
	}
	if err := sameTables(ctx, stx, tables); err != nil {
		return nil, err
	}
	fks, err := pgForeignKeys(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, fk := range fks {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+quoteIdent(fk.table)+" DROP CONSTRAINT "+quoteIdent(fk.name)); err != nil {
			return nil, fmt.Errorf("set aside %s: %w", fk.name, err)
		}
	}
	// Rows the migrations wrote (the data version's) give way to the
	// source's.
	for _, t := range tables {
		if _, err := tx.Exec(ctx, "DELETE FROM "+quoteIdent(t.name)); err != nil {
			return nil, fmt.Errorf("empty %s: %w", t.name, err)
		}
	}
	var out []TableCount
	for _, t := range tables {
		n, err := copyTable(ctx, stx, tx, t)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t.name, err)
		}
		out = append(out, TableCount{Name: t.name, Rows: n})
		if progress != nil {
			progress(out[len(out)-1])
		}
	}
	// Putting the references back checks every row against them.
	for _, fk := range fks {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+quoteIdent(fk.table)+" ADD CONSTRAINT "+quoteIdent(fk.name)+" "+fk.def); err != nil {
			return nil, fmt.Errorf("reference %s of %s: %w", fk.name, fk.table, err)
		}
	}
	for _, t := range tables {
		for _, c := range t.identities {
			// The next id follows the highest copied (1 on an empty
			// table).
			q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(%[1]s), 0) + 1, false) FROM %[2]s", quoteIdent(c), quoteIdent(t.name))
			if _, err := tx.Exec(ctx, q, quoteIdent(t.name), c); err != nil {
				return nil, fmt.Errorf("identity %s.%s: %w", t.name, c, err)
			}
		}
	}
	for _, tc := range out {
		var src, dst int64
		if err := stx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quoteIdent(tc.Name)).Scan(&src); err != nil {
			return nil, fmt.Errorf("count %s in the source: %w", tc.Name, err)
		}
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM "+quoteIdent(tc.Name)).Scan(&dst); err != nil {
			return nil, fmt.Errorf("count %s in the target: %w", tc.Name, err)
		}
		if src != dst || dst != tc.Rows {
			return nil, fmt.Errorf("%s: %d rows in the source, %d copied, %d in the target", tc.Name, src, tc.Rows, dst)
		}
	}
	return out, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func sameMigrations(ctx context.Context, stx *sql.Tx, tx pgx.Tx) error {
	var a, b []string
	rows, err := stx.QueryContext(ctx, "SELECT id FROM "+migrationsTable+" ORDER BY id")
	if err != nil {
		return fmt.Errorf("the source's migrations: %w", err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			_ = rows.Close()
			return err
		}
		a = append(a, id)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	prow, err := tx.Query(ctx, "SELECT id FROM "+migrationsTable+" ORDER BY id")
	if err != nil {
		return fmt.Errorf("the target's migrations: %w", err)
	}
	if b, err = pgx.CollectRows(prow, pgx.RowTo[string]); err != nil {
		return fmt.Errorf("the target's migrations: %w", err)
	}
	if !slices.Equal(a, b) {
		return fmt.Errorf("the source has migrations %v, the target %v", a, b)
	}
	return nil
}

// pgTables reads the target's tables (but the migrations' record), by
// name, with their columns, primary keys and identity columns.
func pgTables(ctx context.Context, tx pgx.Tx) ([]pgTable, error) {
	rows, err := tx.Query(ctx, `SELECT c.table_name, c.column_name, c.data_type, c.is_identity = 'YES' OR COALESCE(c.column_default, '') LIKE 'nextval(%'
		FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> $1
		ORDER BY c.table_name, c.ordinal_position`, migrationsTable)
	if err != nil {
		return nil, fmt.Errorf("the target's tables: %w", err)
	}
	var tables []pgTable
	var name, col, typ string
	var ident bool
	if _, err := pgx.ForEachRow(rows, []any{&name, &col, &typ, &ident}, func() error {
		if len(tables) == 0 || tables[len(tables)-1].name != name {
			tables = append(tables, pgTable{name: name})
		}
		t := &tables[len(tables)-1]
		t.cols, t.types = append(t.cols, col), append(t.types, typ)
		if ident {
			t.identities = append(t.identities, col)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("the target's tables: %w", err)
	}
	for i := range tables {
		krows, err := tx.Query(ctx, `SELECT a.attname FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
			WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`, quoteIdent(tables[i].name))
		if err != nil {
			return nil, fmt.Errorf("the primary key of %s: %w", tables[i].name, err)
		}
		if tables[i].key, err = pgx.CollectRows(krows, pgx.RowTo[string]); err != nil {
			return nil, fmt.Errorf("the primary key of %s: %w", tables[i].name, err)
		}
	}
	return tables, nil
}

// sameTables checks that the source has the target's tables, no other, and
// each of their columns.
func sameTables(ctx context.Context, stx *sql.Tx, tables []pgTable) error {
	rows, err := stx.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ? ORDER BY name", migrationsTable)
	if err != nil {
		return fmt.Errorf("the source's tables: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			_ = rows.Close()
			return err
		}
		names = append(names, n)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	var want []string
	for _, t := range tables {
		want = append(want, t.name)
	}
	if !slices.Equal(names, want) {
		return fmt.Errorf("the source has tables %v, the target %v", names, want)
	}
	for _, t := range tables {
		rows, err := stx.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", t.name)
		if err != nil {
			return fmt.Errorf("the columns of %s: %w", t.name, err)
		}
		have := map[string]bool{}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				_ = rows.Close()
				return err
			}
			have[n] = true
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		for _, c := range t.cols {
			if !have[c] {
				return fmt.Errorf("the source's table %s has no column %s", t.name, c)
			}
		}
	}
	return nil
}

func pgForeignKeys(ctx context.Context, tx pgx.Tx) ([]pgForeignKey, error) {
	rows, err := tx.Query(ctx, `SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
		WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("the target's references: %w", err)
	}
	var out []pgForeignKey
	var fk pgForeignKey
	if _, err := pgx.ForEachRow(rows, []any{&fk.table, &fk.name, &fk.def}, func() error {
		// regclass prints a name quoted when it needs quotes.
		fk.table = strings.Trim(fk.table, `"`)
		out = append(out, fk)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("the target's references: %w", err)
	}
	return out, nil
}

// copyTable streams one table's rows from the source into the target with
// COPY and returns how many.
func copyTable(ctx context.Context, stx *sql.Tx, tx pgx.Tx, t pgTable) (int64, error) {
	sel := make([]string, len(t.cols))
	conv := make([]func(any) (any, error), len(t.cols))
	for i, c := range t.cols {
		sel[i] = quoteIdent(c)
		conv[i] = converter(t.types[i])
		if isTimestamp(t.types[i]) {
			// As text, parsed here: the driver would turn a time it
			// cannot parse into the zero time without a word.
			sel[i] = "CAST(" + sel[i] + " AS TEXT)"
		}
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + quoteIdent(t.name)
	if len(t.key) > 0 {
		keys := make([]string, len(t.key))
		for i, k := range t.key {
			keys[i] = quoteIdent(k)
		}
		q += " ORDER BY " + strings.Join(keys, ", ")
	}
	rows, err := stx.QueryContext(ctx, q)
	if err != nil {
		return 0, err
	}
	defer func() { _ = rows.Close() }()
	src := &rowSource{rows: rows, conv: conv, vals: make([]any, len(t.cols)), ptrs: make([]any, len(t.cols))}
	for i := range src.vals {
		src.ptrs[i] = &src.vals[i]
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, src)
	if err != nil {
		return n, err
	}
	if src.err != nil {
		return n, src.err
	}
	return n, rows.Err()
}

// rowSource feeds the rows of a SQLite query to COPY, converted to the
// target's types.
type rowSource struct {
	rows       *sql.Rows
	conv       []func(any) (any, error)
	vals, ptrs []any
	out        []any
	err        error
}

func (r *rowSource) Next() bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	if r.err = r.rows.Scan(r.ptrs...); r.err != nil {
		return false
	}
	r.out = r.out[:0]
	for i, v := range r.vals {
		c, err := r.conv[i](v)
		if err != nil {
			r.err = err
			return false
		}
		r.out = append(r.out, c)
	}
	return true
}

func (r *rowSource) Values() ([]any, error) { return r.out, r.err }
func (r *rowSource) Err() error             { return r.err }

func isTimestamp(pgType string) bool {
	return strings.HasPrefix(pgType, "timestamp") || pgType == "date"
}

// converter turns what the SQLite driver reads (int64, float64, string,
// []byte, bool, nil) into a value of the PostgreSQL column's type, and
// refuses what does not fit rather than guess.
func converter(pgType string) func(any) (any, error) {
	switch {
	case pgType == "boolean":
		return func(v any) (any, error) {
			switch x := v.(type) {
			case nil, bool:
				return x, nil
			case int64:
				if x == 0 || x == 1 {
					return x == 1, nil
				}
			case string:
				if b, err := strconv.ParseBool(x); err == nil {
					return b, nil
				}
			}
			return nil, fmt.Errorf("%v (%T) is not a boolean", v, v)
		}
	case isTimestamp(pgType):
		return func(v any) (any, error) {
			switch x := v.(type) {
			case nil, time.Time:
				return x, nil
			case string:
				s := strings.TrimSuffix(x, "Z")
				for _, f := range sqlite3.SQLiteTimestampFormats {
					if t, err := time.ParseInLocation(f, s, time.UTC); err == nil {
						return t, nil
					}
				}
			}
			return nil, fmt.Errorf("%v (%T) is not a time", v, v)
		}
	case pgType == "bigint", pgType == "integer", pgType == "smallint":
		return func(v any) (any, error) {
			switch x := v.(type) {
			case nil, int64:
				return x, nil
			case float64:
				if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
					return int64(x), nil
				}
			case string:
				if n, err := strconv.ParseInt(x, 10, 64); err == nil {
					return n, nil
				}
			case bool:
				if x {
					return int64(1), nil
				}
				return int64(0), nil
			}
			return nil, fmt.Errorf("%v (%T) is not an integer", v, v)
		}
	case pgType == "bytea":
		return func(v any) (any, error) {
			switch x := v.(type) {
			case nil, []byte:
				return x, nil
			case string:
				return []byte(x), nil
			}
			return nil, fmt.Errorf("%v (%T) is not bytes", v, v)
		}
	case pgType == "text", pgType == "character varying", pgType == "character":
		return func(v any) (any, error) {
			switch x := v.(type) {
			case nil, string:
				return x, nil
			case []byte:
				return string(x), nil
			case int64:
				return strconv.FormatInt(x, 10), nil
			}
			return nil, fmt.Errorf("%v (%T) is not text", v, v)
		}
	}
	// Another type (numeric, double precision…): as read; COPY refuses
	// what does not fit.
	return func(v any) (any, error) { return v, nil }
}
