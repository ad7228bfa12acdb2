package handlers

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/data/demo/dataset"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// demoDataset reads the embedded demo files (units.csv, counts.csv) the way
// data/demo/demo_test.go does: the real demo province Bắc Kạn, 12 months up
// to 04/2024, whose April holds the facts of the seed article.
func demoDataset(t testing.TB) *scoring.Dataset {
	t.Helper()
	ds, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

var (
	reportDemoOnce sync.Once
	reportDemoData *scoring.Dataset
)

// newDemoApp is the real application over the demo data (parsed once).
func newDemoApp(t testing.TB, opts Options) (*fiber.App, *scorecache.Service) {
	t.Helper()
	reportDemoOnce.Do(func() { reportDemoData = demoDataset(t) })
	svc := scorecache.New(pageSource{ds: reportDemoData, demo: true}, pageSchemes(t))
	app, err := New(Deps{Scores: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Options: opts})
	if err != nil {
		t.Fatalf("new app: %v", err)
	}
	return app, svc
}

// modifiedScores is a scores service that also says when the data last
// changed (DataModified), as a store-backed service could.
type modifiedScores struct {
	*scorecache.Service
	at time.Time
}

func (m modifiedScores) DataModified(context.Context) (time.Time, error) { return m.at, nil }
