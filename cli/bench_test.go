package cli

import (
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"scorecard/config"
	"scorecard/handlers"
	"scorecard/importer"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// BenchmarkPages measures the three main pages with the demo data on a real
// SQLite file, as `go run .` serves them (the goal: under 50 ms each).
// "warm" is the usual case (the period's scores are cached until the next
// import); "cold" rebuilds the scores service each time, so it includes
// loading every count from SQLite and scoring the period and its history.
//
//	go test ./cli -run '^$' -bench Pages -benchtime 50x
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	cfg := testConfig(filepath.Join(b.TempDir(), "bench.db"))
	st, schemes, err := open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := loadDemo(ctx, importer.New(st, schemes)); err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"/", "/rankings?kind=commune", "/units/BK.SGDDT", "/api/v1/rankings?kind=commune"} {
		for _, mode := range []string{"warm", "cold"} {
			b.Run(mode+" "+path, func(b *testing.B) {
				svc := scorecache.New(st, schemes)
				app, err := handlers.New(handlers.Deps{Scores: svc})
				if err != nil {
					b.Fatal(err)
				}
				get := func() {
					resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := io.Copy(io.Discard, resp.Body); err != nil {
						b.Fatal(err)
					}
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("%s: %d", path, resp.StatusCode)
					}
				}
				if mode == "warm" {
					get() // the first view after start or import fills the cache
					b.ResetTimer()
				}
				for i := 0; i < b.N; i++ {
					if mode == "cold" {
						b.StopTimer()
						svc = scorecache.New(st, schemes)
						app, err = handlers.New(handlers.Deps{Scores: svc})
						if err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					get()
				}
			})
		}
	}
}

// openBench opens the database of driver and dsn with the embedded schemes,
// as the commands do (open), and closes it when the benchmark ends.
func openBench(b *testing.B, ctx context.Context, driver, dsn string) (*store.Store, *scoring.Schemes) {
	b.Helper()
	cfg := testConfig(dsn)
	cfg.DBDriver = driver
	st, schemes, err := open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st, schemes
}

func testConfig(db string) config.Config {
	return config.Config{DBDriver: "sqlite", DBPath: db, Addr: "127.0.0.1:0"}
}
