// Package scorecache keeps the engine's results for the web layer. Scores are
// derived data, computed from the counts in the store and never edited.
// Each period's results are kept until the data they were computed from
// changes, so a page view costs a version check and map look-ups.
//
// Over the store, nothing loads every count: a period is scored from its
// own counts (store.PeriodCounts), and each period's results carry the
// period's score version (store.ScoreVersions). When the data version
// moves, the periods whose score version did not move keep their results;
// the others are read back from what a process kept in the database
// (store.SavedScores) or scored again. Warm scores and keeps the periods
// the first visitors ask for.
package scorecache

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"scorecard/scoring"
	"scorecard/store"
)

// Source is what the service needs from the store.
type Source interface {
	// DataVersion changes whenever the counts or units change.
	DataVersion(ctx context.Context) (int64, error)
	Dataset(ctx context.Context) (*scoring.Dataset, error)
	HasDemo(ctx context.Context) (bool, error)
}

// periodSource is a Source that reads the counts period by period and
// keeps computed scores (the store). A Source without it (a test's
// in-memory data) is loaded whole.
type periodSource interface {
	ScoreFrame(ctx context.Context) (*store.Frame, error)
	PeriodCounts(ctx context.Context, p scoring.Period) (*scoring.Dataset, int64, error)
	SavedScores(ctx context.Context, period string, version int64) ([]byte, error)
	SaveScores(ctx context.Context, period string, version int64, body, totals []byte) error
}

// stamper is a Source that can say its data version without a query on
// every call (the store: store.Stamp).
type stamper interface {
	Stamp(ctx context.Context) (store.Stamp, error)
}

// maxPeriods bounds the periods whose scores a generation keeps: a
// province's 150 units take some 0,8 MB a period, and a crawler asking for
// every period of several years must not keep them all.
const maxPeriods = 40

// Service caches the engine and its period results per data version.
type Service struct {
	src     Source
	schemes *scoring.Schemes

	// cur is the generation of the current data; loading is held while
	// a new one loads, so that the requests after an import wait for one
	// load instead of each doing it.
	cur     atomic.Pointer[generation]
	loading sync.Mutex

	// keeping is set while a Warm's scores are being written to the
	// database (one writer at a time: the next Warm catches up); keepers
	// counts those writers, for Wait.
	keeping atomic.Bool
	keepers sync.WaitGroup
}

// generation is what the service derived from one data version.
type generation struct {
	version int64
	engine  *scoring.Engine
	demo    bool
	// versions, over a periodSource, is every period's score version as
	// the generation was loaded (nil otherwise: everything was loaded at
	// version).
	versions *store.ScoreVersions

	mu sync.Mutex
	// periods are the scores the pages show, with the portal's published
	// figures in place of ours where it published them; raw are the
	// engine's own, for the reconciliation (official.go).
	periods, raw map[scoring.Period]*scored
	uses         uint64 // a clock for the least recently used period
	// days caches the day-by-day replays of running periods (portal.go).
	days map[daysKey]*Days
	// replaying: the replays started in the background (portal_days.go).
	replaying map[daysKey]bool
	// kept is the score version at which the database holds each
	// period's raw scores, as far as this generation knows.
	kept map[scoring.Period]int64
	// dayAt keeps a few moments of running periods (portal_days.go).
	dayAt map[dayAtKey]*Day
	// totals are kept totals read from the database (totals.go), at the
	// score version of their period.
	totals map[scoring.Period]keptTotals
}

// keptTotals is a period's kept totals and the score version they are of,
// with the standings read from them (nil until asked for) and the kept
// whole scores its pages read a few units from (nil until asked for).
type keptTotals struct {
	version   int64
	body      []byte
	standings *scoring.PeriodScores
	scores    []byte
}

// scored is one period's scores, computed once: the first request
// computes them outside the generation's lock, the others wait for done.
// ps stays nil when the computation failed; the entry is then gone from
// its map and each waiter computes on its own.
type scored struct {
	done chan struct{}
	ps   *scoring.PeriodScores
	used uint64
	// version is the score version the scores were computed at (over a
	// periodSource).
	version int64
}

// New returns a service over the store and schemes.
func New(src Source, schemes *scoring.Schemes) *Service {
	return &Service{src: src, schemes: schemes}
}

