package portal_test

import (
	"context"
	"fmt"
	"os"
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

// benchProvince is a province of 150 units: 25 agencies and 124
// communes, and the province itself.
func benchProvince(b *testing.B) (*portaltest.Province, *scoring.Schemes) {
	b.Helper()
	s, err := data.DefaultSchemes()
	if err != nil {
		b.Fatal(err)
	}
	return portaltest.NewProvince("H80", 25, 124, s), s
}

// captureOf assembles, in memory, the capture of p on day made at asOf.
func captureOf(b *testing.B, rd *portal.Reader, pr *portaltest.Province, p scoring.Period, day int, asOf time.Time) *portal.Capture {
	b.Helper()
	files := pr.Files(p, day, 0)
	m := pr.Manifest(p, asOf, files)
	c, err := rd.Assemble(pr.Code, files, &m, scoring.Period{}, time.Time{})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkPortalImportCapture imports one capture of a 150-unit province
// (six endpoints, every page) into SQLite: goal under 1 s. The floor is
// reading and checking the same files without writing them.
func BenchmarkPortalImportCapture(b *testing.B) {
	ctx := context.Background()
	pr, schemes := benchProvince(b)
	p := scoring.MustPeriod("2026")
	st, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: filepath.Join(b.TempDir(), "b.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	im := portal.NewImporter(st, schemes)
	start := time.Date(2026, 1, 1, 6, 0, 0, 0, scoring.Location)
	// Files of 30 days, made once: the loop measures reading and writing.
	var days [30][]portal.File
	size := 0
	for d := range days {
		days[d] = pr.Files(p, d, 0)
	}
	for _, f := range days[0] {
		size += len(f.Data)
	}
	assemble := func(i int) *portal.Capture {
		files := days[i%len(days)]
		m := pr.Manifest(p, start.Add(time.Duration(i)*time.Hour), files)
		c, err := im.Reader.Assemble(pr.Code, files, &m, scoring.Period{}, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	t0 := time.Now()
	for i := 0; i < 20; i++ {
		assemble(i)
	}
	floor := time.Since(t0) / 20
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := im.Import(ctx, assemble(i), models.SourceCLI)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Units != 150 {
			b.Fatalf("%d units", rep.Units)
		}
	}
	b.StopTimer()
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per.Milliseconds()), "ms/capture")
	b.ReportMetric(float64(floor.Milliseconds()), "ms-read-only")
	fmt.Printf("import of one capture of 150 units (%d KB of JSON): %v per capture; floor (read and check only) %v; goal < 1 s: %v\n",
		size>>10, per.Round(time.Millisecond), floor.Round(time.Millisecond), per < time.Second)
}

// BenchmarkPortalYear imports 365 daily captures of a 150-unit province's
// running year, then replays them day by day with movers. It prints the
// time, the database's size and what it holds. Run it alone:
//
//	go test ./portal -run '^$' -bench PortalYear -benchtime 1x
func BenchmarkPortalYear(b *testing.B) {
	ctx := context.Background()
	pr, schemes := benchProvince(b)
	p := scoring.MustPeriod("2026")
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		path := filepath.Join(dir, "year.db")
		st, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: path})
		if err != nil {
			b.Fatal(err)
		}
		im := portal.NewImporter(st, schemes)
		start := time.Date(2026, 1, 1, 6, 0, 0, 0, scoring.Location)
		var raw int64
		var importTime time.Duration
		for d := 0; d < 365; d++ {
			c := captureOf(b, im.Reader, pr, p, d, start.AddDate(0, 0, d))
			for _, f := range c.Files {
				raw += int64(len(f.Data))
			}
			t0 := time.Now()
			if _, err := im.Import(ctx, c, models.SourceCLI); err != nil {
				b.Fatal(err)
			}
			importTime += time.Since(t0)
		}
		svc := scorecache.New(st, schemes)
		// The overview's movers: two moments read by index. The floor is
		// reading one moment's figures, without scoring them.
		last := start.AddDate(0, 0, 364)
		t0 := time.Now()
		if _, err := st.PortalStateAt(ctx, p.String(), last); err != nil {
			b.Fatal(err)
		}
		floor := time.Since(t0)
		t0 = time.Now()
		now, err := svc.DayAt(ctx, p, pr.Code, last)
		if err != nil {
			b.Fatal(err)
		}
		then, err := svc.DayAt(ctx, p, pr.Code, last.AddDate(0, 0, -1))
		if err != nil {
			b.Fatal(err)
		}
		movers := scorecache.Movers(then, now)
		moversTime := time.Since(t0)
		// The unit pages' day-by-day series with ranks: the whole replay,
		// then served from the cache until the next import.
		t0 = time.Now()
		days, err := svc.Days(ctx, p, pr.Code)
		if err != nil {
			b.Fatal(err)
		}
		replay := time.Since(t0)
		t0 = time.Now()
		if _, err := svc.Days(ctx, p, pr.Code); err != nil {
			b.Fatal(err)
		}
		cached := time.Since(t0)
		fp, err := st.PortalFootprint(ctx)
		if err != nil {
			b.Fatal(err)
		}
		_ = st.Close() // checkpoints the WAL into the file
		size := fileSize(path) + fileSize(path+"-wal")
		fmt.Printf("365 daily captures of 150 units: import %v in all (%v each); %d MB of JSON → database %.1f MB "+
			"(raw files %.1f MB compressed; %d snapshot rows, %.1f MB of states, of %d unit-groups captured)\n",
			importTime.Round(time.Millisecond), (importTime / 365).Round(time.Millisecond), raw>>20, float64(size)/(1<<20),
			float64(fp.FileBytes)/(1<<20), fp.Snapshots, float64(fp.StateBytes)/(1<<20), 365*150*6)
		fmt.Printf("overview movers from two moments %v (%d units; floor: reading one moment %v); "+
			"day-by-day replay with ranks (%d days) %v, then %v from the cache\n",
			moversTime.Round(time.Millisecond), len(movers), floor.Round(time.Millisecond), len(days.Days),
			replay.Round(time.Millisecond), cached.Round(time.Microsecond))
		b.ReportMetric(importTime.Seconds(), "s-import")
		b.ReportMetric(float64(size)/(1<<20), "MB-db")
		b.ReportMetric(float64(moversTime.Milliseconds()), "ms-movers")
		b.ReportMetric(float64(replay.Milliseconds()), "ms-replay")
	}
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}
