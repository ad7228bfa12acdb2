package scoring

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// seriesFixture: province P with agencies A, B, C (and D with no data), and
// another province Q with one agency, January to April 2024. The province
// publishes everything on time (12 points for every unit); each agency has
// every other metric at one ratio per month. Hand-worked totals (the
// linear metrics carry 68 points, the threshold ones 20):
//
//	100 %: 100,00 (Xuất sắc)
//	 95 %: 12 + 64,60 + 20 = 96,60 (Xuất sắc)
//	 90 %: 12 + 61,20 + 20 = 93,20 (Xuất sắc)
//	 85 %: 12 + 57,80 + 14 + 6 × 0,85 ÷ 0,9 (5,67) = 89,47 (Tốt)
func seriesFixture(t *testing.T) (*Engine, []*PeriodScores) {
	t.Helper()
	schemes := loadDefault(t)
	s := schemes.Latest()
	units := []Unit{
		{Code: "P", Name: "Tỉnh P", Kind: KindProvince},
		{Code: "P.A", Name: "Sở A", Kind: KindAgency, ParentCode: "P"},
		{Code: "P.B", Name: "Sở B", Kind: KindAgency, ParentCode: "P"},
		{Code: "P.C", Name: "Sở C", Kind: KindAgency, ParentCode: "P"},
		{Code: "P.D", Name: "Sở D", Kind: KindAgency, ParentCode: "P"},
		{Code: "Q", Name: "Tỉnh Q", Kind: KindProvince},
		{Code: "Q.A", Name: "Sở Q", Kind: KindAgency, ParentCode: "Q"},
	}
	ratios := map[string][]int64{ // January … April, in %
		"P.A": {100, 85, 90, 95},
		"P.B": {90, 90, 90, 85},
		"P.C": {95, 95, 95, 95},
		"Q.A": {100, 100, 100, 100},
	}
	own := map[Key]Counts{}
	months := []string{"2024-01", "2024-02", "2024-03", "2024-04"}
	for i, p := range months {
		for _, m := range s.Metrics {
			if !m.Scored() {
				continue
			}
			if m.Level == LevelProvince {
				own[Key{p, "P", m.Code}] = C(40, 40)
				own[Key{p, "Q", m.Code}] = C(40, 40)
				continue
			}
			for code, r := range ratios {
				own[Key{p, code, m.Code}] = C(r[i], 100)
			}
		}
	}
	e := NewEngine(schemes, &Dataset{Units: units, Own: own})
	var series []*PeriodScores
	for _, p := range months {
		series = append(series, e.Score(MustPeriod(p)))
	}
	return e, series
}

func TestSeriesFixtureTotals(t *testing.T) {
	_, series := seriesFixture(t)
	want := map[string]string{
		"P.A": "100.00 89.47 93.20 96.60",
		"P.B": "93.20 93.20 93.20 89.47",
		"P.C": "96.60 96.60 96.60 96.60",
	}
	for code, w := range want {
		var got []string
		for _, ps := range series {
			got = append(got, ps.Unit(code).Total.String())
		}
		if strings.Join(got, " ") != w {
			t.Errorf("%s totals %v, want %s", code, got, w)
		}
	}
}

