package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"scorecard/models"
)

// HasDemo reports whether demo data is loaded: a demo unit, or counts last
// written by a demo import.
func (s *Store) HasDemo(ctx context.Context) (bool, error) {
	demo, err := hasDemo(s.r.WithContext(ctx))
	if err != nil {
		return false, fmt.Errorf("store: %w", dbErr(err))
	}
	return demo, nil
}

// hasDemo is HasDemo in a transaction. The counts are looked for through
// the demo imports (a handful of rows) and the counts' index on import_id:
// joining from the counts read every one of them when there is no demo.
func hasDemo(tx *gorm.DB) (bool, error) {
	var n int64
	err := tx.Raw(`SELECT
		(SELECT COUNT(*) FROM (SELECT 1 FROM units WHERE demo = ? LIMIT 1) u) +
		(SELECT COUNT(*) FROM (SELECT 1 FROM imports i WHERE i.demo = ? AND EXISTS (SELECT 1 FROM metric_counts c WHERE c.import_id = i.id) LIMIT 1) c)`,
		true, true).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("has demo: %w", err)
	}
	return n > 0, nil
}

// RemoveDemo deletes the demo data set in one transaction: every demo unit
// with all its counts, every count last written by a demo import, and the
// demo's captures of the portal (its running year). It returns the number
// of units removed.
//
// A demo unit that an office unit hangs under (the office imported its
// agencies under the demo province, say) cannot go without breaking the
// hierarchy; it is kept and stops being a demo unit, so that the demo
// banner goes away. Import log rows stay: they are history.
func (s *Store) RemoveDemo(ctx context.Context) (removed int, err error) {
	err = s.write(ctx, func(tx *gorm.DB) error {
		var units []models.Unit
		if err := tx.Select("code", "parent_code", "demo").Find(&units).Error; err != nil {
			return fmt.Errorf("load units: %w", err)
		}
		byCode := make(map[string]models.Unit, len(units))
		for _, u := range units {
			byCode[u.Code] = u
		}
		portal, err := removeDemoCaptures(tx)
		if err != nil {
			return err
		}
		var keep []string
		kept := map[string]bool{}
		for _, u := range units {
			if u.Demo {
				continue
			}
			// Walk up from each office unit; the depth bound guards
			// against a cycle, which the importer never lets in.
			for p, depth := u.Parent(), 0; p != "" && depth < len(units); depth++ {
				pu, ok := byCode[p]
				if !ok {
					break
				}
				if pu.Demo && !kept[p] {
					kept[p] = true
					keep = append(keep, p)
				}
				p = pu.Parent()
			}
		}
		for start := 0; start < len(keep); start += upsertBatch {
			part := keep[start:min(start+upsertBatch, len(keep))]
			if err := tx.Model(&models.Unit{}).Where("code IN ?", part).Update("demo", false).Error; err != nil {
				return fmt.Errorf("keep parents of office units: %w", err)
			}
		}
		counts := tx.Exec(`DELETE FROM metric_counts
			WHERE unit_code IN (SELECT code FROM units WHERE demo = ?)
			   OR import_id IN (SELECT id FROM imports WHERE demo = ?)`, true, true)
		if counts.Error != nil {
			return fmt.Errorf("delete demo counts: %w", counts.Error)
		}
		// Boundaries the demo supplied, for units kept too.
		if err := tx.Exec("DELETE FROM unit_boundaries WHERE import_id IN (SELECT id FROM imports WHERE demo = ?)", true).Error; err != nil {
			return fmt.Errorf("delete demo boundaries: %w", err)
		}
		// One statement for all demo units: references are checked at
		// the end of the statement, so parents and children go together.
		del := tx.Exec("DELETE FROM units WHERE demo = ?", true)
		if del.Error != nil {
			return fmt.Errorf("delete demo units: %w", del.Error)
		}
		removed = int(del.RowsAffected)
		if removed == 0 && counts.RowsAffected == 0 && len(keep) == 0 && portal == 0 {
			return nil
		}
		return bumpVersion(tx)
	})
	if err != nil {
		return 0, fmt.Errorf("store: remove demo: %w", dbErr(err))
	}
	return removed, nil
}

// removeDemoCaptures deletes the captures of the portal that the demo
// loaded (its running year) and what they wrote: the snapshots and heads
// of the demo's units in those periods, and the published scores. It
// returns how many captures went.
func removeDemoCaptures(tx *gorm.DB) (int64, error) {
	const demoImports = "SELECT id FROM imports WHERE demo = ?"
	const demoPeriods = "SELECT period FROM portal_captures WHERE import_id IN (" + demoImports + ")"
	for _, table := range []string{"portal_snapshots", "portal_heads"} {
		if err := tx.Exec("DELETE FROM "+table+" WHERE period IN ("+demoPeriods+") AND unit_code IN (SELECT code FROM units WHERE demo = ?)",
			true, true).Error; err != nil {
			return 0, fmt.Errorf("delete demo %s: %w", table, err)
		}
	}
	if err := tx.Exec("DELETE FROM official_scores WHERE import_id IN ("+demoImports+")", true).Error; err != nil {
		return 0, fmt.Errorf("delete demo official scores: %w", err)
	}
	if err := tx.Exec("DELETE FROM portal_capture_files WHERE capture_id IN (SELECT id FROM portal_captures WHERE import_id IN ("+demoImports+"))",
		true).Error; err != nil {
		return 0, fmt.Errorf("delete demo capture files: %w", err)
	}
	res := tx.Exec("DELETE FROM portal_captures WHERE import_id IN ("+demoImports+")", true)
	if res.Error != nil {
		return 0, fmt.Errorf("delete demo captures: %w", res.Error)
	}
	return res.RowsAffected, nil
}
