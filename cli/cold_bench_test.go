package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scorecard/data/demo/country"
	"scorecard/handlers"
	"scorecard/importer"
	"scorecard/internal/pgtest"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// BenchmarkColdPages measures the first view of a page after an import
// moved the data version (the goal: under 50 ms), on the demo and on one
// province of 150 units over 24 months (the national generator's Hà Nội
// with 134 communes), on SQLite and on PostgreSQL (SCORECARD_TEST_POSTGRES):
//
//   - "warmed": the import, then Warm as the server's watcher runs it after
//     every change (its time printed too), then the first view;
//
//   - "import": the first view right after the import, before any warming;
//
//   - "new process": the first view of a second scores service on the same
//     database, as another server or a restart sees it;
//
//   - "warm": the next view of the same page (the floor).
//
//     go test ./cli -run '^$' -bench ColdPages -benchtime 1x
func BenchmarkColdPages(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	sum, err := country.Write(dir, country.Options{Months: 24, Agencies: 15, Communes: 134})
	if err != nil {
		b.Fatal(err)
	}
	province := provinceFiles(b, sum.Files, "HN", filepath.Join(dir, "hn"))
	drivers := []string{store.DriverSQLite}
	if os.Getenv("SCORECARD_TEST_POSTGRES") != "" {
		drivers = append(drivers, store.DriverPostgres)
	}
	for _, driver := range drivers {
		for _, set := range []string{"demo", "province"} {
			b.Run(driver+"/"+set, func(b *testing.B) {
				dsn := filepath.Join(b.TempDir(), "cold.db")
				if driver == store.DriverPostgres {
					dsn = pgtest.Database(b)
				}
				st, schemes := openBench(b, ctx, driver, dsn)
				imp := importer.New(st, schemes)
				unit := "/units/HN.X001"
				if set == "demo" {
					unit = "/units/BK.SGDDT"
					if err := loadDemo(ctx, imp); err != nil {
						b.Fatal(err)
					}
				} else {
					for _, path := range province {
						if _, err := imp.ImportFile(ctx, path, models.SourceCLI); err != nil {
							b.Fatalf("%s: %v", path, err)
						}
					}
				}
				for i := 0; i < b.N; i++ {
					coldRound(b, ctx, st, imp, schemes, set, []string{"/", unit, "/rankings?kind=commune"})
				}
			})
		}
	}
}

func coldRound(b *testing.B, ctx context.Context, st *store.Store, imp *importer.Importer, schemes *scoring.Schemes, set string, paths []string) {
	svc := scorecache.New(st, schemes)
	e, err := svc.Engine(ctx)
	if err != nil {
		b.Fatal(err)
	}
	latest := scorecache.DefaultPeriod(e.Periods(), time.Now())
	var units int
	if ps, err := svc.Period(ctx, latest); err == nil {
		units = len(ps.Units)
	}
	start := time.Now()
	if err := svc.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	svc.Wait()
	fmt.Printf("%-8s %-8s %d units, %d periods; warm at start %.0f ms\n", st.Driver(), set, units, len(e.Periods()), ms(time.Since(start)))
	app, err := handlers.New(handlers.Deps{Scores: svc})
	if err != nil {
		b.Fatal(err)
	}
	// An import of one count of the latest month: it moves the data
	// version, and the scores of that month, its quarter, half-year and
	// year.
	n := 0
	touch := func() {
		n++
		file := fmt.Sprintf("period,unit_code,metric,numerator,denominator\n%s,%s,ON_TIME_PROCESSING,%d,100\n", latest, touchUnit(e, latest), 50+n%40)
		// As a correction: the demo's months are published.
		cctx := store.WithCorrection(ctx, store.Correction{Reason: "số liệu gửi lại sau khi rà soát", By: store.Actor{Name: "bench"}})
		if _, err := imp.Import(cctx, "touch.csv", strings.NewReader(file), models.SourceCLI, false); err != nil {
			b.Fatal(err)
		}
	}
	for _, path := range paths {
		getPage(b, app, path)
		touch()
		start := time.Now()
		if err := svc.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		warming := time.Since(start)
		svc.Wait()
		start = time.Now()
		getPage(b, app, path)
		warmed := time.Since(start)

		touch()
		start = time.Now()
		getPage(b, app, path)
		imported := time.Since(start)

		if err := svc.Warm(ctx); err != nil { // keeps the touched month for the next process
			b.Fatal(err)
		}
		svc.Wait()
		other := scorecache.New(st, schemes)
		oapp, err := handlers.New(handlers.Deps{Scores: other})
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		getPage(b, oapp, path)
		fresh := time.Since(start)

		start = time.Now()
		getPage(b, app, path)
		warm := time.Since(start)
		fmt.Printf("%-8s %-8s %-24s warmed %6.1f ms (Warm %6.1f ms)   import %7.1f ms   new process %7.1f ms   warm %5.1f ms   (goal < 50 ms)\n",
			st.Driver(), set, path, ms(warmed), ms(warming), ms(imported), ms(fresh), ms(warm))
	}
}

// touchUnit is a unit with counts of its own in p: the first agency.
func touchUnit(e *scoring.Engine, p scoring.Period) string {
	for _, u := range e.Units() {
		if u.Kind == scoring.KindAgency && u.ExistsIn(p) {
			return u.Code
		}
	}
	return ""
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// provinceFiles copies the rows of one province (its code and the codes
// under it) out of the national files into dir, in the same order.
func provinceFiles(b *testing.B, files []string, code, dir string) []string {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, path := range files {
		in, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		sc := bufio.NewScanner(bytes.NewReader(in))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		first := true
		for sc.Scan() {
			line := sc.Text()
			if first || strings.Contains(line, ","+code+",") || strings.Contains(line, ","+code+".") || strings.HasPrefix(line, code+",") || strings.HasPrefix(line, code+".") {
				buf.WriteString(line)
				buf.WriteByte('\n')
			}
			first = false
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(dir, filepath.Base(path))
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			b.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}