func TestComparePeers(t *testing.T) {
	_, series := seriesFixture(t)
	apr := series[3]
	p, err := ComparePeers(apr, "P.A")
	if err != nil {
		t.Fatal(err)
	}
	// April: A 96,60 and C 96,60 tie first, B 89,47; D has no data, Q's
	// agency is in another province.
	if p.Rank != 1 || p.RankOf != 3 || p.Above != nil || len(p.Tied) != 1 || p.Tied[0].Unit.Code != "P.C" {
		t.Errorf("rank %d/%d above %v tied %d", p.Rank, p.RankOf, p.Above, len(p.Tied))
	}
	if p.Below == nil || p.Below.Unit.Unit.Code != "P.B" || p.Below.Gap != 713 || p.Below.Rank != 3 {
		t.Errorf("below %+v", p.Below)
	}
	// (96,60 + 96,60 + 89,47) ÷ 3 = 94,2233… → 94,22; median 96,60; best
	// 96,60, Sở A first by name.
	if tot := p.Total; tot.Unit != 9660 || tot.Average != 9422 || tot.Median != 9660 || tot.Best != 9660 ||
		tot.BestUnit != "P.A" || tot.N != 3 {
		t.Errorf("total %+v", tot)
	}
	// MDHL: 95 % gives 5,70 + 5,70 + 6,00 = 17,40; 85 % gives 5,10 + 5,10 +
	// 5,67 = 15,87. Mean 50,67 ÷ 3 = 16,89.
	var mdhl *GroupPeers
	for i := range p.Groups {
		if p.Groups[i].Group.Code == "MDHL" {
			mdhl = &p.Groups[i]
		}
	}
	if mdhl == nil || mdhl.Unit != 1740 || mdhl.Average != 1689 || mdhl.Median != 1740 || mdhl.Best != 1740 {
		t.Errorf("MDHL %+v", mdhl)
	}
	for _, m := range p.Metrics {
		if m.Metric.Code == "DOSSIER_RECEIVING_SATISFACTION" {
			// 6,00 6,00 5,67: mean 17,67 ÷ 3 = 5,89
			if m.Unit != 600 || m.Average != 589 || m.Median != 600 || m.N != 3 || !m.Scored {
				t.Errorf("DOSSIER_RECEIVING_SATISFACTION %+v", m.Stat)
			}
		}
		if !m.Metric.Scored() {
			t.Errorf("informational metric %s compared", m.Metric.Code)
		}
	}

	// B in March: A, B tie second behind C; the gap to C is 3,40, nobody below.
	b, err := ComparePeers(series[2], "P.B")
	if err != nil {
		t.Fatal(err)
	}
	if b.Rank != 2 || b.Above == nil || b.Above.Unit.Unit.Code != "P.C" || b.Above.Gap != 340 || b.Below != nil ||
		len(b.Tied) != 1 {
		t.Errorf("B in March: rank %d above %+v below %+v", b.Rank, b.Above, b.Below)
	}
	// An even count: the median is the mean of the two middle values.
	if b.Total.N != 3 {
		t.Fatal("fixture")
	}
	if st := stat(0, []*UnitScore{{Total: 101}, {Total: 200}}, func(u *UnitScore) (Cents, bool) { return u.Total, true }); st.Median != 151 || st.Average != 151 {
		t.Errorf("even median %+v", st)
	}

	// A unit without data is compared but not ranked.
	d, err := ComparePeers(apr, "P.D")
	if err != nil || d.Rank != 0 || d.RankOf != 3 || d.Total.N != 3 || d.Above != nil || d.Below != nil {
		t.Errorf("no-data unit %+v %v", d, err)
	}
	if _, err := ComparePeers(apr, "X"); err == nil {
		t.Error("unknown unit")
	}
	// Provinces rank nationally.
	q, err := ComparePeers(apr, "Q")
	if err != nil || q.RankOf != 2 || q.Province != "" {
		t.Errorf("province peers %+v %v", q, err)
	}
}

func TestStreaksAndRankHistory(t *testing.T) {
	_, series := seriesFixture(t)
	// Given in any order.
	shuffled := []*PeriodScores{series[2], series[0], series[3], series[1]}
	a := Streaks(shuffled, "P.A")
	// A: 100 XS, 89,47 Tốt, 93,20 XS, 96,60 XS.
	if a.Band == nil || a.Band.NameVI != "Xuất sắc" || a.SameBand != 2 || a.Improving != 2 || a.Declining != 0 ||
		a.Period != MustPeriod("2024-04") {
		t.Errorf("A streak %+v", a)
	}
	// B: 93,20 ×3 then 89,47: one month in Tốt, one fall.
	if b := Streaks(series, "P.B"); b.Band.NameVI != "Tốt" || b.SameBand != 1 || b.Improving != 0 || b.Declining != 1 {
		t.Errorf("B streak %+v", b)
	}
	// C: four months in the same band, flat.
	if c := Streaks(series, "P.C"); c.SameBand != 4 || c.Improving != 0 || c.Declining != 0 {
		t.Errorf("C streak %+v", c)
	}
	// A missing month breaks a streak.
	if c := Streaks([]*PeriodScores{series[0], series[1], series[3]}, "P.C"); c.SameBand != 1 {
		t.Errorf("C streak over a gap %+v", c)
	}
	if d := Streaks(series, "P.D"); d.SameBand != 0 || d.Band != nil {
		t.Errorf("D has no data: %+v", d)
	}

	var got []string
	for _, pt := range RankHistory(shuffled, "P.A") {
		got = append(got, fmt.Sprintf("%s:%d/%d", pt.Period, pt.Rank, pt.RankOf))
	}
	// January A 100 first; February C, B, A; March C, then A and B tied;
	// April A and C tied.
	if want := "2024-01:1/3 2024-02:3/3 2024-03:2/3 2024-04:1/3"; strings.Join(got, " ") != want {
		t.Errorf("rank history %v, want %s", got, want)
	}
	for _, pt := range RankHistory(series, "P.D") {
		if pt.HasData || pt.Rank != 0 || pt.RankOf != 3 {
			t.Errorf("D history %+v", pt)
		}
	}
}

