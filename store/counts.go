package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"

	"gorm.io/gorm"

	"scorecard/models"
	"scorecard/scoring"
)

// CountRow is one validated row of a metric counts file. Numerator and
// Denominator are both nil for "no counts".
type CountRow struct {
	Period      string
	UnitCode    string
	Metric      string
	Numerator   *int64
	Denominator *int64
}

type countKey struct{ period, unit, metric string }

type countVal struct {
	num, den sql.NullInt64
}

func (v countVal) same(num, den *int64) bool {
	eq := func(a sql.NullInt64, b *int64) bool {
		if b == nil {
			return !a.Valid
		}
		return a.Valid && a.Int64 == *b
	}
	return eq(v.num, num) && eq(v.den, den)
}

// sortPeriods orders canonical periods oldest first (shorter first when they
// start together); strings that are not periods go last, sorted.
func sortPeriods(ps []string) {
	sort.Slice(ps, func(i, j int) bool {
		a, errA := scoring.ParsePeriod(ps[i])
		b, errB := scoring.ParsePeriod(ps[j])
		switch {
		case errA == nil && errB == nil:
			if !a.Start().Equal(b.Start()) {
				return a.Start().Before(b.Start())
			}
			return len(a.Months()) < len(b.Months())
		case errA == nil || errB == nil:
			return errA == nil
		}
		return ps[i] < ps[j]
	})
}

// sortedPeriods is the periods of a set, oldest first (sortPeriods).
func sortedPeriods(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sortPeriods(out)
	return out
}

// ImportCounts writes a validated counts file in one transaction: the import
// log row, then every (period, unit, metric), whose counts replace earlier
// ones, so importing the same file twice leaves the same data. imp.Kind,
// Rows, Inserted, Updated and Periods are filled in.
func (s *Store) ImportCounts(ctx context.Context, imp *models.Import, rows []CountRow) (Result, error) {
	if len(rows) == 0 {
		return Result{}, fmt.Errorf("store: import counts: no rows: %w", ErrInvalid)
	}
	seen := make(map[countKey]bool, len(rows))
	periodSet := map[string]bool{}
	for i, r := range rows {
		k := countKey{r.Period, r.UnitCode, r.Metric}
		if seen[k] {
			return Result{}, fmt.Errorf("store: import counts: %s/%s/%s twice: %w", r.Period, r.UnitCode, r.Metric, ErrConflict)
		}
		seen[k] = true
		periodSet[r.Period] = true
		if (r.Numerator == nil) != (r.Denominator == nil) ||
			(r.Numerator != nil && (*r.Numerator < 0 || *r.Numerator > *r.Denominator)) {
			return Result{}, fmt.Errorf("store: import counts: row %d (%s/%s/%s): need both counts empty or 0 ≤ numerator ≤ denominator: %w",
				i+1, r.Period, r.UnitCode, r.Metric, ErrInvalid)
		}
	}
	periods := sortedPeriods(periodSet)

	res := Result{Rows: len(rows), Periods: periods}
	err := s.write(ctx, func(tx *gorm.DB) error {
		// The counts already stored for these periods, to tell inserted
		// from updated rows; a handful of periods, so one query.
		old := map[countKey]countVal{}
		cur, err := tx.Raw("SELECT period, unit_code, metric, numerator, denominator FROM metric_counts WHERE period IN ?", periods).Rows()
		if err != nil {
			return fmt.Errorf("load counts: %w", err)
		}
		for cur.Next() {
			var k countKey
			var v countVal
			if err := cur.Scan(&k.period, &k.unit, &k.metric, &v.num, &v.den); err != nil {
				_ = cur.Close()
				return fmt.Errorf("load counts: %w", err)
			}
			old[k] = v
		}
		if err := cur.Err(); err != nil {
			_ = cur.Close()
			return fmt.Errorf("load counts: %w", err)
		}
		if err := cur.Close(); err != nil {
			return fmt.Errorf("load counts: %w", err)
		}
		for _, r := range rows {
			switch v, ok := old[countKey{r.Period, r.UnitCode, r.Metric}]; {
			case !ok:
				res.Inserted++
			case !v.same(r.Numerator, r.Denominator):
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		imp.Kind = models.ImportCounts
		res.fillLog(imp)
		// The log row first (the rows name it); its guard and audit row
		// last: on PostgreSQL appending to the audit trail takes a lock
		// held until commit, which would make every login and every other
		// audited action wait for the whole upsert.
		if err := openImport(tx, imp); err != nil {
			return err
		}
		res.ImportID = imp.ID
		now := tx.NowFunc()
		err = upsert(tx, "metric_counts", []string{"period", "unit_code", "metric", "numerator", "denominator", "import_id", "updated_at"},
			"period, unit_code, metric", "numerator = excluded.numerator, denominator = excluded.denominator, import_id = excluded.import_id, updated_at = excluded.updated_at",
			len(rows), func(i int, args []any) []any {
				r := rows[i]
				return append(args, r.Period, r.UnitCode, r.Metric, nullable(r.Numerator), nullable(r.Denominator), imp.ID, now)
			})
		if err != nil {
			return fmt.Errorf("upsert counts: %w", err)
		}
		if err := guardImport(tx, imp); err != nil {
			return err
		}
		// Counts of these periods only: the other periods keep their
		// scores (scores.go).
		return bumpVersionFor(tx, periods)
	})
	if err != nil {
		imp.ID = 0 // the log row was rolled back with the rest
		return Result{}, fmt.Errorf("store: import counts: %w", dbErr(err))
	}
	return res, nil
}

// Dataset loads everything the scoring engine could need: all units and
// every count of every period. No page and no command reads it: the scores
// service, the import preview and the alerts score a period from its own
// counts (PeriodCounts), which is all a period's scores read; it is the
// whole picture for tests and tools that compare against it. The queries
// share one read-only, repeatable-read transaction so that units and counts
// come from the same committed state even if an import commits meanwhile.
func (s *Store) Dataset(ctx context.Context) (*scoring.Dataset, error) {
	ds := &scoring.Dataset{}
	err := s.r.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if ds.Units, ds.Changes, err = unitsOverTime(tx); err != nil {
			return err
		}

		var n int64
		if err := tx.Raw("SELECT COUNT(*) FROM metric_counts").Scan(&n).Error; err != nil {
			return fmt.Errorf("count counts: %w", err)
		}
		ds.Own = make(map[scoring.Key]scoring.Counts, n)
		if err := s.scanCounts(tx, "", nil, ds.Own, interner{}.str); err != nil {
			return err
		}
		// Counts derived from dossiers and catalogues.
		return s.loadDerived(tx, ds)
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: dataset: %w", dbErr(err))
	}
	return ds, nil
}

// scanCounts reads the counts rows matching where (a condition with args,
// or "" for all) into own, their strings interned through str.
func (s *Store) scanCounts(tx *gorm.DB, where string, args []any, own map[scoring.Key]scoring.Counts, str func(sql.RawBytes) string) error {
	return s.scanJoined(tx, "metric_counts", where, args, own, str)
}

// scanJoined reads the rows of table (metric_counts or derived_counts,
// whose counts columns are the same) matching where into into.
//
// The five columns are read as one text a row, joined by the database and
// split here. On SQLite the time of a load was mostly the driver's cgo
// calls, a few per column of each row; on PostgreSQL the driver's work per
// column and per value (a string made for each text column, a conversion
// for each number): one text a row reads the counts about twice as fast on
// SQLite and a fifth faster on PostgreSQL (BenchmarkDatasetDrivers).
func (s *Store) scanJoined(tx *gorm.DB, table, where string, args []any, into map[scoring.Key]scoring.Counts, str func(sql.RawBytes) string) error {
	if where != "" {
		where = " WHERE " + where
	}
	sep := "char(31)" // the unit separator, which no code holds
	if s.driver == DriverPostgres {
		sep = "chr(31)"
	}
	rows, err := tx.Raw(`SELECT period || `+sep+` || metric || `+sep+` || COALESCE(CAST(numerator AS TEXT), '') || `+sep+` ||
		COALESCE(CAST(denominator AS TEXT), '') || `+sep+` || unit_code FROM `+table+where, args...).Rows()
	if err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	var line sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&line); err != nil {
			_ = rows.Close()
			return fmt.Errorf("%s: %w", table, err)
		}
		// The counts are NULL together (a CHECK constraint says so):
		// both empty is "no counts".
		k, c, ok := splitCounts(line, str)
		if !ok {
			_ = rows.Close()
			return fmt.Errorf("%s: unreadable row %q", table, line)
		}
		into[k] = c
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	return nil
}

