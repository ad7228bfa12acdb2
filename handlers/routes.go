package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"scorecard/auth"
	"scorecard/handlers/site"
)

// routes is the whole route table of the application: every route once, in
// the group of its audience, which attaches the access rule (router.go).
func (h *handler) routes(app *fiber.App) *site.Router {
	// A panic anywhere becomes an error for errorHandler: a logged 500 with a
	// generic message, never a dropped connection or a stack trace.
	app.Use(recover.New())
	// A kept public answer for a visitor who can only be anonymous is
	// sent before the rest: as a static file would be (package pagecache).
	if h.pages != nil {
		app.Use(h.pages.Fast)
	}
	// A body no route read is not left for the next request; security
	// headers, the session, the base path, the visitor's view of drafts.
	h.Middleware(app)
	r := site.NewRouter(app, h.Auth, h.uploadBody)
	// Answers of the GET routes kept and served again until the data
	// changes, with their validators (package pagecache).
	if h.pages != nil {
		r.Cache(h.pages.Handler)
	}

	// Pages, reports, downloads, open data and embeddable charts are open
	// to everyone: what each visitor sees of drafts is decided by the draft
	// filter (draft.go), not by the route.
	public := r.Group("", "public", auth.Everyone)
	public.Get("/healthz", h.healthz)
	public.Get("/static/*", h.Static)
	public.Get("/", h.home)
	public.Get("/provinces/:code", h.provinceOverview)
	public.Get("/rankings", h.rankings)
	public.Get("/units/:code", h.unit)
	public.Get("/methodology", h.methodology)
	public.Get("/search", h.search)
	public.Get("/maps/:code", h.mapGeoJSON)
	public.Get("/units/:code/whatif", h.whatIf) // what-if without JavaScript (a GET form)
	public.Get("/reports", h.reportLatest)
	public.Get("/reports/:period", h.report)
	public.Get("/reports/week/:week", h.weekReport)
	public.Get("/export/overview", h.exportOverview)
	public.Get("/export/rankings", h.exportRankings)
	public.Get("/export/units/:code", h.exportUnit)
	public.Get("/open-data", h.openDataIndex)
	public.Get("/open-data/dictionary", h.openDataDictionary)
	public.Get("/open-data/scheme.json", h.openDataScheme)
	public.Get("/open-data/:period/:file", h.openDataFile)
	public.Get("/embed/trend", h.embedTrend)
	public.Get("/embed/groups", h.embedGroups)
	public.Get("/embed/ranking", h.embedRanking)
	if h.st != nil {
		// The revisions of a published period: old figures stay viewable
		// after a correction.
		public.Get("/revisions/:period", h.revisions)
		public.Get("/revisions/:period/:rev", h.revision)
	}

	// The read-only JSON API (docs/api.md), in its own package.
	h.api.Routes(r)

	// Early warnings are for the office and the unit concerned; a unit
	// page shows its own to that unit's accounts (stake.go). Without
	// accounts every route is open, this one too.
	staff := r.Group("", "staff", auth.Staff)
	staff.Get("/warnings", h.warnings)
	// Our recomputation against the portal's published scores: the
	// differences are the office's to explain, never shown to the public.
	staff.Get("/staff/reconciliation", h.staffReconciliation)
	r.Group("/api/v1", "api", auth.Staff).Get("/reconciliation", h.apiReconciliation)

	if h.Auth != nil {
		// The login form checks its own token, to show the form again
		// with a message rather than an error page.
		login := h.Auth.LoginHandler(h.renderLogin)
		signIn := r.Group("", "public", auth.Everyone).WithoutCSRF()
		signIn.Get("/login", login)
		signIn.Post("/login", login)
		r.Group("", "account", auth.SignedIn).Post("/logout", h.Auth.LogoutHandler())

		// The staff's work is for office and admin accounts, the
		// administration for admins.
		staff.Get("/staff", h.staffHome)
		staff.Get("/staff/import", h.staffImportForm)
		staff.Upload("/staff/import", h.staffImportPreview)
		staff.Post("/staff/import/:token", h.staffImportConfirm)
		staff.Get("/staff/import/:token", h.staffImportStatus)
		staff.Get("/staff/import/:token/progress", h.staffImportProgress)
		staff.Get("/staff/templates/:kind", h.staffTemplate)
		staff.Get("/staff/publish", h.staffPublishForm)
		staff.Post("/staff/publish", h.staffPublish)

		admin := r.Group("/admin", "admin", auth.Admins)
		admin.Get("/users", h.adminUsers)
		admin.Post("/users", h.adminUserAdd)
		admin.Post("/users/:id/password", h.adminUserPassword)
		admin.Post("/users/:id/disabled", h.adminUserDisabled)
		admin.Get("/audit", h.adminAudit)
	}

	// What no route took: Fiber says 404, or 405 with the methods the
	// path has (Allow).
	app.Use(h.NoRoute)
	return r
}

func (h *handler) healthz(c *fiber.Ctx) error { return c.SendString("ok") }
