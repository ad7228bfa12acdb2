package handlers

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

var errorHeading = regexp.MustCompile(`<h1 id="h-error">([^<]*)</h1>`)

// The error page's heading names what happened, in the page's language:
// an account without the right to a page is told so (not that its request
// was malformed), and so is a body too large; a bad parameter is an
// invalid request and an unknown page is not found.
func TestErrorPageHeadings(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, fixtureOptions{})
	unit := f.client()
	unit.login("sogtvt")
	anon := f.client()
	anon.get("/login")
	big := strings.Repeat("a", 200<<10)
	cases := []struct {
		name   string
		do     func() reply
		status int
		want   string
	}{
		{"unit account on the office's page", func() reply { return unit.get("/staff") }, fiber.StatusForbidden, "Không có quyền truy cập"},
		{"in English", func() reply { return unit.get("/staff?lang=en") }, fiber.StatusForbidden, "Access denied"},
		{"body too large", func() reply {
			return anon.do(fiber.MethodPost, "/login", strings.NewReader("username=x&password="+big), fiber.MIMEApplicationForm)
		}, fiber.StatusRequestEntityTooLarge, "Dữ liệu gửi lên quá lớn"},
		{"bad period", func() reply { return anon.get("/rankings?period=2026-13") }, fiber.StatusBadRequest, "Yêu cầu không hợp lệ"},
		{"unknown page", func() reply { return anon.get("/khong-co-trang-nay") }, fiber.StatusNotFound, "Không tìm thấy"},
	}
	for _, c := range cases {
		r := c.do()
		m := errorHeading.FindStringSubmatch(r.body)
		if r.status != c.status || m == nil || m[1] != c.want {
			got := "(no heading)"
			if m != nil {
				got = m[1]
			}
			t.Errorf("%s: %d %q, want %d %q", c.name, r.status, got, c.status, c.want)
			continue
		}
		if !strings.Contains(r.body, "<title>"+c.want+" · ") {
			t.Errorf("%s: the title does not begin with %q", c.name, c.want)
		}
	}
}
