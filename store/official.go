package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"scorecard/models"
	"scorecard/scoring"
)

// OfficialResult is one row of the results the national portal published
// (`period,unit_code,total,rank,rank_of`): a province's total and its rank
// among the provinces, as the portal states them. The report quotes them;
// the engine never uses them.
type OfficialResult struct {
	Period   string // canonical (scoring.Period.String)
	UnitCode string
	Total    scoring.Cents
	Rank     int
	RankOf   int
}

type officialKey struct{ period, unit string }

// ImportOfficialResults writes a validated file of published results in
// one transaction: the import log row, then every (period, unit), whose
// row replaces an earlier one, so importing the same file twice leaves the
// same data. imp.Kind, Rows, Inserted, Updated and Periods are filled in.
func (s *Store) ImportOfficialResults(ctx context.Context, imp *models.Import, rows []OfficialResult) (Result, error) {
	if len(rows) == 0 {
		return Result{}, fmt.Errorf("store: import official results: no rows: %w", ErrInvalid)
	}
	seen := make(map[officialKey]bool, len(rows))
	periodSet := map[string]bool{}
	for i, r := range rows {
		k := officialKey{r.Period, r.UnitCode}
		if seen[k] {
			return Result{}, fmt.Errorf("store: import official results: %s/%s twice: %w", r.Period, r.UnitCode, ErrConflict)
		}
		seen[k] = true
		periodSet[r.Period] = true
		if r.Total < 0 || r.Total > 100*100 || r.Rank < 1 || r.Rank > r.RankOf {
			return Result{}, fmt.Errorf("store: import official results: row %d (%s/%s): need 0 ≤ total ≤ 100 and 1 ≤ rank ≤ rank_of: %w",
				i+1, r.Period, r.UnitCode, ErrInvalid)
		}
	}
	periods := sortedPeriods(periodSet)

	res := Result{Rows: len(rows), Periods: periods}
	err := s.write(ctx, func(tx *gorm.DB) error {
		type stored struct {
			Period, UnitCode string
			TotalCents       int64
			RankNo, RankOf   int
		}
		var old []stored
		if err := tx.Raw("SELECT period, unit_code, total_cents, rank_no, rank_of FROM official_results WHERE period IN ?", periods).
			Scan(&old).Error; err != nil {
			return fmt.Errorf("load official results: %w", err)
		}
		byKey := make(map[officialKey]stored, len(old))
		for _, o := range old {
			byKey[officialKey{o.Period, o.UnitCode}] = o
		}
		for _, r := range rows {
			switch o, ok := byKey[officialKey{r.Period, r.UnitCode}]; {
			case !ok:
				res.Inserted++
			case o.TotalCents != int64(r.Total) || o.RankNo != r.Rank || o.RankOf != r.RankOf:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		imp.Kind = models.ImportOfficial
		res.fillLog(imp)
		if err := logImport(tx, imp); err != nil {
			return err
		}
		res.ImportID = imp.ID
		now := tx.NowFunc()
		err := upsert(tx, "official_results", []string{"period", "unit_code", "total_cents", "rank_no", "rank_of", "import_id", "updated_at"},
			"period, unit_code", "total_cents = excluded.total_cents, rank_no = excluded.rank_no, rank_of = excluded.rank_of, import_id = excluded.import_id, updated_at = excluded.updated_at",
			len(rows), func(i int, args []any) []any {
				r := rows[i]
				return append(args, r.Period, r.UnitCode, int64(r.Total), r.Rank, r.RankOf, imp.ID, now)
			})
		if err != nil {
			return fmt.Errorf("upsert official results: %w", err)
		}
		// The report's text changes with them: caches keyed on the data
		// version and open data's Last-Modified must move too.
		return bumpVersion(tx)
	})
	if err != nil {
		imp.ID = 0 // the log row was rolled back with the rest
		return Result{}, fmt.Errorf("store: import official results: %w", dbErr(err))
	}
	return res, nil
}

// OfficialResults lists every published result imported, by period (oldest
// first) then unit code.
func (s *Store) OfficialResults(ctx context.Context) ([]OfficialResult, error) {
	rows, err := s.r.WithContext(ctx).Raw("SELECT period, unit_code, total_cents, rank_no, rank_of FROM official_results ORDER BY unit_code").Rows()
	if err != nil {
		return nil, fmt.Errorf("store: official results: %w", dbErr(err))
	}
	var out []OfficialResult
	for rows.Next() {
		var r OfficialResult
		var total int64
		if err := rows.Scan(&r.Period, &r.UnitCode, &total, &r.Rank, &r.RankOf); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: official results: %w", err)
		}
		r.Total = scoring.Cents(total)
		out = append(out, r)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: official results: %w", err)
	}
	// Periods sort by time, not as strings ("2024-Q2" after "2024-06").
	idx := make(map[string]int, len(out))
	ps := make([]string, 0, len(out))
	for _, r := range out {
		if _, ok := idx[r.Period]; !ok {
			idx[r.Period] = 0
			ps = append(ps, r.Period)
		}
	}
	sortPeriods(ps)
	for i, p := range ps {
		idx[p] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return idx[out[i].Period] < idx[out[j].Period] })
	return out, nil
}

// DataModified is when units, counts or published results last changed
// (the time bumpVersion records); the zero time when nothing was ever
// imported.
func (s *Store) DataModified(ctx context.Context) (time.Time, error) {
	var t sql.NullTime
	if err := s.r.WithContext(ctx).Raw("SELECT modified_at FROM data_state WHERE id = 1").Row().Scan(&t); err != nil {
		return time.Time{}, fmt.Errorf("store: data modified: %w", dbErr(err))
	}
	if !t.Valid {
		return time.Time{}, nil
	}
	return t.Time.UTC(), nil
}
