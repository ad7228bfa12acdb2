package scorecache

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"scorecard/report"
	"scorecard/scoring"
	"scorecard/store"
)

// A snapshot holds every unit's total, rank and counts, and reads back to
// the same exact scores.
func TestSnapshotRoundTrip(t *testing.T) {
	src := &countingSource{version: 1, ds: &scoring.Dataset{
		Units: []scoring.Unit{
			{Code: "BK", Name: "Tỉnh Bắc Kạn", Kind: scoring.KindProvince},
			{Code: "BK.A", Name: "Sở A", Kind: scoring.KindAgency, ParentCode: "BK"},
			{Code: "BK.B", Name: "Sở B", Kind: scoring.KindAgency, ParentCode: "BK"},
		},
		Own: map[scoring.Key]scoring.Counts{
			{Period: "2024-04", Unit: "BK.A", Metric: "ON_TIME_PROCESSING"}: scoring.C(653, 654),
			{Period: "2024-04", Unit: "BK.B", Metric: "ON_TIME_PROCESSING"}: scoring.C(1, 3),
		},
	}}
	svc := New(src, schemes(t))
	snap := SnapshotFunc(svc)
	ctx := context.Background()
	b, err := snap(ctx, "2024-04")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSnapshot(b)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := svc.Period(ctx, scoring.MustPeriod("2024-04"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Period != "2024-04" || len(s.Units) != 3 {
		t.Fatalf("snapshot: %+v", s)
	}
	for _, u := range s.Units {
		want := ps.Unit(u.Code)
		if scoring.Cents(u.Total) != want.Total || scoring.Cents(u.MaxTotal) != want.MaxTotal || u.HasData != want.HasData {
			t.Errorf("%s: total %v/%v, want %v/%v", u.Code, u.Total, u.MaxTotal, want.Total, want.MaxTotal)
		}
	}
	a, bb := s.Units[1], s.Units[2] // sorted by code: BK, BK.A, BK.B
	if a.Code != "BK.A" || a.Rank == nil || *a.Rank != 1 || bb.Rank == nil || *bb.Rank != 2 || a.RankOf != 2 {
		t.Errorf("ranks: %+v %+v", a, bb)
	}
	var found bool
	for _, g := range a.Groups {
		for _, m := range g.Metrics {
			if m.Code == "ON_TIME_PROCESSING" {
				found = m.Numerator != nil && *m.Numerator == 653 && *m.Denominator == 654 && m.Ratio != nil
			}
		}
	}
	if !found {
		t.Error("the counts of BK.A are not in the snapshot")
	}
	if _, err := snap(ctx, "2030-01"); !errors.Is(err, store.ErrNoData) {
		t.Errorf("a period without data: %v", err)
	}
	if _, err := ParseSnapshot([]byte(`{"units":[{"total":1.234}]}`)); err == nil {
		t.Error("a score with three decimals was read")
	}
}

// A period's snapshot holds the units that exist in it: not a commune
// merged away before it, nor its successor from a later month.
func TestSnapshotHoldsTheUnitsOfItsPeriod(t *testing.T) {
	day := func(y, m int) time.Time { return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, scoring.Location) }
	src := &countingSource{version: 1, ds: &scoring.Dataset{
		Units: []scoring.Unit{
			{Code: "BK", Name: "Tỉnh Bắc Kạn", Kind: scoring.KindProvince},
			{Code: "BK.A", Name: "Xã A", Kind: scoring.KindCommune, ParentCode: "BK", ValidTo: day(2025, 7)},
			{Code: "BK.B", Name: "Xã B", Kind: scoring.KindCommune, ParentCode: "BK", ValidFrom: day(2025, 7)},
		},
		Changes: []scoring.Change{{From: "BK.A", To: "BK.B", Kind: scoring.ChangeMerged, Effective: day(2025, 7)}},
		Own: map[scoring.Key]scoring.Counts{
			{Period: "2025-06", Unit: "BK.A", Metric: "ON_TIME_PROCESSING"}: scoring.C(9, 10),
			{Period: "2025-07", Unit: "BK.B", Metric: "ON_TIME_PROCESSING"}: scoring.C(8, 10),
		},
	}}
	snap := SnapshotFunc(New(src, schemes(t)))
	for period, want := range map[string]string{"2025-06": "BK BK.A", "2025-07": "BK BK.B"} {
		b, err := snap(context.Background(), period)
		if err != nil {
			t.Fatal(err)
		}
		s, err := ParseSnapshot(b)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, u := range s.Units {
			codes = append(codes, u.Code)
			if u.Code != "BK" && (u.Rank == nil || *u.Rank != 1 || u.RankOf != 1) {
				t.Errorf("%s %s: rank %v of %d, want 1 of 1", period, u.Code, u.Rank, u.RankOf)
			}
		}
		if got := strings.Join(codes, " "); got != want {
			t.Errorf("%s: units %s, want %s", period, got, want)
		}
	}
}

// A snapshot keeps the portal's published figures as the pages show them:
// the published scores with their flags, and the national rank published
// for the unit in the period (not another period's).
func TestSnapshotKeepsPublishedFigures(t *testing.T) {
	src := &countingSource{version: 1, ds: &scoring.Dataset{
		Units: []scoring.Unit{
			{Code: "BK", Name: "Tỉnh Bắc Kạn", Kind: scoring.KindProvince},
			{Code: "BK.A", Name: "Sở A", Kind: scoring.KindAgency, ParentCode: "BK"},
		},
		Own: map[scoring.Key]scoring.Counts{
			{Period: "2024-04", Unit: "BK.A", Metric: "ON_TIME_PROCESSING"}: scoring.C(653, 654),
		},
	}}
	svc := New(src, schemes(t))
	ctx := context.Background()
	p := scoring.MustPeriod("2024-04")
	e, err := svc.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := svc.Period(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	// One group with counts and one without, both published.
	var counted, bare string
	for _, g := range raw.Unit("BK.A").Groups {
		has := false
		for _, m := range g.Metrics {
			has = has || m.Counts.Valid
		}
		switch {
		case has && counted == "":
			counted = g.Group.Code
		case !has && bare == "":
			bare = g.Group.Code
		}
	}
	if counted == "" || bare == "" {
		t.Fatalf("fixture: groups with and without counts: %q %q", counted, bare)
	}
	ps := raw.WithPublished(map[string]scoring.Published{"BK.A": {Groups: map[string]scoring.Cents{counted: 500, bare: 300}}})
	official := []report.OfficialResult{
		{Period: p, UnitCode: "BK", Total: 7535, Rank: 12, RankOf: 63},
		{Period: p.Prev(), UnitCode: "BK", Total: 7000, Rank: 20, RankOf: 63},
	}
	b, err := json.Marshal(BuildSnapshot(e, ps, official, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSnapshot(b)
	if err != nil {
		t.Fatal(err)
	}
	bk, a := s.Units[0], s.Units[1]
	if bk.OfficialRank == nil || *bk.OfficialRank != 12 || *bk.OfficialRankOf != 63 || bk.Official {
		t.Errorf("BK: %+v", bk)
	}
	if !a.Official || a.OfficialRank != nil || scoring.Cents(a.Total) != ps.Unit("BK.A").Total {
		t.Errorf("BK.A: official %v, rank %v, total %v (shown %v)", a.Official, a.OfficialRank, a.Total, ps.Unit("BK.A").Total)
	}
	for _, g := range a.Groups {
		want := map[string][2]bool{counted: {true, false}, bare: {true, true}}[g.Code]
		if g.Official != want[0] || g.OfficialOnly != want[1] {
			t.Errorf("group %s: official %v, only %v, want %v", g.Code, g.Official, g.OfficialOnly, want)
		}
	}
	// Flags that are false are not written: an older reader sees the
	// snapshot it knew.
	if head := string(b[:strings.Index(string(b), `"code":"BK.A"`)]); strings.Contains(head, `"official":`) || strings.Contains(head, `"official_only"`) {
		t.Errorf("unset flags written: %.400s", b)
	}
}
