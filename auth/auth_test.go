package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"

	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/store"
)

// clock is the tests' time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const goodPassword = "Mật khẩu đủ dài 2024"

// env is a real store on a SQLite file, a service and a small Fiber app
// wired the way the application is meant to be.
type env struct {
	t     *testing.T
	st    *store.Store
	svc   *Service
	clock *clock
	app   *fiber.App
	opts  Options
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.SQLite.Open(t)
	_, err := st.ImportUnits(ctx, &models.Import{FileName: "units.csv", SHA256: "x", Source: models.SourceCLI}, []store.UnitRow{
		{Code: "BK", Name: "Tỉnh Bắc Kạn", Kind: "province"},
		{Code: "BK.SGTVT", Name: "Sở Giao thông vận tải", Kind: "agency", ParentCode: "BK"},
		{Code: "BK.SYT", Name: "Sở Y tế", Kind: "agency", ParentCode: "BK"},
	})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2024, 5, 2, 8, 0, 0, 0, time.UTC)}
	if opts.BcryptCost == 0 {
		opts.BcryptCost = 4 // bcrypt.MinCost: fast tests
	}
	opts.Now = clk.now
	svc, err := New(ctx, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Wait)
	e := &env{t: t, st: st, svc: svc, clock: clk, opts: svc.Options()}
	for _, u := range []struct {
		name string
		role models.Role
		unit string
	}{{"quantri", models.RoleAdmin, ""}, {"vanphong", models.RoleOffice, ""}, {"so.gtvt", models.RoleUnit, "BK.SGTVT"}, {"khoa", models.RoleOffice, ""}} {
		e.addUser(u.name, u.role, u.unit, goodPassword)
	}
	khoa, _ := st.UserByUsername(ctx, "khoa")
	if err := st.SetDisabled(ctx, khoa.ID, true, store.Actor{Name: "cli"}); err != nil {
		t.Fatal(err)
	}
	e.app = e.buildApp()
	return e
}

func (e *env) addUser(name string, role models.Role, unit, pw string) {
	e.t.Helper()
	hash, err := HashPassword(name, pw, e.opts.BcryptCost)
	if err != nil {
		e.t.Fatal(err)
	}
	u := &models.User{Username: name, Role: role, PasswordHash: hash}
	if unit != "" {
		u.UnitCode = &unit
	}
	if err := e.st.CreateUser(context.Background(), u, store.Actor{Name: "cli"}); err != nil {
		e.t.Fatal(err)
	}
}

// whoami is what the test pages answer: the visitor and a CSRF token for
// the forms.
type whoami struct {
	User  string `json:"user"`
	Token string `json:"token"`
}

func (e *env) buildApp() *fiber.App {
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		code := fiber.StatusInternalServerError
		var fe *fiber.Error
		if errors.As(err, &fe) {
			code = fe.Code
		} else {
			e.t.Errorf("unexpected error: %v", err)
		}
		return c.Status(code).SendString(err.Error())
	}})
	me := func(c *fiber.Ctx) error {
		tok, err := e.svc.CSRFToken(c)
		if err != nil {
			return err
		}
		name := "anonymous"
		if u := UserFrom(c); u != nil {
			name = u.Username
		}
		return c.JSON(whoami{User: name, Token: tok})
	}
	// The routes as the application registers them: the CSRF check on
	// state-changing routes (not the login form, which checks its own
	// token, nor the what-if API, which stores nothing), then the rule.
	csrf, guard := e.svc.CSRF(), e.svc.Require
	app.Use(SecurityHeaders(e.opts))
	app.Use(e.svc.Middleware())
	login := e.svc.LoginHandler(func(c *fiber.Ctx, status int, v LoginView) error { return c.Status(status).JSON(v) })
	app.Get("/login", login)
	app.Post("/login", login)
	app.Post("/logout", csrf, guard(Rule{Who: SignedIn}), e.svc.LogoutHandler())
	app.Get("/", me)
	app.Get("/admin/audit", guard(Rule{Who: Admins}), me)
	app.Post("/office/publish", csrf, guard(Rule{Who: Staff}), me)
	app.Get("/units/:code/dossiers", guard(Rule{Who: Staff, OwnUnit: "code"}), me)
	app.Post("/api/v1/units/:code/whatif", func(c *fiber.Ctx) error { return c.SendString("computed") })
	app.Get("/embed/trend", func(c *fiber.Ctx) error { return c.SendString("chart") })
	if e.opts.BasePath == "" {
		return app
	}
	root := fiber.New(fiber.Config{ErrorHandler: app.Config().ErrorHandler})
	root.Mount(e.opts.BasePath, app)
	return root
}

