package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"scorecard/dossier"
	"scorecard/models"
	"scorecard/scoring"
)

// How dossiers become counts. Every unit's dossier counters are kept in
// dossier_units (dossier.Deriver.EncodeUnit). An import streams its rows
// into the dossiers table and, for each row that is new or changed, adds
// the new version to a deriver of changes and removes the old version (read
// before it is overwritten); the stored counters of the units concerned
// are added to it, written back, and the periods the changes touch are
// derived from it. Accumulating is linear, so this is exactly what a
// deriver of every stored dossier gives, without reading one back:
// RederiveAll does read them all, and the tests check the two agree.

// DossierSource is a stream of validated dossier rows: *dossier.DossierReader,
// or a wrapper of it. Record's unit and procedure ids refer to the Units and
// Procedures tables; Code is the row's dossier code. Record and Code are
// valid until the next call to Next.
type DossierSource interface {
	Next() bool
	Record() *dossier.Record
	Code() []byte
	Units() *dossier.Codes
	Procedures() *dossier.Codes
	Err() error
}

// DossierResult says what a dossier or catalogue import did.
type DossierResult struct {
	Result
	// Derived is the number of derived count rows written; Rederived the
	// (unit, period) pairs derived again.
	Derived   int
	Rederived int
	// DeriveTime is the time spent deriving the counts again, part of
	// the import's time.
	DeriveTime time.Duration
}

// dossierBatchRows is the number of rows per multi-row INSERT: 7 parameters a
// row stay far below the 32 766 variables SQLite allows, and past a few
// hundred rows a statement no longer gets cheaper per row.
const dossierBatchRows = 500

// sqliteImportCache is the page cache of the write connection during a
// dossier import (KiB, as a negative cache_size): the dossiers of a
// million rows and their indexes are about 120 MB, and inserting into the
// unique index of codes with the default 2 MB cache would read and write
// the same pages over and over. With the rows sorted by code in chunks,
// 48 MB holds the pages being written; the importer's budget is 200 MB of
// peak RSS, and this is most of what it spends beside the reader.
const sqliteImportCache = 48 << 10

// openEnd marks a month range that runs to the end of the data (an open
// dossier is handled in every month after it was received).
const openEnd = int32(1<<31 - 1)

// monthRange is a closed range of month indexes (dossier.MonthOf).
type monthRange struct{ lo, hi int32 }

func (r *monthRange) add(o monthRange) {
	r.lo, r.hi = min(r.lo, o.lo), max(r.hi, o.hi)
}

// dossierMonths is the months a dossier is counted in: received to
// finished, or to the end of the data while open.
func dossierMonths(received, finished int64) monthRange {
	r := monthRange{lo: dossier.MonthOf(received), hi: openEnd}
	if finished != dossier.Open {
		r.hi = dossier.MonthOf(finished)
	}
	return r
}

// span is the months derived counts cover, as dossier.Deriver would derive
// them from everything stored: from the first month a dossier was received
// to the last month one was received or finished; without any dossier, the
// months of the catalogue.
type span struct {
	lo, hi int32
	ok     bool
	// dossiers: the span is the dossiers' (not the catalogue's).
	dossiers bool
}

func (s span) same(o span) bool { return s.ok == o.ok && (!s.ok || s.lo == o.lo && s.hi == o.hi) }

func (s span) contains(p scoring.Period) bool {
	if !s.ok {
		return false
	}
	ms := p.Months()
	first, last := dossier.MonthIndex(ms[0]), dossier.MonthIndex(ms[len(ms)-1])
	return first <= s.hi && last >= s.lo
}

// derivationSpan is the span of everything stored (see span), from the
// units' months and the catalogue: a few hundred rows, not the dossiers.
func derivationSpan(tx *gorm.DB) (span, error) {
	var lo, hi sql.NullInt64
	if err := tx.Raw("SELECT MIN(first_month), MAX(last_month) FROM dossier_units").Row().Scan(&lo, &hi); err != nil {
		return span{}, fmt.Errorf("dossier months: %w", err)
	}
	if lo.Valid && hi.Valid {
		return span{lo: int32(lo.Int64), hi: int32(hi.Int64), ok: true, dossiers: true}, nil
	}
	var first, last sql.NullString
	if err := tx.Raw("SELECT MIN(period), MAX(period) FROM catalogue_states").Row().Scan(&first, &last); err != nil {
		return span{}, fmt.Errorf("catalogue months: %w", err)
	}
	if !first.Valid || !last.Valid {
		return span{}, nil
	}
	a, errA := scoring.ParsePeriod(first.String)
	b, errB := scoring.ParsePeriod(last.String)
	if err := errors.Join(errA, errB); err != nil {
		return span{}, fmt.Errorf("catalogue months: %w", err)
	}
	return span{lo: dossier.MonthIndex(a), hi: dossier.MonthIndex(b), ok: true}, nil
}

// rederiveJob says which counts to derive again.
type rederiveJob struct {
	// touched holds, for each unit, the months its changed dossiers or
	// catalogue states are counted in.
	touched map[string]*monthRange
	// d derives: for the units in changed, the changes to their stored
	// counters (which rederive adds and writes back); for those in
	// complete, their whole counters. Other units' stored counters are
	// added as needed. nil for a deriver with nothing in it yet.
	d                 *dossier.Deriver
	changed, complete map[string]bool
	// old is the span before the change.
	old span
}

func (j *rederiveJob) touch(unit string, r monthRange) {
	if m := j.touched[unit]; m != nil {
		m.add(r)
		return
	}
	j.touched[unit] = &r
}

