package scorecache

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"scorecard/report"
	"scorecard/scoring"
	"scorecard/store"
)

// Snapshot is the frozen JSON of a published period's scores: one
// revision of its publication (store.Publish, store.Correct). It is written
// once and read back to show an old revision, so its fields only grow.
// Scores are Cents, written as numbers with two decimals.
type Snapshot struct {
	Period     string             `json:"period"`
	Kind       scoring.PeriodKind `json:"kind"`
	Scheme     string             `json:"scheme"`
	ComputedAt time.Time          `json:"computed_at"`
	Units      []SnapshotUnit     `json:"units"`
}

// SnapshotUnit is one unit of a snapshot, with its rank as the rankings
// show it (provinces among provinces, other kinds within their province).
type SnapshotUnit struct {
	Code          string          `json:"code"`
	Name          string          `json:"name"`
	Kind          string          `json:"kind"`
	ParentCode    string          `json:"parent_code,omitempty"`
	Province      string          `json:"province,omitempty"`
	HasData       bool            `json:"has_data"`
	Total         Cents           `json:"total"`
	MaxTotal      Cents           `json:"max_total"`
	Band          string          `json:"band,omitempty"`
	BandCode      string          `json:"band_code,omitempty"`
	Rank          *int            `json:"rank"`
	RankOf        int             `json:"rank_of"`
	Provisional   bool            `json:"provisional,omitempty"`
	MonthsCovered int             `json:"months_covered,omitempty"`
	Groups        []SnapshotGroup `json:"groups"`
	// Official: figures of the unit are the portal's published ones, its
	// total their sum (scoring.UnitScore.Official; groups and metrics say
	// which). A revision keeps what the public saw, not our recomputation.
	Official bool `json:"official,omitempty"`
	// OfficialRank and OfficialRankOf are the national rank the portal
	// published for the unit in the period ("7/34"), as imported when the
	// revision was made; absent when none was. Rank and RankOf are among
	// the units held.
	OfficialRank   *int `json:"official_rank,omitempty"`
	OfficialRankOf *int `json:"official_rank_of,omitempty"`
}

// SnapshotGroup is one group of a unit.
type SnapshotGroup struct {
	Code    string           `json:"code"`
	Score   Cents            `json:"score"`
	Max     Cents            `json:"max"`
	Metrics []SnapshotMetric `json:"metrics"`
	// Official: Score is the portal's published score; OfficialOnly: it
	// was published without any counts behind it ("theo Cổng DVCQG, không
	// có số liệu chi tiết"), as scoring.GroupScore has them.
	Official     bool `json:"official,omitempty"`
	OfficialOnly bool `json:"official_only,omitempty"`
}

// SnapshotMetric is one metric of a unit, with its counts (null without).
type SnapshotMetric struct {
	Code        string             `json:"code"`
	Numerator   *int64             `json:"numerator"`
	Denominator *int64             `json:"denominator"`
	Ratio       *Cents             `json:"ratio"`
	Points      Cents              `json:"points"`
	Max         Cents              `json:"max"`
	Scored      bool               `json:"scored"`
	NoData      bool               `json:"no_data,omitempty"`
	Source      scoring.Source     `json:"source"`
	Derived     scoring.Derivation `json:"derived,omitempty"`
	// Official: Points are the portal's published points.
	Official bool `json:"official,omitempty"`
}

// Cents is a score in a snapshot: scoring.Cents, which JSON can also read
// back (a number with two decimals).
type Cents scoring.Cents

// MarshalJSON writes 31.50.
func (c Cents) MarshalJSON() ([]byte, error) { return scoring.Cents(c).MarshalJSON() }

// UnmarshalJSON reads 31.50 exactly (no float on the way).
func (c *Cents) UnmarshalJSON(b []byte) error {
	v, err := scoring.ParseCents(string(b))
	if err != nil {
		return fmt.Errorf("scorecache: snapshot score %s: %w", b, err)
	}
	*c = Cents(v)
	return nil
}

// ParseSnapshot reads a revision's snapshot back. A snapshot written
// before a field was added reads with it zero (false, absent).
func ParseSnapshot(b []byte) (*Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("scorecache: read snapshot: %w", err)
	}
	return &s, nil
}

// Snapshotter is what a snapshot is computed from: the service itself.
// (Never a view filtered for a visitor: a snapshot holds every unit.)
// Period gives the scores as the pages show them, the portal's published
// figures over our recomputation, which is what a revision freezes.
type Snapshotter interface {
	Engine(ctx context.Context) (*scoring.Engine, error)
	Period(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error)
	OfficialResults(ctx context.Context) ([]report.OfficialResult, error)
}

