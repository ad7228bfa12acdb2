package handlers

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/store"
)

// Every state-changing route refuses a request without the session's CSRF
// token: none, a malformed one, or the token of another session. Nothing
// changes.
func TestCSRFRejectedOnEveryStateChangingRoute(t *testing.T) {
	storetest.Run(t, testCSRFRejectedOnEveryStateChangingRoute)
}

func testCSRFRejectedOnEveryStateChangingRoute(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	admin := f.client()
	admin.login("quantri")
	office := f.client()
	office.login("vanphong")
	exempt := map[string]bool{}
	for _, r := range f.routes {
		if !r.CSRF {
			exempt[r.Method+" "+r.Path] = true
		}
	}
	// The routes that go without the check, each for a reason given in
	// routes.go: nothing else may join them unnoticed.
	for _, k := range []string{"POST /api/v1/units/:code/whatif", "POST /login"} {
		if !exempt[k] {
			t.Errorf("%s is checked for a CSRF token", k)
		}
	}
	checked := 0
	for _, r := range f.app.GetRoutes(true) {
		if r.Method == fiber.MethodGet || r.Method == fiber.MethodHead || r.Method == "USE" || exempt[r.Method+" "+r.Path] {
			continue
		}
		target := samplePath(r.Path, "BK.SGTVT", f.ids["vanphong"])
		for name, token := range map[string]string{"none": "", "malformed": "abc", "another session's": office.token} {
			form := url.Values{auth.CSRFField: {token}, "period": {"2024-05"}, "username": {"moi.tao"}, "role": {"office"},
				"password": {accessPassword}, "password2": {accessPassword}, "disabled": {"1"}}
			res := admin.post(target, form)
			if res.status != fiber.StatusForbidden || !strings.Contains(res.body, i18n.VI.T(auth.KeyCSRF)) {
				t.Errorf("%s %s with %s token: %d %.200s", r.Method, r.Path, name, res.status, res.body)
			}
		}
		checked++
	}
	if checked < 7 {
		t.Fatalf("only %d state-changing routes checked", checked)
	}
	// Nothing happened: no account, no publication, nobody disabled.
	ctx := context.Background()
	if _, err := f.st.UserByUsername(ctx, "moi.tao"); err == nil {
		t.Error("an account was created without a token")
	}
	if _, err := f.st.Publication(ctx, "2024-05"); err == nil {
		t.Error("a period was published without a token")
	}
	if u, err := f.st.UserByID(ctx, f.ids["vanphong"]); err != nil || u.Disabled {
		t.Errorf("the office account: %+v %v", u, err)
	}
	// The admin is still signed in, and the same form with the token works.
	if res := admin.post("/staff/publish", url.Values{"period": {"2024-05"}}); res.status != fiber.StatusSeeOther {
		t.Fatalf("publish with the token: %d %.300s", res.status, res.body)
	}
	if _, err := f.st.Publication(ctx, "2024-05"); err != nil {
		t.Errorf("not published with the token: %v", err)
	}

	// The login form checks its own token and shows the form again.
	anon := f.client()
	res := anon.post("/login", url.Values{"username": {"vanphong"}, "password": {accessPassword}})
	if res.status != fiber.StatusForbidden || !strings.Contains(res.body, i18n.VI.T(auth.KeyCSRF)) || anon.cookies[auth.SessionCookie] != "" {
		t.Errorf("login without a token: %d %v", res.status, anon.cookies)
	}
}

// Signing in always starts a new session: a session id planted in the
// browser before is never the one that gets signed in, whether it is an id
// of the attacker's choosing or the attacker's own valid session (which is
// ended, so the attacker cannot ride on the victim's sign-in).
func TestSessionFixation(t *testing.T) { storetest.Run(t, testSessionFixation) }

