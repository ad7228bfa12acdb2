package scoring

import (
	"maps"
	"sort"
)

// UnitPoint is one unit's figures in one period as a trend, a rank history
// and a streak read them: the totals, not the metrics. A page that shows a
// unit over a dozen periods needs these only, and they can be kept and read
// back for one unit without the period's other units (package scorecache).
type UnitPoint struct {
	Period Period
	// Known is false when the period's scores have no such unit; the other
	// fields are then zero.
	Known   bool
	HasData bool
	Total   Cents
	// MaxTotal is the unit's maximum (UnitScore.MaxTotal).
	MaxTotal Cents
	Band     *Band
	// Groups are the group scores, in the order of UnitScore.Groups.
	Groups []Cents
	// Rank among the unit's peers (its kind, in its province; 0 without
	// data), of RankOf ranked peers: as RankHistory ranks.
	Rank, RankOf int
	// The rest of the unit's row in a ranking (UnitScore's fields of the
	// same names; Standings): GroupsOfficial and GroupsOnly have bit i set
	// for group i published (GroupScore.Official, .OfficialOnly).
	Missing, MonthsCovered     int
	Provisional, Official      bool
	GroupsOfficial, GroupsOnly uint64
}

// Point is the unit's point in ps (Known false when ps has no such unit).
func (ps *PeriodScores) Point(code string) UnitPoint {
	us := ps.Unit(code)
	if us == nil {
		return UnitPoint{Period: ps.Period}
	}
	pt := newPoint(ps.Period, us)
	for _, r := range peerRanking(ps, us) {
		pt.RankOf = r.RankOf
		if r.Unit.Code == code {
			pt.Rank = r.Rank
		}
	}
	return pt
}

// Points is every unit's point in ps, each group of peers ranked once
// (Point for every unit would rank a unit's peers once per unit).
func (ps *PeriodScores) Points() map[string]UnitPoint {
	type group struct {
		kind  UnitKind
		scope string
	}
	type ranks struct {
		of   int
		rank map[string]int
	}
	groups := map[group]ranks{}
	out := make(map[string]UnitPoint, len(ps.Units))
	for code, us := range ps.Units {
		pt := newPoint(ps.Period, us)
		if ps.e != nil {
			g := group{us.Unit.Kind, peerScope(us)}
			rs, ok := groups[g]
			if !ok {
				rk := ps.Ranking(g.kind, g.scope, nil)
				rs.rank = make(map[string]int, len(rk))
				for _, r := range rk {
					rs.rank[r.Unit.Code] = r.Rank
				}
				if len(rk) > 0 {
					rs.of = rk[len(rk)-1].RankOf
				}
				groups[g] = rs
			}
			pt.Rank, pt.RankOf = rs.rank[code], rs.of
		}
		out[code] = pt
	}
	return out
}

func newPoint(p Period, us *UnitScore) UnitPoint {
	pt := UnitPoint{Period: p, Known: true, HasData: us.HasData, Total: us.Total, MaxTotal: us.MaxTotal, Band: us.Band,
		Missing: us.Missing, MonthsCovered: us.MonthsCovered, Provisional: us.Provisional, Official: us.Official}
	if len(us.Groups) > 0 {
		pt.Groups = make([]Cents, len(us.Groups))
		for i, g := range us.Groups {
			pt.Groups[i] = g.Score
			if i < 64 && g.Official {
				pt.GroupsOfficial |= 1 << i
			}
			if i < 64 && g.OfficialOnly {
				pt.GroupsOnly |= 1 << i
			}
		}
	}
	return pt
}

// sortPoints is points in chronological order, only those of the latest
// one's kind.
func sortPoints(points []UnitPoint) []UnitPoint {
	out := append([]UnitPoint(nil), points...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Period.Start().Before(out[j].Period.Start()) })
	if len(out) == 0 {
		return nil
	}
	kind := out[len(out)-1].Period.Kind
	kept := out[:0]
	for _, pt := range out {
		if pt.Period.Kind == kind {
			kept = append(kept, pt)
		}
	}
	return kept
}

// RankHistoryOf is RankHistory over one unit's points (any order, one per
// period).
func RankHistoryOf(points []UnitPoint) []RankPoint {
	var out []RankPoint
	for _, pt := range sortPoints(points) {
		if !pt.Known {
			continue
		}
		out = append(out, RankPoint{Period: pt.Period, HasData: pt.HasData, Rank: pt.Rank, RankOf: pt.RankOf, Total: pt.Total, Band: pt.Band})
	}
	return out
}

