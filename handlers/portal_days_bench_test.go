package handlers

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/portal/portaltest"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// BenchmarkRunningYearPages imports a year of daily captures of a
// 150-unit province (25 agencies, 124 communes), then times the pages of
// its running year: the overview and the communes' ranking with their
// day and week movers (goal: under 50 ms once the data is loaded), a
// unit page with its day-by-day chart once the replay is done, and a
// week report. The floor is reading one moment's figures from the store.
// Run it alone (a few minutes, most of it the import):
//
//	go test ./handlers -run '^$' -bench RunningYearPages -benchtime 1x
func BenchmarkRunningYearPages(b *testing.B) {
	ctx := context.Background()
	schemes, err := data.DefaultSchemes()
	if err != nil {
		b.Fatal(err)
	}
	pr := portaltest.NewProvince("H80", 25, 124, schemes)
	p := scoring.MustPeriod("2026")
	st, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: filepath.Join(b.TempDir(), "year.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	im := portal.NewImporter(st, schemes)
	start := time.Date(2026, 1, 1, 6, 0, 0, 0, scoring.Location)
	const days = 365
	for d := 0; d < days; d++ {
		files := pr.Files(p, d, 0)
		m := pr.Manifest(p, start.AddDate(0, 0, d), files)
		c, err := im.Reader.Assemble(pr.Code, files, &m, scoring.Period{}, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := im.Import(ctx, c, models.SourceCLI); err != nil {
			b.Fatal(err)
		}
	}
	// The captures end on 31 December at 06:00: the year still runs.
	last := start.AddDate(0, 0, days-1)
	svc := scorecache.New(st, schemes)
	app, err := New(Deps{Scores: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	if _, err := st.PortalStateAt(ctx, p.String(), last); err != nil {
		b.Fatal(err)
	}
	floor := time.Since(t0)
	page := func(path string) time.Duration {
		t0 := time.Now()
		status, _, body := get(b, app, path)
		el := time.Since(t0)
		if status != 200 || len(body) == 0 {
			b.Fatalf("%s: %d", path, status)
		}
		return el
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// The first visit loads the data and scores the year; the next
		// ones are what visitors get until the next capture.
		first := page("/?period=2026")
		overview := page("/?period=2026")
		ranking := page("/rankings?kind=commune&period=2026")
		t0 := time.Now()
		if _, err := svc.Days(ctx, p, pr.Code); err != nil {
			b.Fatal(err)
		}
		replay := time.Since(t0)
		unit := page("/units/H80.100?period=2026")
		week := page("/reports/week/" + weekOf(last))
		fmt.Printf("running year of %d daily captures, 150 units: overview %v (first visit %v), communes' ranking %v, "+
			"unit page with its chart %v (after the replay, %v, done off the request), week report %v; floor: one moment read %v; goal overview < 50 ms: %v\n",
			days, overview.Round(time.Millisecond), first.Round(time.Millisecond), ranking.Round(time.Millisecond),
			unit.Round(time.Millisecond), replay.Round(time.Millisecond), week.Round(time.Millisecond), floor.Round(time.Millisecond),
			overview < 50*time.Millisecond)
		b.ReportMetric(float64(overview.Microseconds())/1000, "ms-overview")
		b.ReportMetric(float64(ranking.Microseconds())/1000, "ms-ranking")
		b.ReportMetric(float64(week.Microseconds())/1000, "ms-week")
	}
}
