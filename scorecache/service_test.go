package scorecache

import (
	"context"
	"errors"
	"strings"
	"testing"

	"scorecard/data"
	"scorecard/scoring"
)

// countingSource is an in-memory store: the data version moves when the
// test changes the counts, as an import would.
type countingSource struct {
	version int64
	ds      *scoring.Dataset
	loads   int
	fail    error
}

func (s *countingSource) DataVersion(context.Context) (int64, error) { return s.version, s.fail }
func (s *countingSource) Dataset(context.Context) (*scoring.Dataset, error) {
	s.loads++
	return s.ds, nil
}
func (s *countingSource) HasDemo(context.Context) (bool, error) { return false, nil }

func schemes(t testing.TB) *scoring.Schemes {
	t.Helper()
	s, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dataset(n int64) *scoring.Dataset {
	return &scoring.Dataset{
		Units: []scoring.Unit{{Code: "P", Name: "Tỉnh P", Kind: scoring.KindProvince}, {Code: "P.A", Name: "Sở A", Kind: scoring.KindAgency, ParentCode: "P"}},
		Own:   map[scoring.Key]scoring.Counts{{Period: "2024-04", Unit: "P.A", Metric: "ON_TIME_PROCESSING"}: scoring.C(n, 10)},
	}
}

func TestCachesUntilTheDataVersionMoves(t *testing.T) {
	ctx := context.Background()
	src := &countingSource{version: 1, ds: dataset(10)}
	svc := New(src, schemes(t))
	p := scoring.MustPeriod("2024-04")
	a, err := svc.Period(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.Period(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if a != b || src.loads != 1 {
		t.Fatalf("second read recomputed: same=%v loads=%d", a == b, src.loads)
	}
	if got := a.Unit("P.A").Metric("ON_TIME_PROCESSING").Points; got != 2000 {
		t.Fatalf("points %s", got)
	}
	// An import: new counts, new version; the next read sees them.
	src.ds, src.version = dataset(5), 2
	c, err := svc.Period(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if src.loads != 2 || c.Unit("P.A").Metric("ON_TIME_PROCESSING").Points != 1000 {
		t.Fatalf("after the version moved: loads=%d points=%s", src.loads, c.Unit("P.A").Metric("ON_TIME_PROCESSING").Points)
	}
}

func TestStoreErrorsAreWrapped(t *testing.T) {
	boom := errors.New("disk on fire")
	svc := New(&countingSource{fail: boom}, schemes(t))
	_, err := svc.Engine(context.Background())
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "scorecache:") {
		t.Fatalf("err %v", err)
	}
}

func TestWarmFillsTheLatestMonths(t *testing.T) {
	src := &countingSource{version: 1, ds: dataset(10)}
	svc := New(src, schemes(t))
	if err := svc.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	g := svc.cur.Load()
	g.mu.Lock()
	_, ok := g.periods[scoring.MustPeriod("2024-04")]
	_, prev := g.periods[scoring.MustPeriod("2023-05")]
	n := len(g.periods)
	g.mu.Unlock()
	if !ok || !prev || n != 12 {
		t.Fatalf("warmed %d periods (04/2024 %v, 05/2023 %v), want the 12 months up to 04/2024", n, ok, prev)
	}
}

// Warm keeps the month before the twelve when it has data (the oldest row
// of a unit's rank history is compared with it), not a month without.
func TestWarmPeriodsTakeTheMonthBeforeWithData(t *testing.T) {
	var periods []scoring.Period // newest first, as the engine lists them
	for p := scoring.MustPeriod("2024-04"); p != scoring.MustPeriod("2023-03"); p = p.Prev() {
		periods = append(periods, p)
	}
	got := warmPeriods(periods)
	if len(got) != 13 || got[0] != periods[0] || got[12] != scoring.MustPeriod("2023-04") {
		t.Errorf("warmed %v, want 04/2024 back to 04/2023", got)
	}
	if got := warmPeriods(periods[:12]); len(got) != 12 || got[11] != scoring.MustPeriod("2023-05") {
		t.Errorf("without data before 05/2023: warmed %v, want 04/2024 back to 05/2023", got)
	}
}
