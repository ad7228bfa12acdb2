package handlers

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"scorecard/scorecache"
	"scorecard/scoring"
)

// The read-only JSON API of formats.md. Every answer goes through writeJSON
// so that all of them carry the same headers; every failure is an
// *httpError handed to errorHandler, which answers {"error": …}.

// apiError is the body of every API error. error_en is an extra for
// scripts and foreign readers; error is the contract.
type apiError struct {
	Error   string `json:"error"`
	ErrorEN string `json:"error_en,omitempty"`
}

// writeJSON answers v as JSON. The scores change on every import, so
// clients and proxies must revalidate (no-cache) rather than keep a stale
// ranking. encoding/json escapes <, > and & inside strings, so a unit named
// <script> cannot become markup if a client pastes the text into a page.
func writeJSON(c *fiber.Ctx, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return internalError(fmt.Errorf("handlers: encode json: %w", err))
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(status).Send(b)
}

// apiMethodNotAllowed answers a wrong method on a resource of the API:
// Fiber has found routes of the path for other methods and listed them in
// Allow.
func apiMethodNotAllowed(c *fiber.Ctx) error {
	vi, en := publicStatus(fiber.StatusMethodNotAllowed)
	allow := string(c.Response().Header.Peek(fiber.HeaderAllow))
	return &httpError{Status: fiber.StatusMethodNotAllowed, Public: vi + " Địa chỉ này chỉ nhận: " + allow + ".",
		PublicEN: en + " This address accepts: " + allow + "."}
}

// apiNotFound answers an /api request no route took.
func apiNotFound() error {
	return notFound("Không tìm thấy địa chỉ API này. Các địa chỉ có sẵn: /api/v1/periods, /api/v1/rankings, /api/v1/units/{mã}, /api/v1/scheme.",
		"Unknown API path. Available: /api/v1/periods, /api/v1/rankings, /api/v1/units/{code}, /api/v1/scheme.")
}

// engine fetches the scoring engine for the current data; a failure (the
// database) is internal and only logged.
func (h *handler) engine(c *fiber.Ctx) (*scoring.Engine, error) {
	e, err := h.scores.Engine(c.UserContext())
	if err != nil {
		return nil, internalError(fmt.Errorf("handlers: engine: %w", err))
	}
	return e, nil
}

// periodScores fetches the scores of p.
func (h *handler) periodScores(c *fiber.Ctx, p scoring.Period) (*scoring.PeriodScores, error) {
	ps, err := h.scores.Period(c.UserContext(), p)
	if err != nil {
		return nil, internalError(fmt.Errorf("handlers: scores of %s: %w", p, err))
	}
	return ps, nil
}

// echo shortens a user-supplied value quoted back in an error message, so
// a huge query string is not mirrored whole.
func echo(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// apiPeriod reads ?period=. Missing or empty means the newest period with
// data; formats.md is strict and case-sensitive, so "2024-q2" is a 400.
func apiPeriod(c *fiber.Ctx, e *scoring.Engine) (scoring.Period, error) {
	raw := c.Query("period")
	if raw == "" {
		// Issue 4: the newest period the visitor may see (drafts hidden).
		periods, err := visiblePeriods(c, e)
		if err != nil {
			return scoring.Period{}, internalError(err)
		}
		return scorecache.DefaultPeriod(periods, time.Now()), nil
	}
	p, err := scoring.ParsePeriod(raw)
	if err != nil {
		return scoring.Period{}, badRequest(
			fmt.Sprintf("Tham số period “%s” không hợp lệ: dùng dạng YYYY-MM (tháng), YYYY-Qn (quý, n từ 1 đến 4), YYYY-Hn (6 tháng, n là 1 hoặc 2) hoặc YYYY (năm), ví dụ 2024-04, 2024-Q2.", echo(raw)),
			fmt.Sprintf("Invalid period %q: use YYYY-MM, YYYY-Qn (n 1-4), YYYY-Hn (n 1-2) or YYYY, e.g. 2024-04, 2024-Q2.", echo(raw)))
	}
	return p, nil
}

// bandNames gives the band's Vietnamese name and code, null without a band.
func bandNames(b *scoring.Band) (name, code *string) {
	if b == nil {
		return nil, nil
	}
	n, c := b.NameVI, b.Code
	return &n, &c
}

// rankPtr is the API's rank: null for units without data (rank 0).
func rankPtr(r int) *int {
	if r <= 0 {
		return nil
	}
	return &r
}

// unitCodeParam is the route's {code}: percent-decoded (Fiber hands it
// undecoded; codes are plain ASCII, but a client may still encode them),
// as it came when it does not decode (no unit has such a code: not
// found), and copied out of Fiber's request buffer, which is reused once
// the handler returns while the code may live on (caches, drafts).
func unitCodeParam(c *fiber.Ctx) string {
	raw := c.Params("code")
	code, err := url.PathUnescape(raw)
	if err != nil {
		code = raw
	}
	return strings.Clone(code)
}
