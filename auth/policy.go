package auth

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/models"
)

// Who is a set of kinds of visitor.
type Who uint8

// The kinds of visitor, and the usual sets.
const (
	Anonymous Who = 1 << iota
	UnitAccounts
	OfficeAccounts
	AdminAccounts

	Everyone = Anonymous | UnitAccounts | OfficeAccounts | AdminAccounts
	SignedIn = UnitAccounts | OfficeAccounts | AdminAccounts
	Staff    = OfficeAccounts | AdminAccounts
	Admins   = AdminAccounts
)

// WhoOf is the kind of visitor u is (nil: Anonymous).
func WhoOf(u *User) Who {
	if u == nil {
		return Anonymous
	}
	switch u.Role {
	case models.RoleAdmin:
		return AdminAccounts
	case models.RoleOffice:
		return OfficeAccounts
	case models.RoleUnit:
		return UnitAccounts
	}
	return 0 // an unknown role may do nothing
}

// Rule says who may use a route. The application attaches it to the route
// where the route is registered (Require), so the route table is the only
// list of URLs: no second table can fall out of step with it.
type Rule struct {
	Who Who
	// OwnUnit, when set, names the route parameter that holds a unit code:
	// a unit account not in Who is still allowed for its own unit
	// (e.g. a dossier drill-down: staff, or the unit itself).
	OwnUnit string
}

// Decision is the outcome of a rule for a visitor.
type Decision int

// Decisions.
const (
	Allow Decision = iota
	// Unauthenticated: an anonymous visitor must sign in (401, or a
	// redirect to the login page).
	Unauthenticated
	// Forbidden: signed in, but not allowed (403).
	Forbidden
)

func (d Decision) String() string {
	switch d {
	case Allow:
		return "allow"
	case Unauthenticated:
		return "unauthenticated"
	}
	return "forbidden"
}

// Decide applies a rule to a visitor; param reads a route parameter (for
// OwnUnit), as c.Params does.
func (r Rule) Decide(u *User, param func(name string) string) Decision {
	w := WhoOf(u)
	if r.Who&w != 0 {
		return Allow
	}
	if r.OwnUnit != "" && u != nil && u.Role == models.RoleUnit && u.UnitCode != "" && param(r.OwnUnit) == u.UnitCode {
		return Allow
	}
	if u == nil {
		return Unauthenticated
	}
	return Forbidden
}

// The refusals' messages, as keys of the catalogue (i18n): the web layer
// words them in the visitor's language.
const (
	KeyUnauthenticated = "auth.unauthenticated"
	KeyForbidden       = "auth.forbidden"
)

// Require is the guard the application puts first on a route with a rule
// (after Middleware has loaded the session): Fiber has already matched the
// route, so the rule judged is exactly the route's own. An anonymous
// visitor asking for a page (GET, outside /api/) is sent to the login page
// with the page to come back to; otherwise 401 or 403. Refusals are
// *fiber.Error carrying the key of their message, for the application's
// error handler.
func (s *Service) Require(r Rule) fiber.Handler {
	return func(c *fiber.Ctx) error {
		switch r.Decide(UserFrom(c), func(name string) string { return c.Params(name) }) {
		case Allow:
			return c.Next()
		case Unauthenticated:
			if m := c.Method(); (m == fiber.MethodGet || m == fiber.MethodHead) && !s.isAPI(c.Route().Path) {
				return c.Redirect(s.opts.URL("/login")+"?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
			}
			return fiber.NewError(fiber.StatusUnauthorized, KeyUnauthenticated)
		}
		return fiber.NewError(fiber.StatusForbidden, KeyForbidden)
	}
}

// isAPI tells the JSON API's routes (answered 401, never redirected). The
// pattern holds the base path when the application is mounted under it.
func (s *Service) isAPI(pattern string) bool {
	if rest, ok := s.opts.stripBase(pattern); ok {
		pattern = rest
	}
	p := strings.ToLower(pattern)
	return p == "/api" || strings.HasPrefix(p, "/api/")
}
