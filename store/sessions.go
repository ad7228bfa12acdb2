package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"scorecard/models"
)

// Sessions live in the database so that every server process on it shares
// them. The store only keeps and finds them; auth decides when one has
// expired, makes the ids and hashes them.

// CreateSession signs an account in: in one transaction it deletes the
// session the browser had (replaceHash, if any: a new id at every login,
// whatever the old one was), deletes the account's expired sessions,
// inserts sess and appends the audit row (login.success).
func (s *Store) CreateSession(ctx context.Context, sess *models.Session, replaceHash string, e *models.AuditEntry) error {
	if sess.IDHash == "" || sess.UserID == 0 || sess.CSRFSecret == "" || sess.ExpiresAt.IsZero() {
		return fmt.Errorf("store: create session: incomplete session: %w", ErrInvalid)
	}
	sess.RemoteAddr, sess.UserAgent = clip(sess.RemoteAddr, 64), clip(sess.UserAgent, 512)
	err := s.write(ctx, func(tx *gorm.DB) error {
		if replaceHash != "" {
			if err := tx.Where("id_hash = ?", replaceHash).Delete(&models.Session{}).Error; err != nil {
				return fmt.Errorf("delete previous session: %w", err)
			}
		}
		if err := tx.Where("user_id = ? AND expires_at <= ?", sess.UserID, sess.CreatedAt.UTC()).Delete(&models.Session{}).Error; err != nil {
			return fmt.Errorf("delete expired sessions: %w", err)
		}
		if err := tx.Create(sess).Error; err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if e == nil {
			return nil
		}
		return insertAudit(tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: create session: %w", dbErr(err))
	}
	return nil
}

// SessionUser is a session with its account.
type SessionUser struct {
	Session models.Session
	User    models.User
}

// SessionByHash finds a session and its account by the id's hash, or
// ErrNotFound. It reads from the read pool: checking a session never waits
// for a long import.
func (s *Store) SessionByHash(ctx context.Context, idHash string) (SessionUser, error) {
	var out SessionUser
	err := s.r.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id_hash = ?", idHash).Take(&out.Session).Error; err != nil {
			return err
		}
		return tx.Where("id = ?", out.Session.UserID).Take(&out.User).Error
	})
	if err != nil {
		return SessionUser{}, fmt.Errorf("store: session: %w", dbErr(err))
	}
	return out, nil
}

// TouchSession records activity on a session (its idle expiry starts
// again). auth calls it at most every few minutes per session, off the
// request, so a page view never waits for the writer.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	err := s.w.WithContext(ctx).Model(&models.Session{}).Where("id_hash = ? AND last_seen_at < ?", idHash, at.UTC()).
		Update("last_seen_at", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("store: touch session: %w", dbErr(err))
	}
	return nil
}

// DeleteSession ends a session (logout, or found expired), with an audit
// row when e is not nil. Deleting a session that is already gone is not an
// error: two tabs may log out at once.
func (s *Store) DeleteSession(ctx context.Context, idHash string, e *models.AuditEntry) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id_hash = ?", idHash).Delete(&models.Session{}).Error; err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		if e == nil {
			return nil
		}
		return insertAudit(tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: delete session: %w", dbErr(err))
	}
	return nil
}

// DeleteExpiredSessions removes the sessions idle since before idleBefore
// or past their absolute expiry at now; it returns how many went.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int64, error) {
	res := s.w.WithContext(ctx).Where("last_seen_at < ? OR expires_at <= ?", idleBefore.UTC(), now.UTC()).Delete(&models.Session{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", dbErr(res.Error))
	}
	return res.RowsAffected, nil
}

// Secret returns the named server-side key, creating it with fresh() the
// first time. Every process on the database gets the same value: the first
// insert wins and the others read it back.
func (s *Store) Secret(ctx context.Context, name string, fresh func() (string, error)) (string, error) {
	var v []string
	if err := s.r.WithContext(ctx).Table("secrets").Where("name = ?", name).Pluck("value", &v).Error; err != nil {
		return "", fmt.Errorf("store: secret %s: %w", name, dbErr(err))
	}
	if len(v) == 1 {
		return v[0], nil
	}
	val, err := fresh()
	if err != nil {
		return "", fmt.Errorf("store: secret %s: %w", name, err)
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
			name, val, tx.NowFunc()).Error; err != nil {
			return err
		}
		v = v[:0]
		return tx.Table("secrets").Where("name = ?", name).Pluck("value", &v).Error
	})
	if err != nil {
		return "", fmt.Errorf("store: secret %s: %w", name, dbErr(err))
	}
	if len(v) != 1 {
		return "", fmt.Errorf("store: secret %s: not stored", name)
	}
	return v[0], nil
}
