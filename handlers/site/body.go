package site

import (
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"
)

// Request bodies. The server streams them (fiber.Config.StreamRequestBody):
// nothing but a few kilobytes of a body is read before the route's own
// handlers run, and the first of those, put there by the route table
// (router.go), reads it within the route's limit:
//
//   - every route: at most SmallBodyLimit, read into memory (LimitBody), so
//     that twelve 62 MB POSTs to /login cost 12 × 64 KiB, not 744 MB;
//   - the upload route, for an account it lets in: a file of up to the
//     upload limit, spooled to disk as it arrives (the application's
//     uploadBody, given to NewRouter).
//
// A body over its route's limit is refused with 413 as soon as its
// Content-Length says so, or as soon as that many bytes have arrived, and
// the connection is closed (the rest of the body is never read).

// SmallBodyLimit bounds every body but an upload's: the largest form (an
// account's) is a few hundred bytes, a full what-if request a few
// kilobytes.
const SmallBodyLimit = 64 << 10

// bodyReadKey marks a request whose body a limiter has taken care of.
type bodyReadKey struct{}

// MarkBodyRead says that the request's body is taken care of (a limiter
// of the application's own).
func MarkBodyRead(c *fiber.Ctx) { c.Locals(bodyReadKey{}, true) }

// LimitBody reads the body, at most limit bytes, into the request.
func LimitBody(limit int64) fiber.Handler {
	return func(c *fiber.Ctx) error {
		MarkBodyRead(c)
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
			return ErrBodyRead(err)
		}
		if int64(len(body)) > limit {
			return tooLarge(c, limit)
		}
		c.Request().SetBody(body)
		return c.Next()
	}
}

// ErrBodyRead is the refusal of a body that could not be read.
func ErrBodyRead(err error) *Error {
	return &Error{Status: fiber.StatusBadRequest, Key: "error.body.read", Err: err}
}

// tooLarge refuses a body over limit, saying the limit.
func tooLarge(c *fiber.Ctx, limit int64) error {
	c.Context().SetConnectionClose()
	kib := fmt.Sprint(limit >> 10)
	return &Error{Status: fiber.StatusRequestEntityTooLarge, Key: "error.body.toolarge", Args: []any{kib}}
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
