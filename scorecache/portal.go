package scorecache

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"scorecard/scoring"
	"scorecard/store"
)

// What the portal published beside our recomputation: the reconciliation
// of a province's period (Reconcile), a unit's official results
// (OfficialUnit) and the day-by-day series of a running period (Days),
// for the staff's reconciliation page, the official-only marks, the
// "as of" notices, the movers and the charts.

// portalStore is what the portal views need from the store; a Source
// without it (a test's in-memory data) has nothing published.
type portalStore interface {
	OfficialScores(ctx context.Context, period string, units ...string) ([]store.OfficialScore, error)
	PortalCaptures(ctx context.Context, provinceCode, period string) ([]store.PortalCaptureInfo, error)
	PortalHistory(ctx context.Context, period string, fn func(store.PortalSnapshot) error) error
}

// ErrNoPortal: the store keeps no portal captures (a test's Source).
var ErrNoPortal = errors.New("scorecache: no portal data in this source")

func (s *Service) portal() (portalStore, error) {
	ps, ok := s.src.(portalStore)
	if !ok {
		return nil, ErrNoPortal
	}
	return ps, nil
}

// Cause is the likely reason our recomputation and the portal's published
// score differ.
type Cause string

// The causes, in the order they are looked for.
const (
	// CauseNone: they agree.
	CauseNone Cause = ""
	// CauseOfficialOnly: the portal published a score without counts (the
	// online-services group of a child unit): we have nothing to
	// recompute; the official figure stands.
	CauseOfficialOnly Cause = "official_only"
	// CauseNotPublished: we score the metric, the portal published no score
	// for it (null).
	CauseNotPublished Cause = "not_published"
	// CauseOtherCounts: the counts we score are not the portal's
	// (derived from dossiers or months, inherited from the province).
	CauseOtherCounts Cause = "other_counts"
	// CauseQuality: the metric carries a data-quality flag (a provisional
	// denominator, no national report data).
	CauseQuality Cause = "quality_flag"
	// CauseRounding: the other rounding mode (scoring.md §3) gives the
	// portal's figure.
	CauseRounding Cause = "rounding"
	// CauseMetrics: a group differs because some of its metrics do.
	CauseMetrics Cause = "metrics"
	// CauseUnknown: none of the above; a rule we do not know.
	CauseUnknown Cause = "unknown"
)

// Recon is one row of a reconciliation: a metric (Metric set) or a group
// of one unit.
type Recon struct {
	Group, Metric string
	// Counts and Source are what our recomputation used (metric rows).
	Counts scoring.Counts
	Source scoring.Source
	// Ours is our points (nil where we do not score it); Official the
	// portal's (nil where it published none); Diff = Ours − Official when
	// both are there.
	Ours, Official *scoring.Cents
	Max            scoring.Cents
	Diff           scoring.Cents
	Match          bool
	Cause          Cause
	// Quality and QualityMessage are the portal's data-quality flag.
	Quality, QualityMessage string
	// OfficialOnly marks a published group score without any counts: pages
	// show it, marked, and what-if leaves it out.
	OfficialOnly bool
}

// Compared reports whether the row counts in the summary: the portal
// published a score for it.
func (r Recon) Compared() bool { return r.Official != nil }

// UnitRecon is one unit's reconciliation.
type UnitRecon struct {
	Unit  scoring.Unit
	Total scoring.Cents // ours
	// OfficialTotal is the sum of the published group scores when the
	// portal published every group of the scheme, else nil.
	OfficialTotal *scoring.Cents
	Groups        []Recon
	Metrics       []Recon
}

// Reconciliation compares, for a province's period, every published score
// with our recomputation.
type Reconciliation struct {
	Period   scoring.Period
	Province string
	// AsOf is the moment of the latest capture behind the published scores.
	AsOf  time.Time
	Units []UnitRecon
	// MetricsMatched of MetricsCompared metric scores, GroupsMatched of
	// GroupsCompared group scores agree ("M/N điểm chỉ số, K/L điểm nhóm
	// khớp với Cổng DVCQG").
	MetricsMatched, MetricsCompared int
	GroupsMatched, GroupsCompared   int
}

