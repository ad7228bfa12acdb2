package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"scorecard/models"
)

// BoundaryRow is one unit's boundary: its geometry as checked GeoJSON
// (a Polygon or MultiPolygon object).
type BoundaryRow struct {
	UnitCode string
	Geometry string
}

// ImportBoundaries writes a validated boundaries file in one transaction:
// the import log row, then each unit's geometry, replacing an earlier one.
func (s *Store) ImportBoundaries(ctx context.Context, imp *models.Import, rows []BoundaryRow) (Result, error) {
	if len(rows) == 0 {
		return Result{}, fmt.Errorf("store: import boundaries: no rows: %w", ErrInvalid)
	}
	res := Result{Rows: len(rows)}
	err := s.write(ctx, func(tx *gorm.DB) error {
		old, err := boundaries(tx)
		if err != nil {
			return err
		}
		for _, r := range rows {
			switch g, ok := old[r.UnitCode]; {
			case !ok:
				res.Inserted++
			case g != r.Geometry:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		imp.Kind = models.ImportBoundaries
		res.fillLog(imp)
		if err := logImport(tx, imp); err != nil {
			return err
		}
		res.ImportID = imp.ID
		err = upsert(tx, "unit_boundaries", []string{"unit_code", "geometry", "import_id"},
			"unit_code", "geometry = excluded.geometry, import_id = excluded.import_id",
			len(rows), func(i int, args []any) []any {
				return append(args, rows[i].UnitCode, rows[i].Geometry, imp.ID)
			})
		if err != nil {
			return fmt.Errorf("upsert boundaries: %w", err)
		}
		return bumpVersion(tx)
	})
	if err != nil {
		imp.ID = 0 // the log row was rolled back with the rest
		return Result{}, fmt.Errorf("store: import boundaries: %w", dbErr(err))
	}
	return res, nil
}

// Boundaries returns every unit's geometry, by unit code.
func (s *Store) Boundaries(ctx context.Context) (map[string]string, error) {
	out, err := boundaries(s.r.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("store: %w", dbErr(err))
	}
	return out, nil
}

func boundaries(tx *gorm.DB) (map[string]string, error) {
	var rows []struct{ UnitCode, Geometry string }
	if err := tx.Raw("SELECT unit_code, geometry FROM unit_boundaries ORDER BY unit_code").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("boundaries: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.UnitCode] = r.Geometry
	}
	return out, nil
}