// browser keeps cookies like a browser would (by name; one site).
type browser struct {
	e       *env
	cookies map[string]*http.Cookie
	// forwardedFor, when set, is sent as X-Forwarded-For.
	forwardedFor string
	proto        string
}

func (e *env) browser() *browser { return &browser{e: e, cookies: map[string]*http.Cookie{}} }

type answer struct {
	status  int
	body    string
	header  http.Header
	cookies map[string]*http.Cookie
}

func (b *browser) do(method, path string, form url.Values, header map[string]string) answer {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	if b.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", b.forwardedFor)
	}
	if b.proto != "" {
		req.Header.Set("X-Forwarded-Proto", b.proto)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := b.e.app.Test(req, -1)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, body: string(raw), header: resp.Header, cookies: map[string]*http.Cookie{}}
	for _, c := range resp.Cookies() {
		a.cookies[c.Name] = c
		if c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return a
}

func (b *browser) get(path string) answer { return b.do("GET", path, nil, nil) }

// me asks who the browser is signed in as, and a token for its forms.
func (b *browser) me() whoami {
	b.e.t.Helper()
	a := b.get(b.e.opts.URL("/"))
	var w whoami
	if err := json.Unmarshal([]byte(a.body), &w); err != nil {
		b.e.t.Fatalf("GET /: %d %s", a.status, a.body)
	}
	return w
}

// loginForm opens the login page and returns its view. A browser already
// signed in is sent on by the page; its forms carry the session's token
// (the login form of another tab, or the next person at a shared
// computer).
func (b *browser) loginForm() LoginView {
	b.e.t.Helper()
	a := b.get(b.e.opts.URL("/login"))
	if a.status == fiber.StatusSeeOther {
		return LoginView{CSRFToken: b.me().Token}
	}
	var v LoginView
	if err := json.Unmarshal([]byte(a.body), &v); err != nil || a.status != 200 {
		b.e.t.Fatalf("GET /login: %d %s", a.status, a.body)
	}
	return v
}

// login fills and posts the login form.
func (b *browser) login(user, pw string) (answer, LoginView) {
	b.e.t.Helper()
	v := b.loginForm()
	a := b.do("POST", b.e.opts.URL("/login"), url.Values{"username": {user}, "password": {pw}, CSRFField: {v.CSRFToken}, "next": {v.Next}}, nil)
	var out LoginView
	if a.status != fiber.StatusSeeOther {
		if err := json.Unmarshal([]byte(a.body), &out); err != nil {
			b.e.t.Fatalf("POST /login: %d %s", a.status, a.body)
		}
	}
	return a, out
}

