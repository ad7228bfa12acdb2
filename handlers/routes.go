package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"scorecard/auth"
)

// routes is the whole route table of the application: every route once, in
// the group of its audience, which attaches the access rule (router.go).
func (h *handler) routes(app *fiber.App) *router {
	// A panic anywhere becomes an error for errorHandler: a logged 500 with a
	// generic message, never a dropped connection or a stack trace.
	app.Use(recover.New())
	// A body no route read is not left for the next request (body.go).
	app.Use(closeUnreadBody)
	// Security headers, the session, the base path, the visitor's view of
	// drafts (auth.go).
	h.accessMiddleware(app)
	r := &router{app: app, acc: h.auth, uploadBody: h.uploadBody}

	// Pages, reports, downloads, open data and embeddable charts are open
	// to everyone: what each visitor sees of drafts is decided by the draft
	// filter (draft.go), not by the route.
	public := r.group("", "public", auth.Everyone)
	public.get("/healthz", h.healthz)
	public.get("/static/*", h.serveStatic)
	public.get("/", h.home)
	public.get("/provinces/:code", h.provinceOverview)
	public.get("/rankings", h.rankings)
	public.get("/units/:code", h.unit)
	public.get("/methodology", h.methodology)
	public.get("/units/:code/whatif", h.whatIf) // what-if without JavaScript (a GET form)
	public.get("/reports", h.reportLatest)
	public.get("/reports/:period", h.report)
	public.get("/export/overview", h.exportOverview)
	public.get("/export/rankings", h.exportRankings)
	public.get("/export/units/:code", h.exportUnit)
	public.get("/open-data", h.openDataIndex)
	public.get("/open-data/dictionary", h.openDataDictionary)
	public.get("/open-data/scheme.json", h.openDataScheme)
	public.get("/open-data/:period/:file", h.openDataFile)
	public.get("/embed/trend", h.embedTrend)
	public.get("/embed/groups", h.embedGroups)
	public.get("/embed/ranking", h.embedRanking)
	if h.st != nil {
		// The revisions of a published period: old figures stay viewable
		// after a correction.
		public.get("/revisions/:period", h.revisions)
		public.get("/revisions/:period/:rev", h.revision)
	}

	// The read-only JSON API (formats.md). Its one POST computes
	// hypothetical scores from the counts in the request body and stores
	// nothing, so a forged request from another site changes nothing, and
	// that site cannot read the answer either (no CORS): scripts and other
	// offices' tools may post to it without a token.
	api := r.group("/api/v1", "api", auth.Everyone).withoutCSRF()
	api.get("/periods", h.apiPeriods)
	api.get("/rankings", h.apiRankings)
	api.get("/units/:code", h.apiUnit)
	api.get("/scheme", h.apiScheme)
	api.get("/units/:code/whatif", h.apiWhatIf)
	api.post("/units/:code/whatif", h.apiWhatIf) // hypothetical counts; nothing is stored

	// Early warnings are for the office and the unit concerned; a unit
	// page shows its own to that unit's accounts (stake.go). Without
	// accounts every route is open, this one too.
	staff := r.group("", "staff", auth.Staff)
	staff.get("/warnings", h.warnings)

	if h.auth != nil {
		// The login form checks its own token, to show the form again
		// with a message rather than an error page.
		login := h.auth.LoginHandler(h.renderLogin)
		signIn := r.group("", "public", auth.Everyone).withoutCSRF()
		signIn.get("/login", login)
		signIn.post("/login", login)
		r.group("", "account", auth.SignedIn).post("/logout", h.auth.LogoutHandler())

		// The staff's work is for office and admin accounts, the
		// administration for admins.
		staff.get("/staff", h.staffHome)
		staff.get("/staff/import", h.staffImportForm)
		staff.upload("/staff/import", h.staffImportPreview)
		staff.post("/staff/import/:token", h.staffImportConfirm)
		staff.get("/staff/import/:token", h.staffImportStatus)
		staff.get("/staff/import/:token/progress", h.staffImportProgress)
		staff.get("/staff/templates/:kind", h.staffTemplate)
		staff.get("/staff/publish", h.staffPublishForm)
		staff.post("/staff/publish", h.staffPublish)

		admin := r.group("/admin", "admin", auth.Admins)
		admin.get("/users", h.adminUsers)
		admin.post("/users", h.adminUserAdd)
		admin.post("/users/:id/password", h.adminUserPassword)
		admin.post("/users/:id/disabled", h.adminUserDisabled)
		admin.get("/audit", h.adminAudit)
	}

	// What no route took: Fiber says 404, or 405 with the methods the
	// path has (Allow).
	app.Use(h.noRoute)
	return r
}

func (h *handler) healthz(c *fiber.Ctx) error { return c.SendString("ok") }
