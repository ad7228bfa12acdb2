package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"scorecard/data/demo/country"
	"scorecard/handlers"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/store"
)

// BenchmarkCountryCold repeats the first view of each national page in a
// new scores service (as BenchmarkCountry's "cold" lines) over a national
// database kept between runs, and prints each page's median wall clock and
// CPU time: for working on the cold views without importing the country on
// every run. COUNTRY_COLD_DB names the database (a SQLite file, made with
// the national data set when missing, or a PostgreSQL URL: that database is
// filled when it holds no units); COUNTRY_COLD_N the views per page (10);
// COUNTRY_COLD_PROFILE a folder for a CPU profile of each page's views.
// Skipped without COUNTRY_COLD_DB.
//
//	COUNTRY_COLD_DB=/tmp/country.db go test ./cli -run '^$' -bench CountryCold -benchtime 1x
func BenchmarkCountryCold(b *testing.B) {
	dsn := os.Getenv("COUNTRY_COLD_DB")
	if dsn == "" {
		b.Skip("COUNTRY_COLD_DB not set")
	}
	ctx := context.Background()
	cfg := store.Config{Driver: store.DriverSQLite, DSN: dsn}
	if strings.HasPrefix(dsn, "postgres://") {
		cfg.Driver = store.DriverPostgres
	}
	_, statErr := os.Stat(dsn)
	st, schemes := openBench(b, ctx, cfg.Driver, cfg.DSN)
	units, err := st.Units(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if len(units) == 0 || (cfg.Driver == store.DriverSQLite && statErr != nil) {
		dir := b.TempDir()
		sum, err := country.Write(dir, country.Options{Months: 24, Communes: 100})
		if err != nil {
			b.Fatal(err)
		}
		imp := importer.New(st, schemes)
		for _, path := range sum.Files {
			if _, err := imp.ImportFile(ctx, path, models.SourceCLI); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := st.Publish(ctx, sum.Last.String(), cliActor, snapshotFunc(scorecache.New(st, schemes))); err != nil {
			b.Fatal(err)
		}
		svc := scorecache.New(st, schemes)
		if err := svc.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		svc.Wait()
	}
	n := envInt("COUNTRY_COLD_N", 10)
	profDir := os.Getenv("COUNTRY_COLD_PROFILE")
	paths := append([]string{"/", "/provinces/HN", "/units/HN.X001", "/rankings?kind=commune&province=HN"}, nationalPages...)
	if only := os.Getenv("COUNTRY_COLD_PAGES"); only != "" {
		paths = strings.Split(only, " ")
	}
	for i, path := range paths {
		if profDir != "" {
			f, err := os.Create(filepath.Join(profDir, fmt.Sprintf("%s-%02d.pprof", cfg.Driver, i)))
			if err != nil {
				b.Fatal(err)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				b.Fatal(err)
			}
		}
		var walls, cpus []time.Duration
		var alloc uint64
		for range n {
			app, err := handlers.New(handlers.Deps{Scores: scorecache.New(st, schemes)})
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start, cpu := time.Now(), cpuTime(b)
			getPage(b, app, path)
			walls, cpus = append(walls, time.Since(start)), append(cpus, cpuTime(b)-cpu)
			runtime.ReadMemStats(&after)
			alloc += after.TotalAlloc - before.TotalAlloc
		}
		if profDir != "" {
			pprof.StopCPUProfile()
			f, err := os.Create(filepath.Join(profDir, fmt.Sprintf("%s-%02d.allocs", cfg.Driver, i)))
			if err != nil {
				b.Fatal(err)
			}
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
		slices.Sort(walls)
		slices.Sort(cpus)
		fmt.Printf("%-8s %02d %-44s cold (new service) median %6.1f ms (CPU %5.1f)   min %6.1f ms (CPU %5.1f)   %5.1f MB allocated\n",
			cfg.Driver, i, path, ms(walls[n/2]), ms(cpus[n/2]), ms(walls[0]), ms(cpus[0]), float64(alloc)/float64(n)/1e6)
	}
}
