package auth

import (
	"context"
	"crypto/hmac"
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

// sessionIDBytes: 256 random bits, far beyond guessing.
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

// Messages of the login page, as keys of the catalogue (i18n). The rate
// limit's takes the minutes to wait (RateLimitError.Minutes).
const (
	KeyBadCredentials = "auth.login.bad"
	KeyCSRF           = "auth.csrf"
	KeyRateLimit      = "auth.login.ratelimit"
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
// error (the database). Every failure leaves an audit row; attempts
// refused by the rate limit are counted and written a row at a time
// (blocked.go).
//
// The rate limit is kept in the database, in the audit trail itself (the
// failures are recorded there anyway): every server process sees the same
// counts, a restart does not reset them, and the composite indexes of the
// audit table make the checks small index reads. It is checked before the
// password, and a refused attempt is not a failure (it would otherwise
// keep the account locked as long as someone keeps trying).
//
// What is typed into the name box is stored only when it names an
// account: people type their password there by mistake. Any other name is
// stored as "unknown" with a short keyed hash of it (auditName), enough to
// count the failures of that name and no more.
func (s *Service) Authenticate(ctx context.Context, a Attempt) (models.User, error) {
	name := store.NormalizeUsername(a.Username)
	now := s.opts.Now().UTC()
	u, err := s.st.UserByUsername(ctx, name)
	found := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return models.User{}, fmt.Errorf("auth: %w", err)
	}
	actor, target := models.ActorUnknown, s.auditName(name)
	if found {
		actor, target = u.Username, u.Username
	}
	who := store.Actor{Name: actor, RemoteAddr: a.RemoteAddr, UserAgent: a.UserAgent}
	if found {
		id := u.ID
		who.UserID = &id
	}
	if rl, err := s.limited(ctx, target, a.RemoteAddr, now); err != nil {
		return models.User{}, err
	} else if rl != nil {
		first, due := s.blocked.note(who, target, rl.RetryAfter, now)
		s.writeBlocked(due)
		if first != nil {
			if err := s.st.AppendAudit(ctx, first); err != nil {
				return models.User{}, fmt.Errorf("auth: %w", err)
			}
		}
		return models.User{}, rl
	}
	hash := s.dummy
	if found {
		hash = u.PasswordHash
	}
	// Always one bcrypt comparison, whether the account exists or not.
	ok := s.passwordMatches(hash, a.Password)
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
		e := who.Entry(models.ActionLoginFailure, target, map[string]string{"reason": reason})
		e.At = now
		if err := s.st.AppendAudit(ctx, &e); err != nil {
			return models.User{}, fmt.Errorf("auth: %w", err)
		}
		return models.User{}, ErrBadCredentials
	}
	return u, nil
}

// auditName is what the audit trail keeps of a name that is no account:
// "unknown:" and 32 bits of an HMAC of it under the server's key. Failures
// of the same name from one address are still counted together (so an
// unknown name is limited exactly like an account, and answers the same);
// and whatever was typed, a password by mistake among it, cannot be read
// back or checked against guesses: some four billion other texts give the
// same 32 bits.
func (s *Service) auditName(name string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("audit-name\x00" + name))
	return "unknown:" + hex.EncodeToString(m.Sum(nil)[:4])
}

// limited applies the rate limit:
//
//   - an address with MaxFailuresPerAddress failures in the window is
//     refused, whatever the account;
//   - an account is refused from an address that had
//     MaxFailuresPerAccountAddress failures for it in the window (a
//     stranger's wrong passwords do not lock its owner out from another
//     address);
//   - an account with MaxFailuresPerAccount failures in the window, from
//     wherever (an attack from many addresses), is slowed: each address may
//     then fail once for it per window, and an address that has not failed
//     for it, the owner's, is still let try.
//
// A refused attempt waits until the failures that refused it leave the
// window.
func (s *Service) limited(ctx context.Context, target, addr string, now time.Time) (*RateLimitError, error) {
	since := now.Add(-s.opts.FailureWindow)
	var wait time.Duration
	over := func(times []time.Time, limit int) (time.Duration, bool) {
		if len(times) < limit {
			return 0, false
		}
		return times[limit-1].Add(s.opts.FailureWindow).Sub(now), true
	}
	refuse := func(w time.Duration) { wait = max(wait, w) }
	if addr != "" {
		from, err := s.st.FailedLoginsFrom(ctx, addr, since, s.opts.MaxFailuresPerAddress)
		if err != nil {
			return nil, fmt.Errorf("auth: rate limit: %w", err)
		}
		if w, ok := over(from, s.opts.MaxFailuresPerAddress); ok {
			refuse(w)
		}
	}
	here, err := s.st.FailedLoginsFor(ctx, target, addr, since, s.opts.MaxFailuresPerAccountAddress)
	if err != nil {
		return nil, fmt.Errorf("auth: rate limit: %w", err)
	}
	if w, ok := over(here, s.opts.MaxFailuresPerAccountAddress); ok {
		refuse(w)
	}
	if len(here) > 0 {
		acc, err := s.st.FailedLogins(ctx, target, since, s.opts.MaxFailuresPerAccount)
		if err != nil {
			return nil, fmt.Errorf("auth: rate limit: %w", err)
		}
		if w, ok := over(acc, s.opts.MaxFailuresPerAccount); ok {
			// Until the account is back under the ceiling, or this
			// address's own failures have left the window.
			refuse(min(w, here[0].Add(s.opts.FailureWindow).Sub(now)))
		}
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
