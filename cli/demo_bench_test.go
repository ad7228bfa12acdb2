package cli

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/importer"
	"scorecard/store"
)

// cpuTime is the process's user and system time so far: on a shared
// machine it moves less with the load than the wall clock does.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDemoLoad measures the first start's demo load on SQLite: the
// floor is the monthly data set (its files, boundaries and
// publications); on top of it, the running year day by day. It prints
// both, wall clock and CPU, and the database's size.
func BenchmarkDemoLoad(b *testing.B) {
	ctx := context.Background()
	schemes, err := data.DefaultSchemes()
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		path := filepath.Join(b.TempDir(), "demo.db")
		st, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: path})
		if err != nil {
			b.Fatal(err)
		}
		imp := importer.New(st, schemes)
		w0, c0 := time.Now(), cpuTime(b)
		if err := loadDemoMonths(ctx, imp); err != nil {
			b.Fatal(err)
		}
		w1, c1 := time.Now(), cpuTime(b)
		if err := loadDemoRunningYear(ctx, imp); err != nil {
			b.Fatal(err)
		}
		w2, c2 := time.Now(), cpuTime(b)
		fp, err := st.PortalFootprint(ctx)
		if err != nil {
			b.Fatal(err)
		}
		_ = st.Close()
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		size := fi.Size()
		b.Logf("demo load: months %v wall, %v CPU; running year +%v wall, +%v CPU (%d captures, %d snapshots, %d KB of states); database %d KB",
			w1.Sub(w0).Round(time.Millisecond), (c1 - c0).Round(time.Millisecond), w2.Sub(w1).Round(time.Millisecond),
			(c2 - c1).Round(time.Millisecond), fp.Captures, fp.Snapshots, fp.StateBytes>>10, size>>10)
	}
}
