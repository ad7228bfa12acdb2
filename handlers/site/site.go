// Package site is the web plumbing the pages (package handlers) and the
// JSON API (package api) share: the route table and its access rules, the
// errors and the one error handler, the page language, the page frame and
// its rendering, the static files, the base path, and the request's view of
// drafts.
package site

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// Site is what every handler of the application shares.
type Site struct {
	Log *slog.Logger
	// Scores is the scores service; with publishing on, as the request's
	// viewer may see them (scorecache.Drafts).
	Scores scorecache.Reader
	Views  *Views
	// OfficeName is shown in the header after the product's name.
	OfficeName string
	// BasePath is the prefix the application is served under ("/chiso"),
	// "" at the root.
	BasePath string
	// Auth is the accounts service, nil without accounts; AuthOpts its
	// options (the security headers need them either way).
	Auth     *auth.Service
	AuthOpts auth.Options
	// Pubs turns the publishing workflow on: drafts are hidden from those
	// who may not see them (nil: every period is shown).
	Pubs scorecache.PublishedSource
}

// Middleware installs what every request meets before its route, in order:
// the closing of a connection whose body was left unread, the security
// headers, the session's account, the base path taken off the
// path, and the visitor's view of drafts.
func (s *Site) Middleware(app *fiber.App) {
	// A body no route read is not left for the next request.
	app.Use(closeUnreadBody)
	// Headers on every answer (pages set the same policy again).
	app.Use(auth.SecurityHeaders(s.AuthOpts))
	if s.Auth != nil {
		app.Use(s.Auth.Middleware())
	}
	if s.BasePath != "" {
		app.Use(s.stripBase)
	}
	if s.Pubs != nil {
		app.Use(s.viewerMiddleware)
	}
}

// Engine fetches the scoring engine for the current data; a failure (the
// database) is internal and only logged.
func (s *Site) Engine(c *fiber.Ctx) (*scoring.Engine, error) {
	e, err := s.Scores.Engine(c.UserContext())
	if err != nil {
		return nil, Internal(fmt.Errorf("site: engine: %w", err))
	}
	return e, nil
}

// PeriodScores fetches the scores of p.
func (s *Site) PeriodScores(c *fiber.Ctx, p scoring.Period) (*scoring.PeriodScores, error) {
	ps, err := s.Scores.Period(c.UserContext(), p)
	if err != nil {
		return nil, Internal(fmt.Errorf("site: scores of %s: %w", p, err))
	}
	return ps, nil
}

// Standings fetches the standings of p (each unit's total, band, group
// scores; scorecache.Reader.Standings), what a ranking's changes since the
// period before read of that period.
func (s *Site) Standings(c *fiber.Ctx, p scoring.Period) (*scoring.PeriodScores, error) {
	ps, err := s.Scores.Standings(c.UserContext(), p)
	if err != nil {
		return nil, Internal(fmt.Errorf("site: standings of %s: %w", p, err))
	}
	return ps, nil
}

// StandingsWith fetches the standings of p with the whole scores of the
// units named (scorecache.Reader.StandingsWith): what an answer about one
// unit reads, not the country's metrics.
func (s *Site) StandingsWith(c *fiber.Ctx, p scoring.Period, codes ...string) (*scoring.PeriodScores, error) {
	ps, err := s.Scores.StandingsWith(c.UserContext(), p, codes...)
	if err != nil {
		return nil, Internal(fmt.Errorf("site: standings of %s with %v: %w", p, codes, err))
	}
	return ps, nil
}

// demo reports whether the demo data is loaded, false when that cannot be
// known (an error page must not fail because the data source is what
// failed).
func (s *Site) demo(ctx context.Context) bool {
	if s.Scores == nil {
		return false
	}
	demo, err := s.Scores.Demo(ctx)
	return err == nil && demo
}
