package scorecache

import (
	"bytes"
	"context"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"scorecard/data/demo"
	demodata "scorecard/data/demo/dataset"
	"scorecard/importer"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

// wholeSource is the store seen as a Source that loads every count at
// once: the full recomputation the per-period scores must equal.
type wholeSource struct{ st *store.Store }

func (w wholeSource) DataVersion(ctx context.Context) (int64, error) { return w.st.DataVersion(ctx) }
func (w wholeSource) Dataset(ctx context.Context) (*scoring.Dataset, error) {
	return w.st.Dataset(ctx)
}
func (w wholeSource) HasDemo(ctx context.Context) (bool, error) { return w.st.HasDemo(ctx) }

// countedStore is the store counting the periods scored from their counts
// and those read back from the kept scores.
type countedStore struct {
	*store.Store
	counted, read atomic.Int64
}

func (c *countedStore) PeriodCounts(ctx context.Context, p scoring.Period) (*scoring.Dataset, int64, error) {
	c.counted.Add(1)
	return c.Store.PeriodCounts(ctx, p)
}

func (c *countedStore) SavedScores(ctx context.Context, period string, version int64) ([]byte, error) {
	b, err := c.Store.SavedScores(ctx, period, version)
	if err == nil {
		c.read.Add(1)
	}
	return b, err
}

// demoStore is a store holding the demo data set.
func demoStore(t *testing.T, db storetest.DB) (*store.Store, *importer.Importer) {
	t.Helper()
	st := db.Open(t)
	im := importer.New(st, schemes(t))
	for _, f := range demo.Files() {
		if _, err := im.Import(t.Context(), f.Name, bytes.NewReader(f.Data), models.SourceDemo, true); err != nil {
			t.Fatalf("import %s: %v", f.Name, err)
		}
	}
	return st, im
}

// sameScores fails the test unless got and want score every unit alike.
func sameScores(t *testing.T, what string, got, want *scoring.PeriodScores) {
	t.Helper()
	if got.Period != want.Period || got.Scheme != want.Scheme || len(got.Units) != len(want.Units) {
		t.Fatalf("%s: %s/%d units, want %s/%d units", what, got.Period, len(got.Units), want.Period, len(want.Units))
	}
	for code, w := range want.Units {
		if g := got.Units[code]; !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: unit %s differs:\n got %+v\nwant %+v", what, code, g, w)
		}
	}
	// Ranks come from the engine the scores carry.
	for _, k := range scoring.UnitKinds {
		g, w := got.Ranking(k, "", nil), want.Ranking(k, "", nil)
		if len(g) != len(w) {
			t.Fatalf("%s: %d ranked %s, want %d", what, len(g), k, len(w))
		}
		for i := range w {
			if g[i].Unit.Code != w[i].Unit.Code || g[i].Rank != w[i].Rank {
				t.Fatalf("%s: %s rank %d is %s #%d, want %s #%d", what, k, i, g[i].Unit.Code, g[i].Rank, w[i].Unit.Code, w[i].Rank)
			}
		}
	}
}