// ImportDossiers writes a stream of validated dossier rows in one
// transaction and derives again the counts they change.
//
// Rows are sorted by code in chunks and go through prepared multi-row
// INSERT statements on the write connection. Into a table that has rows,
// they are INSERT … ON CONFLICT (code) DO UPDATE, a dossier code given
// again updating its dossier (an unchanged row is not rewritten), and
// each batch's stored versions are read first, so that exactly the new
// and changed rows count as changes; into an empty table, plain INSERTs
// (every row is new), and on SQLite the table's secondary indexes are
// made after the rows (deferIndexes). Then the periods the changes touch are
// derived again (see the top of this file) and their derived counts
// replaced. imp's log row is completed at the end (finishImport), with the
// periods whose counts changed; the data version moves on in the same
// transaction.
//
// When src is exhausted, verdict says whether the file may be kept (the
// reader's problems); an error from it rolls everything back and is
// returned, wrapped. verdict may set imp.SHA256 (the file's hash is known
// once it is read). A dossier of a unit or procedure that is not in the
// database is a conflict, of a province invalid (the importer checks them
// first).
func (s *Store) ImportDossiers(ctx context.Context, imp *models.Import, src DossierSource, verdict func() error) (DossierResult, error) {
	var res DossierResult
	err := s.bulkTransaction(ctx, func(tx *gorm.DB, sqlTx *sql.Tx) error {
		// The log row first, for the rows' import_id; its guard (the
		// publication guard and the audit trail) runs at the end, once the
		// periods whose counts change are known (finishImport).
		imp.Kind = models.ImportDossiers
		if err := openImport(tx, imp); err != nil {
			return err
		}
		res.ImportID = imp.ID
		old, err := derivationSpan(tx)
		if err != nil {
			return err
		}
		w, err := s.newDossierWriter(ctx, tx, sqlTx, imp.ID)
		if err != nil {
			return err
		}
		defer w.close()
		var reindex func() error
		if s.driver == DriverSQLite && !w.probe {
			if reindex, err = deferIndexes(tx, "dossiers"); err != nil {
				return err
			}
		}
		werr := w.stream(src)
		// The file's problems first: a failed write may be one of them
		// (a code given twice).
		if verdict != nil {
			if err := verdict(); err != nil {
				return err
			}
		}
		if werr != nil {
			return fmt.Errorf("write dossiers: %w", werr)
		}
		if reindex != nil {
			if err := reindex(); err != nil {
				return err
			}
		}
		res.Rows, res.Inserted, res.Updated = w.rows, w.inserted, w.updated
		res.Unchanged = res.Rows - res.Inserted - res.Updated

		job := &rederiveJob{touched: w.touched, d: w.delta, changed: map[string]bool{}, old: old}
		for u := range w.touched {
			job.changed[u] = true
		}
		start := time.Now()
		if res.Derived, res.Rederived, res.Periods, err = s.rederive(tx, job); err != nil {
			return err
		}
		res.DeriveTime = time.Since(start)
		return finishImport(tx, imp, &res)
	})
	if err != nil {
		imp.ID = 0 // the log row was rolled back with the rest
		return DossierResult{}, fmt.Errorf("store: import dossiers: %w", dbErr(err))
	}
	return res, nil
}

// sqliteBareImportCache is the page cache (KiB) of an import into an
// empty dossiers table, whose secondary indexes are made after the rows
// (deferIndexes): the table is written in order and its unique index of
// codes in sorted chunks, and 16 MB writes a million rows as fast as 48 MB
// with 40 MB less peak memory (measured with bench/dossiers.sh).
const sqliteBareImportCache = 16 << 10

// deferIndexes drops the indexes of a SQLite table that the schema made
// with CREATE INDEX (not those of its UNIQUE constraints, which cannot be
// dropped and which keep refusing a code given twice) and returns what
// makes them again, from their own stored statements, once the rows are
// in.
//
// Into an empty table, rows go in faster without them and the indexes are
// then made in one sorted pass. A row goes into an index where its key
// sorts, and where the file's order is not the key's (codes numbered as the
// rows come and received times at random, as a one-stop centre's export
// has them) every row lands on another page of a growing index, read,
// split and written again and again: a million such rows took 2,9 times
// sqlite3's own .import of the file, against 1,3 times for rows whose codes
// sort by office and day. The dropped indexes belong to the write
// transaction: readers keep them in the snapshot they read, and a rollback
// puts them back.
func deferIndexes(tx *gorm.DB, table string) (reindex func() error, err error) {
	type index struct{ Name, SQL string }
	var idx []index
	if err := tx.Raw("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", table).
		Scan(&idx).Error; err != nil {
		return nil, fmt.Errorf("list the indexes of %s: %w", table, err)
	}
	for _, ix := range idx {
		if err := tx.Exec(`DROP INDEX "` + strings.ReplaceAll(ix.Name, `"`, `""`) + `"`).Error; err != nil {
			return nil, fmt.Errorf("drop index %s: %w", ix.Name, err)
		}
	}
	if err := tx.Exec("PRAGMA cache_size = " + strconv.Itoa(-sqliteBareImportCache)).Error; err != nil {
		return nil, fmt.Errorf("set cache_size: %w", err)
	}
	return func() error {
		// The sort that makes an index works in runs the size of the
		// page cache, merged from temporary files: with SQLite's
		// default cache and files on disk a million keys take 0,7 s of
		// CPU and 8 MB, with a 48 MB cache and files in memory (as the
		// INSERTs' statement journals are kept) 1,9 s and 85 MB
		// (measured with sqlite3 on an imported table).
		for _, p := range []string{"temp_store = FILE", "cache_size = -2000"} {
			if err := tx.Exec("PRAGMA " + p).Error; err != nil {
				return fmt.Errorf("index %s: %w", table, err)
			}
		}
		for _, ix := range idx {
			if err := tx.Exec(ix.SQL).Error; err != nil {
				return fmt.Errorf("index %s again (%s): %w", table, ix.Name, err)
			}
		}
		return nil
	}, nil
}

// finishImport completes the log row of a dossier or catalogue import
// with its totals, the periods whose counts changed and the file's hash,
// runs the import's guard (publication guard, audit) and moves the data
// version on when anything changed.
func finishImport(tx *gorm.DB, imp *models.Import, res *DossierResult) error {
	res.fillLog(imp)
	if err := tx.Model(imp).Updates(map[string]any{
		"row_count": imp.Rows, "inserted": imp.Inserted, "updated": imp.Updated,
		"periods": imp.Periods, "sha256": imp.SHA256}).Error; err != nil {
		return fmt.Errorf("log import: %w", err)
	}
	if err := guardImport(tx, imp); err != nil {
		return err
	}
	if res.Inserted+res.Updated == 0 && len(res.Periods) == 0 {
		return nil // the same file again
	}
	return bumpVersion(tx)
}

// bulkTransaction runs fn in one write transaction with the raw *sql.Tx
// beside GORM's, for the statements that must not go through GORM's
// per-row machinery. On SQLite the write connection's page cache is
// enlarged for the transaction and set back after.
func (s *Store) bulkTransaction(ctx context.Context, fn func(tx *gorm.DB, sqlTx *sql.Tx) error) error {
	db := s.w.WithContext(ctx)
	if s.driver == DriverSQLite {
		// The write pool is one connection: the pragmas and the
		// transaction run on the same one.
		//
		// temp_store=MEMORY keeps the statement journals in memory: a
		// multi-row INSERT that could fail half-way journals the pages
		// it changes, and with the default (a temporary file) that is
		// a write system call per page, which more than doubled the
		// time of a million rows.
		for _, p := range []string{"cache_size = " + strconv.Itoa(-sqliteImportCache), "temp_store = MEMORY"} {
			if err := db.Exec("PRAGMA " + p).Error; err != nil {
				return fmt.Errorf("set %s: %w", p, err)
			}
		}
		defer func() {
			_ = s.w.Exec("PRAGMA cache_size = -2000").Error
			_ = s.w.Exec("PRAGMA temp_store = DEFAULT").Error
		}()
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("transaction is a %T, not *sql.Tx", tx.Statement.ConnPool)
		}
		return fn(tx, sqlTx)
	})
	s.afterWrite(err)
	return err
}