func (e *env) audit(action string) []models.AuditEntry {
	e.t.Helper()
	e.svc.Wait()
	rows, _, err := e.st.AuditLog(context.Background(), store.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	return rows
}

func TestLoginAndLogout(t *testing.T) {
	e := newEnv(t, Options{})
	b := e.browser()
	if w := b.me(); w.User != "anonymous" {
		t.Fatalf("before login: %+v", w)
	}
	a, _ := b.login("VanPhong ", goodPassword)
	if a.status != fiber.StatusSeeOther || a.header.Get("Location") != "/" {
		t.Fatalf("login: %d %q %s", a.status, a.header.Get("Location"), a.body)
	}
	c := a.cookies[SessionCookie]
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || !c.Expires.IsZero() {
		t.Fatalf("session cookie: %+v", c)
	}
	if raw, err := decodeID(c.Value); err != nil || len(raw) != 32 {
		t.Errorf("session id is not 32 random bytes: %q", c.Value)
	}
	if gone := a.cookies[PreSessionCookie]; gone == nil || !gone.Expires.Before(time.Now()) {
		t.Errorf("pre-session cookie not cleared at login: %+v", gone)
	}
	// The database keeps only the id's hash.
	if _, err := e.st.SessionByHash(context.Background(), c.Value); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session found by its raw id: %v", err)
	}
	w := b.me()
	if w.User != "vanphong" {
		t.Fatalf("after login: %+v", w)
	}
	if rows := e.audit(models.ActionLoginSuccess); len(rows) != 1 || rows[0].Actor != "vanphong" || rows[0].RemoteAddr != "0.0.0.0" {
		t.Errorf("login audit: %+v", rows)
	}
	// Logout needs the token, then ends the session for good.
	if a := b.do("POST", "/logout", url.Values{}, nil); a.status != fiber.StatusForbidden {
		t.Errorf("logout without token: %d", a.status)
	}
	stolen := b.cookies[SessionCookie].Value
	if a := b.do("POST", "/logout", url.Values{CSRFField: {w.Token}}, nil); a.status != fiber.StatusSeeOther || a.cookies[SessionCookie] == nil {
		t.Fatalf("logout: %d %s", a.status, a.body)
	}
	if w := b.me(); w.User != "anonymous" {
		t.Errorf("after logout: %+v", w)
	}
	replay := e.browser()
	replay.cookies[SessionCookie] = &http.Cookie{Name: SessionCookie, Value: stolen}
	if w := replay.me(); w.User != "anonymous" {
		t.Errorf("the old session id still works: %+v", w)
	}
	if rows := e.audit(models.ActionLogout); len(rows) != 1 || rows[0].Target != "vanphong" {
		t.Errorf("logout audit: %+v", rows)
	}
	// next: back to the page asked for, never to another site.
	b2 := e.browser()
	v := b2.get("/login?next=" + url.QueryEscape("/units/BK.SYT/dossiers?period=2024-04"))
	var lv LoginView
	_ = json.Unmarshal([]byte(v.body), &lv)
	a = b2.do("POST", "/login", url.Values{"username": {"quantri"}, "password": {goodPassword}, CSRFField: {lv.CSRFToken}, "next": {lv.Next}}, nil)
	if a.header.Get("Location") != "/units/BK.SYT/dossiers?period=2024-04" {
		t.Errorf("next: %q", a.header.Get("Location"))
	}
	// A signed-in visitor opening the login page goes straight on.
	if a := b2.get("/login"); a.status != fiber.StatusSeeOther {
		t.Errorf("login page when signed in: %d", a.status)
	}
}

func TestPasswords(t *testing.T) {
	for pw, bad := range map[string]bool{
		"ngắn":                   true,
		"vanphong.tinh":          true, // the username
		"aaaaaaaaaaaa":           true,
		strings.Repeat("ệ", 25):  true, // 75 bytes
		"Mật khẩu đủ dài":        false,
		strings.Repeat("ab", 36): false, // 72 bytes
	} {
		if err := CheckPassword("vanphong.tinh", pw); (err != nil) != bad {
			t.Errorf("%q: %v", pw, err)
		}
	}
	// Vietnamese typed as base letters and combining marks (some
	// keyboards) is the same password as the composed form.
	e := newEnv(t, Options{})
	composed := "Đăng nhập bằng tiếng Việt"
	decomposed := norm.NFD.String(composed)
	if decomposed == composed {
		t.Fatal("the test needs a decomposable password")
	}
	e.addUser("tieng.viet", models.RoleOffice, "", composed)
	if a, _ := e.browser().login("tieng.viet", decomposed); a.status != fiber.StatusSeeOther {
		t.Errorf("decomposed form refused: %d", a.status)
	}
}

