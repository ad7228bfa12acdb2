package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// errorPage is the friendly page for 400, 404 and 5xx.
type errorPage struct {
	Layout  layout
	Status  int
	Heading string
	Message string
}

// notFound answers every path no route took. It returns the error rather
// than rendering, so the central error handler answers in JSON under /api
// (an unknown API version is still an API request) and with the page
// elsewhere.
func (h *handler) notFound(c *fiber.Ctx) error {
	return notFound("Trang bạn tìm không tồn tại hoặc đã được chuyển đi.", "The page you are looking for does not exist or has moved.")
}

// renderError renders a Vietnamese error page. message must be meant for
// the visitor: the central error handler passes a generic sentence for
// internal errors, never the error's text.
func (h *handler) renderError(c *fiber.Ctx, status int, message string) error {
	l := langOf(c)
	v := errorPage{Status: status, Message: message}
	switch {
	case status == fiber.StatusNotFound:
		v.Heading = l.T("error.notfound")
	case status >= 400 && status < 500:
		v.Heading = l.T("error.bad")
	default:
		v.Heading = l.T("error.internal")
	}
	if v.Message == "" {
		v.Message = l.T("error.generic")
	}
	v.Layout = layout{Title: v.Heading, Product: l.T("product.name"), OfficeName: h.opts.OfficeName}
	// The demo banner is shown when it can be known; an error page must not
	// fail because the data source is what failed.
	if h.scores != nil {
		if demo, err := h.scores.Demo(c.UserContext()); err == nil {
			v.Layout.Demo = demo
		}
	}
	if err := h.render(c, status, "error", v); err != nil {
		h.log.Error("render error page", "status", status, "err", err)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(message)
	}
	return nil
}
