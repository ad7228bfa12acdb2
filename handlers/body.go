package handlers

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/handlers/site"
)

// The upload route's body (every other route's is read by site.LimitBody,
// see site's body.go).

// uploadReadTimeout is how long an upload's body may take to arrive: 64 MB
// over a slow office line (1 Mbit/s) takes about nine minutes. The server's
// read timeout, for every other request, is seconds.
const uploadReadTimeout = 15 * time.Minute

// uploadBody receives the body of the upload route: for an account the
// route's rule lets in, up to the upload limit and its form, spooled to a
// file in the staging folder as it arrives, which the multipart reader
// then reads (its files go to disk too); for anyone else, a small body
// like every route's (they are refused after it anyway, and must not make
// the server write 64 MB to disk first).
func (h *handler) uploadBody(rule auth.Rule) fiber.Handler {
	small := site.LimitBody(site.SmallBodyLimit)
	return func(c *fiber.Ctx) error {
		if h.uploads == nil || rule.Decide(auth.UserFrom(c), func(n string) string { return c.Params(n) }) != auth.Allow {
			return small(c)
		}
		site.MarkBodyRead(c)
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
			return site.Internal(err)
		}
		f, err := os.CreateTemp(dir, "body-*")
		if err != nil {
			return site.Internal(fmt.Errorf("handlers: spool an upload: %w", err))
		}
		defer func() {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}()
		n, err := io.Copy(f, io.LimitReader(stream, limit+1))
		switch {
		case err != nil && site.DiskFull(err):
			return site.Internal(fmt.Errorf("handlers: spool an upload: %w", err))
		case err != nil:
			return site.ErrBodyRead(err)
		case n > limit:
			return h.uploadTooLarge(c)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return site.Internal(fmt.Errorf("handlers: spool an upload: %w", err))
		}
		c.Request().SetBodyStream(f, int(n))
		return c.Next()
	}
}

// uploadTooLarge shows the import form again with the upload limit.
func (h *handler) uploadTooLarge(c *fiber.Ctx) error {
	c.Context().SetConnectionClose()
	h.auditUploadRefused(c, "", "too_large")
	return h.formError(c, fiber.StatusRequestEntityTooLarge, site.Lang(c).T("staff.import.err.toolarge", h.uploadLimit()>>20))
}
