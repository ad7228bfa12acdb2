package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"scorecard/models"
)

// Actor is who does something, for the audit trail: an account, or
// models.ActorCLI / models.ActorSystem, with where the request came from.
type Actor struct {
	Name       string
	UserID     *uint
	RemoteAddr string
	UserAgent  string
}

// ActorFor is the actor of a signed-in account.
func ActorFor(u models.User, remoteAddr, userAgent string) Actor {
	id := u.ID
	return Actor{Name: u.Username, UserID: &id, RemoteAddr: remoteAddr, UserAgent: userAgent}
}

// name is the actor's name, "system" when none was given.
func (a Actor) name() string {
	if strings.TrimSpace(a.Name) == "" {
		return models.ActorSystem
	}
	return a.Name
}

// Entry builds an audit row for the actor.
func (a Actor) Entry(action, target string, detail any) models.AuditEntry {
	return models.AuditEntry{
		Actor: a.name(), ActorID: a.UserID, Action: action, Target: target,
		Detail: detailJSON(detail), RemoteAddr: clip(a.RemoteAddr, 64), UserAgent: clip(a.UserAgent, 512),
	}
}

type actorKey struct{}

// WithActor attaches the actor to ctx: imports written with this context
// record it in their audit row (see guardImport).
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

func actorFrom(ctx context.Context) (Actor, bool) {
	if ctx == nil {
		return Actor{}, false
	}
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// detailJSON encodes the detail object; a value that cannot be encoded
// (never the case for the maps and structs we pass) is recorded as such
// rather than losing the row.
func detailJSON(v any) string {
	if v == nil {
		return "{}"
	}
	if s, ok := v.(string); ok && json.Valid([]byte(s)) {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"unencodable": fmt.Sprint(v)})
	}
	return string(b)
}

// clip cuts s to n bytes at a rune boundary: a user agent or a forwarded
// address is the client's to choose, the columns are not unlimited.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// insertAudit appends one row through db (the write pool or a transaction).
func insertAudit(db *gorm.DB, e *models.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	e.At = e.At.UTC()
	if e.Detail == "" {
		e.Detail = "{}"
	}
	e.Actor = clip(e.Actor, 128)
	e.RemoteAddr = clip(e.RemoteAddr, 64)
	e.ID = 0
	if err := db.Create(e).Error; err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AppendAudit appends one row to the audit trail. There is no method to
// change or delete a row, and the database refuses both (migrations).
func (s *Store) AppendAudit(ctx context.Context, e *models.AuditEntry) error {
	if err := insertAudit(s.w.WithContext(ctx), e); err != nil {
		return fmt.Errorf("store: %w", dbErr(err))
	}
	return nil
}

// AuditFilter selects audit rows. Empty fields select everything; Action
// ending in "." is a prefix ("login." is every login event).
type AuditFilter struct {
	Actor  string
	Action string
	Target string
	From   time.Time // inclusive
	To     time.Time // exclusive
	Limit  int       // ≤ 0: 100; at most 1000
	Offset int
}

// AuditLog returns the rows that match, newest first, and how many match in
// all (for paging).
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]models.AuditEntry, int64, error) {
	q := s.r.WithContext(ctx).Model(&models.AuditEntry{})
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	switch {
	case strings.HasSuffix(f.Action, "."):
		q = q.Where("action LIKE ?", escapeLike(f.Action)+"%")
	case f.Action != "":
		q = q.Where("action = ?", f.Action)
	}
	if f.Target != "" {
		q = q.Where("target = ?", f.Target)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: audit log: %w", dbErr(err))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	var out []models.AuditEntry
	if err := q.Order("at DESC, id DESC").Limit(limit).Offset(max(f.Offset, 0)).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("store: audit log: %w", dbErr(err))
	}
	return out, total, nil
}

// escapeLike drops the LIKE wildcards % and _ from a prefix: action names
// have neither, and ESCAPE clauses differ between the two databases.
func escapeLike(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

// FailedLogins returns the times of the failed logins for username since
// since and since the account's last successful login, newest first, at
// most n: the login rate limit per account (auth). Blocked attempts
// (ActionLoginBlocked) are not failures: they would let an attacker keep an
// account locked for ever by trying on.
func (s *Store) FailedLogins(ctx context.Context, username string, since time.Time, n int) ([]time.Time, error) {
	var last []time.Time
	err := s.r.WithContext(ctx).Model(&models.AuditEntry{}).
		Where("action = ? AND target = ? AND at >= ?", models.ActionLoginSuccess, username, since.UTC()).
		Order("at DESC").Limit(1).Pluck("at", &last).Error
	if err != nil {
		return nil, fmt.Errorf("store: failed logins of %q: %w", username, dbErr(err))
	}
	if len(last) == 1 && last[0].After(since) {
		since = last[0]
	}
	var out []time.Time
	err = s.r.WithContext(ctx).Model(&models.AuditEntry{}).
		Where("action = ? AND target = ? AND at > ?", models.ActionLoginFailure, username, since.UTC()).
		Order("at DESC").Limit(n).Pluck("at", &out).Error
	if err != nil {
		return nil, fmt.Errorf("store: failed logins of %q: %w", username, dbErr(err))
	}
	return out, nil
}

// FailedLoginsFrom returns the times of the failed logins from one address
// since since, newest first, at most n: the rate limit per address.
func (s *Store) FailedLoginsFrom(ctx context.Context, addr string, since time.Time, n int) ([]time.Time, error) {
	var out []time.Time
	err := s.r.WithContext(ctx).Model(&models.AuditEntry{}).
		Where("action = ? AND remote_addr = ? AND at > ?", models.ActionLoginFailure, clip(addr, 64), since.UTC()).
		Order("at DESC").Limit(n).Pluck("at", &out).Error
	if err != nil {
		return nil, fmt.Errorf("store: failed logins from %q: %w", addr, dbErr(err))
	}
	return out, nil
}
