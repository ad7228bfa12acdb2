// Package scorecache keeps the engine's results for the web layer. Scores are
// derived data: recomputed from the counts in the store, never stored. The
// dataset is reloaded only when an import has changed the data (the store's
// data version), and each period's results are kept until then, so a page
// view costs a version check and map look-ups.
package scorecache

import (
	"context"
	"fmt"
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
}

// generation is what the service derived from one data version.
type generation struct {
	version int64
	engine  *scoring.Engine
	demo    bool

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
	// dayAt keeps a few moments of running periods (portal_days.go).
	dayAt map[dayAtKey]*Day
}

// scored is one period's scores, computed once: the first request
// computes them outside the generation's lock, the others wait for done.
// ps stays nil when the computation failed; the entry is then gone from
// its map and each waiter computes on its own.
type scored struct {
	done chan struct{}
	ps   *scoring.PeriodScores
	used uint64
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
	// The version is read before the data: if an import commits in
	// between, the next call sees a newer version and loads again.
	ds, err := s.src.Dataset(ctx)
	if err != nil {
		return nil, fmt.Errorf("scorecache: load dataset: %w", err)
	}
	demo, err := s.src.HasDemo(ctx)
	if err != nil {
		return nil, fmt.Errorf("scorecache: demo flag: %w", err)
	}
	g := &generation{version: st.Data, engine: scoring.NewEngine(s.schemes, ds), demo: demo,
		periods: map[scoring.Period]*scored{}, raw: map[scoring.Period]*scored{}, days: map[daysKey]*Days{},
		replaying: map[daysKey]bool{}, dayAt: map[dayAtKey]*Day{}}
	s.cur.Store(g)
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
	return g.once(g.periods, p, func() (*scoring.PeriodScores, error) {
		raw, err := g.once(g.raw, p, g.score(p))
		if err != nil {
			return nil, err
		}
		pub, err := s.published(ctx, p)
		if err != nil {
			return nil, err
		}
		return raw.WithPublished(pub), nil
	})
}

// Recomputed returns every unit's scores in p as our engine computes them
// from the counts, without any published figure: what the reconciliation
// compares with the portal's.
func (s *Service) Recomputed(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error) {
	g, err := s.gen(ctx)
	if err != nil {
		return nil, err
	}
	return g.once(g.raw, p, g.score(p))
}

// score is the engine's scoring of p.
func (g *generation) score(p scoring.Period) func() (*scoring.PeriodScores, error) {
	return func() (*scoring.PeriodScores, error) { return g.engine.Score(p), nil }
}

// once computes p's entry of m once: a request for another period, or for
// the same one already computed, does not wait for it.
func (g *generation) once(m map[scoring.Period]*scored, p scoring.Period, compute func() (*scoring.PeriodScores, error)) (*scoring.PeriodScores, error) {
	g.mu.Lock()
	g.uses++
	if sc, ok := m[p]; ok {
		sc.used = g.uses
		g.mu.Unlock()
		<-sc.done
		if sc.ps != nil {
			return sc.ps, nil
		}
		// The request computing it failed: try here.
		return compute()
	}
	sc := &scored{done: make(chan struct{}), used: g.uses}
	m[p] = sc
	if len(m) > maxPeriods {
		evictLocked(m)
	}
	g.mu.Unlock()
	ok := false
	defer func() {
		if !ok {
			// Not kept: a later request computes it again.
			g.mu.Lock()
			if m[p] == sc {
				delete(m, p)
			}
			g.mu.Unlock()
		}
		close(sc.done)
	}()
	ps, err := compute()
	if err != nil {
		return nil, err
	}
	sc.ps, ok = ps, true
	return ps, nil
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

// Warm computes the newest month and the eleven before it (what the
// overview shows) so that the first visitor after a start does not pay for
// loading and scoring them. Errors are returned for logging only: a cold
// cache is slower, not wrong.
func (s *Service) Warm(ctx context.Context) error {
	e, err := s.Engine(ctx)
	if err != nil {
		return err
	}
	for _, p := range e.Periods() {
		if p.Kind != scoring.Month {
			continue
		}
		for i := 0; i < 12; i++ {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if _, err := s.Period(ctx, p); err != nil {
				return err
			}
			p = p.Prev()
		}
		return nil
	}
	return nil
}
