package cli

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
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
// loading every count, rescoring the whole country for one month, and the
// national overview, a province's overview and a unit page, cold (a new
// scores service: every count loaded and the period scored) and warm.
//
//	SCORECARD_TEST_POSTGRES=postgres://… go test ./cli -run '^$' -bench Country -benchtime 1x -timeout 60m
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
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		_, err = imp.Import(ctx, filepath.Base(path), f, models.SourceCLI, false)
		f.Close()
		if err != nil {
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
	svc := scorecache.New(st, schemes)
	start = time.Now()
	eng, err := svc.Engine(ctx)
	if err != nil {
		b.Fatal(err)
	}
	loadTime := time.Since(start)
	var scoreTimes []time.Duration
	for range 3 {
		start = time.Now()
		ps := eng.Score(sum.Last)
		scoreTimes = append(scoreTimes, time.Since(start))
		if len(ps.Units) != sum.Units {
			b.Fatalf("scored %d units of %d", len(ps.Units), sum.Units)
		}
	}
	score := median(scoreTimes)

	fmt.Printf("%-8s import %d files: %.1f s (%.0f rows/s); database %.1f MB; load every count %.2f s; rescore the country for %s: %.3f s (goal < 2 s)\n",
		cfg.Driver, len(sum.Files), importTime.Seconds(), float64(sum.CountRows)/importTime.Seconds(), float64(size)/1e6,
		loadTime.Seconds(), sum.Last, score.Seconds())
	for _, path := range []string{"/", "/provinces/HN", "/units/HN.X001", "/rankings?kind=commune&province=HN"} {
		// Cold: a new scores service, as after a start or an import.
		svc := scorecache.New(st, schemes)
		app, err := handlers.New(handlers.Deps{Scores: svc})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		n := getPage(b, app, path)
		cold := time.Since(start)
		var warm []time.Duration
		for range 5 {
			start := time.Now()
			getPage(b, app, path)
			warm = append(warm, time.Since(start))
		}
		fmt.Printf("%-8s %-36s cold %8.1f ms   warm %6.1f ms   %s bytes\n", cfg.Driver, path,
			float64(cold.Microseconds())/1000, float64(median(warm).Microseconds())/1000, strconv.Itoa(n))
	}
}

func getPage(b *testing.B, app *fiber.App, path string) int {
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
