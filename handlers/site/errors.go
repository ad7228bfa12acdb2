package site

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/i18n"
	"scorecard/store"
)

// Error is the one error type handlers return for a failure the user should
// understand. Public (Vietnamese) and PublicEN are what the user
// sees; Err is the internal cause, logged and never shown: a stack trace, a
// SQL statement or a Go error text must not reach a page or an API answer.
type Error struct {
	Status   int
	Public   string
	PublicEN string
	Err      error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.PublicEN, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.PublicEN)
}

func (e *Error) Unwrap() error { return e.Err }

// BadRequest is a 400 for a malformed parameter.
func BadRequest(vi, en string) *Error {
	return &Error{Status: fiber.StatusBadRequest, Public: vi, PublicEN: en}
}

// NotFound is a 404 for an unknown unit, province or path.
func NotFound(vi, en string) *Error {
	return &Error{Status: fiber.StatusNotFound, Public: vi, PublicEN: en}
}

// Internal is a 500 carrying the cause for the log only; a full disk is a
// 507 that says so, and what to do.
func Internal(err error) *Error {
	if DiskFull(err) {
		return &Error{Status: fiber.StatusInsufficientStorage, Public: i18n.VI.T("error.diskfull"), PublicEN: i18n.EN.T("error.diskfull"), Err: err}
	}
	return &Error{Status: fiber.StatusInternalServerError, Public: MsgInternal, PublicEN: msgInternalEN, Err: err}
}

// DiskFull: the database or a file beside it could not be written for want
// of space.
func DiskFull(err error) bool {
	return errors.Is(err, store.ErrDiskFull) || errors.Is(err, syscall.ENOSPC)
}

// MsgInternal is what a visitor reads of any internal error.
const (
	MsgInternal   = "Đã có lỗi xảy ra. Vui lòng thử lại sau."
	msgInternalEN = "Something went wrong. Please try again later."
)

// PageNotFound is the 404 of a path no route has.
func PageNotFound() *Error {
	return NotFound("Trang bạn tìm không tồn tại hoặc đã được chuyển đi.", "The page you are looking for does not exist or has moved.")
}

// apiNotFound answers an /api request no route took.
func apiNotFound() *Error {
	return NotFound("Không tìm thấy địa chỉ API này. Các địa chỉ có sẵn: /api/v1/periods, /api/v1/rankings, /api/v1/units/{mã}, /api/v1/scheme.",
		"Unknown API path. Available: /api/v1/periods, /api/v1/rankings, /api/v1/units/{code}, /api/v1/scheme.")
}

// apiMethodNotAllowed answers a wrong method on a resource of the API:
// Fiber has found routes of the path for other methods and listed them in
// Allow.
func apiMethodNotAllowed(c *fiber.Ctx) *Error {
	vi, en := PublicStatus(fiber.StatusMethodNotAllowed)
	allow := string(c.Response().Header.Peek(fiber.HeaderAllow))
	return &Error{Status: fiber.StatusMethodNotAllowed, Public: vi + " Địa chỉ này chỉ nhận: " + allow + ".",
		PublicEN: en + " This address accepts: " + allow + "."}
}

// PublicStatus maps Fiber's own errors (unknown route, wrong method, body
// too large…) to a Vietnamese text by code only: Fiber's messages can carry
// request details ("Cannot GET /x") and are English.
func PublicStatus(code int) (vi, en string) {
	switch code {
	case fiber.StatusBadRequest:
		return "Yêu cầu không hợp lệ.", "Bad request."
	case fiber.StatusUnauthorized:
		return "Bạn cần đăng nhập để xem nội dung này.", "Authentication required."
	case fiber.StatusForbidden:
		return "Bạn không có quyền xem nội dung này.", "Forbidden."
	case fiber.StatusNotFound:
		return "Không tìm thấy trang.", "Page not found."
	case fiber.StatusMethodNotAllowed:
		return "Phương thức yêu cầu không được hỗ trợ.", "Method not allowed."
	case fiber.StatusRequestTimeout:
		return "Yêu cầu quá thời gian chờ.", "Request timeout."
	case fiber.StatusRequestEntityTooLarge:
		return "Dữ liệu gửi lên quá lớn.", "Request entity too large."
	case fiber.StatusRequestHeaderFieldsTooLarge:
		return "Phần đầu yêu cầu quá lớn.", "Request header fields too large."
	case fiber.StatusTooManyRequests:
		return "Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.", "Too many requests."
	case fiber.StatusNotImplemented:
		return "Chức năng này chưa được hỗ trợ.", "Not implemented."
	case fiber.StatusServiceUnavailable:
		return "Dịch vụ tạm thời không khả dụng. Vui lòng thử lại sau.", "Service unavailable."
	}
	if code >= 400 && code < 500 {
		return "Yêu cầu không hợp lệ.", "Bad request."
	}
	return MsgInternal, msgInternalEN
}

// classify turns any error into a status and the public texts.
func classify(err error) (status int, vi, en string) {
	var he *Error
	if errors.As(err, &he) {
		return he.Status, he.Public, he.PublicEN
	}
	var fe *fiber.Error
	if errors.As(err, &fe) && fe.Code >= 400 && fe.Code < 600 {
		vi, en = PublicStatus(fe.Code)
		// Issue 4: auth's refusals (sign in, no right, the CSRF check)
		// carry a Vietnamese message written for the visitor; Fiber's own
		// messages for these codes are English and are not shown.
		if (fe.Code == fiber.StatusUnauthorized || fe.Code == fiber.StatusForbidden) && authMessageEN[fe.Message] != "" {
			vi, en = fe.Message, authMessageEN[fe.Message]
		}
		return fe.Code, vi, en
	}
	if he := Internal(err); he.Status != fiber.StatusInternalServerError {
		return he.Status, he.Public, he.PublicEN
	}
	return fiber.StatusInternalServerError, MsgInternal, msgInternalEN
}

// authMessageEN are auth's messages for the visitor, in English.
var authMessageEN = map[string]string{
	auth.MsgUnauthenticated: "Authentication required: please sign in.",
	auth.MsgForbidden:       "You are not allowed to see this.",
	auth.MsgCSRF:            "The form has expired or is not valid. Reload the page and try again.",
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
	status, vi, en := classify(err)
	if status >= 500 {
		s.Log.Error("request failed", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	} else {
		var he *Error
		if errors.As(err, &he) && he.Err != nil {
			s.Log.Debug("request refused", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
		}
	}
	if IsAPIPath(path) {
		return WriteJSON(c, status, APIError{Error: vi, ErrorEN: en})
	}
	// Issue 6: the page in the visitor's language (API answers carry both).
	msg := vi
	if Lang(c) == i18n.EN && en != "" {
		msg = en
	}
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
	v.Layout = Layout{Title: v.Heading, OfficeName: s.OfficeName, Demo: s.demo(c.UserContext())}
	if err := s.Render(c, status, "error", &v); err != nil {
		s.Log.Error("render error page", "status", status, "err", err)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(message)
	}
	return nil
}