// Schemes returns the loaded schemes.
func (s *Service) Schemes() *scoring.Schemes { return s.schemes }

// Stamp is the source's stamp (store.Stamp), or a stamp of its data
// version alone for a source without one.
func (s *Service) Stamp(ctx context.Context) (store.Stamp, error) {
	if st, ok := s.src.(stamper); ok {
		return st.Stamp(ctx)
	}
	v, err := s.src.DataVersion(ctx)
	if err != nil {
		return store.Stamp{}, err
	}
	return store.Stamp{Data: v}, nil
}

// gen returns the generation of the current data, loading it when the
// data version moved.
func (s *Service) gen(ctx context.Context) (*generation, error) {
	st, err := s.Stamp(ctx)
	if err != nil {
		return nil, fmt.Errorf("scorecache: data version: %w", err)
	}
	if g := s.cur.Load(); g != nil && g.version == st.Data {
		return g, nil
	}
	s.loading.Lock()
	defer s.loading.Unlock()
	if g := s.cur.Load(); g != nil && g.version == st.Data {
		return g, nil
	}
	version := st.Data
	// The version is read before the data: if an import commits in
	// between, the next call sees a newer version and loads again.
	if src, ok := s.src.(periodSource); ok {
		g, err := s.loadFrame(ctx, src, st.Data, s.cur.Load())
		if err != nil {
			return nil, err
		}
		s.cur.Store(g)
		return g, nil
	}
	ds, err := s.src.Dataset(ctx)
	if err != nil {
		return nil, fmt.Errorf("scorecache: load dataset: %w", err)
	}
	demo, err := s.src.HasDemo(ctx)
	if err != nil {
		return nil, fmt.Errorf("scorecache: demo flag: %w", err)
	}
	g := newGeneration(version, scoring.NewEngine(s.schemes, ds), demo)
	s.cur.Store(g)
	return g, nil
}

func newGeneration(version int64, e *scoring.Engine, demo bool) *generation {
	return &generation{version: version, engine: e, demo: demo,
		periods: map[scoring.Period]*scored{}, raw: map[scoring.Period]*scored{}, days: map[daysKey]*Days{},
		replaying: map[daysKey]bool{}, dayAt: map[dayAtKey]*Day{}, kept: map[scoring.Period]int64{},
		totals: map[scoring.Period]keptTotals{}}
}

// loadFrame is the generation of data version version over a
// periodSource: the units and the periods with data, no counts. The
// results of prev whose period's score version did not move are kept.
func (s *Service) loadFrame(ctx context.Context, src periodSource, version int64, prev *generation) (*generation, error) {
	f, err := src.ScoreFrame(ctx)
	if err != nil {
		return nil, fmt.Errorf("scorecache: load units and periods: %w", err)
	}
	// A direct Engine.Score (not the service's way: it cannot report an
	// error) reads the period's counts on its own.
	fetch := func(p scoring.Period) (*scoring.Dataset, error) {
		ds, _, err := src.PeriodCounts(context.Background(), p)
		return ds, err
	}
	// The same score epoch means the same units: their index is reused.
	same := prev != nil && prev.versions != nil && prev.versions.Epoch == f.Versions.Epoch
	var e *scoring.Engine
	if same {
		e = prev.engine.WithPeriods(f.Periods, fetch)
	} else {
		e = scoring.NewFrame(s.schemes, f.Units, f.Changes, f.Periods, fetch)
	}
	g := newGeneration(version, e, f.Demo)
	g.versions = &f.Versions
	if same {
		prev.mu.Lock()
		for _, m := range []struct{ from, to map[scoring.Period]*scored }{{prev.raw, g.raw}, {prev.periods, g.periods}} {
			for p, sc := range m.from {
				select {
				case <-sc.done:
				default:
					continue // still being computed for the old data
				}
				if sc.ps != nil && sc.version == f.Versions.Of(p.String()) {
					m.to[p] = &scored{done: sc.done, ps: sc.ps, version: sc.version}
				}
			}
		}
		for p, v := range prev.kept {
			if v == f.Versions.Of(p.String()) {
				g.kept[p] = v
			}
		}
		for p, t := range prev.totals {
			if t.version == f.Versions.Of(p.String()) {
				g.totals[p] = t
			}
		}
		prev.mu.Unlock()
	}
	return g, nil
}

