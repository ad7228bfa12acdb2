package handlers

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/scorecache"
)

// newDemoApp is the real application over the demo data (parsed once, its
// scores service shared: scoresOver).
func newDemoApp(t testing.TB, opts Options) (*fiber.App, *scorecache.Service) {
	t.Helper()
	svc := scoresOver(t, pageSource{ds: demoDS(t), demo: true})
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
