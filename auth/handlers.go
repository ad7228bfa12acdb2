package auth

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// LoginView is what the login page shows.
type LoginView struct {
	// Action is the form's URL (base path + /login).
	Action string
	// CSRFToken goes in a hidden field named CSRFField.
	CSRFToken string
	// Username is what was typed, to fill the form again (never the
	// password).
	Username string
	// Next is where to go after signing in (a hidden field "next").
	Next string
	// Error is the key of the message to show (Key…), "" for none;
	// ErrorArgs its arguments.
	Error     string
	ErrorArgs []any
}

// LoginRender renders the login page with the status.
type LoginRender func(c *fiber.Ctx, status int, v LoginView) error

// LoginHandler serves GET and POST /login. GET shows the form (a visitor
// already signed in goes straight on). POST checks the form's CSRF token
// itself (so its route goes without the CSRF handler: a stale form is shown
// again with KeyCSRF rather than an error page), then the rate limit and
// the password; success
// starts a new session and redirects (303) to "next" when it is a page of
// this application, to the home page otherwise. Failures show the form
// again: 401 with KeyBadCredentials, 429 with the rate limit's message
// (and a Retry-After header), 403 with KeyCSRF.
func (s *Service) LoginHandler(render LoginRender) fiber.Handler {
	return func(c *fiber.Ctx) error {
		// FormValue reads the query string and the posted form alike.
		next := s.safeNext(c.FormValue("next"))
		view := func(status int, username, msg string, args ...any) error {
			tok, err := s.CSRFToken(c)
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderCacheControl, "no-store")
			return render(c, status, LoginView{Action: s.opts.URL("/login"), CSRFToken: tok, Username: username, Next: next, Error: msg, ErrorArgs: args})
		}
		if c.Method() != fiber.MethodPost {
			if UserFrom(c) != nil {
				return c.Redirect(next, fiber.StatusSeeOther)
			}
			return view(fiber.StatusOK, "", "")
		}
		username := strings.TrimSpace(c.FormValue("username"))
		if r := []rune(username); len(r) > 128 {
			username = string(r[:128])
		}
		if !s.VerifyCSRF(c) {
			return view(fiber.StatusForbidden, username, KeyCSRF)
		}
		u, err := s.Authenticate(c.UserContext(), Attempt{
			Username: username, Password: c.FormValue("password"),
			RemoteAddr: ClientIP(c, s.opts.TrustedProxies), UserAgent: string(c.Request().Header.UserAgent()),
		})
		var rl *RateLimitError
		switch {
		case errors.As(err, &rl):
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
			return view(fiber.StatusTooManyRequests, username, KeyRateLimit, rl.Minutes())
		case errors.Is(err, ErrBadCredentials):
			return view(fiber.StatusUnauthorized, username, KeyBadCredentials)
		case err != nil:
			return err
		}
		if err := s.StartSession(c, u); err != nil {
			return err
		}
		return c.Redirect(next, fiber.StatusSeeOther)
	}
}

// LogoutHandler serves POST /logout: it checks the CSRF token itself too
// (logging someone out from another site is a nuisance worth preventing),
// ends the session and goes to the home page.
func (s *Service) LogoutHandler() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !s.VerifyCSRF(c) {
			return fiber.NewError(fiber.StatusForbidden, KeyCSRF)
		}
		if err := s.EndSession(c); err != nil {
			return err
		}
		return c.Redirect(s.opts.URL("/"), fiber.StatusSeeOther)
	}
}

// safeNext keeps "next" only when it is a path of this application (under
// the base path): never another site ("//evil.example", "https://…",
// "/\evil.example"), never a control character.
func (s *Service) safeNext(next string) string {
	home := s.opts.URL("/")
	if next == "" || len(next) > 2048 || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, `\`) ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return home
	}
	if _, ok := s.opts.stripBase(u.Path); !ok {
		return home
	}
	// The login page itself would loop.
	if p, _ := s.opts.stripBase(u.Path); strings.EqualFold(strings.TrimSuffix(p, "/"), "/login") {
		return home
	}
	return next
}
