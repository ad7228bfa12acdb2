package handlers

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"scorecard/internal/storetest"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// wholeReads is a store that counts the reads of a period's whole scores:
// kept ones read back (SavedScores) and counts scored again (PeriodCounts).
type wholeReads struct {
	*store.Store
	saved, counted atomic.Int64
}

func (w *wholeReads) SavedScores(ctx context.Context, period string, version int64) ([]byte, error) {
	w.saved.Add(1)
	return w.Store.SavedScores(ctx, period, version)
}

func (w *wholeReads) PeriodCounts(ctx context.Context, p scoring.Period) (*scoring.Dataset, int64, error) {
	w.counted.Add(1)
	return w.Store.PeriodCounts(ctx, p)
}

// Rankings, the overview, the unit page and the API read the periods they
// rank from their kept standings (each unit's row, no metrics) in a new
// process: every such page is, byte for byte, the page of a process that
// holds those periods' whole scores, published figures of the portal
// included.
func TestPagesFromKeptStandingsAreThePagesOfWholeScores(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the whole demo on both databases (slow)")
	}
	storetest.Run(t, testPagesFromKeptStandings)
}

func testPagesFromKeptStandings(t *testing.T, db storetest.DB) {
	ctx := t.Context()
	_, st, _ := newStoreApp(t, db)
	schemes := pageSchemes(t)
	warm := scorecache.New(st, schemes)
	if err := warm.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	warm.Wait()
	e, err := warm.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var month scoring.Period
	for _, p := range e.Periods() {
		if p.Kind == scoring.Month {
			month = p
			break
		}
	}
	older := month.Prev().Prev().Prev()
	unit, commune := "", ""
	for _, u := range e.Units() {
		if u.Kind == scoring.KindAgency && unit == "" {
			unit = u.Code
		}
		if u.Kind == scoring.KindCommune && commune == "" {
			commune = u.Code
		}
	}
	// A process holding the whole scores of the periods the pages read.
	whole := scorecache.New(st, schemes)
	for _, p := range []scoring.Period{month, month.Prev(), older, older.Prev()} {
		if _, err := whole.Period(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	wholeApp, err := New(Deps{Scores: whole, Store: st, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/", "/units/" + unit, "/units/" + commune}
	for _, q := range []string{"", "&period=" + older.String()} {
		for _, kind := range []string{"agency", "district", "commune", "province"} {
			paths = append(paths, "/rankings?kind="+kind+q, "/api/v1/rankings?kind="+kind+q, "/embed/ranking?kind="+kind+q)
		}
		paths = append(paths, "/rankings?kind=commune&sort=total"+q, "/api/v1/rankings?kind=commune&page=2&per_page=7"+q)
		paths = append(paths, "/api/v1/units/"+unit+"?"+strings.TrimPrefix(q, "&"), "/api/v1/units/"+commune+"?"+strings.TrimPrefix(q, "&"))
	}
	compared := 0
	for _, path := range paths {
		// A new process for each page: nothing held but what it reads.
		reads := &wholeReads{Store: st}
		kept, err := New(Deps{Scores: scorecache.New(reads, schemes), Store: st, Log: log})
		if err != nil {
			t.Fatal(err)
		}
		status, _, got := get(t, kept, path)
		wantStatus, _, want := get(t, wholeApp, path)
		if status != wantStatus || got != want {
			t.Fatalf("%s from kept standings (%d, %d bytes) is not the page of the whole scores (%d, %d bytes)", path, status, len(got), wantStatus, len(want))
		}
		// A ranking read the standings: no period scored again from its
		// counts nor read back whole. (A unit's page and the overview read
		// their own units' scores too, and a unit's trend the periods
		// Warm did not keep.)
		if strings.Contains(path, "ranking") {
			if n, m := reads.counted.Load(), reads.saved.Load(); n != 0 || m != 0 {
				t.Errorf("%s scored %d periods from their counts and read %d whole, want their standings only", path, n, m)
			}
		}
		if status == 200 {
			compared++
		}
	}
	if compared < len(paths)-4 {
		t.Fatalf("only %d of %d pages answered", compared, len(paths))
	}
}