// dossierWriter streams rows into the dossiers table and the changes into
// a deriver, in two goroutines: the caller's reads the source, resolves
// ids, sorts chunks of rows by code and packs them into statement
// parameters; the writer's runs the statements, and alone touches the
// transaction while streaming. The deriver of changes and the counters
// are the writer's when the table had rows (a row's change is known once
// its stored version is read), the caller's when it was empty (every row
// is new): never both, the probe flag decides before the writer starts.
// On two cores the parsing, sorting and packing then overlap SQLite's
// work instead of adding to it.
type dossierWriter struct {
	ctx   context.Context
	tx    *gorm.DB
	sqlTx *sql.Tx
	pg    bool

	// The caller's goroutine.
	units, procs   *dossier.Codes // the source's code tables
	unitDB, procDB []int64        // database ids by the source's ids; 0 = not looked up yet
	unitD, procD   []int32        // the deriver's ids by the source's ids
	unitIDs        map[string]unitRow
	procIDs        map[string]int64
	chunk          []chunkRow
	arena          []byte // the codes of the chunk's rows
	chunkSize      int
	order          []int32
	cur            *dossierBatch
	ready          []*dossierBatch // the chunk's batches, sent together
	importID       int64
	rows           int
	readErr        error // a row the database cannot take

	// The writer's goroutine, once started; the caller's after done.
	unitDID, procDID map[int64]int32 // the deriver's ids by database id
	probe            bool            // the table had rows: a code may be stored already
	full, probeFull  *sql.Stmt       // for whole batches
	// delta's code tables hold every unit and procedure of the database
	// from the start and are only read afterwards, by both goroutines.
	delta             *dossier.Deriver
	touchedD          []*monthRange // by the deriver's unit id
	touched           map[string]*monthRange
	inserted, updated int
	writeErr          error

	batches chan []*dossierBatch
	free    chan *dossierBatch // written batches, for reuse
	done    chan struct{}
}

type unitRow struct {
	id   int64
	kind string
}

// chunkRow is a row waiting to be written.
type chunkRow struct {
	code     []byte // in the chunk's arena
	uid, pid int64
	rec      dossier.Record // unit and procedure ids are the deriver's
}

// dossierBatch is one INSERT's rows and parameters.
type dossierBatch struct {
	args []any // args[0] is the import id
	rows []chunkRow
}

// dossierChunk is how many rows are sorted by code before they are
// written. Rows in code order go into the unique index of codes (and,
// codes starting with their office's prefix, into the unit index) next to
// one another instead of all over it: a million generated rows, whose
// order within a month is random, are written in half the time. A chunk
// is a few MB.
const dossierChunk = 1 << 16

// arenaBytes is the size of an arena of codes: the codes of a chunk or
// so, in one allocation instead of one each.
const arenaBytes = 1 << 20

// sendBatches is how many batches go to the writer at a time, and
// sendQueue how many such groups may wait for it: enough for the writer
// not to wait while the next chunk is read and sorted (a chunk is 131
// batches), few enough to keep what is in flight to about 10 MB.
const (
	sendBatches = 16
	sendQueue   = 4
)

// dossierCols are the parameters of a row: code, unit, procedure,
// received, due, finished and the packed small columns (packSmall).
const dossierCols = 7

// upsertDossier ends the INSERT into a table that has rows: a code given
// again updates its dossier, unless nothing changed.
const upsertDossier = ` ON CONFLICT (code) DO UPDATE SET unit_id = excluded.unit_id, procedure_id = excluded.procedure_id,
		received_at = excluded.received_at, due_at = excluded.due_at, finished_at = excluded.finished_at,
		channel = excluded.channel, flags = excluded.flags, supplement_requests = excluded.supplement_requests,
		rating = excluded.rating, import_id = excluded.import_id
		WHERE dossiers.unit_id IS DISTINCT FROM excluded.unit_id OR dossiers.procedure_id IS DISTINCT FROM excluded.procedure_id
		OR dossiers.received_at IS DISTINCT FROM excluded.received_at OR dossiers.due_at IS DISTINCT FROM excluded.due_at
		OR dossiers.finished_at IS DISTINCT FROM excluded.finished_at OR dossiers.channel IS DISTINCT FROM excluded.channel
		OR dossiers.flags IS DISTINCT FROM excluded.flags OR dossiers.supplement_requests IS DISTINCT FROM excluded.supplement_requests
		OR dossiers.rating IS DISTINCT FROM excluded.rating`

// packSmall packs channel, flags, supplement requests and rating into one
// value: one parameter for the INSERT to unpack, one column when reading
// back. Every parameter and column is a call into SQLite, and a million
// rows have ten million of them otherwise. Flags take 9 bits, channel and
// rating 2 each; supplement requests (at most 6 digits, the reader says)
// the rest.
func packSmall(r *dossier.Record) int64 {
	return int64(r.Flags)&511 | int64(r.Channel)<<9 | int64(r.Rating)<<11 | int64(r.Supplements)<<13
}

// unpackSmall is the inverse of packSmall, into r.
func unpackSmall(v int64, r *dossier.Record) {
	r.Flags, r.Channel, r.Rating = dossier.Flags(v&511), dossier.Channel(v>>9&3), dossier.Rating(v>>11&3)
	r.Supplements = int32(v >> 13)
}

// smallSQL packs the small columns in SQL, as packSmall does (in 64 bits:
// PostgreSQL would shift a smallint or an integer within its own width).
const smallSQL = "CAST(flags AS BIGINT) | (CAST(channel AS BIGINT) << 9) | (CAST(rating AS BIGINT) << 11) | (CAST(supplement_requests AS BIGINT) << 13)"

func (s *Store) newDossierWriter(ctx context.Context, tx *gorm.DB, sqlTx *sql.Tx, importID uint) (*dossierWriter, error) {
	w := &dossierWriter{ctx: ctx, tx: tx, sqlTx: sqlTx, pg: s.driver == DriverPostgres, importID: int64(importID),
		unitIDs: map[string]unitRow{},
		unitDID: map[int64]int32{}, procDID: map[int64]int32{}, touched: map[string]*monthRange{}, delta: dossier.NewDeriver()}
	rows, err := tx.Raw("SELECT id, code, kind FROM units").Rows()
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	for rows.Next() {
		var u unitRow
		var code string
		if err := rows.Scan(&u.id, &code, &u.kind); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("load units: %w", err)
		}
		w.unitIDs[code] = u
		w.unitDID[u.id] = w.delta.Units.ID(code)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	if w.procIDs, err = procedureIDs(tx); err != nil {
		return nil, err
	}
	for code, id := range w.procIDs {
		w.procDID[id] = w.delta.Procedures.ID(code)
	}
	w.touchedD = make([]*monthRange, w.delta.Units.Len())
	var n int64
	if err := tx.Raw("SELECT COUNT(*) FROM (SELECT 1 FROM dossiers LIMIT 1) x").Scan(&n).Error; err != nil {
		return nil, fmt.Errorf("look for dossiers: %w", err)
	}
	w.probe = n > 0
	// The statements for whole batches are prepared by the first whole
	// batch (flush): a file of fewer rows never needs them, and SQLite
	// takes longer to prepare one than to write a small file's rows; into
	// an empty table, deferIndexes would also make SQLite prepare again a
	// statement prepared before it dropped the indexes.
	return w, nil
}

func (w *dossierWriter) ph(i int) string {
	if w.pg {
		return "$" + strconv.Itoa(i)
	}
	return "?" + strconv.Itoa(i)
}

