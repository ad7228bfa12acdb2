package scorecache

import (
	"context"
	"fmt"
	"time"

	"scorecard/report"
	"scorecard/scoring"
	"scorecard/store"
)

// Optional abilities of the Source. The store has both; a Source without
// them (a test's in-memory data) gives no published results and no time of
// change, which the pages treat as "not imported" and "unknown".
type (
	officialStore interface {
		OfficialResults(ctx context.Context) ([]store.OfficialResult, error)
	}
	modifiedStore interface {
		DataModified(ctx context.Context) (time.Time, error)
	}
)

// OfficialResults are the results the national portal published, as
// imported (store.ImportOfficialResults), for the national rank the report
// and the overview state. They are read on each call: a small table.
func (s *Service) OfficialResults(ctx context.Context) ([]report.OfficialResult, error) {
	src, ok := s.src.(officialStore)
	if !ok {
		return nil, nil
	}
	rows, err := src.OfficialResults(ctx)
	if err != nil {
		return nil, fmt.Errorf("scorecache: official results: %w", err)
	}
	out := make([]report.OfficialResult, 0, len(rows))
	for _, r := range rows {
		p, err := scoring.ParsePeriod(r.Period)
		if err != nil {
			// The importer stores canonical periods only; a row that is
			// not one cannot match a report's period anyway.
			continue
		}
		out = append(out, report.OfficialResult{Period: p, UnitCode: r.UnitCode, Total: r.Total, Rank: r.Rank, RankOf: r.RankOf})
	}
	return out, nil
}

// published is what the portal published for p (for the units given, or
// every unit), unit by unit, as the latest captures have it (a published
// null left out); nil when the source keeps no captures.
func (s *Service) published(ctx context.Context, p scoring.Period, units ...string) (map[string]scoring.Published, error) {
	src, ok := s.src.(portalStore)
	if !ok {
		return nil, nil
	}
	rows, err := src.OfficialScores(ctx, p.String(), units...)
	if err != nil {
		return nil, fmt.Errorf("scorecache: published scores of %s: %w", p, err)
	}
	out := map[string]scoring.Published{}
	for _, o := range rows {
		if o.Score == nil {
			continue
		}
		u, ok := out[o.UnitCode]
		if !ok {
			u = scoring.Published{Groups: map[string]scoring.Cents{}, Metrics: map[string]scoring.Cents{}}
			out[o.UnitCode] = u
		}
		if o.IsGroup {
			u.Groups[o.Item] = *o.Score
		} else {
			u.Metrics[o.Item] = *o.Score
		}
	}
	return out, nil
}

// DataModified is when the data last changed (the store's record of its
// latest change), for open data's Last-Modified; the zero time when
// unknown.
func (s *Service) DataModified(ctx context.Context) (time.Time, error) {
	src, ok := s.src.(modifiedStore)
	if !ok {
		return time.Time{}, nil
	}
	t, err := src.DataModified(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("scorecache: data modified: %w", err)
	}
	return t, nil
}
