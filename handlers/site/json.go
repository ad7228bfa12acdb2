package site

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// APIError is the body of every API error. error_en is an extra for
// scripts and foreign readers; error is the contract.
type APIError struct {
	Error   string `json:"error"`
	ErrorEN string `json:"error_en,omitempty"`
}

// WriteJSON answers v as JSON. How long clients and proxies may keep an
// answer is the page cache's to say, as for pages (package pagecache): the
// scores change on every import; an error is never kept. encoding/json
// escapes <, > and & inside strings, so a unit named <script> cannot become
// markup if a client pastes the text into a page.
func WriteJSON(c *fiber.Ctx, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return Internal(fmt.Errorf("site: encode json: %w", err))
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	if status != fiber.StatusOK {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(status).Send(b)
}

// Echo shortens a user-supplied value quoted back in an error message, so
// a huge query string is not mirrored whole.
func Echo(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// UnitCode is the route's {code}: percent-decoded (Fiber hands it
// undecoded; codes are plain ASCII, but a client may still encode them),
// as it came when it does not decode (no unit has such a code: not found),
// and copied out of Fiber's request buffer, which is reused once the
// handler returns while the code may live on (caches, drafts).
func UnitCode(c *fiber.Ctx) string {
	raw := c.Params("code")
	code, err := url.PathUnescape(raw)
	if err != nil {
		code = raw
	}
	return strings.Clone(code)
}
