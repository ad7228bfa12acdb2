package handlers

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/i18n"
)

// Request bodies. The server streams them (fiber.Config.StreamRequestBody):
// nothing but a few kilobytes of a body is read before the route's own
// handlers run, and the first of those, put there by the route table
// (router.go), reads it within the route's limit:
//
//   - every route: at most smallBodyLimit, read into memory (limitBody), so
//     that twelve 62 MB POSTs to /login cost 12 × 64 KiB, not 744 MB;
//   - the upload route, for an account it lets in: a file of up to the
//     upload limit, spooled to disk as it arrives (uploadBody).
//
// A body over its route's limit is refused with 413 as soon as its
// Content-Length says so, or as soon as that many bytes have arrived, and
// the connection is closed (the rest of the body is never read).

// smallBodyLimit bounds every body but an upload's: the largest form (an
// account's) is a few hundred bytes, a full what-if request a few
// kilobytes.
const smallBodyLimit = 64 << 10

// uploadReadTimeout is how long an upload's body may take to arrive: 64 MB
// over a slow office line (1 Mbit/s) takes about nine minutes. The server's
// read timeout, for every other request, is seconds.
const uploadReadTimeout = 15 * time.Minute

// bodyReadKey marks a request whose body a limiter has taken care of.
type bodyReadKey struct{}

// limitBody reads the body, at most limit bytes, into the request.
func limitBody(limit int64) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(bodyReadKey{}, true)
		if int64(c.Request().Header.ContentLength()) > limit {
			return tooLarge(c, limit)
		}
		stream := c.Context().RequestBodyStream()
		if stream == nil {
			return c.Next()
		}
		body, err := io.ReadAll(io.LimitReader(stream, limit+1))
		if err != nil {
			c.Context().SetConnectionClose()
			return &httpError{Status: fiber.StatusBadRequest, Public: i18n.VI.T("error.body.read"), PublicEN: i18n.EN.T("error.body.read"), Err: err}
		}
		if int64(len(body)) > limit {
			return tooLarge(c, limit)
		}
		c.Request().SetBody(body)
		return c.Next()
	}
}

// tooLarge refuses a body over limit, saying the limit.
func tooLarge(c *fiber.Ctx, limit int64) error {
	c.Context().SetConnectionClose()
	kib := fmt.Sprint(limit >> 10)
	return &httpError{Status: fiber.StatusRequestEntityTooLarge,
		Public: i18n.VI.T("error.body.toolarge", kib), PublicEN: i18n.EN.T("error.body.toolarge", kib)}
}

// uploadBody receives the body of the upload route: for an account the
// route's rule lets in, up to the upload limit and its form, spooled to a
// file in the staging folder as it arrives, which the multipart reader
// then reads (its files go to disk too); for anyone else, a small body
// like every route's (they are refused after it anyway, and must not make
// the server write 64 MB to disk first).
func (h *handler) uploadBody(rule auth.Rule) fiber.Handler {
	small := limitBody(smallBodyLimit)
	return func(c *fiber.Ctx) error {
		if h.uploads == nil || rule.Decide(auth.UserFrom(c), func(n string) string { return c.Params(n) }) != auth.Allow {
			return small(c)
		}
		c.Locals(bodyReadKey{}, true)
		// A file is sent once: the connection is not kept for another
		// request (part of an over-long body may be left unread).
		c.Context().SetConnectionClose()
		limit := h.uploadLimit() + uploadOverhead
		if int64(c.Request().Header.ContentLength()) > limit {
			return h.uploadTooLarge(c)
		}
		stream := c.Context().RequestBodyStream()
		if stream == nil {
			return c.Next()
		}
		if conn := c.Context().Conn(); conn != nil {
			_ = conn.SetReadDeadline(time.Now().Add(uploadReadTimeout))
		}
		dir, err := h.uploads.spoolFolder()
		if err != nil {
			return internalError(err)
		}
		f, err := os.CreateTemp(dir, "body-*")
		if err != nil {
			return internalError(fmt.Errorf("handlers: spool an upload: %w", err))
		}
		defer func() {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}()
		n, err := io.Copy(f, io.LimitReader(stream, limit+1))
		switch {
		case err != nil && diskFull(err):
			return internalError(fmt.Errorf("handlers: spool an upload: %w", err))
		case err != nil:
			return &httpError{Status: fiber.StatusBadRequest, Public: i18n.VI.T("error.body.read"), PublicEN: i18n.EN.T("error.body.read"), Err: err}
		case n > limit:
			return h.uploadTooLarge(c)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return internalError(fmt.Errorf("handlers: spool an upload: %w", err))
		}
		c.Request().SetBodyStream(f, int(n))
		return c.Next()
	}
}

// uploadTooLarge shows the import form again with the upload limit.
func (h *handler) uploadTooLarge(c *fiber.Ctx) error {
	c.Context().SetConnectionClose()
	h.auditUploadRefused(c, "", "too_large")
	return h.formError(c, fiber.StatusRequestEntityTooLarge, langOf(c).T("staff.import.err.toolarge", h.uploadLimit()>>20))
}

// closeUnreadBody closes the connection of a request whose body no route
// read (an unknown path, a method not allowed): what is left of it would
// otherwise be taken for the next request.
func closeUnreadBody(c *fiber.Ctx) error {
	err := c.Next()
	if c.Locals(bodyReadKey{}) == nil && c.Context().RequestBodyStream() != nil && c.Request().Header.ContentLength() != 0 {
		c.Context().SetConnectionClose()
	}
	return err
}
