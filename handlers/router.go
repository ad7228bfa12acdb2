package handlers

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

// route is one registered route, as the start-up check and the
// authorization matrix test read it.
type route struct {
	Method, Path string
	// Audience names the group ("public", "api", "account", "staff",
	// "admin"); Rule is who may use it.
	Audience string
	Rule     auth.Rule
	// CSRF: the route's unsafe requests must carry the form's token.
	CSRF bool
	// Upload: the route receives a file of up to the upload limit; every
	// other route's body is held to smallBodyLimit (body.go).
	Upload bool
}

// router registers routes on the application and records them.
type router struct {
	app fiber.Router
	// acc attaches the rules and CSRF checks; nil without accounts, when
	// every route is open and nothing can be changed.
	acc    *auth.Service
	routes []route
	// uploadBody reads the body of an upload route with the given rule
	// (handler.uploadBody).
	uploadBody func(auth.Rule) fiber.Handler
}

// group is the routes of one audience under a prefix.
type group struct {
	r        *router
	prefix   string
	audience string
	rule     auth.Rule
	noCSRF   bool
}

// group starts a group of routes for an audience.
func (r *router) group(prefix, audience string, who auth.Who) *group {
	return &group{r: r, prefix: prefix, audience: audience, rule: auth.Rule{Who: who}}
}

// withoutCSRF is the group with its state-changing routes left unchecked
// for a CSRF token; why must be said where it is called.
func (g *group) withoutCSRF() *group {
	cp := *g
	cp.noCSRF = true
	return &cp
}

func (g *group) get(path string, h fiber.Handler)  { g.add(fiber.MethodGet, path, h, false) }
func (g *group) post(path string, h fiber.Handler) { g.add(fiber.MethodPost, path, h, false) }

// upload is a POST route that receives a file (body.go).
func (g *group) upload(path string, h fiber.Handler) { g.add(fiber.MethodPost, path, h, true) }

func (g *group) add(method, path string, h fiber.Handler, upload bool) {
	full := g.prefix + path
	rt := route{Method: method, Path: full, Audience: g.audience, Rule: g.rule, CSRF: !g.noCSRF && unsafeMethod(method), Upload: upload}
	// The body first: nothing of the route reads it before its limit is
	// applied (the CSRF check reads the form).
	chain := []fiber.Handler{limitBody(smallBodyLimit)}
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

// check verifies that every route of the application went through the
// table, so that none is served without its rule; New refuses to start
// otherwise.
func (r *router) check(app *fiber.App) error {
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
			errs = append(errs, fmt.Errorf("handlers: route %s was not registered through the route table, so it has no access rule", k))
		}
		seen[k] = true
	}
	return errors.Join(errs...)
}

// table lists the registered routes, sorted.
func (r *router) table() []route {
	out := append([]route(nil), r.routes...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}
