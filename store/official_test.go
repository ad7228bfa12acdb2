package store

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"testing"
	"time"

	"scorecard/models"
)

func TestOfficialResultsRoundTrip(t *testing.T) { both(t, testOfficialResultsRoundTrip) }

func testOfficialResultsRoundTrip(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	mustImportUnits(t, s, hierarchy, false)
	if got, err := s.OfficialResults(ctx); err != nil || len(got) != 0 {
		t.Fatalf("before any import: %+v, %v", got, err)
	}
	rows := []OfficialResult{
		{Period: "2024-Q2", UnitCode: "BK", Total: 7400, Rank: 30, RankOf: 63},
		{Period: "2024-04", UnitCode: "BK", Total: 7535, Rank: 12, RankOf: 63},
		{Period: "2024-03", UnitCode: "BK", Total: 7000, Rank: 20, RankOf: 63},
	}
	v0 := version(t, s)
	im := imp("official.csv")
	res, err := s.ImportOfficialResults(ctx, im, rows)
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 3 || res.ImportID == 0 || im.Kind != models.ImportOfficial || im.Periods != "2024-03,2024-04,2024-Q2" {
		t.Fatalf("result %+v, import %+v", res, im)
	}
	if version(t, s) != v0+1 {
		t.Error("the data version did not move")
	}
	got, err := s.OfficialResults(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Oldest period first, by time rather than as strings.
	want := []OfficialResult{rows[2], rows[1], rows[0]}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %+v, want %+v", got, want)
	}

	// The same rows again: nothing changes; one changed rank: an update.
	if res, err := s.ImportOfficialResults(ctx, imp("official.csv"), rows); err != nil || res.Unchanged != 3 {
		t.Fatalf("re-import: %+v, %v", res, err)
	}
	changed := []OfficialResult{{Period: "2024-04", UnitCode: "BK", Total: 7535, Rank: 11, RankOf: 63}}
	if res, err := s.ImportOfficialResults(ctx, imp("official.csv"), changed); err != nil || res.Updated != 1 || res.Inserted != 0 {
		t.Fatalf("update: %+v, %v", res, err)
	}
	got, err = s.OfficialResults(ctx)
	if err != nil || len(got) != 3 || got[1].Rank != 11 {
		t.Fatalf("after update: %+v, %v", got, err)
	}
}

func TestOfficialResultsRefusedRowsChangeNothing(t *testing.T) {
	both(t, testOfficialResultsRefusedRowsChangeNothing)
}

func testOfficialResultsRefusedRowsChangeNothing(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	mustImportUnits(t, s, hierarchy, false)
	v0 := version(t, s)
	for name, c := range map[string]struct {
		rows []OfficialResult
		want error
	}{
		"rank over rank_of": {[]OfficialResult{{Period: "2024-04", UnitCode: "BK", Total: 7535, Rank: 64, RankOf: 63}}, ErrInvalid},
		"total over 100":    {[]OfficialResult{{Period: "2024-04", UnitCode: "BK", Total: 10001, Rank: 1, RankOf: 63}}, ErrInvalid},
		"twice":             {[]OfficialResult{{Period: "2024-04", UnitCode: "BK", Total: 1, Rank: 1, RankOf: 2}, {Period: "2024-04", UnitCode: "BK", Total: 1, Rank: 1, RankOf: 2}}, ErrConflict},
		"unknown unit":      {[]OfficialResult{{Period: "2024-04", UnitCode: "GL", Total: 7535, Rank: 1, RankOf: 63}}, ErrConflict},
		"no rows":           {nil, ErrInvalid},
	} {
		im := imp("official.csv")
		if _, err := s.ImportOfficialResults(ctx, im, c.rows); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", name, err, c.want)
		}
		if im.ID != 0 {
			t.Errorf("%s: import id %d kept after a rollback", name, im.ID)
		}
	}
	if got, err := s.OfficialResults(ctx); err != nil || len(got) != 0 {
		t.Errorf("after refusals: %+v, %v", got, err)
	}
	if version(t, s) != v0 {
		t.Error("a refused import moved the data version")
	}
}

// DataModified is unknown on an empty database, then the time of the last
// change, which every import moves.
func TestDataModified(t *testing.T) { both(t, testDataModified) }

func testDataModified(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	if m, err := s.DataModified(ctx); err != nil || !m.IsZero() {
		t.Fatalf("empty database: %v, %v", m, err)
	}
	before := time.Now().Add(-time.Second)
	mustImportUnits(t, s, hierarchy, false)
	m1, err := s.DataModified(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m1.Before(before) || m1.After(time.Now().Add(time.Second)) || m1.Location() != time.UTC {
		t.Fatalf("after units: %v", m1)
	}
	// The next import must happen at a later time than the first, as the
	// database keeps it (to the microsecond): wait for the clock to pass it.
	for !time.Now().Truncate(time.Microsecond).After(m1) {
		runtime.Gosched()
	}
	if _, err := s.ImportOfficialResults(ctx, imp("official.csv"),
		[]OfficialResult{{Period: "2024-04", UnitCode: "BK", Total: 7535, Rank: 12, RankOf: 63}}); err != nil {
		t.Fatal(err)
	}
	m2, err := s.DataModified(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !m2.After(m1) {
		t.Errorf("an import did not move the time: %v then %v", m1, m2)
	}
}

// Removing the demo removes the published results of its provinces with
// them (ON DELETE CASCADE), instead of failing on the reference.
func TestOfficialResultsGoWithDemoUnits(t *testing.T) { both(t, testOfficialResultsGoWithDemoUnits) }

func testOfficialResultsGoWithDemoUnits(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	mustImportUnits(t, s, hierarchy, true)
	im := imp("official.csv")
	im.Demo, im.Source = true, models.SourceDemo
	if _, err := s.ImportOfficialResults(ctx, im, []OfficialResult{{Period: "2024-04", UnitCode: "BK", Total: 7535, Rank: 12, RankOf: 63}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := s.OfficialResults(ctx); err != nil || len(got) != 0 {
		t.Errorf("after demo removal: %+v, %v", got, err)
	}
}