// Engine returns the engine for the current data.
func (s *Service) Engine(ctx context.Context) (*scoring.Engine, error) {
	g, err := s.gen(ctx)
	if err != nil {
		return nil, err
	}
	return g.engine, nil
}

// Period returns every unit's scores in p, with the portal's published
// figures in place of ours where it published them (the figures every
// page, download and API answer shows); ours stay in the result
// (scoring.PeriodScores.Recomputed) for the what-if and the points at
// stake.
func (s *Service) Period(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error) {
	g, err := s.gen(ctx)
	if err != nil {
		return nil, err
	}
	ps, _, err := s.shownNext(ctx, g, p, ctx.Value(aheadKey{}) != nil)
	return ps, err
}

type aheadKey struct{}

// ReadAhead marks ctx as that of a request that asks for the Standings of
// the period before the one it asks Period for next (a page showing the
// changes since then): Period then starts reading them too, on another
// core. Without the mark nothing is read that the request may not need.
func ReadAhead(ctx context.Context) context.Context {
	return context.WithValue(ctx, aheadKey{}, true)
}

// shown is g's scores of p as the pages show them, with their score
// version.
func (s *Service) shown(ctx context.Context, g *generation, p scoring.Period) (*scoring.PeriodScores, int64, error) {
	return s.shownNext(ctx, g, p, false)
}

// shownNext is shown; with ahead, the first computation of p starts reading
// the standings of the period before p too, on another core (ReadAhead):
// its kept totals, or its whole scores where none are kept.
func (s *Service) shownNext(ctx context.Context, g *generation, p scoring.Period, ahead bool) (*scoring.PeriodScores, int64, error) {
	return g.onceVersion(g.periods, p, func() (*scoring.PeriodScores, int64, error) {
		if q := p.Prev(); ahead && g.hasPeriod(q) {
			// Best effort: the page asking for them next reads them again
			// if this failed, or waits for the whole scores being read.
			actx := context.WithValue(context.WithoutCancel(ctx), aheadKey{}, nil)
			go func() { _, _ = s.Standings(actx, q) }()
		}
		return s.computeShown(ctx, g, p)
	})
}

// computeShown computes g's scores of p as the pages show them.
func (s *Service) computeShown(ctx context.Context, g *generation, p scoring.Period) (*scoring.PeriodScores, int64, error) {
	raw, v, err := g.onceVersion(g.raw, p, s.score(ctx, g, p))
	if err != nil {
		return nil, 0, err
	}
	pub, err := s.published(ctx, p)
	if err != nil {
		return nil, 0, err
	}
	return raw.WithPublished(pub), v, nil
}

// Recomputed returns every unit's scores in p as our engine computes them
// from the counts, without any published figure: what the reconciliation
// compares with the portal's.
func (s *Service) Recomputed(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error) {
	g, err := s.gen(ctx)
	if err != nil {
		return nil, err
	}
	return g.once(g.raw, p, s.score(ctx, g, p))
}

// score is the engine's scoring of p, with the score version it was
// computed at: over a periodSource, read back from the database when a
// process kept it at the period's score version, else computed from the
// period's counts.
func (s *Service) score(ctx context.Context, g *generation, p scoring.Period) func() (*scoring.PeriodScores, int64, error) {
	return func() (*scoring.PeriodScores, int64, error) {
		src, ok := s.src.(periodSource)
		if !ok || g.versions == nil {
			return g.engine.Score(p), g.version, nil
		}
		v := g.versions.Of(p.String())
		body, err := src.SavedScores(ctx, p.String(), v)
		switch {
		case err == nil:
			if ps, ok := decodeScores(g.engine, p, body); ok {
				g.markKept(p, v)
				return ps, v, nil
			}
			// Kept by another version of the program (another scheme,
			// other units): scored again below.
		case !errors.Is(err, store.ErrNotFound):
			return nil, 0, fmt.Errorf("scorecache: kept scores of %s: %w", p, err)
		}
		ds, v, err := src.PeriodCounts(ctx, p)
		if err != nil {
			return nil, 0, fmt.Errorf("scorecache: %w", err)
		}
		return g.engine.ScoreFrom(p, ds), v, nil
	}
}

