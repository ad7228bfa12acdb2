package site

import (
	"errors"
	"fmt"
	"sort"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
)

// The route table is written once: each route is registered in a group of
// its audience, which carries the access rule, and the rule is attached to
// the route as its first handler. Fiber has matched the route by then, so
// the rule judged is the route's own; there is no second list of URLs to
// fall out of step with the first.

// Route is one registered route, as the start-up check and the
// authorization matrix test read it.
type Route struct {
	Method, Path string
	// Audience names the group ("public", "api", "account", "staff",
	// "admin"); Rule is who may use it.
	Audience string
	Rule     auth.Rule
	// CSRF: the route's unsafe requests must carry the form's token.
	CSRF bool
	// Upload: the route receives a file of up to the upload limit; every
	// other route's body is held to SmallBodyLimit (body.go).
	Upload bool
}

// Router registers routes on the application and records them.
type Router struct {
	app fiber.Router
	// acc attaches the rules and CSRF checks; nil without accounts, when
	// every route is open and nothing can be changed.
	acc    *auth.Service
	routes []Route
	// uploadBody reads the body of an upload route with the given rule.
	uploadBody func(auth.Rule) fiber.Handler
	// cache, when set, gives each GET route the handler that serves and
	// keeps its answers (package pagecache), run after the access rule.
	cache func(Route) fiber.Handler
}

// Group is the routes of one audience under a prefix.
type Group struct {
	r        *Router
	prefix   string
	audience string
	rule     auth.Rule
	noCSRF   bool
}

// NewRouter registers on app; acc attaches the rules and CSRF checks (nil
// without accounts); uploadBody reads the body of an upload route with its
// rule (nil: no upload route).
func NewRouter(app fiber.Router, acc *auth.Service, uploadBody func(auth.Rule) fiber.Handler) *Router {
	return &Router{app: app, acc: acc, uploadBody: uploadBody}
}

// Cache gives every GET route registered from now on the handler cache
// returns for it (nil: none), between its access rule and its own handler.
func (r *Router) Cache(cache func(Route) fiber.Handler) { r.cache = cache }

// Group starts a group of routes for an audience.
func (r *Router) Group(prefix, audience string, who auth.Who) *Group {
	return &Group{r: r, prefix: prefix, audience: audience, rule: auth.Rule{Who: who}}
}

// WithoutCSRF is the group with its state-changing routes left unchecked
// for a CSRF token; why must be said where it is called.
func (g *Group) WithoutCSRF() *Group {
	cp := *g
	cp.noCSRF = true
	return &cp
}

// Get registers a GET (and HEAD) route.
func (g *Group) Get(path string, h fiber.Handler) { g.add(fiber.MethodGet, path, h, false) }

// Post registers a POST route.
func (g *Group) Post(path string, h fiber.Handler) { g.add(fiber.MethodPost, path, h, false) }

// Upload registers a POST route that receives a file (body.go).
func (g *Group) Upload(path string, h fiber.Handler) { g.add(fiber.MethodPost, path, h, true) }

func (g *Group) add(method, path string, h fiber.Handler, upload bool) {
	full := g.prefix + path
	rt := Route{Method: method, Path: full, Audience: g.audience, Rule: g.rule, CSRF: !g.noCSRF && unsafeMethod(method), Upload: upload}
	// The body first: nothing of the route reads it before its limit is
	// applied (the CSRF check reads the form).
	chain := []fiber.Handler{LimitBody(SmallBodyLimit)}
	if upload {
		chain[0] = g.r.uploadBody(g.rule)
	}
	if g.r.acc != nil {
		if rt.CSRF {
			chain = append(chain, g.r.acc.CSRF())
		}
		if g.rule.Who != auth.Everyone || g.rule.OwnUnit != "" {
			chain = append(chain, g.r.acc.Require(g.rule))
		}
	}
	if method == fiber.MethodGet && g.r.cache != nil {
		if hc := g.r.cache(rt); hc != nil {
			chain = append(chain, hc)
		}
	}
	chain = append(chain, h)
	if method == fiber.MethodGet {
		g.r.app.Get(full, chain...) // HEAD too
	} else {
		g.r.app.Add(method, full, chain...)
	}
	g.r.routes = append(g.r.routes, rt)
}

func unsafeMethod(m string) bool {
	switch m {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
		return false
	}
	return true
}

// Check verifies that every route of the application went through the
// table, so that none is served without its rule; the application does not
// start otherwise.
func (r *Router) Check(app *fiber.App) error {
	have := map[string]bool{}
	for _, rt := range r.routes {
		have[rt.Method+" "+rt.Path] = true
	}
	var errs []error
	seen := map[string]bool{}
	for _, fr := range app.GetRoutes(true) {
		if fr.Method == fiber.MethodHead || fr.Method == "USE" {
			continue
		}
		k := fr.Method + " " + fr.Path
		if !have[k] && !seen[k] {
			errs = append(errs, fmt.Errorf("site: route %s was not registered through the route table, so it has no access rule", k))
		}
		seen[k] = true
	}
	return errors.Join(errs...)
}

// Table lists the registered routes, sorted.
func (r *Router) Table() []Route {
	out := append([]Route(nil), r.routes...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}
