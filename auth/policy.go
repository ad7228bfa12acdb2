package auth

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
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

// Rule says who may use one route of the route table.
type Rule struct {
	// Method is GET, POST…; a GET rule covers HEAD too.
	Method string
	// Path is the route's pattern exactly as registered in
	// handlers/routes.go (with the group prefix, without the base path):
	// "/api/v1/units/:code".
	Path string
	Who  Who
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
	// NoRule: the route has no rule; Check refuses such a table.
	NoRule
)

func (d Decision) String() string {
	switch d {
	case Allow:
		return "allow"
	case Unauthenticated:
		return "unauthenticated"
	case Forbidden:
		return "forbidden"
	}
	return "no rule"
}

// Policy is the authorization table over the route table.
type Policy struct {
	rules []Rule
	m     *matcher
}

// NewPolicy builds a policy; a route listed twice is an error.
func NewPolicy(rules []Rule) (*Policy, error) {
	seen := map[string]bool{}
	out := make([]Rule, 0, len(rules))
	for _, r := range rules {
		r.Method = strings.ToUpper(r.Method)
		k := r.Method + " " + r.Path
		if seen[k] {
			return nil, fmt.Errorf("auth: policy lists %s twice", k)
		}
		if !strings.HasPrefix(r.Path, "/") {
			return nil, fmt.Errorf("auth: policy path %q must start with /", r.Path)
		}
		seen[k] = true
		out = append(out, r)
	}
	return &Policy{rules: out, m: newMatcher(out)}, nil
}

// Rules returns a copy of the table.
func (p *Policy) Rules() []Rule { return append([]Rule(nil), p.rules...) }

// Lookup finds the rule of a route by its registered pattern.
func (p *Policy) Lookup(method, pattern string) (Rule, bool) {
	method = routeMethod(method)
	for _, r := range p.rules {
		if r.Method == method && r.Path == pattern {
			return r, true
		}
	}
	return Rule{}, false
}

// Decide applies a rule to a visitor; params are the route's parameters
// (for OwnUnit).
func (r Rule) Decide(u *User, params map[string]string) Decision {
	w := WhoOf(u)
	if r.Who&w != 0 {
		return Allow
	}
	if r.OwnUnit != "" && u != nil && u.Role == models.RoleUnit && u.UnitCode != "" && params[r.OwnUnit] == u.UnitCode {
		return Allow
	}
	if u == nil {
		return Unauthenticated
	}
	return Forbidden
}

// DecideRoute is the decision for a route given by its pattern, as the
// authorization matrix test walks the route table.
func (p *Policy) DecideRoute(method, pattern string, u *User, params map[string]string) Decision {
	r, ok := p.Lookup(method, pattern)
	if !ok {
		return NoRule
	}
	return r.Decide(u, params)
}

// DecidePath is the decision for a request path (without the base path).
func (p *Policy) DecidePath(method, path string, u *User) Decision {
	i, params, ok := p.m.match(routeMethod(method), path)
	if !ok {
		return NoRule
	}
	return p.rules[i].Decide(u, params)
}

func routeMethod(m string) string {
	m = strings.ToUpper(m)
	if m == fiber.MethodHead {
		return fiber.MethodGet
	}
	return m
}

// Messages of refusals.
const (
	MsgUnauthenticated = "Bạn cần đăng nhập để xem nội dung này."
	MsgForbidden       = "Bạn không có quyền xem nội dung này."
)

