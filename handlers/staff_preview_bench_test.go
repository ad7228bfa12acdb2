package handlers

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"scorecard/data/demo/country"
	"scorecard/handlers/site"
	"scorecard/importer"
	"scorecard/internal/pgtest"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/store"
)

// BenchmarkCountryPreview measures the web import's preview of a counts
// file on the national data set (34 provinces × (15 agencies + 100
// communes) × 24 months by default; COUNTRY_MONTHS and COUNTRY_COMMUNES to
// change it), on SQLite and on PostgreSQL (SCORECARD_TEST_POSTGRES): a
// province's file of the latest month and the whole country's, each with
// one count changed, from the file on disk to the list of totals that
// change (the median of three previews). Beside it, as the floor of what the preview once did twice, the
// time to load every count (store.Dataset) in the same run.
//
//	SCORECARD_TEST_POSTGRES=postgres://… go test ./handlers -run '^$' -bench CountryPreview -benchtime 1x -timeout 30m
func BenchmarkCountryPreview(b *testing.B) {
	if testing.Short() {
		b.Skip("the national data set takes minutes to import")
	}
	ctx := context.Background()
	opts := country.Options{Months: benchEnvInt("COUNTRY_MONTHS", 24), Communes: benchEnvInt("COUNTRY_COMMUNES", 100)}
	dir := b.TempDir()
	sum, err := country.Write(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("national data set: %d provinces, %d units, %d rows of counts, %s to %s\n",
		sum.Provinces, sum.Units, sum.CountRows, sum.First, sum.Last)
	last := sum.Files[len(sum.Files)-1]
	files := map[string]string{
		"province": previewFile(b, last, filepath.Join(dir, "preview-hn.csv"), "HN"),
		"country":  previewFile(b, last, filepath.Join(dir, "preview-all.csv"), ""),
	}
	for _, driver := range []string{store.DriverSQLite, store.DriverPostgres} {
		b.Run(driver, func(b *testing.B) {
			cfg := store.Config{Driver: driver, DSN: filepath.Join(b.TempDir(), "country.db")}
			if driver == store.DriverPostgres {
				cfg.DSN = pgtest.Database(b)
			}
			st, err := store.Open(ctx, cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			schemes := pageSchemes(b)
			imp := importer.New(st, schemes)
			for _, path := range sum.Files {
				if _, err := imp.ImportFile(ctx, path, models.SourceCLI); err != nil {
					b.Fatalf("%s: %v", path, err)
				}
			}
			start := time.Now()
			ds, err := st.Dataset(ctx)
			if err != nil {
				b.Fatal(err)
			}
			load := time.Since(start)
			if len(ds.Own) != sum.CountRows {
				b.Fatalf("loaded %d counts of %d", len(ds.Own), sum.CountRows)
			}
			ds = nil
			svc := scorecache.New(st, schemes)
			h := &handler{Site: &site.Site{Scores: scorecache.NewDrafts(svc, st)}, st: st}
			// The service has its units and periods, as a running
			// server has.
			if _, err := svc.Engine(ctx); err != nil {
				b.Fatal(err)
			}
			for _, what := range []string{"province", "country"} {
				var times, cpus []time.Duration
				var allocs []uint64
				var pv *importPreview
				for i := 0; i < 3*b.N; i++ {
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					start, cpu, alloc := time.Now(), cpuTime(b), ms.TotalAlloc
					pv, err = h.previewImport(ctx, &staged{name: "preview.csv", path: files[what]})
					if err != nil {
						b.Fatal(err)
					}
					times, cpus = append(times, time.Since(start)), append(cpus, cpuTime(b)-cpu)
					runtime.ReadMemStats(&ms)
					allocs = append(allocs, ms.TotalAlloc-alloc)
				}
				sort.Slice(allocs, func(i, j int) bool { return allocs[i] < allocs[j] })
				if pv.Problems != nil || pv.Report == nil {
					b.Fatalf("the preview refused the file: %v", pv.Problems)
				}
				if pv.Changed == 0 {
					b.Fatal("the preview found no change; the file changes one count")
				}
				fmt.Printf("%-8s preview of the %-8s file of %s (%d rows): %.2f s (this process's CPU %.2f s, %.0f MB allocated), %d totals change; loading every count once: %.2f s\n",
					driver, what, sum.Last, pv.Report.Rows, median(times).Seconds(), median(cpus).Seconds(), float64(allocs[len(allocs)/2])/1e6, pv.Changed, load.Seconds())
			}
		})
	}
}

// previewFile writes to out the rows of the counts file in whose unit is
// of province (its code or a code starting with it and a dot; every row
// when province is ""), with its first count's numerator lowered by one so
// that the file changes a total.
func previewFile(b *testing.B, in, out, province string) string {
	b.Helper()
	f, err := os.Open(in)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var w strings.Builder
	sc := bufio.NewScanner(f)
	header := true
	changed := false
	for sc.Scan() {
		line := sc.Text()
		if header {
			if !strings.HasPrefix(line, "period,unit_code,metric,numerator,denominator") {
				b.Fatalf("%s: unexpected header %q", in, line)
			}
			w.WriteString(line + "\n")
			header = false
			continue
		}
		cols := strings.Split(line, ",")
		if province != "" && cols[1] != province && !strings.HasPrefix(cols[1], province+".") {
			continue
		}
		if !changed && cols[3] != "" {
			if n, err := strconv.Atoi(cols[3]); err == nil && n > 0 {
				cols[3] = strconv.Itoa(n - 1)
				line = strings.Join(cols, ",")
				changed = true
			}
		}
		w.WriteString(line + "\n")
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	if !changed {
		b.Fatalf("%s: no count of %q to change", in, province)
	}
	if err := os.WriteFile(out, []byte(w.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return out
}

// cpuTime is the user and system time this process has spent (a
// PostgreSQL server's is its own): on a machine shared with other work
// it says what the wall time cannot.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func benchEnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
