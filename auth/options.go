// Package auth is who may see and change what: password hashing, sessions
// kept in the database, CSRF tokens, the login rate limit, the rules routes
// carry, security headers and the reverse-proxy settings. It is written for
// Fiber v2 and wired into the application by handlers; the data it keeps
// goes through store.
//
// The pieces, in the order a request meets them:
//
//	app.Use(auth.SecurityHeaders(opts))   headers on every answer
//	app.Use(svc.Middleware())             the session's account into c.Locals
//	app.Post("/staff/publish",
//		svc.CSRF(),                       the form's token (unsafe methods)
//		svc.Require(auth.Rule{Who: auth.Staff}),  the route's rule
//		publish)
//	app.Get("/login", svc.LoginHandler(render)) …
package auth

import (
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"scorecard/config"
)

// Options are the settings of auth. The zero value of each field means its
// default.
type Options struct {
	// BasePath is the prefix the application is served under ("/chiso"),
	// "" at the root: requests arrive with it (the proxy keeps it), cookies
	// are limited to it, redirects stay under it.
	BasePath string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto headers are believed; nobody else's are.
	TrustedProxies []netip.Prefix
	// SecureCookies marks cookies Secure whatever the request looks like;
	// otherwise they are Secure when the request came over HTTPS.
	SecureCookies bool
	// SessionIdle (default 8 h) ends a session after that long without a
	// request; SessionMax (default 7 days) after that long in any case.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// TouchEvery (default 5 min) is how often a session's activity is
	// written: at most once per period per session, off the request.
	TouchEvery time.Duration
	// Login rate limit (Service.limited), within FailureWindow (default
	// 15 minutes): an account is refused from an address after
	// MaxFailuresPerAccountAddress failures from it (default 5); an
	// address is refused after MaxFailuresPerAddress failures (default
	// 20); an account that had MaxFailuresPerAccount failures from
	// anywhere (default 50) lets each address fail only once more.
	MaxFailuresPerAccountAddress int
	MaxFailuresPerAccount        int
	MaxFailuresPerAddress        int
	FailureWindow                time.Duration
	// EmbedAncestors are the sites that may frame /embed/* (CSP
	// frame-ancestors sources); nil means every site.
	EmbedAncestors []string
	// BcryptCost (default bcrypt.DefaultCost) of new hashes; tests lower it.
	BcryptCost int
	// Compare checks a password against its hash (default bcrypt's
	// CompareHashAndPassword). Every login attempt runs it exactly once,
	// known account or not, which is what makes the answers take as long.
	Compare func(hash, password []byte) error
	// Now is the clock (default time.Now); tests move it.
	Now func() time.Time
	// Log receives the failures of background writes (default slog.Default).
	Log *slog.Logger
}

// Defaults.
const (
	DefaultSessionIdle                  = config.DefaultSessionIdle
	DefaultSessionMax                   = config.DefaultSessionMax
	DefaultTouchEvery                   = 5 * time.Minute
	DefaultMaxFailuresPerAccountAddress = 5
	DefaultMaxFailuresPerAccount        = 50
	DefaultMaxFailuresPerAddress        = 20
	DefaultFailureWindow                = 15 * time.Minute
)

// OptionsFrom turns the program's configuration into Options.
func OptionsFrom(c config.Config) (Options, error) {
	o := Options{
		BasePath:       c.BasePath,
		SecureCookies:  c.SecureCookies,
		SessionIdle:    c.SessionIdle,
		SessionMax:     c.SessionMax,
		EmbedAncestors: c.EmbedAncestors,
	}
	for _, s := range c.TrustedProxies {
		p, err := ParsePrefix(s)
		if err != nil {
			return Options{}, err
		}
		o.TrustedProxies = append(o.TrustedProxies, p)
	}
	return o.withDefaults(), nil
}

// ParsePrefix reads a trusted proxy: an address ("10.0.0.5") or a network
// ("10.0.0.0/8").
func ParsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("auth: trusted proxy %q is not an IP address or CIDR", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func (o Options) withDefaults() Options {
	o.BasePath = strings.TrimRight(o.BasePath, "/")
	if o.SessionIdle <= 0 {
		o.SessionIdle = DefaultSessionIdle
	}
	if o.SessionMax <= 0 {
		o.SessionMax = DefaultSessionMax
	}
	if o.TouchEvery <= 0 {
		o.TouchEvery = DefaultTouchEvery
	}
	if o.MaxFailuresPerAccountAddress <= 0 {
		o.MaxFailuresPerAccountAddress = DefaultMaxFailuresPerAccountAddress
	}
	if o.MaxFailuresPerAccount <= 0 {
		o.MaxFailuresPerAccount = DefaultMaxFailuresPerAccount
	}
	if o.MaxFailuresPerAddress <= 0 {
		o.MaxFailuresPerAddress = DefaultMaxFailuresPerAddress
	}
	if o.FailureWindow <= 0 {
		o.FailureWindow = DefaultFailureWindow
	}
	if o.BcryptCost == 0 {
		o.BcryptCost = bcrypt.DefaultCost
	}
	if o.Compare == nil {
		o.Compare = bcrypt.CompareHashAndPassword
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return o
}

// CookiePath is the Path of every cookie: the base path, "/" at the root.
func (o Options) CookiePath() string {
	if o.BasePath == "" {
		return "/"
	}
	return o.BasePath
}

// URL prefixes a site-relative path ("/login") with the base path.
func (o Options) URL(path string) string { return o.BasePath + path }

// stripBase removes the base path from a request path; ok is false when
// the path is not under it.
func (o Options) stripBase(path string) (string, bool) {
	if o.BasePath == "" {
		return path, true
	}
	rest, ok := strings.CutPrefix(path, o.BasePath)
	if !ok {
		// Fiber routes case-insensitively; the prefix is compared the
		// same way.
		if len(path) >= len(o.BasePath) && strings.EqualFold(path[:len(o.BasePath)], o.BasePath) {
			rest, ok = path[len(o.BasePath):], true
		}
	}
	if !ok || (rest != "" && rest[0] != '/') {
		return "", false
	}
	if rest == "" {
		rest = "/"
	}
	return rest, true
}