func testSessionFixation(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})

	// An id of the attacker's choosing (well formed, unknown).
	chosen := "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU"
	victim := f.client()
	victim.cookies[auth.SessionCookie] = chosen
	victim.get("/login")
	if _, still := victim.cookies[auth.SessionCookie]; still {
		t.Error("an unknown session id was kept")
	}
	victim.cookies[auth.SessionCookie] = chosen // planted again
	if r := victim.post("/login", url.Values{"username": {"vanphong"}, "password": {accessPassword}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("login: %d", r.status)
	}
	if got := victim.cookies[auth.SessionCookie]; got == "" || got == chosen {
		t.Fatalf("session id after login: %q", got)
	}
	attacker := f.client()
	attacker.cookies[auth.SessionCookie] = chosen
	if r := attacker.get("/staff"); r.status != fiber.StatusSeeOther {
		t.Errorf("the chosen id signs in: %d", r.status)
	}

	// The attacker's own session, planted with its form token.
	attacker = f.client()
	attacker.login("sogtvt")
	planted := attacker.cookies[auth.SessionCookie]
	victim = f.client()
	victim.cookies[auth.SessionCookie], victim.token = planted, attacker.token
	if r := victim.post("/login", url.Values{"username": {"vanphong"}, "password": {accessPassword}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("login over a planted session: %d %.300s", r.status, r.body)
	}
	got := victim.cookies[auth.SessionCookie]
	if got == "" || got == planted {
		t.Fatalf("session id not renewed at login: %q", got)
	}
	if r := victim.get("/staff"); r.status != fiber.StatusOK {
		t.Errorf("the victim's new session: %d", r.status)
	}
	if r := attacker.get("/staff"); r.status != fiber.StatusSeeOther {
		t.Errorf("the planted session still signs in: %d", r.status)
	}
	if r := attacker.get("/methodology"); strings.Contains(r.body, "vanphong") || strings.Contains(r.body, "sogtvt") {
		t.Error("the planted session still shows an account")
	}
}

// After too many wrong passwords the account is refused, with a message
// that says how long to wait, even with the right password; other accounts
// are not affected. Every attempt leaves an audit row.
func TestLoginRateLimit(t *testing.T) { storetest.Run(t, testLoginRateLimit) }

func testLoginRateLimit(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	cl := f.client()
	cl.get("/login")
	for i := 0; i < auth.DefaultMaxFailuresPerAccountAddress; i++ {
		r := cl.post("/login", url.Values{"username": {"vanphong"}, "password": {"sai-mật-khẩu-" + string(rune('a'+i))}})
		if r.status != fiber.StatusUnauthorized || !strings.Contains(r.body, i18n.VI.T(auth.KeyBadCredentials)) {
			t.Fatalf("attempt %d: %d", i, r.status)
		}
		// The form keeps the name, never the password.
		if !strings.Contains(r.body, `value="vanphong"`) || strings.Contains(r.body, "sai-mật-khẩu") {
			t.Fatalf("attempt %d: form refilled wrongly", i)
		}
	}
	r := cl.post("/login", url.Values{"username": {"vanphong"}, "password": {accessPassword}})
	if r.status != fiber.StatusTooManyRequests || !strings.Contains(r.body, "Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 15 phút.") ||
		r.header.Get("Retry-After") == "" || cl.cookies[auth.SessionCookie] != "" {
		t.Fatalf("blocked attempt: %d %q %.400s", r.status, r.header.Get("Retry-After"), r.body)
	}
	// An unknown account reads exactly like a wrong password.
	other := f.client()
	other.get("/login")
	r = other.post("/login", url.Values{"username": {"khong-ton-tai"}, "password": {accessPassword}})
	if r.status != fiber.StatusUnauthorized || !strings.Contains(r.body, i18n.VI.T(auth.KeyBadCredentials)) {
		t.Errorf("unknown account: %d", r.status)
	}
	other.login("quantri") // another account still signs in
	rows, _, err := f.st.AuditLog(context.Background(), store.AuditFilter{Actor: "vanphong", Action: "login."})
	if err != nil {
		t.Fatal(err)
	}
	var failures, blocked int
	for _, e := range rows {
		switch e.Action {
		case models.ActionLoginFailure:
			failures++
		case models.ActionLoginBlocked:
			blocked++
		}
	}
	if failures != auth.DefaultMaxFailuresPerAccountAddress || blocked != 1 {
		t.Errorf("audit: %d failures, %d blocked", failures, blocked)
	}
}

// Sign in, see who is signed in on every page, sign out.
func TestLoginLogoutAndAccountBar(t *testing.T) { storetest.Run(t, testLoginLogoutAndAccountBar) }

func testLoginLogoutAndAccountBar(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	cl := f.client()
	r := cl.get("/")
	if !strings.Contains(r.body, `href="/login`) || strings.Contains(r.body, "Đăng xuất") {
		t.Fatalf("anonymous header: %.2000s", r.body)
	}
	// Anonymous public pages set no cookie (shared caches may keep them).
	if len(cl.cookies) != 0 {
		t.Errorf("cookies on a public page: %v", cl.cookies)
	}
	cl.get("/login?next=" + url.QueryEscape("/rankings?period=2024-03"))
	r = cl.post("/login", url.Values{"username": {"  VanPhong "}, "password": {accessPassword}, "next": {"/rankings?period=2024-03"}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/rankings?period=2024-03" {
		t.Fatalf("login: %d %q", r.status, r.header.Get("Location"))
	}
	r = cl.get("/rankings?period=2024-03")
	for _, want := range []string{"vanphong", "Đăng xuất", `href="/staff"`, "Văn phòng (nhập, công bố số liệu)"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("signed-in header lacks %q", want)
		}
	}
	if strings.Contains(r.body, `href="/admin/users"`) {
		t.Error("an office account is shown the admin links")
	}
	if r.header.Get("Cache-Control") == "" {
		t.Log("no Cache-Control on a signed-in page")
	}
	// Off-site "next" is ignored.
	cl2 := f.client()
	cl2.get("/login")
	r = cl2.post("/login", url.Values{"username": {"quantri"}, "password": {accessPassword}, "next": {"//evil.example/x"}})
	if r.header.Get("Location") != "/" {
		t.Errorf("next off-site: %q", r.header.Get("Location"))
	}
	// Sign out.
	r = cl.post("/logout", nil)
	if r.status != fiber.StatusSeeOther || cl.cookies[auth.SessionCookie] != "" {
		t.Fatalf("logout: %d %v", r.status, cl.cookies)
	}
	if r := cl.get("/staff"); r.status != fiber.StatusSeeOther {
		t.Errorf("after logout /staff: %d", r.status)
	}
	rows, _, err := f.st.AuditLog(context.Background(), store.AuditFilter{Actor: "vanphong"})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range rows {
		actions[e.Action] = true
	}
	if !actions[models.ActionLoginSuccess] || !actions[models.ActionLogout] {
		t.Errorf("audit of vanphong: %v", actions)
	}
}

// Security headers on pages, the API and embeds.
func TestSecurityHeaders(t *testing.T) { storetest.Run(t, testSecurityHeaders) }

func testSecurityHeaders(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	cl := f.client()
	for _, target := range []string{"/", "/api/v1/periods", "/login", "/nothing-here"} {
		r := cl.get(target)
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline'; img") && strings.Contains(csp, "script-src 'self' 'unsafe-inline'") ||
			!strings.Contains(csp, "frame-ancestors 'self'") || r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: CSP %q, nosniff %q, referrer %q", target, csp, r.header.Get("X-Content-Type-Options"), r.header.Get("Referrer-Policy"))
		}
	}
	r := cl.get("/embed/trend?province=BK")
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || r.header.Get("X-Frame-Options") != "" {
		t.Errorf("embed: CSP %q, XFO %q", csp, r.header.Get("X-Frame-Options"))
	}
}