func TestFindMovers(t *testing.T) {
	_, series := seriesFixture(t)
	mv := FindMovers(series[3], series[2], KindAgency, "P", 0)
	// March → April: A +3,40 (2nd → 1st); B −3,73 (2nd → 3rd) and drops from
	// Xuất sắc to Tốt; C does not move.
	if len(mv.Improved) != 1 || mv.Improved[0].Unit.Unit.Code != "P.A" || mv.Improved[0].Change != 340 ||
		mv.Improved[0].PrevRank != 2 || mv.Improved[0].Rank != 1 || mv.Improved[0].RankChange != 1 {
		t.Errorf("improved %+v", mv.Improved)
	}
	if len(mv.Declined) != 1 || mv.Declined[0].Unit.Unit.Code != "P.B" || mv.Declined[0].Change != -373 ||
		mv.Declined[0].PrevTotal != 9320 || mv.Declined[0].Total != 8947 {
		t.Errorf("declined %+v", mv.Declined)
	}
	if len(mv.BandChanged) != 1 || mv.BandChanged[0].Unit.Unit.Code != "P.B" || mv.BandChanged[0].BandUp() ||
		mv.BandChanged[0].PrevBand.NameVI != "Xuất sắc" || mv.BandChanged[0].Band.NameVI != "Tốt" {
		t.Errorf("band changed %+v", mv.BandChanged)
	}
	// January → February: A falls 10,53 and changes band; n limits the lists.
	mv = FindMovers(series[1], series[0], "", "", 1)
	if len(mv.Declined) != 1 || mv.Declined[0].Unit.Unit.Code != "P.A" || mv.Declined[0].Change != -1053 {
		t.Errorf("declined %+v", mv.Declined)
	}
	if len(mv.Improved) != 0 {
		t.Errorf("improved %+v", mv.Improved)
	}
	if mv := FindMovers(series[1], nil, "", "", 0); len(mv.Improved)+len(mv.Declined)+len(mv.BandChanged) != 0 {
		t.Error("no previous period, no movers")
	}
}

// standingsOf is ps reduced to its points, as a page reads the period
// before the one it shows.
func standingsOf(e *Engine, ps *PeriodScores) *PeriodScores {
	points := ps.Points()
	return e.Standings(ps.Period, func(code string) (UnitPoint, bool) {
		pt, ok := points[code]
		return pt, ok
	})
}

