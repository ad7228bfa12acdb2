package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"scorecard/auth"
)

// routes is the whole route table of the application.
func (h *handler) routes(app *fiber.App) {
	// A panic anywhere becomes an error for errorHandler: a logged 500 with a
	// generic message, never a dropped connection or a stack trace.
	app.Use(recover.New())
	// Issue 4: security headers, session, CSRF, the authorization policy,
	// the base path, the visitor's view of drafts (auth.go).
	h.accessMiddleware(app)
	app.Get("/healthz", h.healthz)
	h.static(app)

	// Public pages.
	app.Get("/", h.home)
	app.Get("/provinces/:code", h.provinceOverview)
	app.Get("/rankings", h.rankings)
	app.Get("/units/:code", h.unit)
	app.Get("/methodology", h.methodology)
	app.Get("/units/:code/whatif", h.whatIf) // what-if without JavaScript (a GET form)
	app.Get("/warnings", h.warnings)

	// Reports, downloads, open data and embeddable charts.
	app.Get("/reports", h.reportLatest)
	app.Get("/reports/:period", h.report)
	app.Get("/export/overview", h.exportOverview)
	app.Get("/export/rankings", h.exportRankings)
	app.Get("/export/units/:code", h.exportUnit)
	app.Get("/open-data", h.openDataIndex)
	app.Get("/open-data/dictionary", h.openDataDictionary)
	app.Get("/open-data/scheme.json", h.openDataScheme)
	app.Get("/open-data/:period/:file", h.openDataFile)
	app.Get("/embed/trend", h.embedTrend)
	app.Get("/embed/groups", h.embedGroups)
	app.Get("/embed/ranking", h.embedRanking)

	// Issue 4: the revisions of a published period (old figures stay
	// viewable after a correction).
	if h.st != nil {
		app.Get("/revisions/:period", h.revisions)
		app.Get("/revisions/:period/:rev", h.revision)
	}

	// Issue 4: accounts, the staff's work and the administration. Every
	// route here has its rule in policyRules.
	if h.auth != nil {
		login := h.auth.LoginHandler(h.renderLogin)
		app.Get("/login", login)
		app.Post("/login", login)
		app.Post("/logout", h.auth.LogoutHandler())

		app.Get("/staff", h.staffHome)
		app.Get("/staff/import", h.staffImportForm)
		app.Post("/staff/import", h.staffImportPreview)
		app.Post("/staff/import/:token", h.staffImportConfirm)
		app.Get("/staff/import/:token", h.staffImportStatus)
		app.Get("/staff/import/:token/progress", h.staffImportProgress)
		app.Get("/staff/templates/:kind", h.staffTemplate)
		app.Get("/staff/publish", h.staffPublishForm)
		app.Post("/staff/publish", h.staffPublish)

		app.Get("/admin/users", h.adminUsers)
		app.Post("/admin/users", h.adminUserAdd)
		app.Post("/admin/users/:id/password", h.adminUserPassword)
		app.Post("/admin/users/:id/disabled", h.adminUserDisabled)
		app.Get("/admin/audit", h.adminAudit)
	}

	// Read-only JSON API (formats.md).
	api := app.Group("/api/v1")
	api.Get("/periods", h.apiPeriods)
	api.Get("/rankings", h.apiRankings)
	api.Get("/units/:code", h.apiUnit)
	api.Get("/scheme", h.apiScheme)
	api.Get("/units/:code/whatif", h.apiWhatIf)
	api.Post("/units/:code/whatif", h.apiWhatIf) // hypothetical counts; nothing is stored
	api.Use(h.apiNotFound)

	app.Use(h.notFound)
}

func (h *handler) healthz(c *fiber.Ctx) error { return c.SendString("ok") }

// policyRules is the authorization table over the route table above (issue
// 4): every route has exactly one rule, or the application does not start
// (New runs policy.Check). The public pages, downloads, embeds and the API
// are open to everyone: what each visitor sees of drafts is decided by the
// draft filter (draft.go). The staff's work is for office and admin
// accounts, the administration for admins.
func policyRules() []auth.Rule {
	rule := func(method, path string, who auth.Who) auth.Rule {
		return auth.Rule{Method: method, Path: path, Who: who}
	}
	get, post := fiber.MethodGet, fiber.MethodPost
	return append(auth.DefaultRules(),
		rule(get, "/revisions/:period", auth.Everyone),
		rule(get, "/revisions/:period/:rev", auth.Everyone),

		// Early warnings are for the office and the unit concerned (issue
		// 7); a unit page shows its own to that unit's accounts (stake.go).
		rule(get, "/warnings", auth.Staff),

		rule(get, "/staff", auth.Staff),
		rule(get, "/staff/import", auth.Staff),
		rule(post, "/staff/import", auth.Staff),
		rule(post, "/staff/import/:token", auth.Staff),
		rule(get, "/staff/import/:token", auth.Staff),
		rule(get, "/staff/import/:token/progress", auth.Staff),
		rule(get, "/staff/templates/:kind", auth.Staff),
		rule(get, "/staff/publish", auth.Staff),
		rule(post, "/staff/publish", auth.Staff),

		rule(get, "/admin/users", auth.Admins),
		rule(post, "/admin/users", auth.Admins),
		rule(post, "/admin/users/:id/password", auth.Admins),
		rule(post, "/admin/users/:id/disabled", auth.Admins),
		rule(get, "/admin/audit", auth.Admins),
	)
}
