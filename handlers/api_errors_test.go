package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// A failing store must give a generic 500, never its error text, and the
// cause must be logged with the request.
func TestAPIInternalErrorIsLoggedNotShown(t *testing.T) {
	t.Parallel()
	var logBuf bytes.Buffer
	secret := errors.New("sqlite: SELECT secret_column FROM counts: disk I/O error")
	app := newTestApp(t, memSource{err: secret}, &logBuf)

	for _, url := range []string{"/api/v1/periods", "/api/v1/rankings?kind=agency", "/api/v1/units/BK"} {
		logBuf.Reset()
		r := doRequest(t, app, "GET", url)
		if r.status != fiber.StatusInternalServerError {
			t.Fatalf("%s: status %d: %s", url, r.status, r.body)
		}
		var e site.APIError
		decode(t, r.body, &e)
		if e.Error != i18n.VI.T(site.KeyInternal) {
			t.Errorf("%s: error %q, want the generic message", url, e.Error)
		}
		assertNoLeak(t, r.body)
		if strings.Contains(string(r.body), "secret_column") {
			t.Errorf("%s: body leaks the cause: %s", url, r.body)
		}
		logged := logBuf.String()
		path := strings.SplitN(url, "?", 2)[0]
		for _, want := range []string{"level=ERROR", "method=GET", "path=" + path, "status=500", "secret_column"} {
			if !strings.Contains(logged, want) {
				t.Errorf("%s: log lacks %q: %s", url, want, logged)
			}
		}
	}
}

// The scheme does not need the store, so it still answers when the store
// is down.
func TestAPISchemeWithoutStore(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, memSource{err: errors.New("down")}, nil)
	if r := doRequest(t, app, "GET", "/api/v1/scheme"); r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
}

// An empty database: lists are [] (not null), and a unit's page falls back
// to the current month, with every metric and no counts.
func TestAPIEmptyDataset(t *testing.T) {
	t.Parallel()
	ds := &scoring.Dataset{Units: []scoring.Unit{{Code: "BK", Name: "Tỉnh Bắc Kạn", Kind: scoring.KindProvince}},
		Own: map[scoring.Key]scoring.Counts{}}
	app := newTestApp(t, memSource{ds: ds}, nil)
	for _, url := range []string{"/api/v1/periods", "/api/v1/rankings", "/api/v1/rankings?kind=province&period=2024-04"} {
		r := doRequest(t, app, "GET", url)
		if r.status != 200 || string(r.body) != "[]" {
			t.Errorf("%s: %d %s, want 200 []", url, r.status, r.body)
		}
	}
	before := time.Now().In(scoring.Location)
	r := doRequest(t, app, "GET", "/api/v1/units/BK")
	after := time.Now().In(scoring.Location)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var u tUnit
	decode(t, r.body, &u)
	if u.Period != before.Format("2006-01") && u.Period != after.Format("2006-01") {
		t.Errorf("period %s, want the current month", u.Period)
	}
	if u.Rank != nil || u.HasData {
		t.Errorf("rank %s, has_data %v", intStr(u.Rank), u.HasData)
	}
	checkAllMetricsListed(t, &u)
}

// errorHandler on its own: every kind of error, for API and page paths.
func TestErrorHandler(t *testing.T) {
	t.Parallel()
	var logBuf bytes.Buffer
	v, err := loadViews("")
	if err != nil {
		t.Fatalf("views: %v", err)
	}
	s := &site.Site{Log: slog.New(slog.NewTextHandler(&logBuf, nil)), Views: v,
		Scores: scorecache.New(memSource{ds: &scoring.Dataset{}}, pageSchemes(t))}
	app := fiber.New(fiber.Config{ErrorHandler: s.ErrorHandler, DisableStartupMessage: true})
	errs := map[string]error{
		"internal":  fmt.Errorf("store: load units: %w", errors.New("SELECT * FROM units: locked")),
		"fiber404":  fiber.NewError(fiber.StatusNotFound, "Cannot GET /secret/path"),
		"fiber405":  fiber.ErrMethodNotAllowed,
		"fiber413":  fiber.ErrRequestEntityTooLarge,
		"fiber418":  fiber.ErrTeapot,
		"fiber503":  fiber.ErrServiceUnavailable,
		"bad":       site.BadRequest("err.period.invalid"),
		"wrapped":   fmt.Errorf("handlers: context: %w", site.NotFound("err.unit.unknown")),
		"withCause": &site.Error{Status: 400, Key: "err.status.400", Err: errors.New("strconv: parse SELECT")},
	}
	for name, e := range errs {
		app.Get("/api/test/"+name, func(*fiber.Ctx) error { return e })
		app.Get("/page/"+name, func(*fiber.Ctx) error { return e })
	}
	cases := []struct {
		name   string
		status int
		vi     string
	}{
		{"internal", 500, i18n.VI.T(site.KeyInternal)},
		{"fiber404", 404, "Không tìm thấy trang."},
		{"fiber405", 405, "Phương thức yêu cầu không được hỗ trợ."},
		{"fiber413", 413, "Dữ liệu gửi lên quá lớn."},
		{"fiber418", 418, "Yêu cầu không hợp lệ."},
		{"fiber503", 503, "Dịch vụ tạm thời không khả dụng. Vui lòng thử lại sau."},
		{"bad", 400, "Kỳ không hợp lệ: dùng dạng 2024-04 (tháng), 2024-Q2 (quý), 2024-H1 (6 tháng) hoặc 2024 (năm)."},
		{"wrapped", 404, "Không tìm thấy đơn vị."},
		{"withCause", 400, "Yêu cầu không hợp lệ."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			logBuf.Reset()
			r := doRequest(t, app, "GET", "/api/test/"+c.name)
			if r.status != c.status {
				t.Fatalf("API status %d, want %d", r.status, c.status)
			}
			if ct := r.header("Content-Type"); ct != fiber.MIMEApplicationJSONCharsetUTF8 {
				t.Errorf("API Content-Type %q", ct)
			}
			var e site.APIError
			decode(t, r.body, &e)
			if e.Error != c.vi {
				t.Errorf("API error %q, want %q", e.Error, c.vi)
			}
			assertNoLeak(t, r.body)
			if strings.Contains(string(r.body), "Cannot GET") || strings.Contains(string(r.body), "secret") {
				t.Errorf("API body leaks Fiber's message: %s", r.body)
			}
			if got := strings.Contains(logBuf.String(), "level=ERROR"); got != (c.status >= 500) {
				t.Errorf("logged at ERROR = %v for status %d: %s", got, c.status, logBuf.String())
			}

			p := doRequest(t, app, "GET", "/page/"+c.name)
			if p.status != c.status {
				t.Fatalf("page status %d, want %d", p.status, c.status)
			}
			if strings.HasPrefix(p.header("Content-Type"), "application/json") {
				t.Errorf("a page error answered JSON: %s", p.body)
			}
			if !strings.Contains(string(p.body), c.vi) {
				t.Errorf("page lacks the message %q", c.vi)
			}
			assertNoLeak(t, p.body)
		})
	}
}

// A page path that matches no route gets the HTML error page, not JSON.
func TestUnknownPageIsNotJSON(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, memSource{ds: fixture()}, nil)
	r := doRequest(t, app, "GET", "/khong-co-trang-nay")
	if r.status != 404 {
		t.Fatalf("status %d", r.status)
	}
	if strings.HasPrefix(r.header("Content-Type"), "application/json") {
		t.Errorf("page 404 answered JSON: %s", r.body)
	}
}