func decodeID(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

func TestLoginFailuresDoNotTellWhichPartIsWrong(t *testing.T) {
	// A bcrypt cost of its own (neither MinCost, the other tests', nor
	// DefaultCost), so that a dummy hash made at any other cost than the
	// configured one shows; limits raised so the rate limit stays out of
	// the way. Comparisons are counted: measuring the time itself would
	// flake on a loaded machine (the timings are only logged), so the cost
	// need not be a production one: 16 times cheaper than 10.
	var compares atomic.Int64
	count := func(hash, pw []byte) error {
		compares.Add(1)
		return bcrypt.CompareHashAndPassword(hash, pw)
	}
	e := newEnv(t, Options{BcryptCost: 6, MaxFailuresPerAccountAddress: 100, MaxFailuresPerAccount: 100, MaxFailuresPerAddress: 100, Compare: count})
	b := e.browser()
	type result struct {
		status int
		msg    string
		took   time.Duration
	}
	try := func(user, pw string) result {
		start := time.Now()
		a, v := b.login(user, pw)
		return result{a.status, v.Error, time.Since(start)}
	}
	try("vanphong", "warm-up wrong password")
	var unknown, wrong, disabled []time.Duration
	for i := range 5 {
		u := try("khong.co.ai"+string(rune('a'+i)), goodPassword)
		w := try("vanphong", "sai mật khẩu rồi")
		d := try("khoa", goodPassword) // right password, disabled account
		for _, r := range []result{u, w, d} {
			if r.status != fiber.StatusUnauthorized || r.msg != KeyBadCredentials {
				t.Fatalf("failure answered %d %q", r.status, r.msg)
			}
		}
		unknown, wrong, disabled = append(unknown, u.took), append(wrong, w.took), append(disabled, d.took)
	}
	// Timing is logged for the curious, not asserted (it flakes under
	// load); what makes it equal is asserted instead: one bcrypt
	// comparison per attempt, against a hash of the same cost.
	t.Logf("median: unknown %v, wrong password %v, disabled %v", median(unknown), median(wrong), median(disabled))
	for _, tc := range []struct{ user, pw string }{{"khong.co.ai.z", goodPassword}, {"vanphong", "sai mật khẩu rồi"}, {"khoa", goodPassword}} {
		before := compares.Load()
		if r := try(tc.user, tc.pw); r.status != fiber.StatusUnauthorized {
			t.Fatalf("%s: %d", tc.user, r.status)
		}
		if n := compares.Load() - before; n != 1 {
			t.Errorf("login as %s ran %d bcrypt comparisons, want exactly 1", tc.user, n)
		}
	}
	if c, err := bcrypt.Cost([]byte(e.svc.dummy)); err != nil || c != 6 {
		t.Errorf("dummy hash cost %d (%v), want the configured 6", c, err)
	}
	rows := e.audit(models.ActionLoginFailure)
	if len(rows) != 19 {
		t.Fatalf("%d failure rows", len(rows))
	}
	reasons := map[string]int{}
	for _, r := range rows {
		var d map[string]string
		_ = json.Unmarshal([]byte(r.Detail), &d)
		reasons[d["reason"]]++
	}
	if reasons["unknown account"] != 6 || reasons["wrong password"] != 7 || reasons["account disabled"] != 6 {
		t.Errorf("reasons (for admins only): %v", reasons)
	}
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t, Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}})
	b := e.browser()
	b.forwardedFor = "203.0.113.5"
	for i := range DefaultMaxFailuresPerAccountAddress {
		if a, _ := b.login("vanphong", "sai mật khẩu lần "+string(rune('1'+i))); a.status != fiber.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, a.status)
		}
		e.clock.add(time.Second)
	}
	// Now even the right password is refused, with the time to wait.
	a, v := b.login("vanphong", goodPassword)
	if a.status != fiber.StatusTooManyRequests || v.Error != KeyRateLimit || fmt.Sprint(v.ErrorArgs) != "[15]" || a.header.Get("Retry-After") == "" {
		t.Fatalf("blocked: %d %q %v", a.status, v.Error, v.ErrorArgs)
	}
	// The owner, from an address that has not failed, is not locked out
	// by a stranger's wrong passwords…
	other := e.browser()
	other.forwardedFor = "198.51.100.7"
	if a, _ := other.login("vanphong", goodPassword); a.status != fiber.StatusSeeOther {
		t.Errorf("the account from another address: %d", a.status)
	}
	// …and other accounts are not blocked from the address either.
	if a, _ := b.login("quantri", goodPassword); a.status != fiber.StatusSeeOther {
		t.Errorf("another account: %d", a.status)
	}
	b = e.browser()
	b.forwardedFor = "203.0.113.5"
	e.clock.add(10 * time.Minute)
	if _, v := b.login("vanphong", goodPassword); v.Error != KeyRateLimit || fmt.Sprint(v.ErrorArgs) != "[5]" {
		t.Errorf("after 10 minutes: %q %v", v.Error, v.ErrorArgs)
	}
	// Blocked attempts are not failures: once the window has passed, the
	// right password works.
	e.clock.add(5 * time.Minute)
	if a, _ := b.login("vanphong", goodPassword); a.status != fiber.StatusSeeOther {
		t.Fatalf("after the window: %d", a.status)
	}
	if n := len(e.audit(models.ActionLoginBlocked)); n != 2 {
		t.Errorf("%d blocked rows", n)
	}

	// Per address: 20 failures over many names block the address, for
	// every account, and nobody else.
	bot := e.browser()
	bot.forwardedFor = "192.0.2.66"
	for i := range DefaultMaxFailuresPerAddress {
		if a, _ := bot.login("tai.khoan."+string(rune('a'+i)), "whatever-password"); a.status != fiber.StatusUnauthorized {
			t.Fatalf("bot failure %d: %d", i+1, a.status)
		}
	}
	if a, _ := bot.login("quantri", goodPassword); a.status != fiber.StatusTooManyRequests {
		t.Errorf("address limit: %d", a.status)
	}
	if a, _ := other.login("so.gtvt", goodPassword); a.status != fiber.StatusSeeOther {
		t.Errorf("another address: %d", a.status)
	}
	// Only a proxy we trust may name the visitor's address.
	untrusted := newEnv(t, Options{})
	spoof := untrusted.browser()
	for i := range DefaultMaxFailuresPerAccountAddress + 1 {
		spoof.forwardedFor = "10.0.0." + string(rune('1'+i))
		spoof.login("vanphong", "sai mật khẩu")
	}
	for _, r := range untrusted.audit(models.ActionLoginFailure) {
		if r.RemoteAddr != "0.0.0.0" {
			t.Errorf("an untrusted X-Forwarded-For was believed: %s", r.RemoteAddr)
		}
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, Options{})
	office := e.browser()
	office.login("vanphong", goodPassword)
	w := office.me()
	post := func(b *browser, form url.Values, header map[string]string) int {
		return b.do("POST", "/office/publish", form, header).status
	}
	if s := post(office, url.Values{}, nil); s != fiber.StatusForbidden {
		t.Errorf("no token: %d", s)
	}
	if s := post(office, url.Values{CSRFField: {"garbage"}}, nil); s != fiber.StatusForbidden {
		t.Errorf("garbage token: %d", s)
	}
	if s := post(office, url.Values{CSRFField: {w.Token}}, nil); s != fiber.StatusOK {
		t.Errorf("good token: %d", s)
	}
	if s := post(office, nil, map[string]string{CSRFHeader: w.Token}); s != fiber.StatusOK {
		t.Errorf("token in the header: %d", s)
	}
	// Tokens differ on every page (masked) and all are good.
	w2 := office.me()
	if w2.Token == w.Token || post(office, url.Values{CSRFField: {w2.Token}}, nil) != fiber.StatusOK {
		t.Errorf("second token %q", w2.Token)
	}
	// Another session's token is worthless here.
	admin := e.browser()
	admin.login("quantri", goodPassword)
	if s := post(office, url.Values{CSRFField: {admin.me().Token}}, nil); s != fiber.StatusForbidden {
		t.Errorf("another session's token: %d", s)
	}
	// The what-if API is exempt (it stores nothing).
	if a := e.browser().do("POST", "/api/v1/units/BK.SGTVT/whatif", url.Values{}, nil); a.status != fiber.StatusOK {
		t.Errorf("what-if: %d", a.status)
	}
	// Login CSRF: without the pre-session cookie, or with another
	// visitor's token, the form comes back with the message.
	victim, attacker := e.browser(), e.browser()
	tok := attacker.loginForm().CSRFToken
	victim.loginForm()
	a := victim.do("POST", "/login", url.Values{"username": {"vanphong"}, "password": {goodPassword}, CSRFField: {tok}}, nil)
	var v LoginView
	_ = json.Unmarshal([]byte(a.body), &v)
	if a.status != fiber.StatusForbidden || v.Error != KeyCSRF || a.cookies[SessionCookie] != nil {
		t.Errorf("login with another visitor's token: %d %+v", a.status, v)
	}
	fresh := e.browser()
	if a := fresh.do("POST", "/login", url.Values{"username": {"vanphong"}, "password": {goodPassword}}, nil); a.status != fiber.StatusForbidden {
		t.Errorf("login without token: %d", a.status)
	}
	if n := len(e.audit(models.ActionLoginFailure)); n != 0 {
		t.Errorf("a refused form reached the password check: %d failures", n)
	}
}

