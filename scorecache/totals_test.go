package scorecache

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"testing"

	demodata "scorecard/data/demo/dataset"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

// The kept totals of every period of the demo, every kind, give each unit
// the very point its scores give (total, band, groups, rank among its
// peers); a unit they do not list is unknown; damaged totals are refused.
func TestKeptTotalsRoundTrip(t *testing.T) {
	ds, err := demodata.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := scoring.NewEngine(schemes(t), ds)
	kinds := map[scoring.PeriodKind]int{}
	ranked := 0
	for _, p := range e.Periods() {
		kinds[p.Kind]++
		ps := e.Score(p)
		body, err := encodeTotals(e, ps)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		all := ps.Points()
		standings, ok := standingsOf(e, p, body)
		if !ok || len(standings.Units) != len(ps.Units) {
			t.Fatalf("%s: standings of the kept totals not read (%v)", p, ok)
		}
		for code := range ps.Units {
			if got, want := standings.Point(code), ps.Point(code); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %s: standings give %+v, scores %+v", p, code, got, want)
			}
			want := ps.Point(code)
			if !want.Known {
				t.Fatalf("%s %s: a scored unit's point is unknown", p, code)
			}
			if want.Rank > 0 {
				ranked++
			}
			if got := all[code]; !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %s: Points gives %+v, Point %+v", p, code, got, want)
			}
			got, ok := readPoint(e.Schemes(), p, body, code)
			if !ok || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %s: kept %+v (%v), want %+v", p, code, got, ok, want)
			}
		}
		if got, ok := readPoint(e.Schemes(), p, body, "NO.SUCH"); !ok || got.Known || got.Period != p {
			t.Fatalf("%s: a unit not kept reads %+v (%v), want unknown", p, got, ok)
		}
		code := e.Units()[len(e.Units())-1].Code
		if _, ok := readPoint(e.Schemes(), p, body[:len(body)-1], code); ok {
			t.Fatalf("%s: cut totals were read", p)
		}
		if _, ok := standingsOf(e, p, body[:len(body)-1]); ok {
			t.Fatalf("%s: standings of cut totals were read", p)
		}
		// Totals kept by earlier versions: their points are read (without
		// what they did not keep), their standings are not.
		for version := 1; version <= 2; version++ {
			older := totalsOlder(t, body, version)
			for code := range ps.Units {
				full := ps.Point(code)
				want := scoring.UnitPoint{Period: full.Period, Known: true, HasData: full.HasData, Total: full.Total,
					Band: full.Band, Groups: full.Groups, Rank: full.Rank, RankOf: full.RankOf}
				if version == 2 {
					want.MaxTotal = full.MaxTotal
				}
				if got, ok := readPoint(e.Schemes(), p, older, code); !ok || !reflect.DeepEqual(got, want) {
					t.Fatalf("%s %s: kept as ST%d %+v (%v), want %+v", p, code, version, got, ok, want)
				}
			}
			if _, ok := standingsOf(e, p, older); ok {
				t.Fatalf("%s: standings of ST%d totals were read", p, version)
			}
		}
	}
	for _, k := range scoring.PeriodKinds {
		if kinds[k] == 0 {
			t.Fatalf("the demo has no %s: the test does not cover it", k)
		}
	}
	if ranked == 0 {
		t.Fatal("no unit ranked: the test does not cover ranks")
	}
}

