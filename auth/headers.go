package auth

import (
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// CSPBase is the Content-Security-Policy of every answer, without
// frame-ancestors: scripts only from our own files (no inline script: chart
// options travel as data attributes and charts.js draws them), inline
// styles allowed because ECharts positions its tooltip with style
// attributes. The same policy as handlers' pages, which set their own.
const CSPBase = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'"

// sourceExpr accepts a CSP source expression for frame-ancestors: "*",
// 'self', 'none', a scheme ("https:") or a host source
// ([scheme://]host[:port][/path], host possibly starting with "*.").
// Anything else (a ";" or "," would inject another directive) is dropped.
var sourceExpr = regexp.MustCompile(`^(\*|'self'|'none'|[a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*://)?(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:([0-9]+|\*))?(/[A-Za-z0-9._~/%-]*)?)$`)

// FrameAncestors is the frame-ancestors list of the embeddable pages: every
// site when list is nil; else its valid entries, or 'self' when none is
// valid (the operator meant to restrict).
func FrameAncestors(list []string) string {
	if list == nil {
		return "*"
	}
	var ok []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && sourceExpr.MatchString(s) {
			ok = append(ok, s)
		}
	}
	if len(ok) == 0 {
		return "'self'"
	}
	return strings.Join(ok, " ")
}

// SecurityHeaders sets the security headers of every answer before the
// handler runs; a handler may still set its own (the pages do, with the
// same policy). Pages may be framed by the application only, except
// /embed/*, which the configured sites (default: any) may frame.
func SecurityHeaders(opts Options) fiber.Handler {
	opts = opts.withDefaults()
	normal := CSPBase + "; frame-ancestors 'self'"
	embed := CSPBase + "; frame-ancestors " + FrameAncestors(opts.EmbedAncestors)
	return func(c *fiber.Ctx) error {
		path, _ := opts.stripBase(c.Path())
		p := strings.ToLower(path)
		h := &c.Response().Header
		if p == "/embed" || strings.HasPrefix(p, "/embed/") {
			h.Set(fiber.HeaderContentSecurityPolicy, embed)
		} else {
			h.Set(fiber.HeaderContentSecurityPolicy, normal)
			// For browsers without CSP frame-ancestors.
			h.Set(fiber.HeaderXFrameOptions, "SAMEORIGIN")
		}
		h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		h.Set(fiber.HeaderReferrerPolicy, "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		return c.Next()
	}
}
