package handlers

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/data/demo"
	"scorecard/scores"
	"scorecard/scoring"
)

// demoDataset reads the embedded demo files (units.csv, counts.csv) the way
// data/demo/demo_test.go does: the real demo province Bắc Kạn, 12 months up
// to 04/2024, whose April holds the facts of the seed article.
func demoDataset(t testing.TB) *scoring.Dataset {
	t.Helper()
	ds := &scoring.Dataset{Own: map[scoring.Key]scoring.Counts{}}
	files := demo.Files()
	read := func(f demo.File) [][]string {
		rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: %v (%d rows)", f.Name, err, len(rows))
		}
		return rows[1:]
	}
	for _, r := range read(files[0]) {
		ds.Units = append(ds.Units, scoring.Unit{Code: r[0], Name: r[1], Kind: scoring.UnitKind(r[2]), ParentCode: r[3]})
	}
	for i, r := range read(files[1]) {
		var c scoring.Counts
		if r[3] != "" || r[4] != "" {
			n, err1 := strconv.ParseInt(r[3], 10, 64)
			d, err2 := strconv.ParseInt(r[4], 10, 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("demo counts row %d: %q/%q", i+2, r[3], r[4])
			}
			c = scoring.C(n, d)
		}
		ds.Own[scoring.Key{Period: r[0], Unit: r[1], Metric: r[2]}] = c
	}
	return ds
}

var (
	reportDemoOnce sync.Once
	reportDemoData *scoring.Dataset
)

// newDemoApp is the real application over the demo data (parsed once).
func newDemoApp(t testing.TB, opts Options) (*fiber.App, *scores.Service) {
	t.Helper()
	reportDemoOnce.Do(func() { reportDemoData = demoDataset(t) })
	svc := scores.New(pageSource{ds: reportDemoData, demo: true}, pageSchemes(t))
	app, err := New(Deps{Scores: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Options: opts})
	if err != nil {
		t.Fatalf("new app: %v", err)
	}
	return app, svc
}

// modifiedScores is a scores service that also says when the data last
// changed (the optional dataModifier), as a store-backed service could.
type modifiedScores struct {
	*scores.Service
	at time.Time
}

func (m modifiedScores) DataModified(context.Context) (time.Time, error) { return m.at, nil }