// hasPeriod reports whether p has data in g.
func (g *generation) hasPeriod(p scoring.Period) bool {
	for _, q := range g.engine.Periods() {
		if q == p {
			return true
		}
	}
	return false
}

// markKept notes that the database holds p's raw scores at score version
// v: Warm need not write them again.
func (g *generation) markKept(p scoring.Period, v int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.kept[p] = v
}

// isKept reports whether the database holds p's raw scores at v.
func (g *generation) isKept(p scoring.Period, v int64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	kv, ok := g.kept[p]
	return ok && kv == v
}

// once computes p's entry of m once: a request for another period, or for
// the same one already computed, does not wait for it.
func (g *generation) once(m map[scoring.Period]*scored, p scoring.Period, compute func() (*scoring.PeriodScores, int64, error)) (*scoring.PeriodScores, error) {
	ps, _, err := g.onceVersion(m, p, compute)
	return ps, err
}

// onceVersion is once with the score version of the entry.
func (g *generation) onceVersion(m map[scoring.Period]*scored, p scoring.Period, compute func() (*scoring.PeriodScores, int64, error)) (*scoring.PeriodScores, int64, error) {
	sc, mine := g.claim(m, p)
	if !mine {
		<-sc.done
		if sc.ps != nil {
			return sc.ps, sc.version, nil
		}
		// The request computing it failed: try here.
		return compute()
	}
	finished := false
	defer func() {
		if !finished { // compute panicked: the waiters must not wait forever
			g.finish(m, p, sc, nil, 0, errCodec)
		}
	}()
	ps, v, err := compute()
	finished = true
	g.finish(m, p, sc, ps, v, err)
	return ps, v, err
}

// claim is p's entry of m, made (mine true: the caller computes it and
// calls finish) when there is none.
func (g *generation) claim(m map[scoring.Period]*scored, p scoring.Period) (sc *scored, mine bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.uses++
	if sc, ok := m[p]; ok {
		sc.used = g.uses
		return sc, false
	}
	sc = &scored{done: make(chan struct{}), used: g.uses}
	m[p] = sc
	if len(m) > maxPeriods {
		evictLocked(m)
	}
	return sc, true
}

// finish records the computation of a claimed entry; a failed one is
// forgotten, and a later request computes it again.
func (g *generation) finish(m map[scoring.Period]*scored, p scoring.Period, sc *scored, ps *scoring.PeriodScores, v int64, err error) {
	g.mu.Lock()
	if err == nil {
		sc.ps, sc.version = ps, v
	} else if m[p] == sc {
		delete(m, p)
	}
	g.mu.Unlock()
	close(sc.done)
}

// evictLocked forgets the least recently used period of m that is not
// being computed.
func evictLocked(m map[scoring.Period]*scored) {
	var oldest scoring.Period
	var at uint64
	found := false
	for p, sc := range m {
		select {
		case <-sc.done:
		default:
			continue
		}
		if !found || sc.used < at {
			oldest, at, found = p, sc.used, true
		}
	}
	if found {
		delete(m, oldest)
	}
}

// Demo reports whether the demo data set is loaded (pages show a banner).
func (s *Service) Demo(ctx context.Context) (bool, error) {
	g, err := s.gen(ctx)
	if err != nil {
		return false, err
	}
	return g.demo, nil
}