// prepare builds the INSERT for n rows. Parameter 1 is the import id,
// shared by every row; the rows' parameters follow.
func (w *dossierWriter) prepare(n int) (*sql.Stmt, error) {
	var b strings.Builder
	b.WriteString(`INSERT INTO dossiers (code, unit_id, procedure_id, received_at, due_at, finished_at, channel, flags, supplement_requests, rating, import_id) VALUES `)
	p := 2
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 0; c < dossierCols-1; c++ {
			if c == 0 && !w.pg {
				// The code comes as bytes, saving a copy of a million
				// strings (see sendChunk); as text it is compared and
				// indexed like any code.
				b.WriteString("CAST(" + w.ph(p) + " AS TEXT), ")
				p++
				continue
			}
			b.WriteString(w.ph(p))
			b.WriteString(", ")
			p++
		}
		small := w.ph(p)
		if w.pg {
			small = "CAST(" + small + " AS BIGINT)"
		}
		p++
		fmt.Fprintf(&b, "(%[1]s >> 9) & 3, %[1]s & 511, %[1]s >> 13, (%[1]s >> 11) & 3, %[2]s)", small, w.ph(1))
	}
	// Into an empty table every row is new: a plain INSERT spares SQLite
	// the look-up of each code before inserting it. A code given twice in
	// the file then fails the unique constraint (the reader reports it as
	// the file's problem). Otherwise an unchanged row is not rewritten:
	// its import_id keeps naming the import that last changed it.
	if w.probe {
		b.WriteString(upsertDossier)
	}
	stmt, err := w.sqlTx.PrepareContext(w.ctx, b.String())
	if err != nil {
		return nil, fmt.Errorf("prepare dossier insert: %w", err)
	}
	return stmt, nil
}

// prepareProbe builds the query of the stored versions of n codes.
func (w *dossierWriter) prepareProbe(n int) (*sql.Stmt, error) {
	var b strings.Builder
	b.WriteString("SELECT code, unit_id, procedure_id, received_at, due_at, finished_at, " + smallSQL + " FROM dossiers WHERE code IN (")
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		b.WriteString(w.ph(i))
	}
	b.WriteByte(')')
	stmt, err := w.sqlTx.PrepareContext(w.ctx, b.String())
	if err != nil {
		return nil, fmt.Errorf("prepare dossier probe: %w", err)
	}
	return stmt, nil
}

// stream writes every row of src and returns once every row is written,
// or writing failed (the error is then the writer's). A failure stops the
// writing but not the reading, so that the file's own problems, if any,
// are what the caller reports (a dossier code given twice in one
// statement is an error on PostgreSQL before it is a problem of the file).
func (w *dossierWriter) stream(src DossierSource) error {
	w.units, w.procs = src.Units(), src.Procedures()
	w.chunkSize = dossierChunk / 16
	w.batches, w.done = make(chan []*dossierBatch, sendQueue), make(chan struct{})
	w.free = make(chan *dossierBatch, 4*sendBatches)
	go w.write()
	for src.Next() {
		if w.readErr != nil {
			continue
		}
		r := src.Record()
		uid, du, err := w.unitID(r.Unit)
		if err == nil {
			var pid int64
			var dp int32
			if pid, dp, err = w.procedureID(r.Procedure); err == nil {
				code := src.Code()
				if cap(w.arena)-len(w.arena) < len(code) {
					// A fresh arena: batches in flight still hold the old.
					w.arena = make([]byte, 0, max(arenaBytes, len(code)))
				}
				w.arena = append(w.arena, code...)
				c := chunkRow{code: w.arena[len(w.arena)-len(code) : len(w.arena) : len(w.arena)], uid: uid, pid: pid, rec: *r}
				c.rec.Unit, c.rec.Procedure = du, dp
				w.chunk = append(w.chunk, c)
				w.rows++
			}
		}
		if err != nil {
			w.readErr = err
			continue
		}
		if len(w.chunk) == w.chunkSize {
			w.sendChunk(false)
			// The first chunks are small, so that the writer starts at
			// once rather than after a whole chunk is read and sorted.
			w.chunkSize = min(2*w.chunkSize, dossierChunk)
		}
	}
	w.sendChunk(true)
	close(w.batches)
	<-w.done
	for id, m := range w.touchedD {
		if m != nil {
			w.touched[w.delta.Units.Code(int32(id))] = m
		}
	}
	if err := src.Err(); err != nil {
		return err
	}
	if w.readErr != nil {
		return w.readErr
	}
	return w.writeErr
}

// unitID maps a source unit id to the database's and the deriver's.
func (w *dossierWriter) unitID(id int32) (int64, int32, error) {
	for int(id) >= len(w.unitDB) {
		w.unitDB, w.unitD = append(w.unitDB, 0), append(w.unitD, 0)
	}
	if v := w.unitDB[id]; v != 0 {
		return v, w.unitD[id], nil
	}
	code := w.units.Code(id)
	u, ok := w.unitIDs[code]
	if !ok {
		return 0, 0, fmt.Errorf("unit %q: %w", code, ErrConflict)
	}
	if u.kind == models.KindProvince {
		return 0, 0, fmt.Errorf("unit %q is a province: %w", code, ErrInvalid)
	}
	w.unitDB[id], w.unitD[id] = u.id, w.unitDID[u.id]
	return u.id, w.unitD[id], nil
}

func (w *dossierWriter) procedureID(id int32) (int64, int32, error) {
	for int(id) >= len(w.procDB) {
		w.procDB, w.procD = append(w.procDB, 0), append(w.procD, 0)
	}
	if v := w.procDB[id]; v != 0 {
		return v, w.procD[id], nil
	}
	code := w.procs.Code(id)
	v, ok := w.procIDs[code]
	if !ok {
		return 0, 0, fmt.Errorf("procedure %q is in no catalogue: %w", code, ErrConflict)
	}
	w.procDB[id], w.procD[id] = v, w.procDID[v]
	return v, w.procD[id], nil
}

// sendChunk sorts the waiting rows by code, packs them into batches and
// hands the whole batches to the writer; at the end, the last one too.
func (w *dossierWriter) sendChunk(last bool) {
	// Sorting positions moves 4 bytes a swap instead of a whole row.
	w.order = w.order[:0]
	for i := range w.chunk {
		w.order = append(w.order, int32(i))
	}
	slices.SortFunc(w.order, func(a, b int32) int { return bytes.Compare(w.chunk[a].code, w.chunk[b].code) })
	for _, i := range w.order {
		c := &w.chunk[i]
		if w.cur == nil {
			select {
			case w.cur = <-w.free:
			default:
				w.cur = &dossierBatch{args: make([]any, 1, 1+dossierBatchRows*dossierCols), rows: make([]chunkRow, 0, dossierBatchRows)}
			}
			w.cur.args[0] = w.importID
		}
		r := &c.rec
		var fin any
		if r.Finished != dossier.Open {
			fin = r.Finished
		}
		var code any = c.code // bytes to SQLite, which the INSERT casts to text
		if w.pg {
			code = string(c.code)
		}
		w.cur.args = append(w.cur.args, code, c.uid, c.pid, r.Received, r.Due, fin, packSmall(r))
		if !w.probe {
			// Every row is new (see flush): counted here, on the goroutine
			// with time to spare, rather than by the writer.
			w.inserted++
			w.delta.Add(r)
			w.touch(r)
		}
		w.cur.rows = append(w.cur.rows, *c)
		if len(w.cur.rows) == dossierBatchRows {
			w.ready = append(w.ready, w.cur)
			w.cur = nil
			if len(w.ready) == sendBatches {
				w.batches <- w.ready
				w.ready = nil
			}
		}
	}
	if last && w.cur != nil {
		w.ready = append(w.ready, w.cur)
		w.cur = nil
	}
	if len(w.ready) > 0 {
		w.batches <- w.ready
		w.ready = nil
	}
	clear(w.chunk) // drop the codes
	w.chunk = w.chunk[:0]
}

