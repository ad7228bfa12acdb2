package scorecache

import (
	"context"
	"fmt"
	"sort"
	"time"

	"scorecard/scoring"
)

// The pages of a running period read it day by day: the moments of its
// captures (the "as of" notice, the days a week report compares), two or
// three moments by index (DayAt: the movers) and, for a unit's chart, the
// whole series (Days), which costs seconds to replay for a year of daily
// captures of a large province. A page never waits for that replay:
// DaysReady answers what is ready and starts the replay in the
// background, and WarmDays replays the running periods when the server
// starts.

// Moments lists the moments of a province's captures of p, oldest first
// (none: nothing captured, or a source without portal data).
func (s *Service) Moments(ctx context.Context, p scoring.Period, province string) ([]time.Time, error) {
	src, err := s.portal()
	if err != nil {
		return nil, nil
	}
	caps, err := src.PortalCaptures(ctx, province, p.String())
	if err != nil {
		return nil, fmt.Errorf("scorecache: moments: %w", err)
	}
	out := make([]time.Time, 0, len(caps))
	for _, c := range caps {
		out = append(out, c.AsOf)
	}
	return out, nil
}

// DaysReady is Days when its replay is done (ok true); otherwise it starts
// the replay in the background, once, and answers ok false at once.
func (s *Service) DaysReady(ctx context.Context, p scoring.Period, province string) (*Days, bool, error) {
	k := daysKey{p, province}
	g, err := s.gen(ctx)
	if err != nil {
		return nil, false, err
	}
	g.mu.Lock()
	if d, ok := g.days[k]; ok {
		g.mu.Unlock()
		return d, true, nil
	}
	if g.replaying[k] {
		g.mu.Unlock()
		return nil, false, nil
	}
	g.replaying[k] = true
	g.mu.Unlock()
	go func() {
		// Detached from the request: the replay serves the next visitors.
		_, _ = s.Days(context.WithoutCancel(ctx), p, province)
		g.mu.Lock()
		delete(g.replaying, k)
		g.mu.Unlock()
	}()
	return nil, false, nil
}

// WarmDays replays the day-by-day series of every province's running
// periods captured from the portal (those whose latest capture precedes
// their end), so that the first visitor of a unit page after a start sees
// its chart. Errors are for logging only.
func (s *Service) WarmDays(ctx context.Context) error {
	src, err := s.portal()
	if err != nil {
		return nil
	}
	e, err := s.Engine(ctx)
	if err != nil {
		return err
	}
	for _, prov := range e.Provinces() {
		caps, err := src.PortalCaptures(ctx, prov.Code, "")
		if err != nil {
			return fmt.Errorf("scorecache: warm days: %w", err)
		}
		latest := map[string]time.Time{}
		for _, c := range caps {
			latest[c.Period] = c.AsOf
		}
		for period, at := range latest {
			p, err := scoring.ParsePeriod(period)
			if err != nil || !at.Before(p.End()) {
				continue
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if _, err := s.Days(ctx, p, prov.Code); err != nil {
				return err
			}
		}
	}
	return nil
}

type dayAtKey struct {
	p        scoring.Period
	province string
	at       int64
}

// maxDayAt bounds the moments kept: a page reads three (now, the day
// before, the week before), a week report two more.
const maxDayAt = 64

// DayAtCached is DayAt kept until the data changes: the overview, the
// rankings and the week report ask for the same few moments on every
// visit. A moment closing a day of a replayed series (Days, WarmDays) is
// taken from it.
func (s *Service) DayAtCached(ctx context.Context, p scoring.Period, province string, at time.Time) (*Day, error) {
	g, err := s.gen(ctx)
	if err != nil {
		return nil, err
	}
	k := dayAtKey{p, province, at.UnixNano()}
	g.mu.Lock()
	d, ok := g.dayAt[k]
	if days, replayed := g.days[daysKey{p, province}]; !ok && replayed {
		// A day's close of a replayed series is already there.
		i := sort.Search(len(days.Days), func(i int) bool { return !days.Days[i].AsOf.Before(at) })
		if i < len(days.Days) && days.Days[i].AsOf.Equal(at) {
			d, ok = &days.Days[i], true
		}
	}
	g.mu.Unlock()
	if ok {
		return d, nil
	}
	d, err = s.DayAt(ctx, p, province, at)
	if err != nil {
		return nil, err
	}
	// Kept only if the data did not move meanwhile.
	if s.cur.Load() == g {
		g.mu.Lock()
		if len(g.dayAt) >= maxDayAt {
			clear(g.dayAt)
		}
		g.dayAt[k] = d
		g.mu.Unlock()
	}
	return d, nil
}
