// Package handlers is the web layer: Fiber routes for the public dashboard
// and the read-only JSON API. Handlers parse the request, ask the scores
// service, build a typed view model and render it; scoring lives in
// scoring/, queries in store/, chart options in charts/.
package handlers

import (
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"scorecard/scoring"
)

// Scores is what the handlers need from the scores service.
type Scores interface {
	Engine(ctx context.Context) (*scoring.Engine, error)
	Period(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error)
	Demo(ctx context.Context) (bool, error)
	Schemes() *scoring.Schemes
}

// Options are the web layer's settings.
type Options struct {
	// AppName is shown in the header; OfficeName too when set.
	OfficeName string
	// EmbedAncestors are the sites allowed to show the /embed/ charts in an
	// iframe (CSP frame-ancestors source expressions such as
	// "https://backan.gov.vn" or "https://*.gov.vn"); nil allows every site
	// ("*"). Other pages may only be framed by the application itself.
	EmbedAncestors []string
}

// Deps are the handlers' dependencies.
type Deps struct {
	Scores  Scores
	Log     *slog.Logger
	Options Options
}

type handler struct {
	scores Scores
	log    *slog.Logger
	opts   Options
	views  *views
}

// New builds the application: the one constructor used by main and by tests.
func New(d Deps) (*fiber.App, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	v, err := loadViews()
	if err != nil {
		return nil, err
	}
	h := &handler{scores: d.Scores, log: d.Log, opts: d.Options, views: v}
	app := fiber.New(fiber.Config{
		AppName:               "scorecard",
		DisableStartupMessage: true,
		ErrorHandler:          h.errorHandler,
	})
	h.routes(app)
	return app, nil
}
