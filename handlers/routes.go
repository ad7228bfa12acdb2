package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
)

// routes is the whole route table of the application.
func (h *handler) routes(app *fiber.App) {
	// A panic anywhere becomes an error for errorHandler: a logged 500 with a
	// generic message, never a dropped connection or a stack trace.
	app.Use(recover.New())
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
