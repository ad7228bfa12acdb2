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

// UnitChangeRow is one validated row of a unit changes file
// (code,successor_code,change,effective_from): unit Code became Successor
// on Effective, an ISO date. Change is merged, split or renamed.
type UnitChangeRow struct {
	Code, Successor, Change, Effective string
}

type changeKey struct{ code, successor string }

// ImportUnitChanges writes a validated unit changes file in one
// transaction: the import log row, then every (code, successor) pair,
// whose row replaces an earlier one, so importing the same file twice
// leaves the same data. A unit that became others ends on the change's
// date (Dataset); its own row is not touched.
func (s *Store) ImportUnitChanges(ctx context.Context, imp *models.Import, rows []UnitChangeRow) (Result, error) {
	if len(rows) == 0 {
		return Result{}, fmt.Errorf("store: import unit changes: no rows: %w", ErrInvalid)
	}
	seen := make(map[changeKey]bool, len(rows))
	for _, r := range rows {
		k := changeKey{r.Code, r.Successor}
		if seen[k] {
			return Result{}, fmt.Errorf("store: import unit changes: %s → %s twice: %w", r.Code, r.Successor, ErrConflict)
		}
		seen[k] = true
	}
	res := Result{Rows: len(rows)}
	err := s.write(ctx, func(tx *gorm.DB) error {
		old, err := unitChanges(tx)
		if err != nil {
			return err
		}
		byKey := make(map[changeKey]UnitChangeRow, len(old))
		for _, o := range old {
			byKey[changeKey{o.Code, o.Successor}] = o
		}
		for _, r := range rows {
			switch o, ok := byKey[changeKey{r.Code, r.Successor}]; {
			case !ok:
				res.Inserted++
			case o != r:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		imp.Kind = models.ImportUnitChanges
		res.fillLog(imp)
		if err := logImport(tx, imp); err != nil {
			return err
		}
		res.ImportID = imp.ID
		err = upsert(tx, "unit_changes", []string{"code", "successor_code", "change_kind", "effective_from", "import_id"},
			"code, successor_code", "change_kind = excluded.change_kind, effective_from = excluded.effective_from, import_id = excluded.import_id",
			len(rows), func(i int, args []any) []any {
				r := rows[i]
				return append(args, r.Code, r.Successor, r.Change, r.Effective, imp.ID)
			})
		if err != nil {
			return fmt.Errorf("upsert unit changes: %w", err)
		}
		return bumpVersion(tx)
	})
	if err != nil {
		imp.ID = 0 // the log row was rolled back with the rest
		return Result{}, fmt.Errorf("store: import unit changes: %w", dbErr(err))
	}
	return res, nil
}

// UnitChanges lists every recorded change, by date, then code.
func (s *Store) UnitChanges(ctx context.Context) ([]UnitChangeRow, error) {
	out, err := unitChanges(s.r.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("store: %w", dbErr(err))
	}
	return out, nil
}

func unitChanges(tx *gorm.DB) ([]UnitChangeRow, error) {
	var rows []struct {
		Code, SuccessorCode, ChangeKind, EffectiveFrom string
	}
	if err := tx.Raw("SELECT code, successor_code, change_kind, effective_from FROM unit_changes ORDER BY effective_from, code, successor_code").
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("unit changes: %w", err)
	}
	out := make([]UnitChangeRow, len(rows))
	for i, r := range rows {
		out[i] = UnitChangeRow{Code: r.Code, Successor: r.SuccessorCode, Change: r.ChangeKind, Effective: r.EffectiveFrom}
	}
	return out, nil
}

// ParseDay reads an ISO date ("2025-07-01") as the start of that day in
// Vietnam's time.
func ParseDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, scoring.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: date %q: %w", s, err)
	}
	return t, nil
}

// UnitsOverTime lists every unit as the engine sees it, with its dates
// (ended by its first change, or the day the portal stopped naming it),
// and every change: what the importer checks the periods of a file
// against, without loading the counts.
func (s *Store) UnitsOverTime(ctx context.Context) ([]scoring.Unit, []scoring.Change, error) {
	var units []scoring.Unit
	var changes []scoring.Change
	err := s.r.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		units, changes, err = unitsOverTime(tx)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: %w", dbErr(err))
	}
	return units, changes, nil
}

// unitsOverTime reads the units, by code, with their dates, and the
// changes.
func unitsOverTime(tx *gorm.DB) ([]scoring.Unit, []scoring.Change, error) {
	rows, err := tx.Raw("SELECT code, name, kind, parent_code, valid_from, valid_to, inactive_from FROM units ORDER BY code").Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("units: %w", err)
	}
	var units []scoring.Unit
	from, to, inactive := map[string]string{}, map[string]string{}, map[string]time.Time{}
	for rows.Next() {
		var u scoring.Unit
		var kind string
		var parent, vf, vt sql.NullString
		var gone sql.NullTime
		if err := rows.Scan(&u.Code, &u.Name, &kind, &parent, &vf, &vt, &gone); err != nil {
			_ = rows.Close()
			return nil, nil, fmt.Errorf("units: %w", err)
		}
		u.Kind, u.ParentCode = scoring.UnitKind(kind), parent.String
		if vf.Valid {
			from[u.Code] = vf.String
		}
		if vt.Valid {
			to[u.Code] = vt.String
		}
		if gone.Valid {
			inactive[u.Code] = gone.Time
		}
		units = append(units, u)
	}
	if err := closeRows(rows); err != nil {
		return nil, nil, fmt.Errorf("units: %w", err)
	}
	list, err := unitChanges(tx)
	if err != nil {
		return nil, nil, err
	}
	changes, err := unitDates(units, from, to, inactive, list)
	if err != nil {
		return nil, nil, fmt.Errorf("unit dates: %w", err)
	}
	return units, changes, nil
}