// write runs the batches until the channel closes; after a failure it
// only drains them.
func (w *dossierWriter) write() {
	defer close(w.done)
	for list := range w.batches {
		for _, b := range list {
			if w.writeErr == nil {
				w.writeErr = w.flush(b)
			}
			clear(b.args)
			clear(b.rows)
			b.args, b.rows = b.args[:1], b.rows[:0]
			select {
			case w.free <- b:
			default:
			}
		}
	}
}

// flush writes one batch, after reading its rows' stored versions when
// the table had rows. The new and changed rows go into the deriver of
// changes, the old versions of the changed ones out of it. Into an empty
// table every row is new and sendChunk has already counted it.
func (w *dossierWriter) flush(b *dossierBatch) error {
	if len(b.rows) == dossierBatchRows && w.full == nil {
		var err error
		if w.full, err = w.prepare(dossierBatchRows); err != nil {
			return err
		}
		if w.probe {
			if w.probeFull, err = w.prepareProbe(dossierBatchRows); err != nil {
				return err
			}
		}
	}
	stmt, probe := w.full, w.probeFull
	if len(b.rows) != dossierBatchRows { // the last batch
		var err error
		if stmt, err = w.prepare(len(b.rows)); err != nil {
			return err
		}
		defer func() { _ = stmt.Close() }()
		if w.probe {
			if probe, err = w.prepareProbe(len(b.rows)); err != nil {
				return err
			}
			defer func() { _ = probe.Close() }()
		}
	}
	var old map[string]dossier.Record
	if w.probe {
		var err error
		if old, err = w.stored(probe, b.rows); err != nil {
			return err
		}
	}
	want := int64(len(b.rows))
	for i := 0; w.probe && i < len(b.rows); i++ {
		c := &b.rows[i]
		o, had := old[string(c.code)]
		if had && o == c.rec {
			want-- // written again as it is: no change
			continue
		}
		if had {
			w.updated++
			w.delta.Remove(&o)
			w.touch(&o)
		} else {
			w.inserted++
		}
		w.delta.Add(&c.rec)
		w.touch(&c.rec)
	}
	res, err := stmt.ExecContext(w.ctx, b.args...)
	if err != nil {
		// Into an empty table, a code given twice in the file fails the
		// unique constraint: a conflict, as an upsert that wrote fewer
		// rows than expected is below. The statement runs on the raw
		// transaction, so GORM's translation of driver errors is asked
		// for here.
		if t, ok := w.tx.Dialector.(gorm.ErrorTranslator); ok && errors.Is(t.Translate(err), gorm.ErrDuplicatedKey) {
			return fmt.Errorf("%w: %w", ErrConflict, err)
		}
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	// What the database wrote must be what the stored versions said it
	// would: a code given twice within the batch (refused by the reader
	// at the end of the file) is the only way they can differ.
	if n != want {
		return fmt.Errorf("%d rows written where %d were new or changed: %w", n, want, ErrConflict)
	}
	return nil
}

// touch notes the months a changed dossier's version is counted in.
func (w *dossierWriter) touch(r *dossier.Record) {
	m := dossierMonths(r.Received, r.Finished)
	if t := w.touchedD[r.Unit]; t != nil {
		t.add(m)
		return
	}
	w.touchedD[r.Unit] = &m
}

// stored reads the stored versions of the rows' codes, as records with
// the writer's deriver's ids.
func (w *dossierWriter) stored(probe *sql.Stmt, batch []chunkRow) (map[string]dossier.Record, error) {
	codes := make([]any, len(batch))
	for i := range batch {
		codes[i] = string(batch[i].code)
	}
	rows, err := probe.QueryContext(w.ctx, codes...)
	if err != nil {
		return nil, fmt.Errorf("read stored versions: %w", err)
	}
	out := map[string]dossier.Record{}
	for rows.Next() {
		var code string
		var unit, proc, small int64
		var fin sql.NullInt64
		var r dossier.Record
		if err := rows.Scan(&code, &unit, &proc, &r.Received, &r.Due, &fin, &small); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("read stored versions: %w", err)
		}
		_, ok1 := w.unitDID[unit]
		_, ok2 := w.procDID[proc]
		if !ok1 || !ok2 {
			_ = rows.Close()
			return nil, fmt.Errorf("stored dossier %s: unit %d or procedure %d unknown: %w", code, unit, proc, ErrConflict)
		}
		r.Unit, r.Procedure = w.unitDID[unit], w.procDID[proc]
		r.Finished = dossier.Open
		if fin.Valid {
			r.Finished = fin.Int64
		}
		unpackSmall(small, &r)
		out[code] = r
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("read stored versions: %w", err)
	}
	return out, nil
}

// close releases the prepared statements.
func (w *dossierWriter) close() {
	for _, st := range []*sql.Stmt{w.full, w.probeFull} {
		if st != nil {
			_ = st.Close()
		}
	}
}

// procedureIDs maps every known procedure code to its id.
func procedureIDs(tx *gorm.DB) (map[string]int64, error) {
	out := map[string]int64{}
	rows, err := tx.Raw("SELECT id, code FROM procedures").Rows()
	if err != nil {
		return nil, fmt.Errorf("load procedures: %w", err)
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("load procedures: %w", err)
		}
		out[code] = id
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("load procedures: %w", err)
	}
	return out, nil
}

// unitPeriods is one unit's periods to derive again.
type unitPeriods struct {
	all  map[scoring.Period]bool // to delete: every period touched
	emit map[scoring.Period]bool // to write: those meeting the new span
}

