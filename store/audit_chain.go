package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"scorecard/models"
)

// auditProtections are the triggers that keep the trail append-only, per
// database (migrations).
var auditProtections = map[string][]string{
	DriverSQLite:   {"audit_chain_insert", "audit_no_delete", "audit_no_update"},
	DriverPostgres: {"audit_chain_insert", "audit_no_change", "audit_no_truncate"},
}

// verifyBatch is how many rows are read at a time.
const verifyBatch = 2000

// VerifyAudit reads the whole trail in id order and checks every row's
// hash and its link to the row before, and that the triggers protecting
// the trail are there. The first break is reported; the count goes on to
// the end.
func (s *Store) VerifyAudit(ctx context.Context) (models.AuditChain, error) {
	var c models.AuditChain
	missing, err := s.missingProtections(ctx)
	if err != nil {
		return c, err
	}
	c.Missing = missing
	prev := ""
	err = s.auditRows(ctx, s.r, func(e *models.AuditEntry) error {
		if c.Broken == nil {
			switch {
			case e.PrevHash != prev:
				c.Broken = &models.AuditBreak{ID: e.ID, Reason: models.BreakLink}
			case chainHash(e) != e.Hash:
				c.Broken = &models.AuditBreak{ID: e.ID, Reason: models.BreakContent}
			}
		}
		prev = e.Hash
		c.Rows++
		c.LastID, c.LastHash = e.ID, e.Hash
		return nil
	})
	return c, err
}

// auditRows calls fn with every row of the trail in id order, read a batch
// at a time with plain scans (GORM's per-row reflection took most of the
// time of a check). The row passed is reused.
func (s *Store) auditRows(ctx context.Context, db *gorm.DB, fn func(*models.AuditEntry) error) error {
	var e models.AuditEntry
	after := uint(0)
	for {
		rows, err := db.WithContext(ctx).Raw(`SELECT id, at, actor, actor_id, action, target, detail, remote_addr, user_agent, prev_hash, hash
			FROM audit WHERE id > ? ORDER BY id LIMIT ?`, after, verifyBatch).Rows()
		if err != nil {
			return fmt.Errorf("store: read the audit trail: %w", dbErr(err))
		}
		n := 0
		for rows.Next() {
			var actorID sql.NullInt64
			if err := rows.Scan(&e.ID, &e.At, &e.Actor, &actorID, &e.Action, &e.Target, &e.Detail, &e.RemoteAddr, &e.UserAgent, &e.PrevHash, &e.Hash); err != nil {
				_ = rows.Close()
				return fmt.Errorf("store: read the audit trail: %w", dbErr(err))
			}
			e.ActorID = nil
			if actorID.Valid {
				id := uint(actorID.Int64)
				e.ActorID = &id
			}
			n++
			if err := fn(&e); err != nil {
				_ = rows.Close()
				return err
			}
		}
		if err := rows.Err(); err != nil {
			_ = rows.Close()
			return fmt.Errorf("store: read the audit trail: %w", dbErr(err))
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("store: read the audit trail: %w", dbErr(err))
		}
		if n < verifyBatch {
			return nil
		}
		after = e.ID
	}
}

// missingProtections lists the expected triggers that are not there or
// are disabled.
func (s *Store) missingProtections(ctx context.Context) ([]string, error) {
	var have []string
	var err error
	switch s.driver {
	case DriverPostgres:
		err = s.r.WithContext(ctx).Raw(`SELECT tgname FROM pg_trigger
			WHERE tgrelid = 'audit'::regclass AND NOT tgisinternal AND tgenabled <> 'D'`).Scan(&have).Error
	default:
		err = s.r.WithContext(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'`).Scan(&have).Error
	}
	if err != nil {
		return nil, fmt.Errorf("store: audit trail protections: %w", dbErr(err))
	}
	var missing []string
	for _, t := range auditProtections[s.driver] {
		if !slices.Contains(have, t) {
			missing = append(missing, t)
		}
	}
	return missing, nil
}

// chainExisting computes the chain over the rows written before it
// existed, in id order (the migration that adds it). The triggers that
// refuse an UPDATE are lifted for this alone, inside the migration's
// transaction, and put back.
func chainExisting(tx *gorm.DB, driver string) error {
	var lift, restore []string
	switch driver {
	case DriverPostgres:
		lift = []string{`ALTER TABLE audit DISABLE TRIGGER audit_no_change`}
		restore = []string{`ALTER TABLE audit ENABLE TRIGGER audit_no_change`}
	default:
		lift = []string{`DROP TRIGGER audit_no_update`}
		restore = []string{sqliteAuditNoUpdate}
	}
	for _, stmt := range lift {
		if err := tx.Exec(stmt).Error; err != nil {
			return fmt.Errorf("chain the audit trail: %w", err)
		}
	}
	// A batch is read whole (Find closes its statement) before its rows
	// are updated on the same connection.
	prev := ""
	after := uint(0)
	for {
		var rows []models.AuditEntry
		if err := tx.Where("id > ?", after).Order("id").Limit(verifyBatch).Find(&rows).Error; err != nil {
			return fmt.Errorf("chain the audit trail: %w", err)
		}
		for i := range rows {
			e := &rows[i]
			e.PrevHash = prev
			e.Hash = chainHash(e)
			if err := tx.Exec("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", e.PrevHash, e.Hash, e.ID).Error; err != nil {
				return fmt.Errorf("chain the audit trail: row %d: %w", e.ID, err)
			}
			prev = e.Hash
		}
		if len(rows) < verifyBatch {
			break
		}
		after = rows[len(rows)-1].ID
	}
	for _, stmt := range restore {
		if err := tx.Exec(stmt).Error; err != nil {
			return fmt.Errorf("chain the audit trail: %w", err)
		}
	}
	return nil
}