// unitDates fills the engine's units' dates: their own, ended no later
// than the first change that made them another unit, or than the day the
// portal stopped naming them (inactive from).
func unitDates(units []scoring.Unit, from, to map[string]string, inactive map[string]time.Time, changes []UnitChangeRow) ([]scoring.Change, error) {
	end := map[string]time.Time{}
	var out []scoring.Change
	for _, c := range changes {
		day, err := ParseDay(c.Effective)
		if err != nil {
			return nil, err
		}
		out = append(out, scoring.Change{From: c.Code, To: c.Successor, Kind: scoring.ChangeKind(c.Change), Effective: day})
		if e, ok := end[c.Code]; !ok || day.Before(e) {
			end[c.Code] = day
		}
	}
	for i := range units {
		u := &units[i]
		if s := from[u.Code]; s != "" {
			d, err := ParseDay(s)
			if err != nil {
				return nil, err
			}
			u.ValidFrom = d
		}
		ends := []time.Time{}
		if s := to[u.Code]; s != "" {
			d, err := ParseDay(s)
			if err != nil {
				return nil, err
			}
			ends = append(ends, d)
		}
		if e, ok := end[u.Code]; ok {
			ends = append(ends, e)
		}
		if t, ok := inactive[u.Code]; ok {
			// The day the portal stopped naming it, in Vietnam.
			lt := t.In(scoring.Location)
			ends = append(ends, time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, scoring.Location))
		}
		if len(ends) > 0 {
			sort.Slice(ends, func(a, b int) bool { return ends[a].Before(ends[b]) })
			u.ValidTo = ends[0]
		}
	}
	return out, nil
}

// DaySpan is a unit's days, [From, To); a zero time leaves that side open.
type DaySpan struct{ From, To time.Time }

// Outside is how many of a unit's dossier records fall outside its days:
// Before, received before the first; After, received or decided on or
// after the day it ends.
type Outside struct{ Before, After int64 }

// DossiersOutside counts, for each unit code of spans, its dossier records
// outside its days: what a unit's new dates must still cover. Units
// without any are left out of the answer.
func (s *Store) DossiersOutside(ctx context.Context, spans map[string]DaySpan) (map[string]Outside, error) {
	codes := make([]string, 0, len(spans))
	for code := range spans {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	out := map[string]Outside{}
	db := s.r.WithContext(ctx)
	const q = "SELECT COUNT(*) FROM dossiers d JOIN units u ON u.id = d.unit_id WHERE u.code = ? AND "
	for _, code := range codes {
		sp := spans[code]
		var o Outside
		if !sp.From.IsZero() {
			if err := db.Raw(q+"d.received_at < ?", code, sp.From.Unix()).Scan(&o.Before).Error; err != nil {
				return nil, fmt.Errorf("store: dossiers outside %s: %w", code, dbErr(err))
			}
		}
		if !sp.To.IsZero() {
			if err := db.Raw(q+"(d.received_at >= ? OR d.finished_at >= ?)", code, sp.To.Unix(), sp.To.Unix()).Scan(&o.After).Error; err != nil {
				return nil, fmt.Errorf("store: dossiers outside %s: %w", code, dbErr(err))
			}
		}
		if o != (Outside{}) {
			out[code] = o
		}
	}
	return out, nil
}

// periodsChunk bounds the codes of one IN list (SQLite's and PostgreSQL's
// limits on bound parameters are far above it).
const periodsChunk = 500

// PeriodsWithData lists, for each of codes, the periods the database holds
// counts or published results for, in order: what a unit's new dates must
// still cover.
func (s *Store) PeriodsWithData(ctx context.Context, codes []string) (map[string][]string, error) {
	out := map[string][]string{}
	seen := map[[2]string]bool{}
	db := s.r.WithContext(ctx)
	for start := 0; start < len(codes); start += periodsChunk {
		chunk := codes[start:min(start+periodsChunk, len(codes))]
		for _, table := range []string{"metric_counts", "official_results"} {
			var rows []struct{ UnitCode, Period string }
			// The table name is one of the two constants above, never input.
			if err := db.Raw("SELECT DISTINCT unit_code, period FROM "+table+" WHERE unit_code IN ? ORDER BY unit_code, period", chunk).
				Scan(&rows).Error; err != nil {
				return nil, fmt.Errorf("store: periods with data: %w", dbErr(err))
			}
			for _, r := range rows {
				k := [2]string{r.UnitCode, r.Period}
				if !seen[k] {
					seen[k] = true
					out[r.UnitCode] = append(out[r.UnitCode], r.Period)
				}
			}
		}
	}
	for _, list := range out {
		sort.Strings(list)
	}
	return out, nil
}