// The standings of a period (its points only) give every ranking's changes,
// the movers and each unit's totals, bands and group scores as the whole
// scores do, across a merger too.
func TestStandingsCompareAsTheWholeScores(t *testing.T) {
	e, series := seriesFixture(t)
	merged := NewEngine(loadDefault(t), mergerDataset())
	type pair struct {
		e         *Engine
		cur, prev *PeriodScores
	}
	var pairs []pair
	for i := 1; i < len(series); i++ {
		pairs = append(pairs, pair{e, series[i], series[i-1]})
	}
	for _, m := range []string{"2025-06", "2025-07", "2025-08"} {
		p := MustPeriod(m)
		pairs = append(pairs, pair{merged, merged.Score(p), merged.Score(p.Prev())})
	}
	compared := 0
	for _, pr := range pairs {
		st := standingsOf(pr.e, pr.prev)
		for code, us := range pr.prev.Units {
			su := st.Unit(code)
			if su == nil || su.Total != us.Total || su.MaxTotal != us.MaxTotal || su.Band != us.Band || su.HasData != us.HasData || su.Exists != us.Exists ||
				su.Province != us.Province || len(su.Groups) != len(us.Groups) {
				t.Fatalf("%s %s: standings %+v, scores %+v", pr.prev.Period, code, su, us)
			}
			for i, g := range us.Groups {
				if su.Group(g.Group.Code).Score != g.Score {
					t.Errorf("%s %s %s: %s, want %s", pr.prev.Period, code, g.Group.Code, su.Groups[i].Score, g.Score)
				}
			}
		}
		for _, k := range UnitKinds {
			for _, prov := range []string{"", "P", "Q"} {
				want := pr.cur.Ranking(k, prov, pr.prev)
				got := pr.cur.Ranking(k, prov, st)
				if len(got) != len(want) {
					t.Fatalf("%s %s %q: %d rows, want %d", pr.cur.Period, k, prov, len(got), len(want))
				}
				for i := range want {
					w, g := want[i], got[i]
					if g.Unit.Code != w.Unit.Code || g.Rank != w.Rank || !sameCents(g.TotalChange, w.TotalChange) ||
						!sameInt(g.RankChange, w.RankChange) || g.PrevBand != w.PrevBand {
						t.Errorf("%s %s %q row %d: %+v, want %+v", pr.cur.Period, k, prov, i, g, w)
					}
					compared++
				}
			}
		}
		if got, want := FindMovers(pr.cur, st, "", "", 0), FindMovers(pr.cur, pr.prev, "", "", 0); len(got.Improved) != len(want.Improved) ||
			len(got.Declined) != len(want.Declined) || len(got.BandChanged) != len(want.BandChanged) {
			t.Errorf("%s movers %+v, want %+v", pr.cur.Period, got, want)
		}
	}
	if compared < 20 {
		t.Fatalf("only %d ranking rows compared", compared)
	}
	// A unit the points do not list is not in the standings.
	st := e.Standings(series[0].Period, func(string) (UnitPoint, bool) { return UnitPoint{}, false })
	if len(st.Units) != 0 {
		t.Errorf("standings of nothing: %d units", len(st.Units))
	}
}

func sameCents(a, b *Cents) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
func sameInt(a, b *int) bool     { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// A period's standings with some units' whole scores (With) give those
// units' figures, their recomputation where the portal published figures,
// and the what-if among their peers, as the whole scores do.
func TestStandingsWithSomeUnitsWhole(t *testing.T) {
	_, series := seriesFixture(t)
	ps := series[3]
	s := ps.Scheme
	pub := map[string]Published{
		"P.A": {Groups: map[string]Cents{s.Groups[0].Code: 123}},
		"P.B": {Metrics: map[string]Cents{s.GroupMetrics(s.Groups[1].Code)[0].Code: 5}},
	}
	shown := ps.WithPublished(pub)
	standings := standingsOf(ps.e, shown)
	peers := []string{"P.A", "P.B", "P.C", "P.D"}
	sub := &PeriodScores{Period: ps.Period, Scheme: s, e: ps.e, Units: map[string]*UnitScore{}}
	for _, code := range peers {
		sub.Units[code] = ps.Units[code]
	}
	merged := standings.With(sub.WithPublished(pub))
	for _, code := range peers {
		if !reflect.DeepEqual(merged.Unit(code), shown.Unit(code)) || !reflect.DeepEqual(merged.Recomputed().Unit(code), shown.Recomputed().Unit(code)) {
			t.Fatalf("%s: %+v, want %+v", code, merged.Unit(code), shown.Unit(code))
		}
		got, err := WhatIfScore(merged, code, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := WhatIfScore(shown, code, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rank != want.Rank || got.RankOf != want.RankOf || got.BaseRank != want.BaseRank || got.Delta != want.Delta ||
			!reflect.DeepEqual(got.Score, want.Score) {
			t.Fatalf("what-if of %s: %+v, want %+v", code, got, want)
		}
		pg, err := ComparePeers(merged, code)
		if err != nil {
			t.Fatal(err)
		}
		pw, err := ComparePeers(shown, code)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pg, pw) {
			t.Fatalf("peers of %s: %+v, want %+v", code, pg, pw)
		}
	}
	if merged.Recomputed() == merged || merged.Unit("Q.A") != standings.Unit("Q.A") {
		t.Fatal("the other units are not the standings'")
	}
}
