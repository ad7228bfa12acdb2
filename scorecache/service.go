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

	"scorecard/scoring"
)

// Source is what the service needs from the store.
type Source interface {
	// DataVersion changes whenever the counts or units change.
	DataVersion(ctx context.Context) (int64, error)
	Dataset(ctx context.Context) (*scoring.Dataset, error)
	HasDemo(ctx context.Context) (bool, error)
}

// Service caches the engine and its period results per data version.
type Service struct {
	src     Source
	schemes *scoring.Schemes

	mu      sync.Mutex
	version int64
	loaded  bool
	engine  *scoring.Engine
	demo    bool
	periods map[scoring.Period]*scoring.PeriodScores
	// raw are the engine's own scores of the periods, without the
	// portal's published figures (official.go), for the reconciliation.
	raw map[scoring.Period]*scoring.PeriodScores
	// days caches the day-by-day replays of running periods (portal.go).
	days map[daysKey]*Days
	// replaying: the replays started in the background, with the data
	// version they started on (portal_days.go).
	replaying map[daysKey]int64
	// dayAt keeps a few moments of running periods (portal_days.go).
	dayAt map[dayAtKey]*Day
}

// New returns a service over the store and schemes.
func New(src Source, schemes *scoring.Schemes) *Service {
	return &Service{src: src, schemes: schemes}
}

// Schemes returns the loaded schemes.
func (s *Service) Schemes() *scoring.Schemes { return s.schemes }

// refresh reloads the dataset when the data version moved. It holds the lock
// while loading so that concurrent requests after an import wait for one
// reload instead of each doing it.
func (s *Service) refresh(ctx context.Context) error {
	v, err := s.src.DataVersion(ctx)
	if err != nil {
		return fmt.Errorf("scorecache: data version: %w", err)
	}
	if s.loaded && v == s.version {
		return nil
	}
	ds, err := s.src.Dataset(ctx)
	if err != nil {
		return fmt.Errorf("scorecache: load dataset: %w", err)
	}
	demo, err := s.src.HasDemo(ctx)
	if err != nil {
		return fmt.Errorf("scorecache: demo flag: %w", err)
	}
	s.engine = scoring.NewEngine(s.schemes, ds)
	s.periods = map[scoring.Period]*scoring.PeriodScores{}
	s.raw = map[scoring.Period]*scoring.PeriodScores{}
	s.days = map[daysKey]*Days{}
	s.version, s.loaded, s.demo = v, true, demo
	return nil
}

// Engine returns the engine for the current data.
func (s *Service) Engine(ctx context.Context) (*scoring.Engine, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	return s.engine, nil
}

// Period returns every unit's scores in p, with the portal's published
// figures in place of ours where it published them (the figures every
// page, download and API answer shows); ours stay in the result
// (scoring.PeriodScores.Recomputed) for the what-if and the points at
// stake.
func (s *Service) Period(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	if ps, ok := s.periods[p]; ok {
		return ps, nil
	}
	raw := s.rawLocked(p)
	pub, err := s.published(ctx, p)
	if err != nil {
		return nil, err
	}
	ps := raw.WithPublished(pub)
	s.periods[p] = ps
	return ps, nil
}

// Recomputed returns every unit's scores in p as our engine computes them
// from the counts, without any published figure: what the reconciliation
// compares with the portal's.
func (s *Service) Recomputed(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	return s.rawLocked(p), nil
}

func (s *Service) rawLocked(p scoring.Period) *scoring.PeriodScores {
	if ps, ok := s.raw[p]; ok {
		return ps
	}
	ps := s.engine.Score(p)
	s.raw[p] = ps
	return ps
}

// Demo reports whether the demo data set is loaded (pages show a banner).
func (s *Service) Demo(ctx context.Context) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(ctx); err != nil {
		return false, err
	}
	return s.demo, nil
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
