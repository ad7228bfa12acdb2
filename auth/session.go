package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/models"
	"scorecard/store"
)

// Cookie names.
const (
	SessionCookie = "scorecard_session"
	// PreSessionCookie carries the anonymous visitor's CSRF seed (login
	// form); it is no credential.
	PreSessionCookie = "scorecard_csrf"
)

// sessionIDBytes: 256 random bits, as the issue asks.
const sessionIDBytes = 32

// session is the loaded session of a request.
type session struct {
	hash       string
	csrfSecret []byte
}

// hashID is the SHA-256 (hex) of a session id as sent in the cookie; the
// database keeps only this. Malformed ids hash to "" and are never found.
func hashID(cookie string) string {
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil || len(raw) != sessionIDBytes {
		return ""
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// Middleware loads the request's session and its account into c.Locals
// (UserFrom). An unknown, expired or disabled-account session is dropped
// (its cookie cleared) and the request goes on anonymously. Reads only: the
// activity stamp is written off the request, at most every TouchEvery, so a
// page view never waits for a long import to release the writer.
func (s *Service) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cookie := c.Cookies(SessionCookie)
		if cookie == "" {
			return c.Next()
		}
		hash := hashID(cookie)
		if hash == "" {
			s.clearCookie(c, SessionCookie)
			return c.Next()
		}
		su, err := s.st.SessionByHash(c.UserContext(), hash)
		if errors.Is(err, store.ErrNotFound) {
			s.clearCookie(c, SessionCookie)
			return c.Next()
		}
		if err != nil {
			return fmt.Errorf("auth: load session: %w", err)
		}
		now := s.opts.Now()
		if s.expired(su.Session, now) || su.User.Disabled {
			s.clearCookie(c, SessionCookie)
			s.background("delete expired session", func(ctx context.Context) error {
				return s.st.DeleteSession(ctx, hash, nil)
			})
			return c.Next()
		}
		secret, err := hex.DecodeString(su.Session.CSRFSecret)
		if err != nil {
			return fmt.Errorf("auth: session csrf secret is malformed: %w", err)
		}
		c.Locals(userKey{}, userOf(su.User))
		c.Locals(sessionKey{}, &session{hash: hash, csrfSecret: secret})
		if now.Sub(su.Session.LastSeenAt) >= s.opts.TouchEvery {
			s.background("touch session", func(ctx context.Context) error {
				return s.st.TouchSession(ctx, hash, now)
			})
		}
		return c.Next()
	}
}

// expired: past the absolute end, or idle too long.
func (s *Service) expired(sess models.Session, now time.Time) bool {
	return !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.opts.SessionIdle
}

func sessionFrom(c *fiber.Ctx) *session {
	sess, _ := c.Locals(sessionKey{}).(*session)
	return sess
}

// Login outcomes other than success.
var (
	// ErrBadCredentials: unknown account, wrong password or disabled
	// account; deliberately one error (no user enumeration).
	ErrBadCredentials = errors.New("auth: wrong username or password")
)

// RateLimitError: too many failed logins for the account or the address.
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("auth: too many failed logins; retry in %s", e.RetryAfter.Round(time.Second))
}

// Minutes is RetryAfter rounded up to whole minutes (at least 1).
func (e *RateLimitError) Minutes() int {
	m := int((e.RetryAfter + time.Minute - 1) / time.Minute)
	return max(m, 1)
}

// MessageVI is the message the login page shows.
func (e *RateLimitError) MessageVI() string {
	return fmt.Sprintf("Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau %d phút.", e.Minutes())
}

// Messages of the login page.
const (
	MsgBadCredentials = "Tên đăng nhập hoặc mật khẩu không đúng."
	MsgCSRF           = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại."
)

// Attempt is one login attempt.
type Attempt struct {
	Username   string
	Password   string
	RemoteAddr string
	UserAgent  string
}

// Authenticate checks an attempt against the rate limit and the password.
// It returns the account, ErrBadCredentials, a *RateLimitError, or another
// error (the database). Every outcome leaves an audit row.
//
// The rate limit is kept in the database, in the audit trail itself (the
// failures are recorded there anyway): every server process sees the same
// counts, a restart does not reset them, and the two composite indexes of
// the audit table make the check two small index reads. It is checked
// before the password, and a refused attempt is not a failure (it would
// otherwise keep the account locked as long as someone keeps trying).
func (s *Service) Authenticate(ctx context.Context, a Attempt) (models.User, error) {
	name := store.NormalizeUsername(a.Username)
	now := s.opts.Now().UTC()
	entry := func(action string, detail any) *models.AuditEntry {
		e := store.Actor{Name: name, RemoteAddr: a.RemoteAddr, UserAgent: a.UserAgent}.Entry(action, name, detail)
		e.At = now
		return &e
	}
	if rl, err := s.limited(ctx, name, a.RemoteAddr, now); err != nil {
		return models.User{}, err
	} else if rl != nil {
		if err := s.st.AppendAudit(ctx, entry(models.ActionLoginBlocked, map[string]any{"retry_after_s": int(rl.RetryAfter.Seconds())})); err != nil {
			return models.User{}, fmt.Errorf("auth: %w", err)
		}
		return models.User{}, rl
	}
	u, err := s.st.UserByUsername(ctx, name)
	found := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return models.User{}, fmt.Errorf("auth: %w", err)
	}
	hash := s.dummy
	if found {
		hash = u.PasswordHash
	}
	// Always one bcrypt comparison, whether the account exists or not.
	ok := passwordMatches(hash, a.Password)
	reason := ""
	switch {
	case !found:
		reason = "unknown account"
	case !ok:
		reason = "wrong password"
	case u.Disabled:
		reason = "account disabled"
	}
	if reason != "" {
		e := entry(models.ActionLoginFailure, map[string]string{"reason": reason})
		if found {
			id := u.ID
			e.ActorID = &id
		}
		if err := s.st.AppendAudit(ctx, e); err != nil {
			return models.User{}, fmt.Errorf("auth: %w", err)
		}
		return models.User{}, ErrBadCredentials
	}
	return u, nil
}

