package store

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"

	"scorecard/models"
)

// UnitRow is one validated row of a units file.
type UnitRow struct {
	Code       string
	Name       string
	Kind       string
	ParentCode string // "" for a province
	// Dates is true when the file has the valid_from and valid_to columns:
	// ValidFrom and ValidTo (ISO dates, "" for open) then replace the
	// unit's; a file without them leaves the unit's dates as they were.
	Dates              bool
	ValidFrom, ValidTo string
}

// Result says what an import did. Rows = Inserted + Updated + Unchanged.
type Result struct {
	ImportID  uint
	Rows      int
	Inserted  int
	Updated   int // existing rows whose values changed
	Unchanged int // existing rows written again with the same values
	Periods   []string
}

// fillLog copies what the import did onto its log row: its rows, how many
// were new and how many changed, and the periods it wrote.
func (r Result) fillLog(imp *models.Import) {
	imp.Rows, imp.Inserted, imp.Updated = r.Rows, r.Inserted, r.Updated
	imp.Periods = models.JoinPeriods(r.Periods)
}

// upsertBatch is the number of rows per INSERT … ON CONFLICT statement:
// large enough that 20 000 rows take a few dozen statements, small enough to
// stay far below SQLite's limit of 32 766 bound variables per statement.
const upsertBatch = 1000

// Units lists every unit, ordered by code.
func (s *Store) Units(ctx context.Context) ([]models.Unit, error) {
	var out []models.Unit
	if err := s.r.WithContext(ctx).Order("code").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: units: %w", dbErr(err))
	}
	return out, nil
}

// UnitByCode returns the unit with the code (case-sensitive) or ErrNotFound.
func (s *Store) UnitByCode(ctx context.Context, code string) (models.Unit, error) {
	var u models.Unit
	if err := s.r.WithContext(ctx).Where("code = ?", code).Take(&u).Error; err != nil {
		return models.Unit{}, fmt.Errorf("store: unit %q: %w", code, dbErr(err))
	}
	return u, nil
}

// UnitCodes returns every unit keyed by code, for validating files.
func (s *Store) UnitCodes(ctx context.Context) (map[string]models.Unit, error) {
	units, err := s.Units(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]models.Unit, len(units))
	for _, u := range units {
		out[u.Code] = u
	}
	return out, nil
}

// kindRank orders kinds so that a parent always has a lower rank than its
// children (docs/import-files.md: agencies and districts under a province, communes
// under a district or the province).
func kindRank(kind string) int {
	switch kind {
	case models.KindProvince:
		return 0
	case models.KindAgency, models.KindDistrict:
		return 1
	}
	return 2
}

// ImportUnits writes a validated units file in one transaction: the import
// log row, then every unit, inserted or updated by code (name, kind, parent,
// import). imp.Kind, Rows, Inserted and Updated are filled in; the caller
// sets FileName, SHA256, Source and Demo.
//
// A unit stays a demo unit only while every file that wrote it was a demo
// file: a real file that re-imports a demo code makes it the office's own,
// so that removing the demo never removes it.
func (s *Store) ImportUnits(ctx context.Context, imp *models.Import, rows []UnitRow) (Result, error) {
	if len(rows) == 0 {
		return Result{}, fmt.Errorf("store: import units: no rows: %w", ErrInvalid)
	}
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		if seen[r.Code] {
			return Result{}, fmt.Errorf("store: import units: code %q twice: %w", r.Code, ErrConflict)
		}
		seen[r.Code] = true
	}
	// Parents first: within one statement the database checks references
	// at its end, but a parent may fall in a later batch than its child.
	sorted := append([]UnitRow(nil), rows...)
	sort.SliceStable(sorted, func(i, j int) bool { return kindRank(sorted[i].Kind) < kindRank(sorted[j].Kind) })

	res := Result{Rows: len(rows)}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var existing []models.Unit
		if err := tx.Select("code", "name", "kind", "parent_code", "valid_from", "valid_to").Find(&existing).Error; err != nil {
			return fmt.Errorf("load units: %w", err)
		}
		old := make(map[string]models.Unit, len(existing))
		for _, u := range existing {
			old[u.Code] = u
		}
		for _, r := range rows {
			switch o, ok := old[r.Code]; {
			case !ok:
				res.Inserted++
			case o.Name != r.Name || o.Kind != r.Kind || o.Parent() != r.ParentCode ||
				(r.Dates && (deref(o.ValidFrom) != r.ValidFrom || deref(o.ValidTo) != r.ValidTo)):
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		imp.Kind = models.ImportUnits
		res.fillLog(imp)
		if err := logImport(tx, imp); err != nil {
			return err
		}
		res.ImportID = imp.ID
		// A unit stays demo only if every writer was a demo import.
		now := tx.NowFunc()
		// A file without the date columns keeps the units' dates: the
		// upsert then writes NULL for a new unit and leaves an old one's.
		dated := len(sorted) > 0 && sorted[0].Dates
		dates := ""
		if dated {
			dates = ", valid_from = excluded.valid_from, valid_to = excluded.valid_to"
		}
		err := upsert(tx, "units", []string{"code", "name", "kind", "parent_code", "import_id", "demo", "created_at", "updated_at", "valid_from", "valid_to"},
			"code", "name = excluded.name, kind = excluded.kind, parent_code = excluded.parent_code, import_id = excluded.import_id, "+
				"updated_at = excluded.updated_at, demo = (units.demo AND excluded.demo)"+dates,
			len(sorted), func(i int, args []any) []any {
				r := sorted[i]
				return append(args, r.Code, r.Name, r.Kind, nullString(r.ParentCode), imp.ID, imp.Demo, now, now,
					nullString(r.ValidFrom), nullString(r.ValidTo))
			})
		if err != nil {
			return fmt.Errorf("upsert units: %w", err)
		}
		return bumpVersion(tx)
	})
	if err != nil {
		imp.ID = 0 // the log row was rolled back with the rest
		return Result{}, fmt.Errorf("store: import units: %w", dbErr(err))
	}
	return res, nil
}

// nullString passes "" as SQL NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// deref is a nullable column's value, "" for NULL.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
