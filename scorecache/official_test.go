package scorecache

import (
	"context"
	"errors"
	"testing"
	"time"

	"scorecard/scoring"
	"scorecard/store"
)

// officialSource is a Source that also holds published results and a time
// of change, as the store does.
type officialSource struct {
	countingSource
	rows []store.OfficialResult
	at   time.Time
	err  error
}

func (s *officialSource) OfficialResults(context.Context) ([]store.OfficialResult, error) {
	return s.rows, s.err
}

func (s *officialSource) DataModified(context.Context) (time.Time, error) { return s.at, s.err }

func TestOfficialResultsAndDataModified(t *testing.T) {
	ctx := context.Background()
	// A source without them: nothing imported, time unknown.
	plain := New(&countingSource{ds: dataset(1)}, schemes(t))
	if got, err := plain.OfficialResults(ctx); err != nil || got != nil {
		t.Errorf("plain source: %+v, %v", got, err)
	}
	if m, err := plain.DataModified(ctx); err != nil || !m.IsZero() {
		t.Errorf("plain source: %v, %v", m, err)
	}

	at := time.Date(2024, 5, 5, 9, 30, 0, 0, time.UTC)
	src := &officialSource{countingSource: countingSource{ds: dataset(1)}, at: at, rows: []store.OfficialResult{
		{Period: "2024-04", UnitCode: "BK", Total: 7535, Rank: 12, RankOf: 63},
		{Period: "not a period", UnitCode: "BK", Total: 1, Rank: 1, RankOf: 1},
	}}
	svc := New(src, schemes(t))
	got, err := svc.OfficialResults(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Period != scoring.MustPeriod("2024-04") || got[0].UnitCode != "BK" ||
		got[0].Total != 7535 || got[0].Rank != 12 || got[0].RankOf != 63 {
		t.Errorf("converted: %+v", got)
	}
	if m, err := svc.DataModified(ctx); err != nil || !m.Equal(at) {
		t.Errorf("data modified: %v, %v", m, err)
	}
	src.err = errors.New("disk on fire")
	if _, err := svc.OfficialResults(ctx); !errors.Is(err, src.err) {
		t.Errorf("error not wrapped: %v", err)
	}
	if _, err := svc.DataModified(ctx); !errors.Is(err, src.err) {
		t.Errorf("error not wrapped: %v", err)
	}
}
