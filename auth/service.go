package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/models"
	"scorecard/store"
)

// Store is what auth needs from the database (*store.Store).
type Store interface {
	UserByUsername(ctx context.Context, username string) (models.User, error)
	CreateSession(ctx context.Context, sess *models.Session, replaceHash string, e *models.AuditEntry) error
	SessionByHash(ctx context.Context, idHash string) (store.SessionUser, error)
	TouchSession(ctx context.Context, idHash string, at time.Time) error
	DeleteSession(ctx context.Context, idHash string, e *models.AuditEntry) error
	DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int64, error)
	AppendAudit(ctx context.Context, e *models.AuditEntry) error
	FailedLogins(ctx context.Context, username string, since time.Time, n int) ([]time.Time, error)
	FailedLoginsFrom(ctx context.Context, addr string, since time.Time, n int) ([]time.Time, error)
	FailedLoginsFor(ctx context.Context, username, addr string, since time.Time, n int) ([]time.Time, error)
	Secret(ctx context.Context, name string, fresh func() (string, error)) (string, error)
}

var _ Store = (*store.Store)(nil)

// User is the signed-in account as the web layer sees it (no password
// hash). A nil *User is an anonymous visitor.
type User struct {
	ID       uint
	Username string
	Role     models.Role
	// UnitCode is the unit of a RoleUnit account, "" otherwise.
	UnitCode string
}

func userOf(u models.User) *User {
	return &User{ID: u.ID, Username: u.Username, Role: u.Role, UnitCode: u.Unit()}
}

// IsStaff: office or admin, who see every draft.
func (u *User) IsStaff() bool {
	return u != nil && (u.Role == models.RoleOffice || u.Role == models.RoleAdmin)
}

// IsAdmin: manages accounts and units.
func (u *User) IsAdmin() bool { return u != nil && u.Role == models.RoleAdmin }

// CanViewDraft reports whether u may see the draft (unpublished) figures
// of the unit: staff see every unit's, a unit account only its own unit's,
// anonymous visitors none. Lists of many units (rankings, exports, the
// API's rankings) of a draft period are for staff only: use IsStaff.
func (u *User) CanViewDraft(unitCode string) bool {
	if u == nil {
		return false
	}
	if u.IsStaff() {
		return true
	}
	return u.Role == models.RoleUnit && u.UnitCode != "" && u.UnitCode == unitCode
}

// Service holds the store, the options and the server-side key.
type Service struct {
	st   Store
	opts Options
	// csrfKey signs the login form's CSRF token; shared by every process
	// on the database (store.Secret).
	csrfKey []byte
	// dummy is the bcrypt hash compared against for unknown usernames.
	dummy string

	// bg counts the writes made off the request (session touches and
	// deletions, counts of refused logins), so that Wait can let them
	// finish.
	bg sync.WaitGroup
	// blocked counts the logins refused by the rate limit (blocked.go).
	blocked *blockedLog
}

// New builds the service: it loads (or creates) the CSRF signing key and
// prepares the dummy hash.
func New(ctx context.Context, st Store, opts Options) (*Service, error) {
	opts = opts.withDefaults()
	key, err := st.Secret(ctx, "csrf", func() (string, error) {
		b, err := randomBytes(32)
		return hex.EncodeToString(b), err
	})
	if err != nil {
		return nil, fmt.Errorf("auth: csrf key: %w", err)
	}
	k, err := hex.DecodeString(key)
	if err != nil || len(k) < 32 {
		return nil, fmt.Errorf("auth: csrf key in the database is malformed")
	}
	dummy, err := dummyHash(opts.BcryptCost)
	if err != nil {
		return nil, err
	}
	return &Service{st: st, opts: opts, csrfKey: k, dummy: dummy, blocked: newBlockedLog()}, nil
}

// Options returns the options in effect (defaults filled in).
func (s *Service) Options() Options { return s.opts }

// Wait writes the counts of refused logins not written yet and blocks
// until the background writes started so far are done (tests, graceful
// shutdown).
func (s *Service) Wait() {
	s.Flush()
	s.bg.Wait()
}

// Sweep deletes expired sessions; call it now and then (logins also delete
// the expired sessions of their account).
func (s *Service) Sweep(ctx context.Context) (int64, error) {
	now := s.opts.Now()
	s.writeBlocked(s.blocked.due(now))
	n, err := s.st.DeleteExpiredSessions(ctx, now.Add(-s.opts.SessionIdle), now)
	if err != nil {
		return 0, fmt.Errorf("auth: sweep sessions: %w", err)
	}
	return n, nil
}

// background runs a write off the request with its own deadline: the
// request's context ends with the request, and Fiber reuses its Ctx.
func (s *Service) background(what string, f func(ctx context.Context) error) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := f(ctx); err != nil {
			s.opts.Log.Warn("auth: background write failed", "what", what, "err", err)
		}
	}()
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("auth: random: %w", err)
	}
	return b, nil
}

// Locals keys; unexported types, so no other package can collide.
type (
	userKey    struct{}
	sessionKey struct{}
)

// UserFrom returns the signed-in account of the request, nil when
// anonymous. Valid only during the request.
func UserFrom(c *fiber.Ctx) *User {
	u, _ := c.Locals(userKey{}).(*User)
	return u
}

// Actor is the request's account and address, for the audit trail
// (store.WithActor, Publish…).
func (s *Service) Actor(c *fiber.Ctx) store.Actor {
	a := store.Actor{Name: "anonymous", RemoteAddr: ClientIP(c, s.opts.TrustedProxies), UserAgent: string(c.Request().Header.UserAgent())}
	if u := UserFrom(c); u != nil {
		id := u.ID
		a.Name, a.UserID = u.Username, &id
	}
	return a
}
