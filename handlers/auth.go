package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// Accounts: the wiring of package auth into the application, the
// login page, the account bar of every page, and the base path.

// Store is what the staff and admin pages need from the database
// (*store.Store).
type Store interface {
	scorecache.PublishedSource
	Publications(ctx context.Context) ([]models.Publication, error)
	Publication(ctx context.Context, period string) (models.Publication, error)
	Revisions(ctx context.Context, period string) ([]models.Revision, error)
	Revision(ctx context.Context, period string, n int) (models.Revision, error)
	Publish(ctx context.Context, period string, by store.Actor, snap store.SnapshotFunc) (models.Revision, error)
	PublishedAmong(ctx context.Context, kind string, periods []string) ([]models.Publication, error)
	Closes(ctx context.Context, month string) ([]scoring.Period, error)
	CompleteRevisions(ctx context.Context, snap store.SnapshotFunc) (int, error)
	Imports(ctx context.Context, limit int) ([]models.Import, error)
	AuditLog(ctx context.Context, f store.AuditFilter) ([]models.AuditEntry, int64, error)
	VerifyAudit(ctx context.Context) (models.AuditChain, error)
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
	// PeriodCounts is read by the import preview, to score a file's
	// periods with and without the file.
	PeriodCounts(ctx context.Context, p scoring.Period) (*scoring.Dataset, int64, error)
	// The staged uploads of the web import and their jobs
	// (staff_uploads.go), shared by every process on the database.
	StageUpload(ctx context.Context, u *models.StagedUpload, r io.Reader, now, staleBefore time.Time, keep int) error
	StagedUpload(ctx context.Context, id string, owner uint, now time.Time) (models.StagedUpload, error)
	StagedData(ctx context.Context, id string, w io.Writer) (int64, error)
	ClaimStagedImport(ctx context.Context, id string, owner uint, now, expires time.Time) (bool, error)
	SetStagedProgress(ctx context.Context, id string, p store.StagedProgress) error
	FinishStaged(ctx context.Context, id, kind, outcome string, now, expires time.Time) error
	DeleteStaged(ctx context.Context, id string) error
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
	h.BasePath = h.opts.BasePath
	if d.Auth != nil && (d.Store == nil || d.Importer == nil) {
		return errors.New("handlers: accounts (Deps.Auth) need the store and the importer")
	}
	if d.Store != nil {
		h.st, h.Pubs = d.Store, d.Store
		h.Scores = scorecache.NewDrafts(d.Scores, d.Store)
	}
	h.snap = d.Snapshot
	if svc, ok := d.Scores.(*scorecache.Service); ok && h.snap == nil {
		h.snap = scorecache.SnapshotFunc(svc)
	}
	h.AuthOpts = auth.Options{BasePath: h.opts.BasePath, EmbedAncestors: h.opts.EmbedAncestors}
	if d.Auth == nil {
		return nil
	}
	if h.snap == nil {
		return errors.New("handlers: accounts (Deps.Auth) need Deps.Snapshot to publish")
	}
	h.Auth, h.imp = d.Auth, d.Importer
	ao := d.Auth.Options()
	if ao.BasePath != h.opts.BasePath {
		return fmt.Errorf("handlers: base path %q differs from the accounts' %q", h.opts.BasePath, ao.BasePath)
	}
	ao.EmbedAncestors = h.opts.EmbedAncestors
	h.AuthOpts = ao
	h.chain = &chainCheck{st: d.Store, now: time.Now}
	h.uploads = newUploads(h.opts.UploadDir)
	if n, err := h.uploads.cleanLeft(); err != nil {
		h.Log.Warn("could not clean the upload staging folder", "err", err)
	} else if n > 0 {
		h.Log.Info("deleted files left in the upload staging folder by an earlier run", "count", n)
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

// Login and logout.

// loginPage is the sign-in form.
type loginPage struct {
	site.Layout
	CSRFField string
	CSRFToken string
	Username  string
	Next      string
	Error     string
}

// renderLogin is auth's LoginRender: the form in our frame. The form posts
// to /login (render adds the base path).
func (h *handler) renderLogin(c *fiber.Ctx, status int, v auth.LoginView) error {
	l := site.Lang(c)
	page := loginPage{CSRFField: auth.CSRFField, CSRFToken: v.CSRFToken, Username: v.Username, Next: v.Next}
	if v.Error != "" {
		page.Error = l.T(v.Error, v.ErrorArgs...)
	}
	page.Layout = site.Layout{Title: l.T("auth.login.title")}
	// A signed-out visitor's page must not be kept by a shared cache.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.Render(c, status, "login", &page)
}