// The standings kept of figures the portal published (a unit's groups, one
// published without counts behind it, a metric's points) give each unit the
// row of a ranking its shown scores give: totals, groups and which were
// published, metrics missing, months covered.
func TestKeptStandingsOfPublishedFigures(t *testing.T) {
	ds, err := demodata.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := scoring.NewEngine(schemes(t), ds)
	var p scoring.Period
	for _, q := range e.Periods() {
		if q.Kind == scoring.Quarter {
			p = q // a longer period: months covered, provisional
			break
		}
	}
	raw := e.Score(p)
	s := raw.Scheme
	pub := map[string]scoring.Published{}
	for i, u := range e.Units() {
		switch i % 3 {
		case 0:
			pub[u.Code] = scoring.Published{Groups: map[string]scoring.Cents{s.Groups[0].Code: 123, s.Groups[1].Code: 456}}
		case 1:
			pub[u.Code] = scoring.Published{Metrics: map[string]scoring.Cents{s.GroupMetrics(s.Groups[0].Code)[0].Code: 50}}
		}
	}
	shown := raw.WithPublished(pub)
	body, err := encodeTotals(e, shown)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := standingsOf(e, p, body)
	if !ok {
		t.Fatal("standings not read")
	}
	official, only, missing, covered := 0, 0, 0, 0
	for code, us := range shown.Units {
		got := st.Unit(code)
		if g, w := st.Point(code), shown.Point(code); !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: standings %+v, shown %+v", code, g, w)
		}
		if got.Official != us.Official || got.Missing != us.Missing || got.Provisional != us.Provisional ||
			got.MonthsCovered != us.MonthsCovered || got.MaxTotal != us.MaxTotal {
			t.Fatalf("%s: standings %+v, shown %+v", code, got, us)
		}
		for i, g := range us.Groups {
			if gg := got.Groups[i]; gg.Group != g.Group || gg.Score != g.Score || gg.Official != g.Official || gg.OfficialOnly != g.OfficialOnly {
				t.Fatalf("%s %s: standings %+v, shown %+v", code, g.Group.Code, gg, g)
			}
			if g.OfficialOnly {
				only++
			}
		}
		if us.Official {
			official++
		}
		missing += us.Missing
		covered += us.MonthsCovered
	}
	if official == 0 || only == 0 || missing == 0 || covered == 0 {
		t.Fatalf("%d units with published figures, %d groups published alone, %d metrics missing, %d months covered: the test covers each",
			official, only, missing, covered)
	}
}

// totalsOlder is kept totals b in the form earlier versions kept: ST1 (no
// maxima, no rest of the row) or ST2 (no rest of the row).
func totalsOlder(t *testing.T, b []byte, version int) []byte {
	t.Helper()
	r := reader{b: b}
	if r.totalsMagic() != totalsVersion {
		t.Fatal("not kept totals of the current form")
	}
	out := []byte(fmt.Sprintf("ST%d", version))
	out = appendString(out, r.str())
	out = appendString(out, r.str())
	n := r.uint()
	out = binary.AppendUvarint(out, n)
	for range n {
		code := r.raw()
		er := reader{b: r.raw()}
		flags := er.byte()
		entry := []byte{flags & (totHasData | totBand)}
		entry = binary.AppendVarint(entry, er.int())
		if max := er.int(); version >= 2 {
			entry = binary.AppendVarint(entry, max)
		}
		if flags&totBand != 0 {
			entry = binary.AppendUvarint(entry, er.uint())
		}
		g := er.uint()
		entry = binary.AppendUvarint(entry, g)
		for range g {
			entry = binary.AppendVarint(entry, er.int())
		}
		if flags&totGroups != 0 {
			er.uint()
			er.uint()
		}
		er.uint() // missing
		er.uint() // months covered
		entry = binary.AppendUvarint(entry, er.uint())
		entry = binary.AppendUvarint(entry, er.uint())
		if er.bad || len(er.b) != 0 {
			t.Fatal("kept entry misread")
		}
		out = appendString(out, string(code))
		out = binary.AppendUvarint(out, uint64(len(entry)))
		out = append(out, entry...)
	}
	if r.bad || len(r.b) != 0 {
		t.Fatal("kept totals misread")
	}
	return out
}

// samePoints checks svc's points of every unit over every period against
// the full recomputation's scores.
func samePoints(t *testing.T, what string, svc Reader, full *Service) {
	t.Helper()
	ctx := t.Context()
	e, err := full.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	periods := e.Periods()
	want := map[string][]scoring.UnitPoint{}
	for _, p := range periods {
		ps, err := full.Period(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range e.Units() {
			want[u.Code] = append(want[u.Code], ps.Point(u.Code))
		}
	}
	for _, u := range e.Units() {
		got, err := svc.Points(ctx, u.Code, periods)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want[u.Code]) {
			t.Fatalf("%s: points of %s:\n got %+v\nwant %+v", what, u.Code, got, want[u.Code])
		}
	}
}