// rederive brings the stored counters of the changed units up to date,
// then derives again the counts the job touches and replaces them. It
// returns the rows written, the (unit, period) pairs derived and the
// periods whose counts changed, oldest first.
func (s *Store) rederive(tx *gorm.DB, job *rederiveJob) (written, pairs int, changed []string, err error) {
	d := job.d
	if d == nil {
		d = dossier.NewDeriver()
	}
	have := map[string]bool{} // units whose whole counters are in d
	for u := range job.complete {
		have[u] = true
	}
	if len(job.changed) > 0 {
		units := sortedKeys(job.changed)
		if err := addStates(tx, d, units); err != nil {
			return 0, 0, nil, err
		}
		if err := writeStates(tx, d, units); err != nil {
			return 0, 0, nil, err
		}
		for _, u := range units {
			have[u] = true
		}
	}
	newSpan, err := derivationSpan(tx)
	if err != nil {
		return 0, 0, nil, err
	}

	// Months every unit must be derived again for: those in one span and
	// not the other (a new month: open dossiers are handled in it).
	var band []monthRange
	switch o, n := job.old, newSpan; {
	case o.same(n):
	case !o.ok:
		band = []monthRange{{n.lo, n.hi}}
	case !n.ok:
		band = []monthRange{{o.lo, o.hi}}
	case o.hi < n.lo || n.hi < o.lo:
		band = []monthRange{{o.lo, o.hi}, {n.lo, n.hi}}
	default:
		if o.lo != n.lo {
			band = append(band, monthRange{min(o.lo, n.lo), max(o.lo, n.lo) - 1})
		}
		if o.hi != n.hi {
			band = append(band, monthRange{min(o.hi, n.hi) + 1, max(o.hi, n.hi)})
		}
	}
	ranges := map[string][]monthRange{}
	for u, r := range job.touched {
		ranges[u] = append(ranges[u], *r)
	}
	if len(band) > 0 {
		var units []string
		if err := tx.Raw(`SELECT unit_code FROM dossier_units UNION SELECT DISTINCT unit_code FROM catalogue_states
			UNION SELECT DISTINCT unit_code FROM derived_counts`).Scan(&units).Error; err != nil {
			return 0, 0, nil, fmt.Errorf("units with derived counts: %w", err)
		}
		for u := range job.touched {
			units = append(units, u)
		}
		for _, u := range units {
			ranges[u] = append(ranges[u], band...)
		}
	}
	if len(ranges) == 0 {
		return 0, 0, nil, nil
	}
	// Open ends stop at the last month of either span.
	last := max(job.old.hi, newSpan.hi)
	plans := map[string]*unitPeriods{}
	var all []scoring.Period
	seenAll := map[scoring.Period]bool{}
	for u, rs := range ranges {
		up := &unitPeriods{all: map[scoring.Period]bool{}, emit: map[scoring.Period]bool{}}
		for _, r := range rs {
			for m := r.lo; m <= min(r.hi, last); m++ {
				for _, p := range dossier.PeriodsOf(m) {
					if up.all[p] {
						continue
					}
					up.all[p] = true
					if !newSpan.contains(p) {
						continue
					}
					up.emit[p] = true
					if !seenAll[p] {
						seenAll[p] = true
						all = append(all, p)
					}
				}
			}
		}
		plans[u] = up
	}
	units := sortedKeys(plans)
	var need []string
	for _, u := range units {
		if !have[u] {
			need = append(need, u)
		}
	}
	if err := addStates(tx, d, need); err != nil {
		return 0, 0, nil, err
	}
	cat, err := loadCatalogue(tx, units)
	if err != nil {
		return 0, 0, nil, err
	}
	var rows []derivedRow
	d.Derive(dossier.DeriveOptions{Catalogue: cat, Periods: all}, func(k scoring.Key, c scoring.Counts) {
		up := plans[k.Unit]
		if up == nil {
			return
		}
		p, err := scoring.ParsePeriod(k.Period)
		if err != nil || !up.emit[p] {
			return
		}
		rows = append(rows, derivedRow{k, c})
	})

	// Replace: the touched periods' rows go, the derived ones come. The
	// periods whose counts differ are what the import changed.
	byUnit := map[string]map[scoring.Key]scoring.Counts{}
	for _, r := range rows {
		m := byUnit[r.k.Unit]
		if m == nil {
			m = map[scoring.Key]scoring.Counts{}
			byUnit[r.k.Unit] = m
		}
		m[r.k] = r.c
	}
	changedSet := map[string]bool{}
	for _, u := range units {
		ps := make([]string, 0, len(plans[u].all))
		for p := range plans[u].all {
			ps = append(ps, p.String())
		}
		sort.Strings(ps)
		fresh := byUnit[u]
		had := map[scoring.Key]bool{}
		for start := 0; start < len(ps); start += upsertBatch {
			part := ps[start:min(start+upsertBatch, len(ps))]
			old, err := derivedOf(tx, u, part)
			if err != nil {
				return 0, 0, nil, err
			}
			for k, c := range old {
				had[k] = true
				if n, ok := fresh[k]; !ok || n != c {
					changedSet[k.Period] = true
				}
			}
			if err := tx.Exec("DELETE FROM derived_counts WHERE unit_code = ? AND period IN ?", u, part).Error; err != nil {
				return 0, 0, nil, fmt.Errorf("delete derived counts: %w", err)
			}
		}
		for k := range fresh {
			if !had[k] {
				changedSet[k.Period] = true
			}
		}
		pairs += len(plans[u].all)
	}
	if err := writeDerived(tx, rows); err != nil {
		return 0, 0, nil, err
	}
	for p := range changedSet {
		changed = append(changed, p)
	}
	sortPeriods(changed)
	return len(rows), pairs, changed, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// addStates adds the stored counters of the units to d.
func addStates(tx *gorm.DB, d *dossier.Deriver, units []string) error {
	for start := 0; start < len(units); start += upsertBatch {
		part := units[start:min(start+upsertBatch, len(units))]
		rows, err := tx.Raw("SELECT unit_code, state FROM dossier_units WHERE unit_code IN ?", part).Rows()
		if err != nil {
			return fmt.Errorf("load dossier counters: %w", err)
		}
		for rows.Next() {
			var unit string
			var state []byte
			if err := rows.Scan(&unit, &state); err != nil {
				_ = rows.Close()
				return fmt.Errorf("load dossier counters: %w", err)
			}
			if err := d.AddEncoded(unit, state); err != nil {
				_ = rows.Close()
				return fmt.Errorf("load dossier counters: %w", err)
			}
		}
		if err := closeRows(rows); err != nil {
			return fmt.Errorf("load dossier counters: %w", err)
		}
	}
	return nil
}

// writeStates stores the units' counters from d (the whole of them), or
// deletes the row of a unit left without dossiers.
func writeStates(tx *gorm.DB, d *dossier.Deriver, units []string) error {
	type row struct {
		unit        string
		first, last int32
		state       []byte
	}
	var rows []row
	var gone []string
	for _, u := range units {
		first, last, ok := d.UnitMonths(u)
		state := d.EncodeUnit(u)
		if !ok || state == nil {
			gone = append(gone, u)
			continue
		}
		rows = append(rows, row{u, first, last, state})
	}
	for start := 0; start < len(gone); start += upsertBatch {
		if err := tx.Exec("DELETE FROM dossier_units WHERE unit_code IN ?", gone[start:min(start+upsertBatch, len(gone))]).Error; err != nil {
			return fmt.Errorf("delete dossier counters: %w", err)
		}
	}
	err := upsert(tx, "dossier_units", []string{"unit_code", "first_month", "last_month", "state"}, "unit_code",
		"first_month = excluded.first_month, last_month = excluded.last_month, state = excluded.state",
		len(rows), func(i int, args []any) []any {
			r := rows[i]
			return append(args, r.unit, r.first, r.last, r.state)
		})
	if err != nil {
		return fmt.Errorf("write dossier counters: %w", err)
	}
	return nil
}

// derivedOf reads a unit's derived counts in the periods.
func derivedOf(tx *gorm.DB, unit string, periods []string) (map[scoring.Key]scoring.Counts, error) {
	out := map[scoring.Key]scoring.Counts{}
	rows, err := tx.Raw("SELECT period, metric, numerator, denominator FROM derived_counts WHERE unit_code = ? AND period IN ?", unit, periods).Rows()
	if err != nil {
		return nil, fmt.Errorf("derived counts of %s: %w", unit, err)
	}
	for rows.Next() {
		k := scoring.Key{Unit: unit}
		var c scoring.Counts
		if err := rows.Scan(&k.Period, &k.Metric, &c.Num, &c.Den); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("derived counts of %s: %w", unit, err)
		}
		c.Valid = true
		out[k] = c
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("derived counts of %s: %w", unit, err)
	}
	return out, nil
}

