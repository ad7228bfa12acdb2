package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gorm.io/gorm"

	"scorecard/models"
)

// usernameRe is what a username may be once normalised: letters, digits
// and . _ @ - (an e-mail address works), 3 to 64 characters. ASCII only, so
// that two names that look the same cannot be two accounts.
var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{2,63}$`)

// NormalizeUsername is the form usernames are stored and looked up in:
// trimmed and lower-case.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ErrUsername is a username that is not 3–64 of a–z, 0–9, . _ @ - (an
// ErrInvalid). The catalogue words it where a person typed the name
// (admin.users.err.username, cli.user.badname).
var ErrUsername = fmt.Errorf("%w: username", ErrInvalid)

// CheckUsername reports whether the normalised name is acceptable.
func CheckUsername(normalized string) error {
	if !usernameRe.MatchString(normalized) {
		return ErrUsername
	}
	return nil
}

// CreateUser adds an account and its audit row (user.add) in one
// transaction. u.Username is normalised; u.PasswordHash must be set (auth
// hashes it); a unit account's unit must exist. ErrConflict when the name
// is taken.
func (s *Store) CreateUser(ctx context.Context, u *models.User, by Actor) error {
	u.Username = NormalizeUsername(u.Username)
	if err := CheckUsername(u.Username); err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	if !u.Role.Valid() {
		return fmt.Errorf("store: create user %s: role %q: %w", u.Username, u.Role, ErrInvalid)
	}
	if (u.Role == models.RoleUnit) != (u.UnitCode != nil && *u.UnitCode != "") {
		return fmt.Errorf("store: create user %s: a unit account, and only a unit account, is bound to a unit: %w", u.Username, ErrInvalid)
	}
	if u.PasswordHash == "" {
		return fmt.Errorf("store: create user %s: no password hash: %w", u.Username, ErrInvalid)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if u.UnitCode != nil {
			var n int64
			if err := tx.Model(&models.Unit{}).Where("code = ?", *u.UnitCode).Count(&n).Error; err != nil {
				return fmt.Errorf("check unit: %w", err)
			}
			if n == 0 {
				return fmt.Errorf("unit %q: %w", *u.UnitCode, ErrNotFound)
			}
		}
		now := tx.NowFunc()
		u.ID, u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt = 0, now, now, now
		if err := tx.Create(u).Error; err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		e := by.Entry(models.ActionUserAdd, u.Username, map[string]string{"role": string(u.Role), "unit": u.Unit()})
		return insertAudit(tx, &e)
	})
	if err != nil {
		u.ID = 0
		return fmt.Errorf("store: create user %s: %w", u.Username, dbErr(err))
	}
	return nil
}

// UserByUsername finds an account by name (normalised here), or
// ErrNotFound.
func (s *Store) UserByUsername(ctx context.Context, username string) (models.User, error) {
	var u models.User
	if err := s.r.WithContext(ctx).Where("username = ?", NormalizeUsername(username)).Take(&u).Error; err != nil {
		return models.User{}, fmt.Errorf("store: user %q: %w", username, dbErr(err))
	}
	return u, nil
}

// UserByID finds an account by id, or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id uint) (models.User, error) {
	var u models.User
	if err := s.r.WithContext(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		return models.User{}, fmt.Errorf("store: user %d: %w", id, dbErr(err))
	}
	return u, nil
}

// Users lists every account by name.
func (s *Store) Users(ctx context.Context) ([]models.User, error) {
	var out []models.User
	if err := s.r.WithContext(ctx).Order("username").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: users: %w", dbErr(err))
	}
	return out, nil
}

// CountUsers counts the enabled accounts with the role ("" for all), e.g.
// to tell an operator that no admin exists yet.
func (s *Store) CountUsers(ctx context.Context, role models.Role) (int64, error) {
	q := s.r.WithContext(ctx).Model(&models.User{}).Where("disabled = ?", false)
	if role != "" {
		q = q.Where("role = ?", role)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: count users: %w", dbErr(err))
	}
	return n, nil
}

// SetPassword replaces an account's password hash and signs it out
// everywhere (its sessions are deleted: whoever knew the old password may
// hold one), with an audit row (user.passwd), in one transaction.
func (s *Store) SetPassword(ctx context.Context, userID uint, hash string, by Actor) error {
	if hash == "" {
		return fmt.Errorf("store: set password: no hash: %w", ErrInvalid)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		u, err := lockUser(tx, userID)
		if err != nil {
			return err
		}
		now := tx.NowFunc()
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"password_hash": hash, "password_changed_at": now, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&models.Session{}).Error; err != nil {
			return fmt.Errorf("delete sessions: %w", err)
		}
		e := by.Entry(models.ActionUserPasswd, u.Username, nil)
		return insertAudit(tx, &e)
	})
	if err != nil {
		return fmt.Errorf("store: set password of user %d: %w", userID, dbErr(err))
	}
	return nil
}

// SetDisabled disables (signing it out everywhere) or enables an account,
// with an audit row (user.disable, user.enable). Accounts are never deleted:
// the audit trail names them.
func (s *Store) SetDisabled(ctx context.Context, userID uint, disabled bool, by Actor) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		u, err := lockUser(tx, userID)
		if err != nil {
			return err
		}
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"disabled": disabled, "updated_at": tx.NowFunc()}).Error; err != nil {
			return fmt.Errorf("update: %w", err)
		}
		action := models.ActionUserEnable
		if disabled {
			action = models.ActionUserDisable
			if err := tx.Where("user_id = ?", u.ID).Delete(&models.Session{}).Error; err != nil {
				return fmt.Errorf("delete sessions: %w", err)
			}
		}
		e := by.Entry(action, u.Username, nil)
		return insertAudit(tx, &e)
	})
	if err != nil {
		return fmt.Errorf("store: set disabled of user %d: %w", userID, dbErr(err))
	}
	return nil
}

// lockUser loads the account inside a write transaction.
func lockUser(tx *gorm.DB, id uint) (models.User, error) {
	var u models.User
	if err := tx.Where("id = ?", id).Take(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return models.User{}, fmt.Errorf("user %d: %w", id, ErrNotFound)
		}
		return models.User{}, fmt.Errorf("load user %d: %w", id, err)
	}
	return u, nil
}