// StreaksOf is Streaks over one unit's points (any order, one per period).
func StreaksOf(points []UnitPoint) Streak {
	s := sortPoints(points)
	if len(s) == 0 {
		return Streak{}
	}
	last := len(s) - 1
	st := Streak{Period: s[last].Period}
	cur := s[last]
	if !cur.Known || !cur.HasData {
		return st
	}
	st.Band = cur.Band
	st.SameBand = 1
	sameOpen, upOpen, downOpen := true, true, true
	for i := last; i > 0; i-- {
		a, b := s[i-1], s[i]
		if a.Period != b.Period.Prev() || !a.Known || !a.HasData || !b.Known || !b.HasData {
			break
		}
		if sameOpen && a.Band != nil && cur.Band != nil && a.Band.Code == cur.Band.Code {
			st.SameBand++
		} else {
			sameOpen = false
		}
		if upOpen && b.Total > a.Total {
			st.Improving++
		} else {
			upOpen = false
		}
		if downOpen && b.Total < a.Total {
			st.Declining++
		} else {
			downOpen = false
		}
		if !sameOpen && !upOpen && !downOpen {
			break
		}
	}
	return st
}

// pointsOf is the unit's point in each of series.
func pointsOf(series []*PeriodScores, code string) []UnitPoint {
	var out []UnitPoint
	for _, ps := range series {
		if ps != nil {
			out = append(out, ps.Point(code))
		}
	}
	return out
}

// Standings is p's scores reduced to every unit's point, as point gives it
// (ok false: no such unit in the period's scores; point is asked once per
// unit, in the order of Units, and the point's Groups are copied before it
// is asked again, so they may share memory): each unit's row in a
// ranking (total, maximum, band, whether it has data, group scores and
// which were published, metrics missing, months covered), without metrics.
// It is what a page needs of the period before the one it shows (the
// changes of total, rank and band, a group's fall: Ranking, RankOf, Unit,
// FindMovers) and what a ranking or the national overview shows, read from
// a period's kept points without rebuilding some 130 000 metric scores at
// national scale. Nothing may read metrics, group maxima or the engine's
// own figures (Recomputed) from it.
func (e *Engine) Standings(p Period, point func(code string) (UnitPoint, bool)) *PeriodScores {
	s := e.schemes.For(p)
	ps := &PeriodScores{Period: p, Scheme: s, Units: make(map[string]*UnitScore, len(e.order)), e: e}
	units := make([]UnitScore, len(e.order))
	groups := make([]GroupScore, 0, len(e.order)*len(s.Groups))
	for i, code := range e.order {
		pt, ok := point(code)
		if !ok || !pt.Known {
			continue
		}
		u := e.units[code]
		us := &units[i]
		*us = UnitScore{Unit: u, Period: p, Scheme: s, Province: e.province[code], Total: pt.Total, MaxTotal: pt.MaxTotal,
			Band: pt.Band, Exists: u.ExistsIn(p), HasData: pt.HasData, Missing: pt.Missing, Provisional: pt.Provisional,
			MonthsCovered: pt.MonthsCovered, Official: pt.Official}
		if n := min(len(pt.Groups), len(s.Groups)); n > 0 {
			start := len(groups)
			for gi := range n {
				groups = append(groups, GroupScore{Group: &s.Groups[gi], Score: pt.Groups[gi],
					Official: pt.GroupsOfficial&(1<<gi) != 0, OfficialOnly: pt.GroupsOnly&(1<<gi) != 0})
			}
			us.Groups = groups[start:len(groups):len(groups)]
		}
		ps.Units[code] = us
	}
	return ps
}

// With is ps with the units of whole in place of its own, in the figures
// shown and in their recomputation (Recomputed): a period's standings with
// the whole scores of the few units a page shows metrics of (a unit and
// its peers), which every function of this package reads as it reads whole
// scores, as long as it reads no other unit's metrics.
func (ps *PeriodScores) With(whole *PeriodScores) *PeriodScores {
	out := *ps
	out.Units = maps.Clone(ps.Units)
	for code, us := range whole.Units {
		out.Units[code] = us
	}
	if ps.recomputed != nil || whole.recomputed != nil {
		base := ps.Recomputed()
		rec := *base
		rec.recomputed = nil
		rec.Units = maps.Clone(base.Units)
		for code, us := range whole.Recomputed().Units {
			rec.Units[code] = us
		}
		out.recomputed = &rec
	}
	return &out
}