func TestSessionFixation(t *testing.T) {
	e := newEnv(t, Options{})
	// An attacker plants a session id of the right shape before login.
	planted := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	b := e.browser()
	b.cookies[SessionCookie] = &http.Cookie{Name: SessionCookie, Value: planted}
	b.login("so.gtvt", goodPassword)
	if got := b.cookies[SessionCookie].Value; got == planted {
		t.Fatal("the planted id was kept")
	}
	fix := e.browser()
	fix.cookies[SessionCookie] = &http.Cookie{Name: SessionCookie, Value: planted}
	if w := fix.me(); w.User != "anonymous" {
		t.Errorf("the planted id signs in: %+v", w)
	}
	// A session id known before a login is not valid after it, even when
	// it was a real session (shared computer: the next person signs in).
	before := b.cookies[SessionCookie].Value
	b.login("vanphong", goodPassword)
	after := b.cookies[SessionCookie].Value
	if before == after {
		t.Fatal("no new id at login")
	}
	old := e.browser()
	old.cookies[SessionCookie] = &http.Cookie{Name: SessionCookie, Value: before}
	if w := old.me(); w.User != "anonymous" {
		t.Errorf("the id from before the login is still valid: %+v", w)
	}
	if w := b.me(); w.User != "vanphong" {
		t.Errorf("after the second login: %+v", w)
	}
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t, Options{})
	b := e.browser()
	b.login("vanphong", goodPassword)
	// Activity keeps it alive: a request every 7 hours, for days.
	for range 3 {
		e.clock.add(7 * time.Hour)
		if w := b.me(); w.User != "vanphong" {
			t.Fatalf("active session expired: %+v", w)
		}
		e.svc.Wait() // the activity stamp is written off the request
	}
	// Idle for 8 hours: gone, and the cookie cleared.
	e.clock.add(DefaultSessionIdle)
	a := b.get("/")
	if !strings.Contains(a.body, `"anonymous"`) || a.cookies[SessionCookie] == nil {
		t.Fatalf("idle session: %s %v", a.body, a.cookies)
	}
	e.svc.Wait()
	// Absolute end: 7 days whatever the activity.
	b.login("vanphong", goodPassword)
	for i := 0; i < 7*24/6-1; i++ {
		e.clock.add(6 * time.Hour)
		if w := b.me(); w.User != "vanphong" {
			t.Fatalf("active session expired after %d hours", (i+1)*6)
		}
		e.svc.Wait()
	}
	e.clock.add(6 * time.Hour)
	if w := b.me(); w.User != "anonymous" {
		t.Errorf("session older than 7 days: %+v", w)
	}
	// Disabling an account ends its sessions at once.
	b.login("so.gtvt", goodPassword)
	u, _ := e.st.UserByUsername(context.Background(), "so.gtvt")
	if err := e.st.SetDisabled(context.Background(), u.ID, true, store.Actor{Name: "quantri"}); err != nil {
		t.Fatal(err)
	}
	if w := b.me(); w.User != "anonymous" {
		t.Errorf("disabled account still signed in: %+v", w)
	}
	// Sessions nobody comes back to are swept.
	e.svc.Wait()
	e.browser().login("quantri", goodPassword)
	e.clock.add(9 * time.Hour)
	if n, err := e.svc.Sweep(context.Background()); err != nil || n != 1 {
		t.Errorf("sweep: %d %v", n, err)
	}
}

