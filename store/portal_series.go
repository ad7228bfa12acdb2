package store

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

	"scorecard/models"
)

// ImportPortalSeries stores a province's period captured many times (a
// running year followed day by day), oldest first, in one transaction,
// as ImportPortalCapture would store each capture in turn: the captures'
// log, a snapshot row per unit and group only where its figures changed,
// the heads, and the last capture's figures as the period's (counts and
// the portal's scores). It writes no raw files (the captures have none)
// and leaves the units as they are: every unit must exist already.
//
// It is made for a data set that arrives whole, the demo's running year:
// one capture at a time, a year of days takes seconds; together, a
// fraction of one. The period must have no capture of the province yet;
// the same series imported again (its first capture's fingerprint known)
// changes nothing.
func (s *Store) ImportPortalSeries(ctx context.Context, imp *models.Import, caps []PortalCapture) (PortalResult, error) {
	if len(caps) == 0 {
		return PortalResult{}, fmt.Errorf("store: import portal series: no capture: %w", ErrInvalid)
	}
	first := &caps[0]
	for i := range caps {
		c := &caps[i]
		if err := checkPortalCapture(c); err != nil {
			return PortalResult{}, fmt.Errorf("store: import portal series: %w", err)
		}
		if c.ProvinceCode != first.ProvinceCode || c.Period != first.Period {
			return PortalResult{}, fmt.Errorf("store: import portal series: one province and period only: %w", ErrInvalid)
		}
		if i > 0 && !c.AsOf.After(caps[i-1].AsOf) {
			return PortalResult{}, fmt.Errorf("store: import portal series: captures out of order: %w", ErrInvalid)
		}
	}
	var res PortalResult
	err := s.write(ctx, func(tx *gorm.DB) error {
		var prev struct {
			ID       uint
			ImportID uint
		}
		if err := tx.Raw("SELECT id, import_id FROM portal_captures WHERE fingerprint = ?", first.Fingerprint).Scan(&prev).Error; err != nil {
			return fmt.Errorf("look up capture: %w", err)
		}
		if prev.ID != 0 {
			res = PortalResult{Already: true, ImportID: prev.ImportID, CaptureID: prev.ID}
			return nil
		}
		var n int64
		if err := tx.Raw("SELECT COUNT(*) FROM portal_captures WHERE province_code = ? AND period = ?", first.ProvinceCode, first.Period).
			Scan(&n).Error; err != nil {
			return fmt.Errorf("look up captures: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("%s %s has captures already: %w", first.ProvinceCode, first.Period, ErrConflict)
		}
		return writeSeries(tx, imp, caps, &res)
	})
	if err != nil {
		imp.ID = 0
		return PortalResult{}, fmt.Errorf("store: import portal series: %w", dbErr(err))
	}
	return res, nil
}

func writeSeries(tx *gorm.DB, imp *models.Import, caps []PortalCapture, res *PortalResult) error {
	last := &caps[len(caps)-1]
	w := &portalWrite{tx: tx, c: last, asOf: unix(last.AsOf), now: tx.NowFunc(), res: res}
	if err := w.loadWords(); err != nil {
		return err
	}
	imp.Kind = models.ImportPortal
	imp.Periods = last.Period
	res.Periods = []string{last.Period}
	for _, c := range caps {
		imp.Rows += len(c.Figures)
	}
	if err := openImport(tx, imp); err != nil {
		return err
	}
	res.ImportID = imp.ID
	// The captures' log.
	err := upsertNothing(tx, "portal_captures", []string{"import_id", "fingerprint", "name", "province_id", "province_code",
		"period", "as_of", "complete", "groups_captured", "created_at"}, "fingerprint", len(caps),
		func(i int, args []any) []any {
			c := &caps[i]
			groups := append([]string(nil), c.Groups...)
			sort.Strings(groups)
			return append(args, imp.ID, c.Fingerprint, c.Name, c.ProvinceID, c.ProvinceCode, c.Period, unix(c.AsOf), c.Complete,
				strings.Join(groups, ","), w.now)
		})
	if err != nil {
		return fmt.Errorf("log captures: %w", err)
	}
	// The snapshots: a row where a unit's group changed since the capture
	// before, as one capture after another would write them.
	type key [2]string
	heads := map[key]head{}
	var rows []snapRow
	for i := range caps {
		c := &caps[i]
		at := unix(c.AsOf)
		for j := range c.Figures {
			f := &c.Figures[j]
			k := key{f.Unit, f.Group}
			enc := encodeState(f, w.ws)
			if h, ok := heads[k]; ok && bytes.Equal(h.state, enc) {
				continue
			}
			heads[k] = head{asOf: at, state: enc}
			rows = append(rows, snapRow{f.Unit, f.Group, at, enc})
		}
	}
	err = upsert(tx, "portal_snapshots", []string{"period", "unit_code", "group_code", "as_of", "state"},
		"period, unit_code, group_code, as_of", "state = excluded.state", len(rows), func(i int, args []any) []any {
			r := rows[i]
			return append(args, last.Period, r.unit, r.group, r.asOf, r.state)
		})
	if err != nil {
		return fmt.Errorf("write snapshots: %w", err)
	}
	res.Snapshots = len(rows)
	keys := make([]key, 0, len(heads))
	for k := range heads {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	err = upsert(tx, "portal_heads", []string{"period", "unit_code", "group_code", "as_of"}, "period, unit_code, group_code",
		"as_of = excluded.as_of", len(keys), func(i int, args []any) []any {
			return append(args, last.Period, keys[i][0], keys[i][1], heads[keys[i]].asOf)
		})
	if err != nil {
		return fmt.Errorf("write heads: %w", err)
	}
	// The last capture's figures are the period's.
	w.current = map[string]bool{}
	for _, g := range last.Groups {
		w.current[g] = true
	}
	res.Current = true
	if w.counts, err = w.loadCounts(); err != nil {
		return err
	}
	if w.official, err = w.loadOfficial(); err != nil {
		return err
	}
	if err := w.currentFigures(imp.ID); err != nil {
		return err
	}
	if err := w.saveWords(); err != nil {
		return err
	}
	res.Figures, res.Inserted = len(last.Figures), len(last.Figures)
	imp.Inserted = len(rows)
	if err := tx.Model(imp).Updates(map[string]any{"inserted": imp.Inserted, "updated": 0}).Error; err != nil {
		return fmt.Errorf("log import: %w", err)
	}
	if err := guardImport(tx, imp); err != nil {
		return err
	}
	return bumpVersion(tx)
}
