package handlers

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
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
	"scorecard/store"
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
// captures, as serve wires it without accounts. The pages only read the
// captures: on SQLite the store is built once for the package
// (sharedPortal); another database gets a store of its own. Each test has
// a scores service of its own, so it sees the first visit as a new server
// does (the chart of the days not prepared yet).
func newPortalApp(t *testing.T, db storetest.DB) (*fiber.App, *scorecache.Service) {
	t.Helper()
	var st *store.Store
	if db == storetest.SQLite {
		var err error
		if st, err = sharedPortal(); err != nil {
			t.Fatal(err)
		}
	} else {
		st = db.Open(t)
		if err := importPortalCaptures(t.Context(), st, t.TempDir()); err != nil {
			t.Fatal(err)
		}
	}
	svc := scorecache.New(st, pageSchemes(t))
	app, err := New(Deps{Scores: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return app, svc
}

// importPortalCaptures writes the fixture's captures into dir and imports
// them into st.
func importPortalCaptures(ctx context.Context, st *store.Store, dir string) error {
	caps, err := portalCaptures(dir)
	if err != nil {
		return err
	}
	schemes, err := data.DefaultSchemes()
	if err != nil {
		return err
	}
	im := portal.NewImporter(st, schemes)
	for _, c := range caps {
		if _, err := im.ImportCapture(ctx, c, models.SourceCLI); err != nil {
			return fmt.Errorf("import %s: %w", c, err)
		}
	}
	return nil
}

// sharedPortal is the fixture's SQLite store, built by the first test that
// asks and closed and removed by TestMain after the last.
var sharedPortal = sync.OnceValues(func() (*store.Store, error) {
	dir, err := os.MkdirTemp("", "portal-fixture-")
	if err != nil {
		return nil, err
	}
	afterTests(func() { _ = os.RemoveAll(dir) })
	st, err := store.Open(context.Background(), store.Config{Driver: store.DriverSQLite, DSN: filepath.Join(dir, "scorecard.db")})
	if err != nil {
		return nil, err
	}
	afterTests(func() { _ = st.Close() })
	return st, importPortalCaptures(context.Background(), st, dir)
})
