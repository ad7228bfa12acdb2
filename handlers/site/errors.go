package site

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/gofiber/fiber/v2"

	"scorecard/i18n"
	"scorecard/store"
)

// Error is the one error type handlers return for a failure the user should
// understand. Key and Args are the message the user reads, from the
// catalogue, in the page's language (both languages in the API's answer);
// Err is the internal cause, logged and never shown: a stack trace, a SQL
// statement or a Go error text must not reach a page or an API answer.
type Error struct {
	Status int
	Key    string
	// Args are the message's arguments; a Words is worded in the
	// language the message is shown in.
	Args []any
	Err  error
}

// Words is an argument of a message that is itself words (a period's
// name): worded in the language the message is shown in.
type Words func(l i18n.Lang) string

// Message is the error's message in language l.
func (e *Error) Message(l i18n.Lang) string { return message(l, e.Key, e.Args) }

func message(l i18n.Lang, key string, args []any) string {
	worded := make([]any, len(args))
	for i, a := range args {
		if w, ok := a.(Words); ok {
			a = w(l)
		}
		worded[i] = a
	}
	return l.T(key, worded...)
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Message(i18n.EN), e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Message(i18n.EN))
}

func (e *Error) Unwrap() error { return e.Err }

// BadRequest is a 400 for a malformed parameter.
func BadRequest(key string, args ...any) *Error {
	return &Error{Status: fiber.StatusBadRequest, Key: key, Args: args}
}

// NotFound is a 404 for an unknown unit, province or path.
func NotFound(key string, args ...any) *Error {
	return &Error{Status: fiber.StatusNotFound, Key: key, Args: args}
}

// Internal is a 500 carrying the cause for the log only; a full disk is a
// 507 that says so, and what to do.
func Internal(err error) *Error {
	if DiskFull(err) {
		return &Error{Status: fiber.StatusInsufficientStorage, Key: "error.diskfull", Err: err}
	}
	return &Error{Status: fiber.StatusInternalServerError, Key: KeyInternal, Err: err}
}

// DiskFull: the database or a file beside it could not be written for want
// of space.
func DiskFull(err error) bool {
	return errors.Is(err, store.ErrDiskFull) || errors.Is(err, syscall.ENOSPC)
}

// KeyInternal is what a visitor reads of any internal error.
const KeyInternal = "err.internal"

// PageNotFound is the 404 of a path no route has.
func PageNotFound() *Error { return NotFound("err.page.notfound") }

// apiNotFound answers an /api request no route took.
func apiNotFound() *Error { return NotFound("err.api.notfound") }

// apiMethodNotAllowed answers a wrong method on a resource of the API:
// Fiber has found routes of the path for other methods and listed them in
// Allow.
func apiMethodNotAllowed(c *fiber.Ctx) *Error {
	allow := string(c.Response().Header.Peek(fiber.HeaderAllow))
	return &Error{Status: fiber.StatusMethodNotAllowed, Key: "err.api.method", Args: []any{allow}}
}

// statusKeys word Fiber's own errors (unknown route, wrong method, body too
// large…) by code only: Fiber's messages can carry request details
// ("Cannot GET /x") and are English.
var statusKeys = map[int]string{
	fiber.StatusBadRequest:                  "err.status.400",
	fiber.StatusUnauthorized:                "err.status.401",
	fiber.StatusForbidden:                   "err.status.403",
	fiber.StatusNotFound:                    "err.status.404",
	fiber.StatusMethodNotAllowed:            "err.status.405",
	fiber.StatusRequestTimeout:              "err.status.408",
	fiber.StatusRequestEntityTooLarge:       "err.status.413",
	fiber.StatusRequestHeaderFieldsTooLarge: "err.status.431",
	fiber.StatusTooManyRequests:             "err.status.429",
	fiber.StatusNotImplemented:              "err.status.501",
	fiber.StatusServiceUnavailable:          "err.status.503",
}

// StatusKey is the message of a status code.
func StatusKey(code int) string {
	if k, ok := statusKeys[code]; ok {
		return k
	}
	if code >= 400 && code < 500 {
		return "err.status.400"
	}
	return KeyInternal
}