func TestCookieFlagsBehindProxy(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}
	e := newEnv(t, Options{BasePath: "/chiso", TrustedProxies: proxy})
	b := e.browser()
	b.proto = "https"
	a, _ := b.login("vanphong", goodPassword)
	c := a.cookies[SessionCookie]
	if a.status != fiber.StatusSeeOther || a.header.Get("Location") != "/chiso/" || c == nil || !c.Secure || c.Path != "/chiso" {
		t.Fatalf("behind an HTTPS proxy: %d %q %+v", a.status, a.header.Get("Location"), c)
	}
	if w := b.me(); w.User != "vanphong" {
		t.Errorf("under the base path: %+v", w)
	}
	// Anonymous visitors asking for a protected page go to the login
	// page, under the base path.
	anon := e.browser()
	if a := anon.get("/chiso/admin/audit"); a.status != fiber.StatusSeeOther || a.header.Get("Location") != "/chiso/login?next=%2Fchiso%2Fadmin%2Faudit" {
		t.Errorf("redirect: %d %q", a.status, a.header.Get("Location"))
	}
	// Not behind a trusted proxy, X-Forwarded-Proto is ignored…
	plain := newEnv(t, Options{})
	pb := plain.browser()
	pb.proto = "https"
	if a, _ := pb.login("vanphong", goodPassword); a.cookies[SessionCookie].Secure {
		t.Error("Secure from an untrusted X-Forwarded-Proto")
	}
	// …unless the operator says the site is HTTPS.
	forced := newEnv(t, Options{SecureCookies: true})
	if a, _ := forced.browser().login("vanphong", goodPassword); !a.cookies[SessionCookie].Secure {
		t.Error("SecureCookies ignored")
	}
}

