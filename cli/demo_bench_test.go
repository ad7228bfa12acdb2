package cli

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/data/demo/running"
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

// BenchmarkDemoLoad measures the first start's demo load on SQLite, in a
// new database: the floor is the monthly data set (its files, boundaries
// and publications), then the running year drawn and stored on top of it,
// as loadDemo does. Wall clock and CPU (the process's: on a shared machine
// it moves less with the load), and the database's size.
func BenchmarkDemoLoad(b *testing.B) {
	ctx := context.Background()
	schemes, err := data.DefaultSchemes()
	if err != nil {
		b.Fatal(err)
	}
	load := func(fn func(context.Context, *importer.Importer) error) (wall, cpu time.Duration, size int64, fp store.PortalFootprint) {
		path := filepath.Join(b.TempDir(), "demo.db")
		st, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: path})
		if err != nil {
			b.Fatal(err)
		}
		w0, c0 := time.Now(), cpuTime(b)
		if err := fn(ctx, importer.New(st, schemes)); err != nil {
			b.Fatal(err)
		}
		wall, cpu = time.Since(w0), cpuTime(b)-c0
		if fp, err = st.PortalFootprint(ctx); err != nil {
			b.Fatal(err)
		}
		_ = st.Close()
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		return wall, cpu, fi.Size(), fp
	}
	ms := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	for i := 0; i < b.N; i++ {
		// The months, then the running year drawn and stored after them.
		var yw, yc time.Duration
		fw, fc, fs, fp := load(func(ctx context.Context, imp *importer.Importer) error {
			if err := loadDemoMonths(ctx, imp); err != nil {
				return err
			}
			w0, c0 := time.Now(), cpuTime(b)
			_, err := running.Load(ctx, imp.Store(), imp.Schemes())
			yw, yc = time.Since(w0), cpuTime(b)-c0
			return err
		})
		fw, fc = fw-yw, fc-yc
		b.Logf("demo load: months %v wall, %v CPU; the running year after them +%v wall, +%v CPU (%d captures, %d snapshots, %d KB of states; database %d KB)",
			ms(fw), ms(fc), ms(yw), ms(yc), fp.Captures, fp.Snapshots, fp.StateBytes>>10, fs>>10)
	}
}