type derivedRow struct {
	k scoring.Key
	c scoring.Counts
}

func writeDerived(tx *gorm.DB, rows []derivedRow) error {
	if len(rows) == 0 {
		return nil
	}
	err := upsert(tx, "derived_counts", []string{"unit_code", "period", "metric", "numerator", "denominator"},
		"unit_code, period, metric", "numerator = excluded.numerator, denominator = excluded.denominator",
		len(rows), func(i int, args []any) []any {
			r := rows[i]
			return append(args, r.k.Unit, r.k.Period, r.k.Metric, r.c.Num, r.c.Den)
		})
	if err != nil {
		return fmt.Errorf("write derived counts: %w", err)
	}
	return nil
}

// loadCatalogue reads the catalogue states of the units.
func loadCatalogue(tx *gorm.DB, units []string) (*dossier.Catalogue, error) {
	cat := dossier.NewCatalogue()
	type key struct {
		unit   string
		period string
	}
	states := map[key][]dossier.Procedure{}
	for start := 0; start < len(units); start += upsertBatch {
		part := units[start:min(start+upsertBatch, len(units))]
		rows, err := tx.Raw(`SELECT unit_code, period, procedure_code, online_level, has_fee, individual_applicant, citizen_data_connected
			FROM catalogue_states WHERE unit_code IN ?`, part).Rows()
		if err != nil {
			return nil, fmt.Errorf("load catalogue: %w", err)
		}
		for rows.Next() {
			var k key
			var p dossier.Procedure
			var level string
			if err := rows.Scan(&k.unit, &k.period, &p.Code, &level, &p.HasFee, &p.IndividualApplicant, &p.CitizenDataConnected); err != nil {
				_ = rows.Close()
				return nil, fmt.Errorf("load catalogue: %w", err)
			}
			p.Online = onlineLevel(level)
			states[k] = append(states[k], p)
		}
		if err := closeRows(rows); err != nil {
			return nil, fmt.Errorf("load catalogue: %w", err)
		}
	}
	for k, procs := range states {
		m, err := scoring.ParsePeriod(k.period)
		if err != nil {
			return nil, fmt.Errorf("load catalogue: %w", err)
		}
		sort.Slice(procs, func(i, j int) bool { return procs[i].Code < procs[j].Code })
		cat.Set(dossier.State{Unit: k.unit, Month: m, Procedures: procs})
	}
	return cat, nil
}

// RederiveAll derives every count again from the stored catalogue and
// every stored dossier, read back whole, replacing the units' counters and
// all derived counts: the check that what imports keep up to date, change
// by change, is what the data as a whole gives (the tests use it), and the
// repair should it ever not be.
func (s *Store) RederiveAll(ctx context.Context) (DossierResult, error) {
	var res DossierResult
	err := s.bulkTransaction(ctx, func(tx *gorm.DB, _ *sql.Tx) error {
		start := time.Now()
		d := dossier.NewDeriver()
		unitCode, err := unitCodesByID(tx)
		if err != nil {
			return err
		}
		procs, err := procedureIDs(tx)
		if err != nil {
			return err
		}
		procID := map[int64]int32{}
		for code, id := range procs {
			procID[id] = d.Procedures.ID(code)
		}
		rows, err := tx.Raw("SELECT unit_id, procedure_id, received_at, due_at, finished_at, " + smallSQL + " FROM dossiers").Rows()
		if err != nil {
			return fmt.Errorf("read dossiers: %w", err)
		}
		var r dossier.Record
		for rows.Next() {
			var unit, proc, small int64
			var fin sql.NullInt64
			if err := rows.Scan(&unit, &proc, &r.Received, &r.Due, &fin, &small); err != nil {
				_ = rows.Close()
				return fmt.Errorf("read dossiers: %w", err)
			}
			r.Unit, r.Procedure = d.Units.ID(unitCode[unit]), procID[proc]
			r.Finished = dossier.Open
			if fin.Valid {
				r.Finished = fin.Int64
			}
			unpackSmall(small, &r)
			d.Add(&r)
		}
		if err := closeRows(rows); err != nil {
			return fmt.Errorf("read dossiers: %w", err)
		}
		for _, stmt := range []string{"DELETE FROM dossier_units", "DELETE FROM derived_counts"} {
			if err := tx.Exec(stmt).Error; err != nil {
				return fmt.Errorf("derive again: %w", err)
			}
		}
		var units []string
		if err := tx.Raw("SELECT DISTINCT unit_code FROM catalogue_states").Scan(&units).Error; err != nil {
			return fmt.Errorf("catalogue units: %w", err)
		}
		complete := map[string]bool{}
		for i := 0; i < d.Units.Len(); i++ {
			complete[d.Units.Code(int32(i))] = true
		}
		if err := writeStates(tx, d, sortedKeys(complete)); err != nil {
			return err
		}
		sp, err := derivationSpan(tx)
		if err != nil {
			return err
		}
		job := &rederiveJob{touched: map[string]*monthRange{}, d: d, complete: complete, old: sp}
		if sp.ok {
			for u := range complete {
				job.touch(u, monthRange{sp.lo, openEnd})
			}
			for _, u := range units {
				job.touch(u, monthRange{sp.lo, openEnd})
			}
		}
		if res.Derived, res.Rederived, _, err = s.rederive(tx, job); err != nil {
			return err
		}
		res.DeriveTime = time.Since(start)
		return bumpVersion(tx)
	})
	if err != nil {
		return DossierResult{}, fmt.Errorf("store: derive again: %w", dbErr(err))
	}
	return res, nil
}

// unitCodesByID maps unit ids to codes.
func unitCodesByID(tx *gorm.DB) (map[int64]string, error) {
	out := map[int64]string{}
	rows, err := tx.Raw("SELECT id, code FROM units").Rows()
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("load units: %w", err)
		}
		out[id] = code
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	return out, nil
}

// loadDerived reads the derived counts into ds.Dossier (Dataset's
// transaction).
func (s *Store) loadDerived(tx *gorm.DB, ds *scoring.Dataset) error {
	var n int64
	if err := tx.Raw("SELECT COUNT(*) FROM derived_counts").Scan(&n).Error; err != nil {
		return fmt.Errorf("count derived counts: %w", err)
	}
	ds.Dossier = make(map[scoring.Key]scoring.Counts, n)
	return s.scanDerived(tx, "", nil, ds.Dossier, interner{}.str)
}