// Reconcile compares the portal's published scores of a province's
// period with ours, unit by unit.
func (s *Service) Reconcile(ctx context.Context, p scoring.Period, province string) (*Reconciliation, error) {
	src, err := s.portal()
	if err != nil {
		return nil, err
	}
	e, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.Recomputed(ctx, p)
	if err != nil {
		return nil, err
	}
	official, err := src.OfficialScores(ctx, p.String())
	if err != nil {
		return nil, fmt.Errorf("scorecache: reconcile: %w", err)
	}
	byUnit := map[string]map[string]store.OfficialScore{}
	rec := &Reconciliation{Period: p, Province: province}
	if rec.AsOf, err = s.latestCapture(ctx, src, province, p); err != nil {
		return nil, err
	}
	for _, o := range official {
		if e.ProvinceOf(o.UnitCode) != province {
			continue
		}
		if byUnit[o.UnitCode] == nil {
			byUnit[o.UnitCode] = map[string]store.OfficialScore{}
		}
		byUnit[o.UnitCode][o.Item] = o
	}
	for _, u := range e.Units() {
		off, ok := byUnit[u.Code]
		us := ps.Unit(u.Code)
		if !ok || us == nil {
			continue
		}
		ur := reconcileUnit(us, off)
		for _, r := range ur.Metrics {
			if r.Compared() {
				rec.MetricsCompared++
				if r.Match {
					rec.MetricsMatched++
				}
			}
		}
		for _, r := range ur.Groups {
			if r.Compared() {
				rec.GroupsCompared++
				if r.Match {
					rec.GroupsMatched++
				}
			}
		}
		rec.Units = append(rec.Units, ur)
	}
	return rec, nil
}

func cents(c scoring.Cents) *scoring.Cents { return &c }

// latestCapture is the moment of the latest capture of a province's
// period: what its published figures are "as of"; zero without one.
func (s *Service) latestCapture(ctx context.Context, src portalStore, province string, p scoring.Period) (time.Time, error) {
	caps, err := src.PortalCaptures(ctx, province, p.String())
	if err != nil {
		return time.Time{}, fmt.Errorf("scores: captures: %w", err)
	}
	if len(caps) == 0 {
		return time.Time{}, nil
	}
	return caps[len(caps)-1].AsOf, nil
}

// reconcileUnit compares one unit's groups and metrics.
func reconcileUnit(us *scoring.UnitScore, off map[string]store.OfficialScore) UnitRecon {
	ur := UnitRecon{Unit: us.Unit, Total: us.Total}
	var officialTotal scoring.Cents
	allGroups := true
	for _, gs := range us.Groups {
		g, published := off[gs.Group.Code]
		if !published {
			allGroups = false
			// The portal may still have published metrics of the group.
		}
		var firstCause Cause
		counts := false
		var metricRows []Recon
		for _, ms := range gs.Metrics {
			counts = counts || (ms.Counts.Valid && ms.Source != scoring.SourceNone)
			o, has := off[ms.Metric.Code]
			if !has && !published {
				continue
			}
			if !ms.Scored && (!has || o.Score == nil) {
				continue // informational metrics carry no points on either side
			}
			r := Recon{Group: gs.Group.Code, Metric: ms.Metric.Code, Counts: ms.Counts, Source: ms.Source, Max: ms.Max}
			if ms.Scored {
				r.Ours = cents(ms.Points)
			}
			if has {
				r.Official, r.Quality, r.QualityMessage = o.Score, o.Quality, o.QualityMessage
				if o.Max != nil && r.Max == 0 {
					r.Max = *o.Max
				}
			}
			switch {
			case has && o.Score == nil && r.Ours != nil:
				r.Cause = CauseNotPublished
			case r.Official != nil:
				r.Match = r.Ours != nil && *r.Ours == *r.Official
				if r.Ours != nil {
					r.Diff = *r.Ours - *r.Official
				}
				if !r.Match {
					r.Cause = metricCause(ms, r)
					if firstCause == "" {
						firstCause = r.Cause
					}
				}
			}
			metricRows = append(metricRows, r)
		}
		ur.Metrics = append(ur.Metrics, metricRows...)
		if !published {
			continue
		}
		r := Recon{Group: gs.Group.Code, Ours: cents(gs.Score), Official: g.Score, Max: gs.Max}
		if g.Max != nil {
			r.Max = *g.Max
		}
		if g.Score != nil {
			officialTotal += *g.Score
			r.Diff = gs.Score - *g.Score
			r.Match = r.Diff == 0
		} else {
			allGroups = false
			r.Cause = CauseNotPublished
		}
		r.OfficialOnly = !counts && g.Score != nil
		if g.Score != nil && !r.Match {
			switch {
			case r.OfficialOnly:
				r.Cause = CauseOfficialOnly
			case firstCause != "":
				r.Cause = CauseMetrics
			default:
				r.Cause = groupCause(gs, *g.Score)
			}
		}
		ur.Groups = append(ur.Groups, r)
	}
	if allGroups && len(us.Groups) > 0 {
		ur.OfficialTotal = &officialTotal
	}
	return ur
}

