package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/i18n"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// Accounts (issue 4): the wiring of package auth into the application, the
// login page, the account bar of every page, and the base path.

// Store is what the staff and admin pages need from the database
// (*store.Store).
type Store interface {
	PublishedSource
	Publications(ctx context.Context) ([]models.Publication, error)
	Publication(ctx context.Context, period string) (models.Publication, error)
	Revisions(ctx context.Context, period string) ([]models.Revision, error)
	Revision(ctx context.Context, period string, n int) (models.Revision, error)
	Publish(ctx context.Context, period string, by store.Actor, snap store.SnapshotFunc) (models.Revision, error)
	PublishedAmong(ctx context.Context, periods []string) ([]models.Publication, error)
	CompleteRevisions(ctx context.Context, snap store.SnapshotFunc) (int, error)
	Imports(ctx context.Context, limit int) ([]models.Import, error)
	AuditLog(ctx context.Context, f store.AuditFilter) ([]models.AuditEntry, int64, error)
	VerifyAudit(ctx context.Context) (store.AuditChain, error)
	AppendAudit(ctx context.Context, e *models.AuditEntry) error
	Users(ctx context.Context) ([]models.User, error)
	UserByID(ctx context.Context, id uint) (models.User, error)
	CountUsers(ctx context.Context, role models.Role) (int64, error)
	CreateUser(ctx context.Context, u *models.User, by store.Actor) error
	SetPassword(ctx context.Context, userID uint, hash string, by store.Actor) error
	SetDisabled(ctx context.Context, userID uint, disabled bool, by store.Actor) error
	Units(ctx context.Context) ([]models.Unit, error)
	UnitChanges(ctx context.Context) ([]store.UnitChangeRow, error)
	ProcedureCodes(ctx context.Context) (map[string]bool, error)
}

var _ Store = (*store.Store)(nil)

// Importer writes an uploaded file (*importer.Importer).
type Importer interface {
	Import(ctx context.Context, name string, r io.Reader, source string, demo bool) (*importer.Report, error)
}

var _ Importer = (*importer.Importer)(nil)

// setupAccess turns on what Deps asks for (see Deps).
func (h *handler) setupAccess(d Deps) error {
	h.opts.BasePath = strings.TrimRight(h.opts.BasePath, "/")
	if d.Auth != nil && (d.Store == nil || d.Importer == nil) {
		return errors.New("handlers: accounts (Deps.Auth) need the store and the importer")
	}
	if d.Store != nil {
		h.st, h.pubs = d.Store, d.Store
		h.scores = scorecache.NewDrafts(d.Scores, d.Store)
	}
	h.snap = d.Snapshot
	if svc, ok := d.Scores.(*scorecache.Service); ok && h.snap == nil {
		h.snap = scorecache.SnapshotFunc(svc)
	}
	h.authOpts = auth.Options{BasePath: h.opts.BasePath, EmbedAncestors: h.opts.EmbedAncestors}
	if d.Auth == nil {
		return nil
	}
	if h.snap == nil {
		return errors.New("handlers: accounts (Deps.Auth) need Deps.Snapshot to publish")
	}
	h.auth, h.imp = d.Auth, d.Importer
	ao := d.Auth.Options()
	if ao.BasePath != h.opts.BasePath {
		return fmt.Errorf("handlers: base path %q differs from the accounts' %q", h.opts.BasePath, ao.BasePath)
	}
	ao.EmbedAncestors = h.opts.EmbedAncestors
	h.authOpts = ao
	h.chain = &chainCheck{st: d.Store, now: time.Now}
	h.uploads = newUploads(h.opts.UploadDir)
	if n, err := h.uploads.cleanLeft(); err != nil {
		h.log.Warn("could not clean the upload staging folder", "err", err)
	} else if n > 0 {
		h.log.Info("deleted files left in the upload staging folder by an earlier run", "count", n)
	}
	return nil
}

// uploadLimit is the largest file the staff may upload.
func (h *handler) uploadLimit() int64 {
	if h.opts.UploadLimit > 0 {
		return h.opts.UploadLimit
	}
	return DefaultUploadLimit
}