// splitCounts reads one row as scanCounts has the database join it: period,
// metric, numerator, denominator (empty for NULL) and the unit's code,
// last, so that a code holding the separator still reads whole.
func splitCounts(line []byte, str func(sql.RawBytes) string) (scoring.Key, scoring.Counts, bool) {
	var f [4][]byte
	for i := range f {
		j := bytes.IndexByte(line, 31)
		if j < 0 {
			return scoring.Key{}, scoring.Counts{}, false
		}
		f[i], line = line[:j], line[j+1:]
	}
	k := scoring.Key{Period: str(f[0]), Unit: str(line), Metric: str(f[1])}
	if len(f[2]) == 0 && len(f[3]) == 0 {
		return k, scoring.Counts{}, true
	}
	num, err1 := strconv.ParseInt(string(f[2]), 10, 64)
	den, err2 := strconv.ParseInt(string(f[3]), 10, 64)
	if err1 != nil || err2 != nil {
		return scoring.Key{}, scoring.Counts{}, false
	}
	return k, scoring.C(num, den), true
}

// closeRows reports an iteration error or a close error.
func closeRows(rows *sql.Rows) error {
	if err := rows.Err(); err != nil {
		_ = rows.Close()
		return err
	}
	return rows.Close()
}

// interner keeps one string per distinct value scanned: periods, units and
// metrics repeat across thousands of rows, and the dataset the scores
// cache holds then shares them instead of holding a copy each.
type interner map[string]string

// str is b as a string, the same string for the same bytes.
func (in interner) str(b sql.RawBytes) string {
	if v, ok := in[string(b)]; ok { // no allocation for the lookup
		return v
	}
	v := string(b)
	in[v] = v
	return v
}
