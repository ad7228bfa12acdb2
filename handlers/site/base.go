package site

import (
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Base path. Behind a reverse proxy that serves the application under a
// prefix ("/chiso") and passes it on, requests arrive with it: stripBase
// removes the prefix so that the route table stays the same, and puts it
// back on the way out: on redirects here, on the links of pages in render
// (withBasePath). Pages and handlers write site paths ("/rankings").

func (s *Site) stripBase(c *fiber.Ctx) error {
	rest, ok := cutBase(s.BasePath, c.Path())
	if !ok {
		return PageNotFound()
	}
	c.Path(rest)
	err := c.Next()
	if loc := c.GetRespHeader(fiber.HeaderLocation); loc != "" {
		c.Set(fiber.HeaderLocation, s.BaseURL(loc))
	}
	return err
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

// BaseURL prefixes a site path with the base path, unless it already has
// it (auth writes its redirects with it) or is not a site path.
func (s *Site) BaseURL(u string) string {
	b := s.BasePath
	if b == "" || !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		return u
	}
	if p, _, _ := strings.Cut(u, "?"); strings.EqualFold(p, b) || strings.HasPrefix(strings.ToLower(p), strings.ToLower(b)+"/") {
		return u
	}
	return b + u
}

// siteLink matches a site path in the attributes that hold URLs in our
// templates: href, src, action, formaction and data-* (charts, what-if).
var siteLink = regexp.MustCompile(`(\s(?:href|src|action|formaction|data-[a-z0-9-]+)=")(/[^/"])`)

// withBasePath puts the base path in front of every site path of a page.
func (s *Site) withBasePath(page []byte) []byte {
	if s.BasePath == "" {
		return page
	}
	prefix := []byte("${1}" + strings.ReplaceAll(s.BasePath, "$", "$$") + "${2}")
	return siteLink.ReplaceAll(page, prefix)
}

// LocalPath is the request's path without the base path (the error
// handler may run before stripBase).
func (s *Site) LocalPath(c *fiber.Ctx) string {
	if p, ok := cutBase(s.BasePath, c.Path()); ok {
		return p
	}
	return c.Path()
}