// uploadOverhead is the room left in a request's body beyond the file:
// the multipart boundaries and the other fields of the form.
const uploadOverhead = 1 << 20

// accessMiddleware lists the middleware every request meets, in order.
func (h *handler) accessMiddleware(app *fiber.App) {
	// Headers on every answer (pages set the same policy again).
	app.Use(auth.SecurityHeaders(h.authOpts))
	if h.auth != nil {
		app.Use(h.auth.Middleware()) // the session's account
	}
	if h.opts.BasePath != "" {
		app.Use(h.stripBase)
	}
	if h.pubs != nil {
		app.Use(h.viewerMiddleware)
	}
}

// Base path. Behind a reverse proxy that serves the application under a
// prefix ("/chiso") and passes it on, requests arrive with it: the
// middleware above (auth) read the whole path; stripBase then removes the
// prefix so that the route table stays the same, and puts it back on the
// way out: on redirects here, on the links of pages in render
// (withBasePath). Pages and handlers write site paths ("/rankings").

func (h *handler) stripBase(c *fiber.Ctx) error {
	rest, ok := cutBase(h.opts.BasePath, c.Path())
	if !ok {
		return h.notFound(c)
	}
	c.Path(rest)
	err := c.Next()
	if loc := c.GetRespHeader(fiber.HeaderLocation); loc != "" {
		c.Set(fiber.HeaderLocation, h.baseURL(loc))
	}
	return err
}

// cutBase removes base from path (compared without regard to case, as
// Fiber routes); ok false when the path is not under it.
func cutBase(base, path string) (string, bool) {
	if base == "" {
		return path, true
	}
	if len(path) < len(base) || !strings.EqualFold(path[:len(base)], base) {
		return "", false
	}
	rest := path[len(base):]
	switch {
	case rest == "":
		return "/", true
	case rest[0] != '/':
		return "", false
	}
	return rest, true
}

// baseURL prefixes a site path with the base path, unless it already has
// it (auth writes its redirects with it) or is not a site path.
func (h *handler) baseURL(u string) string {
	b := h.opts.BasePath
	if b == "" || !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		return u
	}
	if p, _, _ := strings.Cut(u, "?"); strings.EqualFold(p, b) || strings.HasPrefix(strings.ToLower(p), strings.ToLower(b)+"/") {
		return u
	}
	return b + u
}

// siteLink matches a site path in the attributes that hold URLs in our
// templates: href, src, action, formaction and data-* (charts, what-if).
var siteLink = regexp.MustCompile(`(\s(?:href|src|action|formaction|data-[a-z0-9-]+)=")(/[^/"])`)

// withBasePath puts the base path in front of every site path of a page.
func (h *handler) withBasePath(page []byte) []byte {
	if h.opts.BasePath == "" {
		return page
	}
	prefix := []byte("${1}" + strings.ReplaceAll(h.opts.BasePath, "$", "$$") + "${2}")
	return siteLink.ReplaceAll(page, prefix)
}

// localPath is the request's path without the base path (the error
// handler may run before stripBase).
func (h *handler) localPath(c *fiber.Ctx) string {
	if p, ok := cutBase(h.opts.BasePath, c.Path()); ok {
		return p
	}
	return c.Path()
}

// Login and logout.

// loginPage is the sign-in form.
type loginPage struct {
	Layout    layout
	CSRFField string
	CSRFToken string
	Username  string
	Next      string
	Error     string
}

// renderLogin is auth's LoginRender: the form in our frame. The form posts
// to /login (render adds the base path).
func (h *handler) renderLogin(c *fiber.Ctx, status int, v auth.LoginView) error {
	l := langOf(c)
	page := loginPage{CSRFField: auth.CSRFField, CSRFToken: v.CSRFToken, Username: v.Username, Next: v.Next, Error: v.Error}
	if page.Error != "" && l == i18n.EN {
		page.Error = loginErrorEN(v.Error)
	}
	page.Layout = layout{Title: l.T("auth.login.title"), Product: productName, OfficeName: h.opts.OfficeName}
	// A signed-out visitor's page must not be kept by a shared cache.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.render(c, status, "login", page)
}

