package handlers

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/data"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/portal/portaltest"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// portalProvince is the invented province of the day-by-day page tests:
// three agencies and eight communes whose running year 2026 was captured
// every morning at 06:00 from 1 to 15 October (ISO weeks 40 to 42), and
// twice on 8 October (the later capture, at 18:30, closes the day); and
// September 2026, closed, captured once on 1 October.
const portalProvince = "H93"

// portalDays are the days of the fixture's captures.
var portalDays = func() []time.Time {
	var out []time.Time
	for d := 1; d <= 15; d++ {
		out = append(out, time.Date(2026, 10, d, 6, 0, 0, 0, scoring.Location))
		if d == 8 {
			out = append(out, time.Date(2026, 10, 8, 18, 30, 0, 0, scoring.Location))
		}
	}
	return out
}()

// portalCaptures writes the fixture's captures into dir.
func portalCaptures(dir string) ([]string, error) {
	sc, err := data.DefaultSchemes()
	if err != nil {
		return nil, err
	}
	pr := portaltest.NewProvince(portalProvince, 3, 8, sc)
	p := scoring.MustPeriod("2026")
	var out []string
	for _, at := range portalDays {
		day := int(at.Sub(p.Start()).Hours() / 24)
		c, err := pr.WriteCapture(dir, p, day, at, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	sep := scoring.MustPeriod("2026-09")
	c, err := pr.WriteCapture(dir, sep, 29, time.Date(2026, 10, 1, 6, 0, 0, 0, scoring.Location), 0)
	return append(out, c), err
}

// newPortalApp is the application over a real store holding the fixture's
// captures, as serve wires it without accounts.
func newPortalApp(t *testing.T, db storetest.DB) (*fiber.App, *scorecache.Service) {
	t.Helper()
	caps, err := portalCaptures(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st := db.Open(t)
	schemes := pageSchemes(t)
	im := portal.NewImporter(st, schemes)
	for _, c := range caps {
		if _, err := im.ImportCapture(t.Context(), c, models.SourceCLI); err != nil {
			t.Fatalf("import %s: %v", c, err)
		}
	}
	svc := scorecache.New(st, schemes)
	app, err := New(Deps{Scores: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return app, svc
}