// A unit's points read from the kept totals by another process equal those
// of a full recomputation, without that process scoring or reading back any
// period's scores; a period published later, or not at all, shows an
// anonymous visitor no draft figure.
func TestKeptTotalsEqualFullRecomputation(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the demo on both databases (slow); TestKeptTotalsRoundTrip is the fast check")
	}
	storetest.Run(t, func(t *testing.T, db storetest.DB) {
		ctx := t.Context()
		st, _ := demoStore(t, db)
		svc := New(st, schemes(t))
		keepAll(t, svc)
		full := New(wholeSource{st}, schemes(t))
		samePoints(t, "computed", svc, full)

		cs := &countedStore{Store: st}
		other := New(cs, schemes(t))
		samePoints(t, "kept", other, full)
		if cs.counted.Load() != 0 || cs.read.Load() != 0 {
			t.Fatalf("reading points scored %d periods and read %d periods' scores back, want none", cs.counted.Load(), cs.read.Load())
		}
		// The standings of every period, read by a third process from the
		// kept totals alone, give each unit the point of its full scores.
		cs = &countedStore{Store: st}
		third := New(cs, schemes(t))
		e, err := full.Engine(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range e.Periods() {
			got, err := third.Standings(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			want, err := full.Period(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range e.Units() {
				if g, w := got.Point(u.Code), want.Point(u.Code); !reflect.DeepEqual(g, w) {
					t.Fatalf("standings of %s, %s: %+v, want %+v", p, u.Code, g, w)
				}
			}
		}
		if cs.counted.Load() != 0 || cs.read.Load() != 0 {
			t.Fatalf("reading standings scored %d periods and read %d periods' scores back, want none", cs.counted.Load(), cs.read.Load())
		}

		// Anonymous, through the draft filter: a draft is a period without
		// data.
		e, err = svc.Engine(ctx)
		if err != nil {
			t.Fatal(err)
		}
		periods := e.Periods()
		pub := periods[len(periods)-1]
		for _, p := range periods {
			if p.Kind == scoring.Month {
				pub = p
				break
			}
		}
		if _, err := st.Publish(ctx, pub.String(), store.Actor{Name: models.ActorCLI}, SnapshotFunc(svc)); err != nil {
			t.Fatal(err)
		}
		published, err := st.PublishedPeriods(ctx)
		if err != nil {
			t.Fatal(err)
		}
		full = New(wholeSource{st}, schemes(t))
		drafts := NewDrafts(New(st, schemes(t)), st)
		fe, err := full.Engine(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen, hidden := 0, 0
		for _, u := range fe.Units() {
			got, err := drafts.Points(ctx, u.Code, periods)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range periods {
				if _, ok := published[p.String()]; ok {
					ps, err := full.Period(ctx, p)
					if err != nil {
						t.Fatal(err)
					}
					if want := ps.Point(u.Code); !reflect.DeepEqual(got[i], want) {
						t.Fatalf("published %s of %s: %+v, want %+v", p, u.Code, got[i], want)
					}
					seen++
					continue
				}
				if got[i].HasData || got[i].Rank != 0 {
					t.Fatalf("draft %s of %s shows %+v to an anonymous visitor", p, u.Code, got[i])
				}
				hidden++
			}
		}
		if seen == 0 || hidden == 0 {
			t.Fatalf("%d published and %d draft points checked: the test covers both", seen, hidden)
		}
		for _, p := range periods {
			ps, err := drafts.Standings(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			_, public := published[p.String()]
			withData := 0
			for _, us := range ps.Units {
				if us.HasData {
					withData++
				}
			}
			if public != (withData > 0) {
				t.Fatalf("standings of %s (published %v) to an anonymous visitor: %d units with data", p, public, withData)
			}
		}
	})
}
