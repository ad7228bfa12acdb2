package cli

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"scorecard/data/demo/country"
	"scorecard/handlers"
	"scorecard/importer"
	"scorecard/internal/pgtest"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/store"
)

// BenchmarkCountry measures the product on the national data set (34
// provinces × (15 agencies + 100 communes) × 24 months by default;
// COUNTRY_MONTHS, COUNTRY_COMMUNES to change it), on SQLite and on
// PostgreSQL (SCORECARD_TEST_POSTGRES): the import, the database's size,
// loading every count (store.Dataset), the units and periods the scores
// service starts from, reading and rescoring the whole country for one
// month, scoring and keeping the latest twelve months (the server's Warm),
// and the national overview, a province's overview, a unit page and a
// ranking: cold (a new scores service, as another server or a restart:
// the kept months read back), right after an import of one count and the
// warming that follows it, and warm; a first view's wall clock and the
// process's CPU time (on a shared machine it moves less with the load).
// One database only: -bench 'Country/sqlite' (or /postgres).
//
//	SCORECARD_TEST_POSTGRES=postgres://… go test ./cli -run '^$' -bench Country -benchtime 1x -timeout 90m
func BenchmarkCountry(b *testing.B) {
	ctx := context.Background()
	opts := country.Options{Months: envInt("COUNTRY_MONTHS", 24), Communes: envInt("COUNTRY_COMMUNES", 100)}
	dir := b.TempDir()
	sum, err := country.Write(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("national data set: %d provinces, %d units, %d rows of counts, %s to %s\n",
		sum.Provinces, sum.Units, sum.CountRows, sum.First, sum.Last)
	for _, driver := range []string{store.DriverSQLite, store.DriverPostgres} {
		b.Run(driver, func(b *testing.B) {
			cfg := store.Config{Driver: driver, DSN: filepath.Join(b.TempDir(), "country.db")}
			if driver == store.DriverPostgres {
				cfg.DSN = pgtest.Database(b)
			}
			for i := 0; i < b.N; i++ {
				countryRound(b, ctx, cfg, sum)
			}
		})
	}
}

func countryRound(b *testing.B, ctx context.Context, cfg store.Config, sum country.Summary) {
	st, err := store.Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	schemes, err := loadSchemes("")
	if err != nil {
		b.Fatal(err)
	}
	imp := importer.New(st, schemes)
	start := time.Now()
	for _, path := range sum.Files {
		if _, err := imp.ImportFile(ctx, path, models.SourceCLI); err != nil {
			b.Fatalf("%s: %v", path, err)
		}
	}
	importTime := time.Since(start)
	size := databaseSize(b, ctx, cfg)

	// Publish the last month, so the public pages show it.
	last := sum.Last.String()
	if _, err := st.Publish(ctx, last, cliActor, snapshotFunc(scorecache.New(st, schemes))); err != nil {
		b.Fatal(err)
	}
	start = time.Now()
	ds, err := st.Dataset(ctx)
	if err != nil {
		b.Fatal(err)
	}
	loadTime := time.Since(start)
	if len(ds.Own) != sum.CountRows {
		b.Fatalf("loaded %d counts of %d", len(ds.Own), sum.CountRows)
	}
	ds = nil
	svc := scorecache.New(st, schemes)
	start = time.Now()
	eng, err := svc.Engine(ctx)
	if err != nil {
		b.Fatal(err)
	}
	frameTime := time.Since(start)
	var scoreTimes []time.Duration
	for range 3 {
		// The engine of the scores service reads the month's counts and
		// scores them.
		start = time.Now()
		ps := eng.Score(sum.Last)
		scoreTimes = append(scoreTimes, time.Since(start))
		if len(ps.Units) != sum.Units {
			b.Fatalf("scored %d units of %d", len(ps.Units), sum.Units)
		}
	}
	score := median(scoreTimes)
	// What the server does at start and after every change: the latest
	// twelve months scored and kept in the database.
	start = time.Now()
	if err := svc.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	svc.Wait()
	warmTime := time.Since(start)

	fmt.Printf("%-8s import %d files: %.1f s (%.0f rows/s); database %.1f MB; load every count %.2f s; units and periods %.3f s; read and rescore the country for %s: %.3f s (goal < 2 s); score and keep the latest 12 months %.1f s\n",
		cfg.Driver, len(sum.Files), importTime.Seconds(), float64(sum.CountRows)/importTime.Seconds(), float64(size)/1e6,
		loadTime.Seconds(), frameTime.Seconds(), sum.Last, score.Seconds(), warmTime.Seconds())
	app, err := handlers.New(handlers.Deps{Scores: svc})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, path := range []string{"/", "/provinces/HN", "/units/HN.X001", "/rankings?kind=commune&province=HN"} {
		// Cold: a new scores service, as another server on the database
		// or a restart: the kept months are read back.
		other := scorecache.New(st, schemes)
		oapp, err := handlers.New(handlers.Deps{Scores: other})
		if err != nil {
			b.Fatal(err)
		}
		// A new process does not inherit this one's garbage (the import
		// before): collected first, so that the CPU measured is the page's.
		runtime.GC()
		start, cpu := time.Now(), cpuTime(b)
		size := getPage(b, oapp, path)
		cold, coldCPU := time.Since(start), cpuTime(b)-cpu
		// After an import of one count of the last month, and the
		// warming the server runs then: the first view.
		n++
		file := fmt.Sprintf("period,unit_code,metric,numerator,denominator\n%s,HN.X001,ON_TIME_PROCESSING,%d,100\n", sum.Last, 50+n)
		cctx := store.WithCorrection(ctx, store.Correction{Reason: "số liệu gửi lại sau khi rà soát", By: store.Actor{Name: "bench"}})
		if _, err := imp.Import(cctx, "touch.csv", strings.NewReader(file), models.SourceCLI, false); err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if err := svc.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		warming := time.Since(start)
		svc.Wait()
		start, cpu = time.Now(), cpuTime(b)
		getPage(b, app, path)
		imported, importedCPU := time.Since(start), cpuTime(b)-cpu
		var warm []time.Duration
		for range 5 {
			start := time.Now()
			getPage(b, app, path)
			warm = append(warm, time.Since(start))
		}
		fmt.Printf("%-8s %-36s cold (new process) %8.1f ms (CPU %5.1f)   after an import %6.1f ms (CPU %5.1f; warming %6.0f ms)   warm %6.1f ms   %s bytes\n", cfg.Driver, path,
			ms(cold), ms(coldCPU), ms(imported), ms(importedCPU), ms(warming), ms(median(warm)), strconv.Itoa(size))
	}
	benchNationalPages(b, st, schemes, cfg.Driver)
}

func getPage(b testing.TB, app *fiber.App, path string) int {
	b.Helper()
	resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != 200 {
		b.Fatalf("%s: %d", path, resp.StatusCode)
	}
	return int(n)
}

func databaseSize(b *testing.B, ctx context.Context, cfg store.Config) int64 {
	if cfg.Driver == store.DriverSQLite {
		var total int64
		for _, suffix := range []string{"", "-wal"} {
			if fi, err := os.Stat(cfg.DSN + suffix); err == nil {
				total += fi.Size()
			}
		}
		return total
	}
	db, err := gorm.Open(postgres.Open(cfg.DSN), &gorm.Config{})
	if err != nil {
		b.Fatal(err)
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	var size int64
	if err := db.WithContext(ctx).Raw("SELECT pg_database_size(current_database())").Scan(&size).Error; err != nil {
		b.Fatal(err)
	}
	return size
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