// Enforce is the middleware that applies the policy to every request,
// before routing (app.Use, after Middleware). It fails closed: a request
// that no rule matches is answered 404 here, so no handler is ever reached
// without a rule's approval, even if this matcher and Fiber's router were
// to disagree on some odd path (Check makes sure every route has a rule).
// An anonymous visitor asking for a page (GET, outside /api/) is sent to
// the login page with the page to come back to; otherwise 401 or 403.
// Refusals are *fiber.Error, for the application's error handler.
func (p *Policy) Enforce(opts Options) fiber.Handler {
	opts = opts.withDefaults()
	return func(c *fiber.Ctx) error {
		path, ok := opts.stripBase(c.Path())
		if !ok {
			return fiber.ErrNotFound
		}
		method := routeMethod(c.Method())
		i, params, found := p.m.match(method, path)
		if !found {
			return fiber.ErrNotFound
		}
		switch p.rules[i].Decide(UserFrom(c), params) {
		case Allow:
			return c.Next()
		case Unauthenticated:
			if method == fiber.MethodGet && !isAPI(path) {
				return c.Redirect(opts.URL("/login")+"?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
			}
			return fiber.NewError(fiber.StatusUnauthorized, MsgUnauthenticated)
		default:
			return fiber.NewError(fiber.StatusForbidden, MsgForbidden)
		}
	}
}

// Require is a per-route guard for handlers that prefer to state it in the
// route table: app.Get("/admin/audit", auth.Require(auth.Admins), h.audit).
func Require(who Who) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := UserFrom(c)
		switch {
		case WhoOf(u)&who != 0:
			return c.Next()
		case u == nil:
			return fiber.NewError(fiber.StatusUnauthorized, MsgUnauthenticated)
		}
		return fiber.NewError(fiber.StatusForbidden, MsgForbidden)
	}
}

func isAPI(path string) bool {
	p := strings.ToLower(path)
	return p == "/api" || strings.HasPrefix(p, "/api/")
}

// Check verifies the policy against the application's routes
// (app.GetRoutes(true)): every route has a rule, and a request for each
// route resolves to that route's rule. Run it at start-up and in the
// authorization matrix test, so that a new route without a rule fails.
func (p *Policy) Check(routes []fiber.Route) error {
	var errs []error
	for _, r := range routes {
		if r.Method == fiber.MethodHead || r.Method == "USE" {
			continue
		}
		rule, ok := p.Lookup(r.Method, r.Path)
		if !ok {
			errs = append(errs, fmt.Errorf("auth: route %s %s has no rule in the policy", r.Method, r.Path))
			continue
		}
		i, _, found := p.m.match(rule.Method, SamplePath(r.Path))
		if !found || p.rules[i].Path != rule.Path {
			errs = append(errs, fmt.Errorf("auth: a request for route %s %s would be judged by another rule", r.Method, r.Path))
		}
	}
	return errors.Join(errs...)
}

// Unused lists the rules of routes the application does not have (stale
// or not wired yet), sorted.
func (p *Policy) Unused(routes []fiber.Route) []Rule {
	have := map[string]bool{}
	for _, r := range routes {
		have[routeMethod(r.Method)+" "+r.Path] = true
	}
	var out []Rule
	for _, r := range p.rules {
		if !have[r.Method+" "+r.Path] {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path+out[i].Method < out[j].Path+out[j].Method })
	return out
}

// SamplePath turns a route pattern into a request path for it: each
// parameter and wildcard becomes "x" ("/units/:code" → "/units/x").
func SamplePath(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || s == "*" || s == "+" {
			segs[i] = "x"
		}
	}
	return strings.Join(segs, "/")
}

