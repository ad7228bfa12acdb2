package scorecache

import (
	"context"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/portal/portaltest"
	"scorecard/scoring"
)

// The moments pages ask for: the captures' moments, a moment read by index
// (and kept), and, once the series is replayed, a day's close taken from
// it with the same figures.
func TestMomentsAndDayAtCached(t *testing.T) {
	ctx := context.Background()
	sc, _ := data.DefaultSchemes()
	pr := portaltest.NewProvince("H94", 2, 4, sc)
	p := scoring.MustPeriod("2026-11")
	root := t.TempDir()
	var dirs []string
	for d := 0; d < 3; d++ {
		dir, err := pr.WriteCapture(root, p, d, time.Date(2026, 11, 1+d, 6, 0, 0, 0, scoring.Location), 0)
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	svc, _ := portalStoreWith(t, dirs...)
	ms, err := svc.Moments(ctx, p, "H94")
	if err != nil || len(ms) != 3 || !ms[2].Equal(time.Date(2026, 11, 3, 6, 0, 0, 0, scoring.Location)) {
		t.Fatalf("moments %v, %v", ms, err)
	}
	if none, err := svc.Moments(ctx, p, "H95"); err != nil || len(none) != 0 {
		t.Errorf("a province never captured: %v, %v", none, err)
	}
	a, err := svc.DayAtCached(ctx, p, "H94", ms[1])
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := svc.DayAtCached(ctx, p, "H94", ms[1]); b != a {
		t.Error("a moment read twice was not kept")
	}
	days, err := svc.Days(ctx, p, "H94")
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.DayAtCached(ctx, p, "H94", ms[2])
	if err != nil || c != &days.Days[2] {
		t.Fatalf("the replayed day's close was read again (%v)", err)
	}
	fresh, err := svc.DayAt(ctx, p, "H94", ms[2])
	if err != nil {
		t.Fatal(err)
	}
	for code, u := range fresh.Units {
		if r := c.Units[code]; r == nil || r.Total != u.Total || r.Rank != u.Rank || r.OfficialRank != u.OfficialRank {
			t.Errorf("%s: replay %+v, by index %+v", code, r, u)
		}
	}
	if d, ready, err := svc.DaysReady(ctx, p, "H94"); err != nil || !ready || d != days {
		t.Errorf("days ready: %v %v", ready, err)
	}
}