// scanDerived reads the derived counts rows matching where (a condition
// with args, or "" for all) into into, their strings interned through str.
func (s *Store) scanDerived(tx *gorm.DB, where string, args []any, into map[scoring.Key]scoring.Counts, str func(sql.RawBytes) string) error {
	return s.scanJoined(tx, "derived_counts", where, args, into, str)
}

// DrillDownQuery asks which dossiers cost a unit points on a metric in a
// period.
type DrillDownQuery struct {
	Unit   string
	Period scoring.Period
	// Metric is dossier.MetricOnTime (late dossiers) or
	// dossier.MetricSatisfaction (late or rated dissatisfied).
	Metric string
	// Offset and Limit choose the page of the list; Limit 0 asks for the
	// summary by procedure only.
	Offset, Limit int
}

// DossierDrillDown lists the dossiers of a unit handled in a period that
// were late (or, for satisfaction, late or rated dissatisfied), by the
// same rule that derives the counts (dossier.Judge), so the list and the
// counts agree. ErrNotFound for an unknown unit; a province has no
// dossiers of its own (its counts are its units' pool), so its list is
// empty.
func (s *Store) DossierDrillDown(ctx context.Context, q DrillDownQuery) (models.DossierDrillDown, error) {
	var out models.DossierDrillDown
	if q.Metric != dossier.MetricOnTime && q.Metric != dossier.MetricSatisfaction {
		return out, fmt.Errorf("store: drill-down: metric %q: %w", q.Metric, ErrInvalid)
	}
	if q.Period.IsZero() {
		return out, fmt.Errorf("store: drill-down: no period: %w", ErrInvalid)
	}
	err := s.r.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var unitID int64
		if err := tx.Raw("SELECT id FROM units WHERE code = ?", q.Unit).Row().Scan(&unitID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return gorm.ErrRecordNotFound
			}
			return fmt.Errorf("unit: %w", err)
		}
		start, end := q.Period.Start().Unix(), q.Period.End().Unix()
		rows, err := tx.Raw(`SELECT id, procedure_id, received_at, due_at, finished_at, supplement_requests, rating
			FROM dossiers WHERE unit_id = ? AND received_at < ? AND (finished_at IS NULL OR finished_at >= ?)
			ORDER BY received_at, id`, unitID, end, start).Rows()
		if err != nil {
			return fmt.Errorf("dossiers: %w", err)
		}
		type procAcc struct{ handled, issues int64 }
		byProc := map[int64]*procAcc{}
		var issues []int64
		var rec dossier.Record
		for rows.Next() {
			var id, proc, supp, rating int64
			var fin sql.NullInt64
			if err := rows.Scan(&id, &proc, &rec.Received, &rec.Due, &fin, &supp, &rating); err != nil {
				_ = rows.Close()
				return fmt.Errorf("dossiers: %w", err)
			}
			rec.Finished = dossier.Open
			if fin.Valid {
				rec.Finished = fin.Int64
			}
			rec.Supplements, rec.Rating = int32(supp), dossier.Rating(rating)
			handled, onTime, satisfied := dossier.Judge(&rec, q.Period)
			if !handled {
				continue
			}
			a := byProc[proc]
			if a == nil {
				a = &procAcc{}
				byProc[proc] = a
			}
			a.handled++
			out.Handled++
			bad := !onTime
			if q.Metric == dossier.MetricSatisfaction {
				bad = !satisfied
			}
			if bad {
				a.issues++
				issues = append(issues, id)
			}
		}
		if err := closeRows(rows); err != nil {
			return fmt.Errorf("dossiers: %w", err)
		}
		out.Issues = int64(len(issues))

		procIDs := make([]int64, 0, len(byProc))
		for id := range byProc {
			procIDs = append(procIDs, id)
		}
		procCode := map[int64]string{}
		for start := 0; start < len(procIDs); start += upsertBatch {
			var got []struct {
				ID   int64
				Code string
			}
			if err := tx.Raw("SELECT id, code FROM procedures WHERE id IN ?", procIDs[start:min(start+upsertBatch, len(procIDs))]).
				Scan(&got).Error; err != nil {
				return fmt.Errorf("procedures: %w", err)
			}
			for _, g := range got {
				procCode[g.ID] = g.Code
			}
		}
		codes := make([]string, 0, len(procCode))
		for _, c := range procCode {
			codes = append(codes, c)
		}
		names, err := procedureNames(tx, q.Unit, q.Period, codes)
		if err != nil {
			return err
		}
		for id, a := range byProc {
			if a.issues == 0 {
				continue
			}
			c := procCode[id]
			out.ByProcedure = append(out.ByProcedure, models.ProcedureIssues{ProcedureCode: c, ProcedureName: names[c],
				Handled: a.handled, Issues: a.issues})
		}
		sort.Slice(out.ByProcedure, func(i, j int) bool {
			a, b := out.ByProcedure[i], out.ByProcedure[j]
			if a.Issues != b.Issues {
				return a.Issues > b.Issues
			}
			return a.ProcedureCode < b.ProcedureCode
		})

		if q.Limit <= 0 || q.Offset < 0 || q.Offset >= len(issues) {
			return nil
		}
		out.Offset = q.Offset
		page := issues[q.Offset:min(q.Offset+q.Limit, len(issues))]
		var list []struct {
			ID, ProcedureID, ReceivedAt, DueAt int64
			FinishedAt                         sql.NullInt64
			Code                               string
			SupplementRequests, Rating         int64
		}
		if err := tx.Raw(`SELECT id, code, procedure_id, received_at, due_at, finished_at, supplement_requests, rating
			FROM dossiers WHERE id IN ?`, page).Scan(&list).Error; err != nil {
			return fmt.Errorf("dossier page: %w", err)
		}
		at := make(map[int64]int, len(page))
		for i, id := range page {
			at[id] = i
		}
		out.List = make([]models.DossierIssue, len(page))
		for _, d := range list {
			rec := dossier.Record{Received: d.ReceivedAt, Due: d.DueAt, Finished: dossier.Open,
				Supplements: int32(d.SupplementRequests), Rating: dossier.Rating(d.Rating)}
			it := models.DossierIssue{Code: d.Code, ProcedureCode: procCode[d.ProcedureID], ProcedureName: names[procCode[d.ProcedureID]],
				ReceivedAt: time.Unix(d.ReceivedAt, 0).In(scoring.Location), DueAt: time.Unix(d.DueAt, 0).In(scoring.Location),
				Supplements: int(d.SupplementRequests), Dissatisfied: d.Rating == models.DossierRatingDissatisfied}
			if d.FinishedAt.Valid {
				rec.Finished = d.FinishedAt.Int64
				t := time.Unix(d.FinishedAt.Int64, 0).In(scoring.Location)
				it.FinishedAt = &t
			}
			_, onTime, _ := dossier.Judge(&rec, q.Period)
			it.Late = !onTime
			out.List[at[d.ID]] = it
		}
		return nil
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return models.DossierDrillDown{}, fmt.Errorf("store: drill-down %s %s: %w", q.Unit, q.Period, dbErr(err))
	}
	return out, nil
}