// otherMode is the rounding mode a metric does not use.
func otherMode(m *scoring.Metric) scoring.Rounding {
	if m.Rounding == scoring.RoundPercentFirst {
		return scoring.RoundExact
	}
	return scoring.RoundPercentFirst
}

// metricCause guesses why one metric differs.
func metricCause(ms scoring.MetricScore, r Recon) Cause {
	switch {
	case !ms.Counts.Valid || ms.Source == scoring.SourceNone:
		return CauseOfficialOnly
	case ms.Source != scoring.SourceOwn:
		return CauseOtherCounts
	case r.Quality != "":
		return CauseQuality
	case r.Official != nil && scoring.PointsWith(ms.Metric, ms.Counts, otherMode(ms.Metric)) == *r.Official:
		return CauseRounding
	}
	return CauseUnknown
}

// groupCause guesses why a group differs whose metrics the portal does not
// publish one by one (the trees).
func groupCause(gs scoring.GroupScore, official scoring.Cents) Cause {
	var alt scoring.Cents
	for _, ms := range gs.Metrics {
		if ms.Source != scoring.SourceOwn && ms.Source != scoring.SourceNone {
			return CauseOtherCounts
		}
		if !ms.Scored {
			continue
		}
		if ms.Counts.Valid && ms.Counts.Den > 0 {
			alt += scoring.PointsWith(ms.Metric, ms.Counts, otherMode(ms.Metric))
		} else {
			alt += ms.Points
		}
	}
	if alt == official {
		return CauseRounding
	}
	return CauseUnknown
}

// OfficialUnit is what the portal published for one unit in a period:
// its group and metric scores as of the latest capture, and the total and
// rank among provinces when a file of published results gave them.
type OfficialUnit struct {
	Groups  map[string]store.OfficialScore
	Metrics map[string]store.OfficialScore
	// Total is the published total (official results file) or, failing
	// that, the sum of the published groups when every group was
	// published; nil otherwise. Rank and RankOf are 0 when unknown.
	Total        *scoring.Cents
	Rank, RankOf int
	// AsOf is the moment of the latest capture of the unit's province and
	// period: the published figures are as of then.
	AsOf time.Time
}

