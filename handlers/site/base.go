package site

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Base path. Behind a reverse proxy that serves the application under a
// prefix ("/chiso") and passes it on, requests arrive with it: stripBase
// removes the prefix so that the route table stays the same. On the way
// out every link, form action, asset and redirect is built with URL (the
// templates' url), which puts the prefix back: pages and handlers name
// site paths ("/rankings"), never the prefix.

func (s *Site) stripBase(c *fiber.Ctx) error {
	rest, ok := cutBase(s.BasePath, c.Path())
	if !ok {
		return PageNotFound()
	}
	c.Path(rest)
	return c.Next()
}

// cutBase removes base from path (compared without regard to case, as
// Fiber routes); ok false when the path is not under it.
func cutBase(base, path string) (string, bool) {
	if base == "" {
		return path, true
	}
	if len(path) < len(base) || !strings.EqualFold(path[:len(base)], base) {
		return "", false
	}
	rest := path[len(base):]
	switch {
	case rest == "":
		return "/", true
	case rest[0] != '/':
		return "", false
	}
	return rest, true
}

// underBase is u under base: a site path ("/rankings?period=2024-04") gets
// the prefix; anything else (another site's address, "#…", "") is
// returned as it is.
func underBase(base, u string) string {
	if base == "" || !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		return u
	}
	return base + u
}

// URL is the address of a site path under the base path: the one way
// links, form actions and redirects are built.
func (s *Site) URL(u string) string { return underBase(s.BasePath, u) }

// LocalPath is the request's path without the base path (the error
// handler may run before stripBase).
func (s *Site) LocalPath(c *fiber.Ctx) string {
	if p, ok := cutBase(s.BasePath, c.Path()); ok {
		return p
	}
	return c.Path()
}