// loginErrorEN translates auth's Vietnamese messages for the English page.
func loginErrorEN(vi string) string {
	switch {
	case vi == auth.MsgBadCredentials:
		return "Wrong username or password."
	case vi == auth.MsgCSRF:
		return "The form has expired or is not valid. Reload the page and try again."
	case strings.HasPrefix(vi, "Quá nhiều lần đăng nhập sai"):
		return "Too many failed sign-in attempts. Please try again later."
	}
	return vi
}

// Account bar. Every page of the frame shows who is signed in, a way out,
// and the staff's entrance; anonymous visitors get a discreet sign-in link.

// accountView is the account bar of the frame.
type accountView struct {
	SignedIn  bool
	Username  string
	RoleKey   string // i18n key of the role
	Staff     bool
	Admin     bool
	UnitURL   string // a unit account's own unit page
	DraftURL  string // and its newest draft month there, if any
	CSRFField string
	CSRFToken string
	LoginURL  string
}

// accountFor builds the account bar; nil when there are no accounts.
func (h *handler) accountFor(c *fiber.Ctx) *accountView {
	if h.auth == nil {
		return nil
	}
	u := auth.UserFrom(c)
	if u == nil {
		if strings.EqualFold(strings.TrimSuffix(h.localPath(c), "/"), "/login") {
			return nil // the sign-in form is the page itself
		}
		next := c.OriginalURL()
		if c.Method() != fiber.MethodGet {
			next = ""
		}
		login := "/login"
		if next != "" && next != h.baseURL("/") {
			login += "?next=" + url.QueryEscape(next)
		}
		return &accountView{LoginURL: login}
	}
	// A signed-in page names the account and carries its CSRF token: no
	// cache may keep it.
	c.Set(fiber.HeaderCacheControl, "no-store")
	v := &accountView{SignedIn: true, Username: u.Username, RoleKey: "auth.role." + string(u.Role),
		Staff: u.IsStaff(), Admin: u.IsAdmin(), CSRFField: auth.CSRFField}
	if u.UnitCode != "" {
		v.UnitURL = unitURL(u.UnitCode, scoring.Period{})
		if p, ok := h.newestDraft(c); ok {
			v.DraftURL = unitURL(u.UnitCode, p)
		}
	}
	tok, err := h.auth.CSRFToken(c)
	if err != nil {
		h.log.Error("csrf token for the account bar", "err", err)
	}
	v.CSRFToken = tok
	return v
}

// newestDraft is the newest month not published yet (a unit account's
// link to its own draft figures).
func (h *handler) newestDraft(c *fiber.Ctx) (scoring.Period, bool) {
	v := viewerOf(c)
	if v == nil {
		return scoring.Period{}, false
	}
	eng, err := h.scores.Engine(c.UserContext())
	if err != nil {
		h.log.Error("newest draft", "err", err)
		return scoring.Period{}, false
	}
	for _, p := range eng.Periods() {
		if p.Kind != scoring.Month {
			continue
		}
		_, published, err := v.Publication(c.UserContext(), p)
		if err != nil {
			h.log.Error("newest draft", "err", err)
			return scoring.Period{}, false
		}
		if !published {
			return p, true
		}
	}
	return scoring.Period{}, false
}

// fillLayoutAccess sets the account bar and the period notice of a page's
// frame (render calls it, like fillLayoutLang). data is what
// fillLayoutLang returned: a pointer when the view has a Layout.
func (h *handler) fillLayoutAccess(data any, c *fiber.Ctx) {
	lay := layoutOf(data)
	if lay == nil {
		return
	}
	lay.Account = h.accountFor(c)
	n, err := noticeFor(c)
	if err != nil {
		h.log.Error("period notice", "path", c.Path(), "err", err)
	}
	lay.Notice = n
}

// layoutOf finds the *layout of a view passed by pointer.
func layoutOf(data any) *layout {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Layout")
	if !f.IsValid() || !f.CanAddr() || f.Type() != reflect.TypeOf(layout{}) {
		return nil
	}
	return f.Addr().Interface().(*layout)
}

// requestUser is the signed-in account, nil when anonymous or without
// accounts.
func requestUser(c *fiber.Ctx) *auth.User { return auth.UserFrom(c) }