// classify turns any error into a status and its message.
func classify(err error) (status int, key string, args []any) {
	var he *Error
	if errors.As(err, &he) {
		return he.Status, he.Key, he.Args
	}
	var fe *fiber.Error
	if errors.As(err, &fe) && fe.Code >= 400 && fe.Code < 600 {
		// Auth's refusals (sign in, no right, the CSRF check) carry the
		// key of their message; Fiber's own messages are English and are
		// not shown.
		if i18n.Has(i18n.VI, fe.Message) && strings.HasPrefix(fe.Message, "auth.") {
			return fe.Code, fe.Message, nil
		}
		return fe.Code, StatusKey(fe.Code), nil
	}
	if he := Internal(err); he.Status != fiber.StatusInternalServerError {
		return he.Status, he.Key, nil
	}
	return fiber.StatusInternalServerError, KeyInternal, nil
}

// IsAPIPath reports whether the request is for the JSON API. Fiber routes
// case-insensitively, so /API/v1/… reaches the API too and must be answered
// in JSON.
func IsAPIPath(path string) bool {
	p := strings.ToLower(path)
	return p == "/api" || strings.HasPrefix(p, "/api/")
}

// NoRoute comes after the route table and answers what no route took.
// Fiber finds that out itself: 404, or 405 when the path has routes for
// other methods (it has then set Allow from the route table). The API says
// so in its words; a page path answers 404 whatever the method, as a page
// that is not there.
func (s *Site) NoRoute(c *fiber.Ctx) error {
	err := c.Next()
	var fe *fiber.Error
	if !errors.As(err, &fe) {
		return err
	}
	api := IsAPIPath(s.LocalPath(c))
	switch {
	case fe.Code == fiber.StatusMethodNotAllowed && api:
		return apiMethodNotAllowed(c)
	case fe.Code == fiber.StatusNotFound && api:
		return apiNotFound()
	case fe.Code == fiber.StatusNotFound || fe.Code == fiber.StatusMethodNotAllowed:
		c.Response().Header.Del(fiber.HeaderAllow)
		return PageNotFound()
	}
	return err
}

// ErrorHandler is the application's only error handler (fiber.Config): API
// paths get {"error": …}, pages get the HTML error page. Server errors are
// logged with the request and the internal cause; the user sees a generic
// message.
func (s *Site) ErrorHandler(c *fiber.Ctx, err error) error {
	// The error may come before the base path was taken off the request
	// path (stripBase).
	path := s.LocalPath(c)
	status, key, args := classify(err)
	if status >= 500 {
		s.Log.Error("request failed", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	} else {
		var he *Error
		if errors.As(err, &he) && he.Err != nil {
			s.Log.Debug("request refused", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
		}
	}
	if IsAPIPath(path) {
		// The API is not translated (docs/api.md): both languages.
		return WriteJSON(c, status, APIError{Error: message(i18n.VI, key, args), ErrorEN: message(i18n.EN, key, args)})
	}
	msg := message(Lang(c), key, args)
	if rerr := s.renderError(c, status, msg); rerr != nil {
		// The error page itself failed (a template bug): still answer, in
		// plain text, rather than let Fiber send an empty 500.
		s.Log.Error("render error page", "method", c.Method(), "path", c.Path(), "status", status, "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(msg)
	}
	return nil
}

// errorPage is the friendly page for 400, 404 and 5xx.
type errorPage struct {
	Layout
	Status  int
	Heading string
	Message string
}

// renderError renders a Vietnamese error page. message must be meant for
// the visitor: the central error handler passes a generic sentence for
// internal errors, never the error's text.
func (s *Site) renderError(c *fiber.Ctx, status int, message string) error {
	l := Lang(c)
	v := errorPage{Status: status, Message: message}
	// The heading names what happened: an account without the right, a
	// body too large or a visitor asking too fast is not told the request
	// was malformed.
	switch {
	case status == fiber.StatusNotFound:
		v.Heading = l.T("error.notfound")
	case status == fiber.StatusUnauthorized:
		v.Heading = l.T("error.unauthenticated")
	case status == fiber.StatusForbidden:
		v.Heading = l.T("error.forbidden")
	case status == fiber.StatusRequestEntityTooLarge:
		v.Heading = l.T("error.toolarge")
	case status == fiber.StatusTooManyRequests:
		v.Heading = l.T("error.toomany")
	case status >= 400 && status < 500:
		v.Heading = l.T("error.bad")
	default:
		v.Heading = l.T("error.internal")
	}
	if v.Message == "" {
		v.Message = l.T("error.generic")
	}
	v.Layout = Layout{Title: v.Heading, OfficeName: s.OfficeName, Demo: s.demo(c.UserContext())}
	if err := s.Render(c, status, "error", &v); err != nil {
		s.Log.Error("render error page", "status", status, "err", err)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(message)
	}
	return nil
}