// limited applies the rate limit: blocked while the account or the address
// has MaxFailures failures within the window; blocked until the oldest of
// those leaves it.
func (s *Service) limited(ctx context.Context, name, addr string, now time.Time) (*RateLimitError, error) {
	since := now.Add(-s.opts.FailureWindow)
	var wait time.Duration
	check := func(times []time.Time, limit int) {
		if len(times) >= limit {
			if w := times[limit-1].Add(s.opts.FailureWindow).Sub(now); w > wait {
				wait = w
			}
		}
	}
	acc, err := s.st.FailedLogins(ctx, name, since, s.opts.MaxFailuresPerAccount)
	if err != nil {
		return nil, fmt.Errorf("auth: rate limit: %w", err)
	}
	check(acc, s.opts.MaxFailuresPerAccount)
	if addr != "" {
		from, err := s.st.FailedLoginsFrom(ctx, addr, since, s.opts.MaxFailuresPerAddress)
		if err != nil {
			return nil, fmt.Errorf("auth: rate limit: %w", err)
		}
		check(from, s.opts.MaxFailuresPerAddress)
	}
	if wait <= 0 {
		return nil, nil
	}
	return &RateLimitError{RetryAfter: wait}, nil
}

// StartSession signs u in on this browser: a new session id every time
// (the one the browser had, if any, is deleted: no session fixation), the
// pre-session CSRF cookie dropped, the audit row (login.success) written
// with the session.
func (s *Service) StartSession(c *fiber.Ctx, u models.User) error {
	raw, err := randomBytes(sessionIDBytes)
	if err != nil {
		return err
	}
	secret, err := randomBytes(32)
	if err != nil {
		return err
	}
	id := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256(raw)
	now := s.opts.Now().UTC()
	addr, ua := ClientIP(c, s.opts.TrustedProxies), string(c.Request().Header.UserAgent())
	sess := &models.Session{
		IDHash: hex.EncodeToString(sum[:]), UserID: u.ID, CSRFSecret: hex.EncodeToString(secret),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.opts.SessionMax), RemoteAddr: addr, UserAgent: ua,
	}
	old := hashID(c.Cookies(SessionCookie))
	e := store.ActorFor(u, addr, ua).Entry(models.ActionLoginSuccess, u.Username, nil)
	e.At = now
	if err := s.st.CreateSession(c.UserContext(), sess, old, &e); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	s.setCookie(c, SessionCookie, id)
	s.clearCookie(c, PreSessionCookie)
	c.Locals(userKey{}, userOf(u))
	c.Locals(sessionKey{}, &session{hash: sess.IDHash, csrfSecret: secret})
	return nil
}

// EndSession signs the browser out: the session row deleted (with a logout
// audit row), the cookie cleared. Without a session it only clears.
func (s *Service) EndSession(c *fiber.Ctx) error {
	sess := sessionFrom(c)
	u := UserFrom(c)
	s.clearCookie(c, SessionCookie)
	if sess == nil || u == nil {
		return nil
	}
	a := s.Actor(c)
	e := a.Entry(models.ActionLogout, u.Username, nil)
	e.At = s.opts.Now().UTC()
	if err := s.st.DeleteSession(c.UserContext(), sess.hash, &e); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	c.Locals(userKey{}, nil)
	c.Locals(sessionKey{}, nil)
	return nil
}

// secure: Secure cookies when configured or when the request is HTTPS.
func (s *Service) secure(c *fiber.Ctx) bool {
	return s.opts.SecureCookies || IsHTTPS(c, s.opts.TrustedProxies)
}

// setCookie writes a browser-session cookie (no Expires: closing the
// browser forgets it; the server's idle and absolute limits apply anyway),
// HttpOnly, SameSite=Lax, limited to the base path.
func (s *Service) setCookie(c *fiber.Ctx, name, value string) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: value, Path: s.opts.CookiePath(),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c), SessionOnly: true,
	})
}

// cookieGone is a date in the past: a cookie set to expire then is deleted.
var cookieGone = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func (s *Service) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: "", Path: s.opts.CookiePath(), Expires: cookieGone,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c),
	})
}