func TestPolicyEnforced(t *testing.T) {
	e := newEnv(t, Options{})
	anon, unit, office, admin := e.browser(), e.browser(), e.browser(), e.browser()
	unit.login("so.gtvt", goodPassword)
	office.login("vanphong", goodPassword)
	admin.login("quantri", goodPassword)
	cases := []struct {
		b      *browser
		method string
		path   string
		want   int
	}{
		{anon, "GET", "/admin/audit", fiber.StatusSeeOther},
		{anon, "GET", "/units/BK.SGTVT/dossiers", fiber.StatusSeeOther},
		{unit, "GET", "/admin/audit", fiber.StatusForbidden},
		{office, "GET", "/admin/audit", fiber.StatusForbidden},
		{admin, "GET", "/admin/audit", fiber.StatusOK},
		{admin, "HEAD", "/admin/audit", fiber.StatusOK},
		{unit, "GET", "/units/BK.SGTVT/dossiers", fiber.StatusOK},
		{unit, "GET", "/UNITS/BK.SGTVT/dossiers/", fiber.StatusOK},
		{unit, "GET", "/units/BK.SYT/dossiers", fiber.StatusForbidden},
		{unit, "GET", "/units/bk.sgtvt/dossiers", fiber.StatusForbidden}, // codes are case-sensitive
		{office, "GET", "/units/BK.SYT/dossiers", fiber.StatusOK},
		{anon, "GET", "/", fiber.StatusOK},
		{anon, "GET", "/no/such/page", fiber.StatusNotFound},
		{unit, "GET", "/units//dossiers", fiber.StatusNotFound},
	}
	for _, c := range cases {
		if a := c.b.do(c.method, c.path, nil, nil); a.status != c.want {
			t.Errorf("%s %s as %s: %d, want %d", c.method, c.path, c.b.me().User, a.status, c.want)
		}
	}
	// Unsafe methods: the token first, then the rule.
	if a := anon.do("POST", "/office/publish", url.Values{CSRFField: {anon.me().Token}}, nil); a.status != fiber.StatusUnauthorized {
		t.Errorf("anonymous POST: %d", a.status)
	}
	if a := unit.do("POST", "/office/publish", url.Values{CSRFField: {unit.me().Token}}, nil); a.status != fiber.StatusForbidden {
		t.Errorf("unit POST: %d", a.status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, Options{EmbedAncestors: []string{"https://backan.gov.vn", "https://x; script-src *"}})
	b := e.browser()
	a := b.get("/")
	csp := a.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self';") || !strings.HasSuffix(csp, "frame-ancestors 'self'") || a.header.Get("X-Frame-Options") != "SAMEORIGIN" ||
		a.header.Get("X-Content-Type-Options") != "nosniff" || a.header.Get("Referrer-Policy") != "same-origin" {
		t.Errorf("page headers: %v", a.header)
	}
	a = b.get("/embed/trend")
	if csp := a.header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors https://backan.gov.vn") || a.header.Get("X-Frame-Options") != "" {
		t.Errorf("embed headers: %q %q", csp, a.header.Get("X-Frame-Options"))
	}
}