// DefaultRules is the table for the routes of handlers/routes.go as of
// issue 4 plus the login and logout routes: every page, download, embed and
// API route is open to everyone (what each visitor sees of drafts is
// decided by the handlers: User.CanViewDraft, User.IsStaff). Routes added
// for staff and admins get their rules next to them.
func DefaultRules() []Rule {
	get := func(path string) Rule { return Rule{Method: fiber.MethodGet, Path: path, Who: Everyone} }
	return []Rule{
		get("/healthz"),
		get("/static/*"),
		get("/"),
		get("/provinces/:code"),
		get("/rankings"),
		get("/units/:code"),
		get("/methodology"),
		get("/units/:code/whatif"),
		get("/reports"),
		get("/reports/:period"),
		get("/export/overview"),
		get("/export/rankings"),
		get("/export/units/:code"),
		get("/open-data"),
		get("/open-data/dictionary"),
		get("/open-data/scheme.json"),
		get("/open-data/:period/:file"),
		get("/embed/trend"),
		get("/embed/groups"),
		get("/embed/ranking"),
		get("/api/v1/periods"),
		get("/api/v1/rankings"),
		get("/api/v1/units/:code"),
		get("/api/v1/scheme"),
		get("/api/v1/units/:code/whatif"),
		{Method: fiber.MethodPost, Path: "/api/v1/units/:code/whatif", Who: Everyone},
		get("/login"),
		{Method: fiber.MethodPost, Path: "/login", Who: Everyone},
		{Method: fiber.MethodPost, Path: "/logout", Who: SignedIn},
	}
}

// matcher resolves request paths to rules the way Fiber routes them:
// case-insensitive, a trailing slash optional, ":name" one segment,
// ":name?" an optional segment, "*" and "+" the rest of the path ("+" not
// empty). When several rules match, the one with the most literal segments
// wins (register specific routes first in Fiber too).
type matcher struct{ rules []compiled }

type segKind int

const (
	segLiteral segKind = iota
	segParam
	segOptional
	segStar
	segPlus
)

type seg struct {
	kind segKind
	text string // the literal, or the parameter's name
}

type compiled struct {
	method   string
	segs     []seg
	literals int
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func newMatcher(rules []Rule) *matcher {
	m := &matcher{}
	for _, r := range rules {
		c := compiled{method: routeMethod(r.Method)}
		for _, s := range splitPath(r.Path) {
			switch {
			case s == "*":
				c.segs = append(c.segs, seg{kind: segStar, text: "*"})
			case s == "+":
				c.segs = append(c.segs, seg{kind: segPlus, text: "+"})
			case strings.HasPrefix(s, ":") && strings.HasSuffix(s, "?"):
				c.segs = append(c.segs, seg{kind: segOptional, text: strings.TrimSuffix(s[1:], "?")})
			case strings.HasPrefix(s, ":"):
				c.segs = append(c.segs, seg{kind: segParam, text: s[1:]})
			default:
				c.segs = append(c.segs, seg{kind: segLiteral, text: s})
				c.literals++
			}
		}
		m.rules = append(m.rules, c)
	}
	return m
}

// match returns the index of the rule for method and path, and the
// route's parameters.
func (m *matcher) match(method, path string) (int, map[string]string, bool) {
	parts := splitPath(path)
	best, bestLit := -1, -1
	var bestParams map[string]string
	for i, c := range m.rules {
		if c.method != method {
			continue
		}
		params := map[string]string{}
		if !matchSegs(c.segs, parts, params) {
			continue
		}
		if c.literals > bestLit {
			best, bestLit, bestParams = i, c.literals, params
		}
	}
	return best, bestParams, best >= 0
}

func matchSegs(segs []seg, parts []string, params map[string]string) bool {
	if len(segs) == 0 {
		return len(parts) == 0
	}
	s := segs[0]
	switch s.kind {
	case segStar, segPlus:
		rest := strings.Join(parts, "/")
		if s.kind == segPlus && rest == "" {
			return false
		}
		params[s.text] = rest
		return true
	case segOptional:
		if len(parts) > 0 && parts[0] != "" && matchSegs(segs[1:], parts[1:], params) {
			params[s.text] = parts[0]
			return true
		}
		return matchSegs(segs[1:], parts, params)
	}
	if len(parts) == 0 || parts[0] == "" {
		return false
	}
	if s.kind == segLiteral {
		if !strings.EqualFold(s.text, parts[0]) {
			return false
		}
	} else {
		params[s.text] = parts[0]
	}
	return matchSegs(segs[1:], parts[1:], params)
}