// OfficialUnit returns what the portal published for unit in p (nil maps
// when nothing).
func (s *Service) OfficialUnit(ctx context.Context, p scoring.Period, unit string) (*OfficialUnit, error) {
	out := &OfficialUnit{Groups: map[string]store.OfficialScore{}, Metrics: map[string]store.OfficialScore{}}
	if src, err := s.portal(); err == nil {
		rows, err := src.OfficialScores(ctx, p.String(), unit)
		if err != nil {
			return nil, fmt.Errorf("scorecache: official unit: %w", err)
		}
		for _, o := range rows {
			if o.IsGroup {
				out.Groups[o.Item] = o
			} else {
				out.Metrics[o.Item] = o
			}
		}
		if len(rows) > 0 {
			e, err := s.Engine(ctx)
			if err != nil {
				return nil, err
			}
			if out.AsOf, err = s.latestCapture(ctx, src, e.ProvinceOf(unit), p); err != nil {
				return nil, err
			}
		}
	}
	results, err := s.OfficialResults(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range results {
		if r.Period == p && r.UnitCode == unit {
			out.Total, out.Rank, out.RankOf = cents(r.Total), r.Rank, r.RankOf
		}
	}
	if out.Total == nil {
		scheme := s.schemes.For(p)
		var sum scoring.Cents
		all := len(scheme.Groups) > 0
		for _, g := range scheme.Groups {
			o, ok := out.Groups[g.Code]
			if !ok || o.Score == nil {
				all = false
				break
			}
			sum += *o.Score
		}
		if all {
			out.Total = &sum
		}
	}
	return out, nil
}

// UnitDay is a unit's figures as of the last capture of a day: the
// portal's published group scores and their sum, and our total
// recomputed from the portal's counts of that moment.
type UnitDay struct {
	Unit string
	// Official maps a group to its published score.
	Official map[string]scoring.Cents
	// OfficialTotal is the sum of the groups when all were published.
	OfficialTotal *scoring.Cents
	// Total is ours, from the counts of the moment (as given, no
	// derivation); HasData as the engine says.
	Total   scoring.Cents
	HasData bool
	// Rank and OfficialRank are among the province's units of the same
	// kind with data (0 without); RankOf how many were ranked.
	Rank, OfficialRank, RankOf int
}

// Day is one day of a running period: the last capture of that Vietnam
// day.
type Day struct {
	Date  string // YYYY-MM-DD, Vietnam
	AsOf  time.Time
	Units map[string]*UnitDay
}

// Days is a province's period day by day, oldest first.
type Days struct {
	Period   scoring.Period
	Province string
	Days     []Day
}

// Unit is one unit's series: one point per day it had figures.
func (d *Days) Unit(code string) []UnitDay {
	var out []UnitDay
	for _, day := range d.Days {
		if u, ok := day.Units[code]; ok {
			out = append(out, *u)
		}
	}
	return out
}

// Mover is a unit's change between two days.
type Mover struct {
	Unit string
	// TotalChange is ours now minus then; RankChange then minus now (2 =
	// up two places); both by the official figures too.
	TotalChange, OfficialChange    scoring.Cents
	RankChange, OfficialRankChange int
}

// Movers compares the day at index to with the day at index from, for the
// units with data on both.
func (d *Days) Movers(from, to int) []Mover {
	if from < 0 || to >= len(d.Days) || from >= to {
		return nil
	}
	return Movers(&d.Days[from], &d.Days[to])
}

// Movers compares two days (two moments) of the same province and period,
// for the units with data on both.
func Movers(then, now *Day) []Mover {
	var out []Mover
	for code, b := range now.Units {
		a, ok := then.Units[code]
		if !ok || !b.HasData || !a.HasData {
			continue
		}
		m := Mover{Unit: code, TotalChange: b.Total - a.Total, RankChange: a.Rank - b.Rank}
		if b.OfficialTotal != nil && a.OfficialTotal != nil {
			m.OfficialChange = *b.OfficialTotal - *a.OfficialTotal
			m.OfficialRankChange = a.OfficialRank - b.OfficialRank
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Unit < out[j].Unit })
	return out
}

// portalStateStore reads every unit's figures as of a moment.
type portalStateStore interface {
	PortalStateAt(ctx context.Context, period string, at time.Time) ([]store.PortalSnapshot, error)
}

// DayAt is a province's period as of moment at (its latest capture at or
// before at): every unit's published groups and our recomputation, with
// ranks. It reads one snapshot per unit and group, by index, however long
// the series: two of them give the day's movers (Movers) without
// replaying the period.
func (s *Service) DayAt(ctx context.Context, p scoring.Period, province string, at time.Time) (*Day, error) {
	src, ok := s.src.(portalStateStore)
	if !ok {
		return nil, ErrNoPortal
	}
	e, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	snaps, err := src.PortalStateAt(ctx, p.String(), at)
	if err != nil {
		return nil, fmt.Errorf("scores: day at: %w", err)
	}
	day := &Day{Date: at.In(scoring.Location).Format(time.DateOnly), Units: map[string]*UnitDay{}}
	if ps, ok := s.src.(portalStore); ok {
		caps, err := ps.PortalCaptures(ctx, province, p.String())
		if err != nil {
			return nil, fmt.Errorf("scores: day at: %w", err)
		}
		for _, c := range caps {
			if !c.AsOf.After(at) {
				day.AsOf = c.AsOf
			}
		}
	}
	scheme := s.schemes.For(p)
	for i := 0; i < len(snaps); {
		j := i
		state := map[string]store.PortalFigures{}
		for j < len(snaps) && snaps[j].Unit == snaps[i].Unit {
			state[snaps[j].Group] = snaps[j].PortalFigures
			j++
		}
		if code := snaps[i].Unit; e.ProvinceOf(code) == province {
			day.Units[code] = s.unitDay(e, scheme, p, code, state)
		}
		i = j
	}
	rankDay(e, day.Units)
	return day, nil
}

type daysKey struct {
	p        scoring.Period
	province string
}

// Days replays a province's captures of a period: for each Vietnam day
// with a capture, every unit's published groups and our recomputation as
// of the day's last capture, with ranks. It reads each snapshot once, unit
// by unit, and scores a unit again only on the days its figures changed.
// The result is kept until the data changes (a daily capture): callers
// share it and must not modify it.
func (s *Service) Days(ctx context.Context, p scoring.Period, province string) (*Days, error) {
	k := daysKey{p, province}
	g, err := s.gen(ctx)
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	d, ok := g.days[k]
	g.mu.Unlock()
	if ok {
		return d, nil
	}
	d, err = s.replayDays(ctx, p, province)
	if err != nil {
		return nil, err
	}
	// Kept only if the data did not move meanwhile (a replay of newer
	// data must not be filed under the older generation).
	if s.cur.Load() == g {
		g.mu.Lock()
		g.days[k] = d
		g.mu.Unlock()
	}
	return d, nil
}

func (s *Service) replayDays(ctx context.Context, p scoring.Period, province string) (*Days, error) {
	src, err := s.portal()
	if err != nil {
		return nil, err
	}
	e, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	caps, err := src.PortalCaptures(ctx, province, p.String())
	if err != nil {
		return nil, fmt.Errorf("scorecache: days: %w", err)
	}
	out := &Days{Period: p, Province: province}
	// The moment closing each day: the day's last capture.
	for i, c := range caps {
		day := c.AsOf.In(scoring.Location).Format(time.DateOnly)
		if i+1 < len(caps) && caps[i+1].AsOf.In(scoring.Location).Format(time.DateOnly) == day {
			continue
		}
		out.Days = append(out.Days, Day{Date: day, AsOf: c.AsOf, Units: map[string]*UnitDay{}})
	}
	if len(out.Days) == 0 {
		return out, nil
	}
	scheme := s.schemes.For(p)
	var unit string
	var rows []store.PortalSnapshot
	flush := func() {
		if unit != "" && e.ProvinceOf(unit) == province {
			s.replayUnit(e, scheme, p, unit, rows, out.Days)
		}
		rows = rows[:0]
	}
	err = src.PortalHistory(ctx, p.String(), func(sn store.PortalSnapshot) error {
		if sn.Unit != unit {
			flush()
			unit = sn.Unit
		}
		rows = append(rows, sn)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scorecache: days: %w", err)
	}
	flush()
	for i := range out.Days {
		rankDay(e, out.Days[i].Units)
	}
	return out, nil
}

// replayUnit puts one unit's figures into each day: rows are its
// snapshots, by group then moment.
func (s *Service) replayUnit(e *scoring.Engine, scheme *scoring.Scheme, p scoring.Period, code string, rows []store.PortalSnapshot, days []Day) {
	type series struct {
		rows []store.PortalSnapshot
		at   int // the row in force, -1 before the first
	}
	var groups []*series
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].Group == rows[i].Group {
			j++
		}
		groups = append(groups, &series{rows: rows[i:j], at: -1})
		i = j
	}
	var last *UnitDay
	for d := range days {
		close := days[d].AsOf
		changed := false
		for _, g := range groups {
			for g.at+1 < len(g.rows) && !g.rows[g.at+1].AsOf.After(close) {
				g.at++
				changed = true
			}
		}
		if changed || last != nil {
			if changed {
				state := map[string]store.PortalFigures{}
				for _, g := range groups {
					if g.at >= 0 {
						state[g.rows[g.at].Group] = g.rows[g.at].PortalFigures
					}
				}
				last = s.unitDay(e, scheme, p, code, state)
			}
			ud := *last
			days[d].Units[code] = &ud
		}
	}
}

