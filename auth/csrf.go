package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
)

// CSRF tokens.
//
// A signed-in visitor's token comes from the session's secret (kept in the
// sessions table): forms carry it, the server compares. An anonymous visitor
// (the login form) has no session yet; the token is then the server-keyed
// HMAC of a random value in the PreSessionCookie (a signed double submit):
// another site can neither read the cookie nor compute the HMAC, and
// planting a cookie of its own choosing does not help it without the key.
//
// Every token sent to a page is masked with fresh random bytes, so that it
// differs on each page (a compressed page does not leak it byte by byte,
// BREACH) while any of them is accepted.

// CSRFField is the form field, CSRFHeader the header (for scripts) that
// carry the token.
const (
	CSRFField  = "_csrf"
	CSRFHeader = "X-CSRF-Token"
)

const csrfLen = 32

// mask returns base64url(pad || pad XOR secret).
func mask(secret []byte) (string, error) {
	pad, err := randomBytes(len(secret))
	if err != nil {
		return "", err
	}
	out := make([]byte, 2*len(secret))
	copy(out, pad)
	for i := range secret {
		out[len(secret)+i] = pad[i] ^ secret[i]
	}
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// unmask is the inverse of mask; nil when the token is malformed.
func unmask(token string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 2*csrfLen {
		return nil
	}
	out := make([]byte, csrfLen)
	for i := range out {
		out[i] = b[i] ^ b[csrfLen+i]
	}
	return out
}

// preSessionSecret is the expected token of an anonymous visitor whose
// cookie holds seed.
func (s *Service) preSessionSecret(seed string) []byte {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("scorecard csrf v1\x00"))
	m.Write([]byte(seed))
	return m.Sum(nil)
}

// CSRFToken returns a token for the forms of this page: bound to the
// session when signed in, else to the PreSessionCookie (set here when
// missing). Templates put it in a hidden field named CSRFField.
func (s *Service) CSRFToken(c *fiber.Ctx) (string, error) {
	if sess := sessionFrom(c); sess != nil {
		return mask(sess.csrfSecret)
	}
	seed := c.Cookies(PreSessionCookie)
	if raw, err := base64.RawURLEncoding.DecodeString(seed); err != nil || len(raw) != csrfLen {
		b, err := randomBytes(csrfLen)
		if err != nil {
			return "", err
		}
		seed = base64.RawURLEncoding.EncodeToString(b)
		s.setCookie(c, PreSessionCookie, seed)
	}
	return mask(s.preSessionSecret(seed))
}

// VerifyCSRF checks the request's token (form field or header) against the
// session, or for an anonymous visitor against the PreSessionCookie.
func (s *Service) VerifyCSRF(c *fiber.Ctx) bool {
	token := c.Get(CSRFHeader)
	if token == "" {
		token = c.FormValue(CSRFField)
	}
	got := unmask(token)
	if got == nil {
		return false
	}
	var want []byte
	if sess := sessionFrom(c); sess != nil {
		want = sess.csrfSecret
	} else {
		seed := c.Cookies(PreSessionCookie)
		if seed == "" {
			return false
		}
		want = s.preSessionSecret(seed)
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// unsafeMethod: the methods that may change something.
func unsafeMethod(m string) bool {
	switch m {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
		return false
	}
	return true
}

// CSRF is the route handler that refuses a POST, PUT, PATCH or DELETE
// without a valid token (403, KeyCSRF). The application puts it on every
// route of a state-changing method, before the route's rule, except where
// the route table says why a route needs none. It must come after
// Middleware, which loads the session.
func (s *Service) CSRF() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if unsafeMethod(c.Method()) && !s.VerifyCSRF(c) {
			return fiber.NewError(fiber.StatusForbidden, KeyCSRF)
		}
		return c.Next()
	}
}