func TestFrameAncestors(t *testing.T) {
	for _, tc := range []struct {
		list []string
		want string
	}{
		{nil, "*"},
		{[]string{"https://backan.gov.vn", " https://*.gov.vn ", "'self'"}, "https://backan.gov.vn https://*.gov.vn 'self'"},
		// An entry that would inject a directive is dropped.
		{[]string{"https://a.vn; script-src *", "https://b.vn:8443/path"}, "https://b.vn:8443/path"},
		// Nothing valid: closed, not open.
		{[]string{"bad value", ";"}, "'self'"},
	} {
		if got := FrameAncestors(tc.list); got != tc.want {
			t.Errorf("FrameAncestors(%q) = %q, want %q", tc.list, got, tc.want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	s := &Service{opts: Options{BasePath: "/chiso"}.withDefaults()}
	for in, want := range map[string]string{
		"":                          "/chiso/",
		"/chiso/units/BK?period=x":  "/chiso/units/BK?period=x",
		"/chiso":                    "/chiso",
		"/other":                    "/chiso/",
		"//evil.example/chiso":      "/chiso/",
		"https://evil.example/":     "/chiso/",
		`/\evil.example`:            "/chiso/",
		"/chiso/\r\nSet-Cookie: x":  "/chiso/",
		"/chiso/login?next=/chiso/": "/chiso/",
		"/chisoX/units":             "/chiso/",
	} {
		if got := s.safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32"), netip.MustParsePrefix("10.0.0.0/8")}
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error {
		return c.SendString(ClientIP(c, trusted) + " " + map[bool]string{true: "https", false: "http"}[IsHTTPS(c, trusted)])
	})
	for xff, want := range map[string]string{
		"":                                "0.0.0.0",
		"203.0.113.9":                     "203.0.113.9",
		"1.2.3.4, 203.0.113.9":            "203.0.113.9", // the client's own entry is not believed
		"203.0.113.9, 10.1.1.1":           "203.0.113.9", // skipping our own proxies
		"10.1.1.1, 10.2.2.2":              "10.1.1.1",
		"nonsense, 203.0.113.9":           "203.0.113.9",
		"203.0.113.9, nonsense, 10.1.1.1": "10.1.1.1",
		"::ffff:203.0.113.9":              "203.0.113.9",
		"2001:db8::1":                     "2001:db8::1",
	} {
		req := httptest.NewRequest("GET", "/", nil)
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		req.Header.Set("X-Forwarded-Proto", "https")
		resp, err := app.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != want+" https" {
			t.Errorf("X-Forwarded-For %q: %q, want %q", xff, body, want)
		}
	}
}
