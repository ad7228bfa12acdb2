package cli

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"scorecard/handlers"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// nationalPages are the pages a national reader opens besides the overview,
// a province and a unit: the country's rankings of each kind (the first
// page, one in the middle, the last), a search across the country, and the
// API's paged ranking. Each must stay a page a phone opens (under ~300 KB).
var nationalPages = []string{
	"/rankings?kind=commune",
	"/rankings?kind=commune&page=17",
	"/rankings?kind=commune&page=34",
	"/rankings?kind=agency",
	"/rankings?kind=province",
	"/rankings?kind=commune&province=HN&q=x%C3%A3",
	"/search?q=phuong",
	"/api/v1/rankings?kind=commune&page=2",
}

// benchNationalPages prints each national page's time, cold (a new scores
// service) and warm, and its size; a page above 300 KB fails the run.
func benchNationalPages(b *testing.B, st *store.Store, schemes *scoring.Schemes, driver string) {
	b.Helper()
	app, err := handlers.New(handlers.Deps{Scores: scorecache.New(st, schemes)})
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range nationalPages {
		other, err := handlers.New(handlers.Deps{Scores: scorecache.New(st, schemes)})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC() // the garbage of the page before is not the new process's
		start, cpu := time.Now(), cpuTime(b)
		size := getPage(b, other, path)
		cold, coldCPU := time.Since(start), cpuTime(b)-cpu
		getPage(b, app, path)
		var warm []time.Duration
		for range 5 {
			start := time.Now()
			getPage(b, app, path)
			warm = append(warm, time.Since(start))
		}
		fmt.Printf("%-8s %-44s cold (new process) %8.1f ms (CPU %5.1f)   warm %6.1f ms   %s bytes\n", driver, path,
			ms(cold), ms(coldCPU), ms(median(warm)), strconv.Itoa(size))
		if size > 300_000 {
			b.Errorf("%s is %d bytes, over 300 KB", path, size)
		}
	}
}