// unitDay scores one unit from its published figures of a moment.
func (s *Service) unitDay(e *scoring.Engine, scheme *scoring.Scheme, p scoring.Period, code string, groups map[string]store.PortalFigures) *UnitDay {
	u, _ := e.Unit(code)
	in := map[string]scoring.Input{}
	d := &UnitDay{Unit: code, Official: map[string]scoring.Cents{}}
	var sum scoring.Cents
	all := true
	for _, g := range scheme.Groups {
		f, ok := groups[g.Code]
		if !ok || f.Score == nil {
			all = false
		} else {
			d.Official[g.Code] = *f.Score
			sum += *f.Score
		}
		for _, m := range f.Metrics {
			c := scoring.Counts{}
			if m.Num != nil && m.Den != nil {
				c = scoring.C(*m.Num, *m.Den)
			}
			in[m.Code] = scoring.Input{Counts: c}
		}
	}
	if all {
		d.OfficialTotal = &sum
	}
	us := scoring.ScoreInputs(scheme, u, p, in)
	d.Total, d.HasData = us.Total, us.HasData
	return d
}

// rankDay ranks a day's units of each kind, ours and the portal's, with
// standard competition ranking on exact totals.
func rankDay(e *scoring.Engine, units map[string]*UnitDay) {
	byKind := map[scoring.UnitKind][]*UnitDay{}
	for code, d := range units {
		u, _ := e.Unit(code)
		d.Rank, d.OfficialRank, d.RankOf = 0, 0, 0
		if d.HasData {
			byKind[u.Kind] = append(byKind[u.Kind], d)
		}
	}
	for _, list := range byKind {
		rank := func(key func(*UnitDay) (scoring.Cents, bool), set func(*UnitDay, int)) {
			var ranked []*UnitDay
			for _, d := range list {
				if _, ok := key(d); ok {
					ranked = append(ranked, d)
				}
			}
			sort.Slice(ranked, func(i, j int) bool {
				a, _ := key(ranked[i])
				b, _ := key(ranked[j])
				if a != b {
					return a > b
				}
				return ranked[i].Unit < ranked[j].Unit
			})
			var prevKey scoring.Cents
			prevRank := 0
			for i, d := range ranked {
				k, _ := key(d)
				r := i + 1
				if i > 0 && k == prevKey {
					r = prevRank // ties share a rank: 1, 2, 2, 4
				}
				set(d, r)
				prevKey, prevRank = k, r
			}
		}
		rank(func(d *UnitDay) (scoring.Cents, bool) { return d.Total, true }, func(d *UnitDay, r int) { d.Rank = r })
		rank(func(d *UnitDay) (scoring.Cents, bool) {
			if d.OfficialTotal == nil {
				return 0, false
			}
			return *d.OfficialTotal, true
		}, func(d *UnitDay, r int) { d.OfficialRank = r })
		for _, d := range list {
			d.RankOf = len(list)
		}
	}
}
