package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
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

// insertAudit appends one row through db, inside a write transaction (the
// caller's, or AppendAudit's): the row takes the next id and is chained to
// the last row by its hash. On PostgreSQL an advisory lock makes the
// transactions that append take turns (SQLite has one writer anyway), so
// that two never chain to the same row; the BEFORE INSERT trigger refuses
// a row that does not follow the last one in any case.
func insertAudit(db *gorm.DB, e *models.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	// Microseconds: what PostgreSQL keeps of a time, so that the hash
	// computed now is the hash of what is read back.
	e.At = e.At.UTC().Truncate(time.Microsecond)
	if e.Detail == "" {
		e.Detail = "{}"
	}
	e.Actor = clip(cleanText(e.Actor), 128)
	e.Action = clip(cleanText(e.Action), 32)
	e.Target = cleanText(e.Target)
	e.Detail = cleanText(e.Detail)
	e.RemoteAddr = clip(cleanText(e.RemoteAddr), 64)
	e.UserAgent = clip(cleanText(e.UserAgent), 512)
	if db.Dialector.Name() == DriverPostgres {
		if err := db.Exec("SELECT pg_advisory_xact_lock(?)", auditLockKey).Error; err != nil {
			return fmt.Errorf("audit %s: lock the trail: %w", e.Action, err)
		}
	}
	var last []models.AuditEntry
	if err := db.Model(&models.AuditEntry{}).Select("id", "hash").Order("id DESC").Limit(1).Find(&last).Error; err != nil {
		return fmt.Errorf("audit %s: last row: %w", e.Action, err)
	}
	e.ID, e.PrevHash = 1, ""
	if len(last) == 1 {
		e.ID, e.PrevHash = last[0].ID+1, last[0].Hash
	}
	e.Hash = chainHash(e)
	if err := db.Create(e).Error; err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// auditLockKey names the advisory lock of the audit trail on PostgreSQL
// (any constant; "audit" in ASCII).
const auditLockKey = 0x6175646974

// cleanText makes a client's text storable and hashable the same way on
// both databases: valid UTF-8 (PostgreSQL refuses anything else) and no
// NUL (PostgreSQL's text cannot hold one).
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "")
}

// chainHash is the hash of a row: SHA-256 over a version tag, the hash of
// the row before and every column of the row, each written with its length
// so that no two rows can be written the same. Hex, 64 characters.
func chainHash(e *models.AuditEntry) string {
	h := sha256.New()
	field := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
		h.Write([]byte{'\n'})
	}
	field("scorecard-audit-1")
	field(e.PrevHash)
	field(strconv.FormatUint(uint64(e.ID), 10))
	field(e.At.UTC().Format("2006-01-02T15:04:05.000000Z"))
	field(e.Actor)
	if e.ActorID != nil {
		field(strconv.FormatUint(uint64(*e.ActorID), 10))
	} else {
		field("-")
	}
	field(e.Action)
	field(e.Target)
	field(e.Detail)
	field(e.RemoteAddr)
	field(e.UserAgent)
	return hex.EncodeToString(h.Sum(nil))
}

// AppendAudit appends one row to the audit trail. There is no method to
// change or delete a row, and the database refuses both (migrations).
func (s *Store) AppendAudit(ctx context.Context, e *models.AuditEntry) error {
	if err := s.write(ctx, func(tx *gorm.DB) error { return insertAudit(tx, e) }); err != nil {
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

// FailedLoginsFor returns the times of the failed logins for username from
// addr since since and since that address's last successful login to the
// account, newest first, at most n: the rate limit per account and
// address (auth).
func (s *Store) FailedLoginsFor(ctx context.Context, username, addr string, since time.Time, n int) ([]time.Time, error) {
	addr = clip(addr, 64)
	var last []time.Time
	err := s.r.WithContext(ctx).Model(&models.AuditEntry{}).
		Where("action = ? AND target = ? AND remote_addr = ? AND at >= ?", models.ActionLoginSuccess, username, addr, since.UTC()).
		Order("at DESC").Limit(1).Pluck("at", &last).Error
	if err != nil {
		return nil, fmt.Errorf("store: failed logins of %q from %q: %w", username, addr, dbErr(err))
	}
	if len(last) == 1 && last[0].After(since) {
		since = last[0]
	}
	var out []time.Time
	err = s.r.WithContext(ctx).Model(&models.AuditEntry{}).
		Where("action = ? AND target = ? AND remote_addr = ? AND at > ?", models.ActionLoginFailure, username, addr, since.UTC()).
		Order("at DESC").Limit(n).Pluck("at", &out).Error
	if err != nil {
		return nil, fmt.Errorf("store: failed logins of %q from %q: %w", username, addr, dbErr(err))
	}
	return out, nil
}