// everyPeriod checks svc's scores of every period with data, of every
// kind, against a full recomputation.
func everyPeriod(t *testing.T, what string, svc *Service, st *store.Store) {
	t.Helper()
	ctx := t.Context()
	full := New(wholeSource{st}, svc.Schemes())
	fe, err := full.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e, err := svc.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(e.Periods(), fe.Periods()) {
		t.Fatalf("%s: periods %v, want %v", what, e.Periods(), fe.Periods())
	}
	kinds := map[scoring.PeriodKind]int{}
	for _, p := range fe.Periods() {
		kinds[p.Kind]++
		want, err := full.Period(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := svc.Period(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		sameScores(t, what+" "+p.String(), got, want)
		wantRaw, err := full.Recomputed(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		gotRaw, err := svc.Recomputed(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		sameScores(t, what+" recomputed "+p.String(), gotRaw, wantRaw)
	}
	for _, k := range scoring.PeriodKinds {
		if kinds[k] == 0 {
			t.Fatalf("%s: the demo has no %s: the test does not cover it", what, k)
		}
	}
}

// The kept form of every period's scores of the demo, every kind, reads
// back as the very scores computed; a form of other units or of a
// damaged body is refused.
func TestKeptFormRoundTrip(t *testing.T) {
	ds, err := demodata.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := scoring.NewEngine(schemes(t), ds)
	kinds := map[scoring.PeriodKind]int{}
	for _, p := range e.Periods() {
		kinds[p.Kind]++
		want := e.Score(p)
		body, err := encodeScores(e, want)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		got, ok := decodeScores(e, p, body)
		if !ok {
			t.Fatalf("%s: its own kept form refused", p)
		}
		sameScores(t, p.String(), got, want)
		// One unit read back alone is the unit read back with all.
		units := e.Units()
		some := []string{units[0].Code, units[len(units)/2].Code, units[len(units)-1].Code}
		for _, codes := range [][]string{some[:1], some[1:2], some} {
			got, ok := decodeUnits(e, p, body, codes)
			if !ok || len(got.Units) != len(codes) {
				t.Fatalf("%s %v: read back alone %+v (%v)", p, codes, got, ok)
			}
			for _, code := range codes {
				if !reflect.DeepEqual(got.Units[code], want.Units[code]) {
					t.Fatalf("%s %s: read back alone %+v, want %+v", p, code, got.Units[code], want.Units[code])
				}
			}
			if _, ok := decodeUnits(e, p, body[:len(body)-1], codes); ok {
				t.Fatalf("%s %v: read back alone from a cut body", p, codes)
			}
		}
		if _, ok := decodeUnits(e, p, body, []string{some[0], "NO.SUCH"}); ok {
			t.Fatalf("%s: a unit not kept was read back", p)
		}
		if _, ok := decodeScores(e, p, body[:len(body)-1]); ok {
			t.Fatalf("%s: a cut body was read", p)
		}
		if _, ok := decodeScores(e, p, append(body[:len(body):len(body)], 0)); ok {
			t.Fatalf("%s: a body with a byte too many was read", p)
		}
	}
	for _, k := range scoring.PeriodKinds {
		if kinds[k] == 0 {
			t.Fatalf("the demo has no %s: the test does not cover it", k)
		}
	}
	p := e.Periods()[0]
	body, err := encodeScores(e, e.Score(p))
	if err != nil {
		t.Fatal(err)
	}
	fewer := scoring.NewEngine(schemes(t), &scoring.Dataset{Units: ds.Units[1:], Own: ds.Own})
	if _, ok := decodeScores(fewer, p, body); ok {
		t.Fatal("a kept form was read over other units")
	}
}

// keepAll keeps every period's scores in the database, as Warm keeps the
// latest months.
func keepAll(t *testing.T, svc *Service) {
	t.Helper()
	ctx := t.Context()
	g, err := svc.gen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range g.engine.Periods() {
		if err := svc.keep(ctx, g, p); err != nil {
			t.Fatal(err)
		}
	}
}

// Scores computed period by period, and those kept in the database and
// read back by another process, equal a full recomputation from every
// count, for every period and kind of the demo, on both databases.
func TestKeptScoresEqualFullRecomputation(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the demo on both databases (slow); TestKeptFormRoundTrip is the fast check")
	}
	storetest.Run(t, testKeptScoresEqualFullRecomputation)
}

func testKeptScoresEqualFullRecomputation(t *testing.T, db storetest.DB) {
	st, _ := demoStore(t, db)
	svc := New(st, schemes(t))
	everyPeriod(t, "computed", svc, st)
	keepAll(t, svc)

	// Another process: every period read back, none scored from counts.
	cs := &countedStore{Store: st}
	other := New(cs, schemes(t))
	everyPeriod(t, "kept", other, st)
	if cs.counted.Load() != 0 || cs.read.Load() == 0 {
		t.Fatalf("the other process scored %d periods from their counts and read %d kept, want every one read", cs.counted.Load(), cs.read.Load())
	}
}

// A counts import moves the scores of the periods it touches (the month and
// the quarter, half-year and year around it), in this process and in
// another whose kept scores it makes stale; the other periods keep theirs.
// A units import moves every period.
func TestImportMovesTheTouchedPeriods(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the demo on both databases (slow)")
	}
	storetest.Run(t, testImportMovesTheTouchedPeriods)
}

func testImportMovesTheTouchedPeriods(t *testing.T, db storetest.DB) {
	ctx := t.Context()
	st, im := demoStore(t, db)
	svc := New(st, schemes(t))
	keepAll(t, svc)
	month, other := scoring.MustPeriod("2024-04"), scoring.MustPeriod("2024-03")
	before, err := svc.Period(ctx, month)
	if err != nil {
		t.Fatal(err)
	}
	untouched, err := svc.Period(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	const unit, metric = "BK.SGDDT", "ON_TIME_PROCESSING"
	m := before.Unit(unit).Metric(metric)
	if m == nil || !m.Counts.Valid || m.Counts.Den < 2 || m.Counts.Num == m.Counts.Den-1 {
		t.Fatalf("the demo's %s %s in %s: %+v", unit, metric, month, m)
	}
	file := "period,unit_code,metric,numerator,denominator\n2024-04," + unit + "," + metric + ",1," + itoa(m.Counts.Den) + "\n"
	if _, err := im.Import(ctx, "sua.csv", bytes.NewReader([]byte(file)), models.SourceCLI, false); err != nil {
		t.Fatal(err)
	}
	after, err := svc.Period(ctx, month)
	if err != nil {
		t.Fatal(err)
	}
	if got := after.Unit(unit).Metric(metric).Counts; got.Num != 1 {
		t.Fatalf("after the import %s shows %+v", month, got)
	}
	again, err := svc.Period(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	if again != untouched {
		t.Errorf("%s, which the import did not touch, was scored again", other)
	}
	// A fresh process reads the untouched periods back and scores the
	// touched ones again; both equal a full recomputation.
	cs := &countedStore{Store: st}
	fresh := New(cs, schemes(t))
	everyPeriod(t, "after a counts import", fresh, st)
	if cs.counted.Load() != 4 {
		t.Errorf("scored %d periods from their counts after importing one month, want 4 (the month, its quarter, half-year and year)", cs.counted.Load())
	}
	everyPeriod(t, "this process after a counts import", svc, st)

	// Units: every period moves.
	keepAll(t, svc)
	if _, err := im.Import(ctx, demo.Files()[0].Name, bytes.NewReader(demo.Files()[0].Data), models.SourceDemo, true); err != nil {
		t.Fatal(err)
	}
	cs = &countedStore{Store: st}
	fresh = New(cs, schemes(t))
	everyPeriod(t, "after a units import", fresh, st)
	if cs.read.Load() != 0 {
		t.Errorf("read %d kept periods after a units import, want none", cs.read.Load())
	}
}

func itoa(n int64) string {
	b := []byte{}
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// BenchmarkKeptRead reads the latest twelve months of the demo back from
// the kept scores in a new service, as another process does.
func BenchmarkKeptRead(b *testing.B) {
	st := storetest.SQLite.Open(b)
	im := importer.New(st, schemes(b))
	for _, f := range demo.Files() {
		if _, err := im.Import(b.Context(), f.Name, bytes.NewReader(f.Data), models.SourceDemo, true); err != nil {
			b.Fatalf("import %s: %v", f.Name, err)
		}
	}
	ctx := b.Context()
	svc := New(st, schemes(b))
	if err := svc.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	svc.Wait()
	months := warmPeriods(svc.cur.Load().engine.Periods())
	b.ResetTimer()
	for b.Loop() {
		other := New(st, schemes(b))
		for _, p := range months {
			if _, err := other.Period(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// A kept form is read only under the very scheme it was computed with: the
// same id with another aggregation is refused.
func TestKeptFormNeedsTheSameScheme(t *testing.T) {
	ds, err := demodata.Load()
	if err != nil {
		t.Fatal(err)
	}
	all := schemes(t)
	e := scoring.NewEngine(all, ds)
	p := e.Periods()[0]
	body, err := encodeScores(e, e.Score(p))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := decodeScores(e, p, body); !ok {
		t.Fatal("its own kept form refused")
	}
	changed := *all.For(p)
	changed.Metrics = append([]scoring.Metric(nil), changed.Metrics...)
	m := &changed.Metrics[0]
	if m.Aggregation == scoring.Flow {
		m.Aggregation = scoring.Snapshot
	} else {
		m.Aggregation = scoring.Flow
	}
	if fingerprint(&changed) == fingerprint(all.For(p)) {
		t.Fatalf("the scheme with %s aggregated otherwise has the same fingerprint", m.Code)
	}
}

// Kept scores never show a draft to an anonymous visitor, in this process
// or another; publishing shows the period without scoring it again; a
// correction rescores it, the visitors see the corrected figures and the
// correction's snapshot holds them.
func TestKeptScoresPublishAndCorrect(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the demo on both databases (slow)")
	}
	storetest.Run(t, testKeptScoresPublishAndCorrect)
}

func testKeptScoresPublishAndCorrect(t *testing.T, db storetest.DB) {
	ctx := t.Context()
	st, im := demoStore(t, db)
	svc := New(st, schemes(t))
	keepAll(t, svc)
	april, may := scoring.MustPeriod("2024-04"), scoring.MustPeriod("2024-05")
	const unit, metric = "BK.SGDDT", "ON_TIME_PROCESSING"
	anon := func(s *Service, p scoring.Period) *scoring.UnitScore {
		t.Helper()
		d := NewDrafts(s, st)
		ps, err := d.Period(NewContext(ctx, NewViewer(nil, st)), p)
		if err != nil {
			t.Fatal(err)
		}
		return ps.Unit(unit)
	}
	if us := anon(svc, april); us.HasData {
		t.Fatalf("a draft reached an anonymous visitor: %s of %s", april, unit)
	}
	if _, err := st.Publish(ctx, april.String(), store.Actor{Name: "vanphong"}, SnapshotFunc(svc)); err != nil {
		t.Fatal(err)
	}
	cs := &countedStore{Store: st}
	other := New(cs, schemes(t))
	for _, s := range []*Service{svc, other} {
		if us := anon(s, april); !us.HasData {
			t.Fatalf("published %s not shown", april)
		}
		if us := anon(s, may); us.HasData {
			t.Fatalf("a kept draft reached an anonymous visitor: %s", may)
		}
	}
	if cs.counted.Load() != 0 {
		t.Errorf("publishing had %d periods scored again", cs.counted.Load())
	}

	// A correction of April: scored again, shown, frozen in its revision.
	before, err := svc.Period(ctx, april)
	if err != nil {
		t.Fatal(err)
	}
	den := before.Unit(unit).Metric(metric).Counts.Den
	file := "period,unit_code,metric,numerator,denominator\n2024-04," + unit + "," + metric + ",1," + itoa(den) + "\n"
	corr := store.WithCorrection(ctx, store.Correction{Reason: "Sở GD&ĐT gửi lại số liệu tháng 4", By: store.Actor{Name: "vanphong"}})
	if _, err := im.Import(corr, "sua.csv", bytes.NewReader([]byte(file)), models.SourceCLI, false); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Service{svc, other} {
		if got := anon(s, april).Metric(metric).Counts; got.Num != 1 {
			t.Fatalf("after the correction the public sees %+v", got)
		}
	}
	if n, err := st.CompleteRevisions(ctx, SnapshotFunc(svc)); err != nil || n != 1 {
		t.Fatalf("completed %d revisions: %v", n, err)
	}
	revs, err := st.Revisions(ctx, april.String())
	if err != nil || len(revs) != 2 || revs[1].Snapshot == nil {
		t.Fatalf("revisions %+v %v", revs, err)
	}
	snap, err := ParseSnapshot([]byte(*revs[1].Snapshot))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range snap.Units {
		for _, g := range u.Groups {
			for _, m := range g.Metrics {
				if u.Code == unit && m.Code == metric {
					found = m.Numerator != nil && *m.Numerator == 1
				}
			}
		}
	}
	if !found {
		t.Fatal("the correction's snapshot does not hold the corrected count")
	}
}

// Warm keeps the months it scored in the database (in the background;
// Wait waits for it): another process reads them back without scoring.
func TestWarmKeepsTheLatestMonths(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the demo on both databases (slow)")
	}
	storetest.Run(t, func(t *testing.T, db storetest.DB) {
		ctx := t.Context()
		st, _ := demoStore(t, db)
		svc := New(st, schemes(t))
		if err := svc.Warm(ctx); err != nil {
			t.Fatal(err)
		}
		svc.Wait()
		cs := &countedStore{Store: st}
		other := New(cs, schemes(t))
		months := warmPeriods(svc.cur.Load().engine.Periods())
		for _, p := range months {
			if _, err := other.Period(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		// The demo has data before its latest twelve months: the month
		// before them is kept too, for the oldest row of a rank history.
		if len(months) != 13 || cs.counted.Load() != 0 || cs.read.Load() != 13 {
			t.Fatalf("another process scored %d and read %d of the %d warmed months, want all 13 read", cs.counted.Load(), cs.read.Load(), len(months))
		}

		// A period read back is that period alone; asked for with
		// ReadAhead (a page showing the changes since the month before),
		// it starts reading the standings of the month before at once,
		// from their kept totals: no other whole period is read.
		cs = &countedStore{Store: st}
		fourth := New(cs, schemes(t))
		if _, err := fourth.Period(ctx, months[0]); err != nil {
			t.Fatal(err)
		}
		if g := fourth.cur.Load(); cs.read.Load() != 1 || g.keptStandings(months[1], g.versions.Of(months[1].String())) != nil {
			t.Fatalf("a period without ReadAhead: %d months read back, want 1, and nothing read ahead", cs.read.Load())
		}
		cs = &countedStore{Store: st}
		fifth := New(cs, schemes(t))
		if _, err := fifth.Period(ReadAhead(ctx), months[0]); err != nil {
			t.Fatal(err)
		}
		g := fifth.cur.Load()
		v := g.versions.Of(months[1].String())
		for deadline := time.Now().Add(10 * time.Second); g.keptStandings(months[1], v) == nil; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the standings of the month before were not read ahead")
			}
		}
		prev, err := fifth.Standings(ctx, months[1])
		if err != nil {
			t.Fatal(err)
		}
		if prev != g.keptStandings(months[1], v) || prev.Period != months[1] || cs.read.Load() != 1 || cs.counted.Load() != 0 {
			t.Fatalf("read ahead: %d months read back and %d scored, want the page's month only", cs.read.Load(), cs.counted.Load())
		}

		// A third process warming on the warmed database reads back the
		// newest two months only: a trend reads the others' kept totals.
		cs = &countedStore{Store: st}
		third := New(cs, schemes(t))
		if err := third.Warm(ctx); err != nil {
			t.Fatal(err)
		}
		third.Wait()
		if cs.counted.Load() != 0 || cs.read.Load() != 2 {
			t.Fatalf("a process warming on a warmed database scored %d months and read %d back, want 2 read", cs.counted.Load(), cs.read.Load())
		}
		e, err := third.Engine(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range e.Units() {
			if _, err := third.Points(ctx, u.Code, months); err != nil {
				t.Fatal(err)
			}
		}
		if cs.counted.Load() != 0 || cs.read.Load() != 2 {
			t.Fatalf("the trends of every unit scored %d months and read %d back, want none more", cs.counted.Load(), cs.read.Load()-2)
		}

		// A few units' whole scores among the standings: the kept scores
		// are read from the database once, then from memory for the next
		// page asking for other units of the same period.
		cs = &countedStore{Store: st}
		sixth := New(cs, schemes(t))
		units := e.Units()
		for _, code := range []string{units[0].Code, units[len(units)/2].Code, units[len(units)-1].Code} {
			ps, err := sixth.StandingsWith(ctx, months[3], code)
			if err != nil {
				t.Fatal(err)
			}
			if us := ps.Units[code]; us == nil || len(us.Groups) == 0 || len(us.Groups[0].Metrics) == 0 {
				t.Fatalf("%s's whole scores of %s not among the standings", code, months[3])
			}
		}
		if cs.read.Load() != 1 || cs.counted.Load() != 0 {
			t.Fatalf("three units' scores of one period read the kept scores %d times and scored %d periods, want once and none", cs.read.Load(), cs.counted.Load())
		}

		// Totals an earlier version of the program kept (form ST2: no
		// standings in them) are not taken as kept: the next process to
		// warm keeps them again in the current form.
		old := months[len(months)-1]
		v = g.versions.Of(old.String())
		kept, err := st.SavedTotals(ctx, map[string]int64{old.String(): v})
		if err != nil || len(kept[old.String()]) == 0 {
			t.Fatalf("totals of %s: %v", old, err)
		}
		body, err := st.SavedScores(ctx, old.String(), v)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SaveScores(ctx, old.String(), v, body, totalsOlder(t, kept[old.String()], 2)); err != nil {
			t.Fatal(err)
		}
		upgraded := New(st, schemes(t))
		if err := upgraded.Warm(ctx); err != nil {
			t.Fatal(err)
		}
		upgraded.Wait()
		again, err := st.SavedTotals(ctx, map[string]int64{old.String(): v})
		if err != nil {
			t.Fatal(err)
		}
		if got := again[old.String()]; !bytes.Equal(got, kept[old.String()]) {
			t.Fatalf("totals of %s after a warm over the older form: %.3q, want the current form again", old, got)
		}
	})
}