// Warm makes the first pages of the newest month fast and keeps the latest
// twelve months (what the overview and the unit pages' trends show), and
// the month before them that a unit's rank history compares with, in the
// database, so that the first visitor after a start or an import does not
// pay for scoring them. The newest month and the one before (a page's
// figures and their changes) are held in memory; the other months are
// scored only when the database does not keep them at their score version
// (a unit's trend reads their kept totals, totals.go): a new process on a
// database another one warmed reads two months, not twelve. After an
// import, the periods it did not touch are kept from before and cost
// nothing. Over the store, the months it scored are then written to the
// database in the background, for the other processes on it and the next
// start (Wait waits for that): a write waiting behind a long import never
// holds up the caller, who prepares pages next. Errors are returned for
// logging only: a cold cache is slower, not wrong.
func (s *Service) Warm(ctx context.Context) error {
	g, err := s.gen(ctx)
	if err != nil {
		return err
	}
	periods := warmPeriods(g.engine.Periods())
	_, ok := s.src.(periodSource)
	keeps := ok && g.versions != nil
	kept := map[string]bool{}
	if ks, ok := s.src.(keptLister); ok && keeps {
		versions := map[string]int64{}
		for _, p := range periods {
			versions[p.String()] = g.versions.Of(p.String())
		}
		// Best effort: without the list, every month is scored or read,
		// and written again.
		if k, err := ks.KeptPeriods(ctx, versions, []byte(totalsMagic)); err == nil {
			kept = k
		}
	}
	// todo: the months the database does not keep with totals of the
	// current form, written (again) below. The raw scores of one may be
	// kept, and read back, with totals an earlier version of the program
	// kept, whose standings are not read.
	var todo []scoring.Period
	for i, p := range periods {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if kept[p.String()] {
			g.markKept(p, g.versions.Of(p.String()))
			if i >= 2 {
				continue
			}
		}
		// Without reading ahead: Warm asks for the months it needs.
		if _, _, err := s.shown(ctx, g, p); err != nil {
			return err
		}
		if !kept[p.String()] {
			todo = append(todo, p)
		}
	}
	if keeps && s.keeping.CompareAndSwap(false, true) {
		s.keepers.Add(1)
		go func() {
			defer s.keepers.Done()
			defer s.keeping.Store(false)
			for _, p := range todo {
				// Best effort: a period not kept is scored again by the
				// next process that needs it.
				if s.save(ctx, g, p, true) != nil {
					return
				}
			}
		}()
	}
	return nil
}

// keptLister is a periodSource that lists the periods it keeps (the store).
type keptLister interface {
	KeptPeriods(ctx context.Context, versions map[string]int64, form []byte) (map[string]bool, error)
}

// Wait waits until the scores Warm scored are written to the database (or
// failed to be): before the store closes, and for a measurement of another
// process reading them.
func (s *Service) Wait() { s.keepers.Wait() }

// warmPeriods are the periods Warm computes, given the periods with data
// (newest first): the twelve months up to the newest, and the month before
// them when it has data, which the oldest row of a unit's rank history is
// compared with (a cold unit page would otherwise score it whole).
func warmPeriods(periods []scoring.Period) []scoring.Period {
	for _, p := range periods {
		if p.Kind != scoring.Month {
			continue
		}
		var out []scoring.Period
		q := p
		for i := 0; i < 12; i, q = i+1, q.Prev() {
			out = append(out, q)
		}
		if slices.Contains(periods, q) {
			out = append(out, q)
		}
		return out
	}
	return nil
}

// keep writes p's raw scores to the database if this generation computed
// them and the database does not hold them yet.
func (s *Service) keep(ctx context.Context, g *generation, p scoring.Period) error {
	return s.save(ctx, g, p, false)
}

// save writes p's raw scores and the totals of its figures shown to the
// database; when again, even if this generation read them from it (their
// totals may be of an earlier form: the store keeps the first ones unless
// their totals differ).
func (s *Service) save(ctx context.Context, g *generation, p scoring.Period, again bool) error {
	src, ok := s.src.(periodSource)
	if !ok || g.versions == nil {
		return nil
	}
	ps, v, err := g.onceVersion(g.raw, p, s.score(ctx, g, p))
	if err != nil {
		return err
	}
	if !again && g.isKept(p, v) {
		return nil
	}
	body, err := encodeScores(g.engine, ps)
	if err != nil {
		return nil // not a form the database keeps: computed on each start
	}
	// The totals of the figures shown, kept with them when they are of the
	// same version (a unit's trend reads them, totals.go).
	var totals []byte
	if shown, sv, err := s.shown(ctx, g, p); err == nil && sv == v {
		if t, err := encodeTotals(g.engine, shown); err == nil {
			totals = t
		}
	}
	if err := src.SaveScores(ctx, p.String(), v, body, totals); err != nil {
		return fmt.Errorf("scorecache: %w", err)
	}
	g.markKept(p, v)
	return nil
}
