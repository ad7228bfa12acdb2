// Package api is the read-only JSON API of docs/api.md under /api/v1. Every
// answer goes through site.WriteJSON so that all of them carry the same
// headers; every failure is a *site.Error handed to the site's error
// handler, which answers {"error": …}.
package api

import (
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// API serves the JSON API.
type API struct{ *site.Site }

// New is the API of the site.
func New(s *site.Site) *API { return &API{Site: s} }

// Routes is the API's route table. Its one POST computes hypothetical
// scores from the counts in the request body and stores nothing, so a
// forged request from another site changes nothing, and that site cannot
// read the answer either (no CORS): scripts and other offices' tools may
// post to it without a token.
func (h *API) Routes(r *site.Router) {
	api := r.Group("/api/v1", "api", auth.Everyone).WithoutCSRF()
	api.Get("/periods", h.Periods)
	api.Get("/rankings", h.Rankings)
	api.Get("/units/:code", h.Unit)
	api.Get("/scheme", h.Scheme)
	api.Get("/units/:code/whatif", h.WhatIf)
	api.Post("/units/:code/whatif", h.WhatIf) // hypothetical counts; nothing is stored
}

// apiPeriod reads ?period=. Missing or empty means the newest period with
// data; docs/api.md is strict and case-sensitive, so "2024-q2" is a 400.
func apiPeriod(c *fiber.Ctx, e *scoring.Engine) (scoring.Period, error) {
	raw := c.Query("period")
	if raw == "" {
		// The newest period the visitor may see (drafts hidden).
		periods, err := site.VisiblePeriods(c, e)
		if err != nil {
			return scoring.Period{}, site.Internal(err)
		}
		return scorecache.DefaultPeriod(periods, time.Now()), nil
	}
	p, err := scoring.ParsePeriod(raw)
	if err != nil {
		return scoring.Period{}, site.BadRequest("err.api.period", site.Echo(raw))
	}
	// A period with figures not yet published answers like one without
	// data (the contract of docs/api.md), marked so that a script can tell
	// "not yet" from "never".
	unpub, err := site.IsUnpublished(c, e, p)
	if err != nil {
		return scoring.Period{}, site.Internal(err)
	}
	if unpub {
		site.MarkUnpublished(c)
	}
	return p, nil
}

// prevStandings is the standings of the period before p, which a ranking's
// and a unit's changes are counted against: nil when the visitor may not
// see that period, as on the pages (a draft has no figures to compare
// with, and its blank scores would cost a national scoring for nothing).
func (h *API) prevStandings(c *fiber.Ctx, e *scoring.Engine, p scoring.Period) (*scoring.PeriodScores, error) {
	visible, err := site.VisiblePeriods(c, e)
	if err != nil {
		return nil, site.Internal(err)
	}
	if !slices.Contains(visible, p.Prev()) {
		return nil, nil
	}
	return h.Standings(c, p.Prev())
}

// bandNames gives the band's Vietnamese name and code, null without a band.
func bandNames(b *scoring.Band) (name, code *string) {
	if b == nil {
		return nil, nil
	}
	n, c := b.NameVI, b.Code
	return &n, &c
}

// rankPtr is the API's rank: null for units without data (rank 0).
func rankPtr(r int) *int {
	if r <= 0 {
		return nil
	}
	return &r
}
