package store

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"scorecard/scoring"
)

// BenchmarkDatasetDrivers loads every count (Dataset) and one month's
// counts (PeriodCounts) of the same 200 000 counts (200 units × 25 metrics
// × 40 months) and as many derived from dossiers from SQLite and from PostgreSQL (SCORECARD_TEST_POSTGRES),
// alternately, and prints the medians and PostgreSQL's time over SQLite's.
//
//	SCORECARD_TEST_POSTGRES=postgres://… go test ./store -run '^$' -bench DatasetDrivers -benchtime 1x
func BenchmarkDatasetDrivers(b *testing.B) {
	ctx := context.Background()
	stores := []*Store{openSQLite(b), openPostgres(b)}
	const months = 40
	for _, s := range stores {
		units := []UnitRow{{Code: "P", Name: "Tỉnh", Kind: "province"}}
		for i := 0; i < 199; i++ {
			units = append(units, UnitRow{Code: fmt.Sprintf("P.%03d", i), Name: "Sở", Kind: "agency", ParentCode: "P"})
		}
		mustImportUnits(b, s, units, false)
		for m := 0; m < months; m++ {
			period := fmt.Sprintf("%d-%02d", 2022+m/12, m%12+1)
			var rows []CountRow
			for _, u := range units {
				for k := 0; k < 25; k++ {
					rows = append(rows, CountRow{Period: period, UnitCode: u.Code, Metric: fmt.Sprintf("METRIC_%02d", k),
						Numerator: i64(int64(k * m)), Denominator: i64(int64(1000 + m))})
				}
			}
			mustImportCounts(b, s, rows, false)
		}
		// As many counts derived from dossiers, read with them.
		if err := s.w.Exec(`INSERT INTO derived_counts (unit_code, period, metric, numerator, denominator)
			SELECT unit_code, period, metric, numerator, denominator FROM metric_counts`).Error; err != nil {
			b.Fatal(err)
		}
	}
	month := scoring.Period{Kind: scoring.Month, Year: 2024, N: 6}
	load := make([][]time.Duration, len(stores))
	one := make([][]time.Duration, len(stores))
	b.ResetTimer()
	for i := 0; i < 5*b.N; i++ {
		for j, s := range stores {
			start := time.Now()
			ds, err := s.Dataset(ctx)
			if err != nil || len(ds.Own) != 200*25*months || len(ds.Dossier) != 200*25*months {
				b.Fatalf("%s: %d counts, %v", s.driver, len(ds.Own), err)
			}
			load[j] = append(load[j], time.Since(start))
			start = time.Now()
			pc, _, err := s.PeriodCounts(ctx, month)
			if err != nil || len(pc.Own) != 200*25 || len(pc.Dossier) != 200*25 {
				b.Fatalf("%s: %d counts of a month, %v", s.driver, len(pc.Own), err)
			}
			one[j] = append(one[j], time.Since(start))
		}
	}
	b.StopTimer()
	med := func(d []time.Duration) time.Duration {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[len(d)/2]
	}
	l0, l1, o0, o1 := med(load[0]), med(load[1]), med(one[0]), med(one[1])
	fmt.Printf("every count (%d and as many derived): sqlite %.0f ms, postgres %.0f ms (%.2f×); a month's (%d and as many): sqlite %.1f ms, postgres %.1f ms (%.2f×)\n",
		200*25*months, ms(l0), ms(l1), float64(l1)/float64(l0), 200*25, ms(o0), ms(o1), float64(o1)/float64(o0))
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