// SnapshotFunc computes snapshots with the service, for store.Publish,
// store.Correct and store.CompleteRevisions. It is shared by the command
// line (scorecard publish, import --publish/--correction) and the staff
// pages, so that a period published from either is frozen the same way. A
// period without data gives an error wrapping store.ErrNoData.
func SnapshotFunc(svc Snapshotter) store.SnapshotFunc {
	return func(ctx context.Context, period string) ([]byte, error) {
		p, err := scoring.ParsePeriod(period)
		if err != nil {
			return nil, fmt.Errorf("scorecache: snapshot: %w", err)
		}
		e, err := svc.Engine(ctx)
		if err != nil {
			return nil, fmt.Errorf("scorecache: snapshot: %w", err)
		}
		has := false
		for _, q := range e.Periods() {
			has = has || q == p
		}
		if !has {
			return nil, fmt.Errorf("scorecache: snapshot of %s: %w", period, store.ErrNoData)
		}
		ps, err := svc.Period(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("scorecache: snapshot: %w", err)
		}
		official, err := svc.OfficialResults(ctx)
		if err != nil {
			return nil, fmt.Errorf("scorecache: snapshot: %w", err)
		}
		b, err := json.Marshal(BuildSnapshot(e, ps, official, time.Now().UTC()))
		if err != nil {
			return nil, fmt.Errorf("scorecache: snapshot: %w", err)
		}
		return b, nil
	}
}

// BuildSnapshot lays out a period's scores as a snapshot, units by code:
// the units that exist in the period (scoring.Unit.ExistsIn), as it is
// ranked; a unit merged away before it, or created after it, is not part of
// the period's record. official are the portal's published results, of
// which those of ps's period give the units' national ranks.
func BuildSnapshot(e *scoring.Engine, ps *scoring.PeriodScores, official []report.OfficialResult, at time.Time) Snapshot {
	// Ranks as the rankings show them: provinces among provinces, the
	// other kinds within their province.
	type rank struct{ rank, of int }
	ranks := map[string]rank{}
	add := func(list []scoring.Ranked) {
		for _, r := range list {
			ranks[r.Unit.Code] = rank{r.Rank, r.RankOf}
		}
	}
	add(ps.Ranking(scoring.KindProvince, "", nil))
	for _, prov := range e.ProvincesIn(ps.Period) {
		for _, k := range scoring.UnitKinds[1:] {
			add(ps.Ranking(k, prov.Code, nil))
		}
	}
	national := report.RanksOf(official, ps.Period)
	doc := Snapshot{Period: ps.Period.String(), Kind: ps.Period.Kind, ComputedAt: at, Units: []SnapshotUnit{}}
	if ps.Scheme != nil {
		doc.Scheme = ps.Scheme.ID
	}
	codes := make([]string, 0, len(ps.Units))
	for c, us := range ps.Units {
		if us.Exists {
			codes = append(codes, c)
		}
	}
	sort.Strings(codes)
	for _, c := range codes {
		us := ps.Units[c]
		u := SnapshotUnit{Code: us.Unit.Code, Name: us.Unit.Name, Kind: string(us.Unit.Kind), ParentCode: us.Unit.ParentCode,
			Province: us.Province, HasData: us.HasData, Total: Cents(us.Total), MaxTotal: Cents(us.MaxTotal),
			Provisional: us.Provisional, MonthsCovered: us.MonthsCovered, Groups: []SnapshotGroup{}, Official: us.Official}
		if us.Band != nil {
			u.Band, u.BandCode = us.Band.NameVI, us.Band.Code
		}
		if r, ok := ranks[c]; ok {
			u.RankOf = r.of
			if r.rank > 0 {
				n := r.rank
				u.Rank = &n
			}
		}
		if r, ok := national[c]; ok {
			rank, of := r.Rank, r.RankOf
			u.OfficialRank, u.OfficialRankOf = &rank, &of
		}
		for _, g := range us.Groups {
			sg := SnapshotGroup{Code: g.Group.Code, Score: Cents(g.Score), Max: Cents(g.Max), Metrics: []SnapshotMetric{},
				Official: g.Official, OfficialOnly: g.OfficialOnly}
			for _, m := range g.Metrics {
				sm := SnapshotMetric{Code: m.Metric.Code, Points: Cents(m.Points), Max: Cents(m.Max), Scored: m.Scored, NoData: m.NoData,
					Source: m.Source, Derived: m.Derived, Official: m.Official}
				if m.Counts.Valid {
					num, den := m.Counts.Num, m.Counts.Den
					sm.Numerator, sm.Denominator = &num, &den
				}
				if m.HasRatio {
					r := Cents(m.Ratio)
					sm.Ratio = &r
				}
				sg.Metrics = append(sg.Metrics, sm)
			}
			u.Groups = append(u.Groups, sg)
		}
		doc.Units = append(doc.Units, u)
	}
	return doc
}