// Behind a proxy that keeps a base path, every link, form and redirect
// carries it, and paths outside it are not served.
func TestBasePath(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testBasePath)
}

func testBasePath(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db, basePath: "/chiso"})
	cl := f.client()
	cl.base = "/chiso"
	r := cl.get("/")
	if r.status != fiber.StatusOK {
		t.Fatalf("home: %d", r.status)
	}
	for _, want := range []string{`href="/chiso/rankings`, `href="/chiso/static/css/app.css`, `href="/chiso/login`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("home lacks %s", want)
		}
	}
	if strings.Contains(r.body, `href="/rankings`) || strings.Contains(r.body, `src="/static`) {
		t.Error("a link without the base path")
	}
	if r := cl.get("/staff"); r.status != fiber.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/chiso/login?next=") {
		t.Errorf("/chiso/staff anonymous: %d %q", r.status, r.header.Get("Location"))
	}
	cl.get("/login")
	r = cl.post("/login", url.Values{"username": {"vanphong"}, "password": {accessPassword}, "next": {"/chiso/staff"}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/chiso/staff" {
		t.Fatalf("login: %d %q", r.status, r.header.Get("Location"))
	}
	r = cl.get("/staff")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, `action="/chiso/logout"`) {
		t.Errorf("staff page: %d", r.status)
	}
	r = cl.post("/staff/publish", url.Values{"period": {"2024-05"}})
	if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "/chiso/staff?published=2024-05") {
		t.Errorf("redirect after publishing: %d %q", r.status, loc)
	}
	if r := cl.get("/api/v1/periods"); r.status != fiber.StatusOK || !strings.Contains(r.body, "2024-05") {
		t.Errorf("API under the base path: %d", r.status)
	}
	if r := cl.get("/reports"); r.status != fiber.StatusFound || !strings.HasPrefix(r.header.Get("Location"), "/chiso/reports/") {
		t.Errorf("/chiso/reports: %d %q", r.status, r.header.Get("Location"))
	}
	// Every link, form, asset and script address of the pages is built
	// under the base path (none is written without it).
	siteLink := regexp.MustCompile(`\s(href|src|action|formaction|data-[a-z0-9-]+)="(/[^"]*)"`)
	for _, page := range []string{"/", "/rankings", "/units/BK.SGTVT", "/units/BK.SGTVT/whatif", "/methodology", "/reports/2024-04",
		"/open-data", "/open-data/dictionary", "/warnings", "/revisions/2024-04", "/staff", "/staff/import"} {
		r := cl.get(page)
		if r.status != fiber.StatusOK {
			t.Errorf("%s: %d", page, r.status)
			continue
		}
		for _, m := range siteLink.FindAllStringSubmatch(r.body, -1) {
			if !strings.HasPrefix(m[2], "/chiso/") && m[2] != "/chiso" {
				t.Errorf("%s: %s=%q without the base path", page, m[1], m[2])
			}
		}
	}
	cl.base = ""
	if r := cl.get("/rankings"); r.status != fiber.StatusNotFound {
		t.Errorf("outside the base path: %d", r.status)
	}
}
