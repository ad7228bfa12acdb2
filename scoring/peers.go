package scoring

import (
	"fmt"
	"math/big"
	"sort"
)

// Peers, streaks, rank history and movers. A unit's peers are the units of
// its kind in its province (provinces: every province) that have data in
// the period, the same set Ranking ranks; the unit itself is one of them,
// as it is in the ranking a department head compares against.

// Stat summarises one figure over a unit's peers.
type Stat struct {
	Unit    Cents // the unit's own value
	Average Cents // mean over the peers, rounded half-up to two decimals
	Median  Cents // middle value; the mean of the two middle ones, rounded half-up, for an even count
	Best    Cents
	// BestUnit is the code of the best peer (the first by name on a tie).
	BestUnit string
	N        int // peers counted
}

// GroupPeers compares one group's score.
type GroupPeers struct {
	Group *Group
	Stat
}

// MetricPeers compares one metric's points; only peers for which the
// metric is scored are counted. Scored is whether it is for the unit.
type MetricPeers struct {
	Metric *Metric
	Scored bool
	Stat
}

// Neighbour is a unit next to another in a ranking and the gap in points
// between them (always ≥ 0: how far ahead or behind it is).
type Neighbour struct {
	Unit *UnitScore
	Rank int
	Gap  Cents
}

// Peers is a unit against the others of its kind in one period.
type Peers struct {
	Unit     *UnitScore
	Kind     UnitKind
	Province string // "" for provinces, ranked nationally
	Rank     int    // 0 when the unit has no data
	RankOf   int
	Total    Stat
	Groups   []GroupPeers
	Metrics  []MetricPeers
	// Above is the nearest unit ranked strictly ahead, Below the nearest
	// strictly behind; nil at the top or bottom. Tied are the units that
	// share the unit's rank.
	Above, Below *Neighbour
	Tied         []*UnitScore
}

// ComparePeers compares a unit with its peers in ps's period. An unknown
// unit returns ErrUnknownUnit.
func ComparePeers(ps *PeriodScores, code string) (*Peers, error) {
	if ps == nil || ps.Unit(code) == nil {
		return nil, fmt.Errorf("scoring: peers of %s: %w", code, ErrUnknownUnit)
	}
	us := ps.Unit(code)
	out := &Peers{Unit: us, Kind: us.Unit.Kind, Province: peerScope(us)}
	var peers []Ranked
	for _, r := range peerRanking(ps, us) {
		if r.Rank > 0 {
			peers = append(peers, r)
		}
	}
	// the ranking order: best first, ties by name
	all := make([]*UnitScore, len(peers))
	for i, r := range peers {
		all[i] = r.UnitScore
	}
	out.Total = stat(us.Total, all, func(u *UnitScore) (Cents, bool) { return u.Total, true })
	for gi := range us.Groups {
		g := us.Groups[gi].Group
		out.Groups = append(out.Groups, GroupPeers{Group: g, Stat: stat(us.Groups[gi].Score, all,
			func(u *UnitScore) (Cents, bool) {
				if gs := u.Group(g.Code); gs != nil {
					return gs.Score, true
				}
				return 0, false
			})})
		for _, ms := range us.Groups[gi].Metrics {
			m := ms.Metric
			if !m.Scored() {
				continue // informational: no points to compare
			}
			out.Metrics = append(out.Metrics, MetricPeers{Metric: m, Scored: ms.Scored, Stat: stat(ms.Points, all,
				func(u *UnitScore) (Cents, bool) {
					if x := u.Metric(m.Code); x != nil && x.Scored {
						return x.Points, true
					}
					return 0, false
				})})
		}
	}
	prec := 2
	if ps.Scheme != nil {
		prec = ps.Scheme.TiePrecision
	}
	mine := tieKey(us.Total, prec)
	for i, r := range peers {
		if r.Unit.Code != code {
			continue
		}
		out.Rank, out.RankOf = r.Rank, r.RankOf
		for j := i - 1; j >= 0; j-- {
			if tieKey(peers[j].Total, prec) > mine {
				out.Above = &Neighbour{Unit: peers[j].UnitScore, Rank: peers[j].Rank, Gap: peers[j].Total - us.Total}
				break
			}
		}
		for j := i + 1; j < len(peers); j++ {
			if tieKey(peers[j].Total, prec) < mine {
				out.Below = &Neighbour{Unit: peers[j].UnitScore, Rank: peers[j].Rank, Gap: us.Total - peers[j].Total}
				break
			}
		}
	}
	if out.Rank > 0 {
		for _, r := range peers {
			if r.Unit.Code != code && r.Rank == out.Rank {
				out.Tied = append(out.Tied, r.UnitScore)
			}
		}
	} else {
		out.RankOf = len(peers)
	}
	return out, nil
}

// stat computes a Stat over the peers for which get reports a value; peers
// are in ranking order, so the first best is the first by name on a tie.
func stat(own Cents, peers []*UnitScore, get func(*UnitScore) (Cents, bool)) Stat {
	s := Stat{Unit: own}
	var vals []Cents
	var sum int64
	for _, u := range peers {
		v, ok := get(u)
		if !ok {
			continue
		}
		if len(vals) == 0 || v > s.Best {
			s.Best, s.BestUnit = v, u.Unit.Code
		}
		vals = append(vals, v)
		sum += int64(v)
	}
	s.N = len(vals)
	if s.N == 0 {
		return s
	}
	s.Average = roundHalfUp(new(big.Rat).SetFrac(big.NewInt(sum), big.NewInt(int64(s.N)*100)))
	sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
	if s.N%2 == 1 {
		s.Median = vals[s.N/2]
	} else {
		a, b := int64(vals[s.N/2-1]), int64(vals[s.N/2])
		s.Median = roundHalfUp(big.NewRat(a+b, 200))
	}
	return s
}

// Streak is how long a unit has held its band and kept improving, counted
// back from the latest period of a series.
type Streak struct {
	Period Period // the latest period
	Band   *Band  // the unit's band in it; nil without data
	// SameBand is how many consecutive periods, ending at the latest, the
	// unit has been in Band (1 when it just arrived; 0 without data).
	SameBand int
	// Improving is how many consecutive periods, ending at the latest, its
	// total rose over the period before (0 when the latest did not rise);
	// Declining likewise for falls.
	Improving, Declining int
}

// Streaks computes a unit's streaks over a series of period scores (any
// order; only periods of the latest one's kind count, and a missing period
// breaks a streak).
func Streaks(series []*PeriodScores, code string) Streak {
	return StreaksOf(pointsOf(series, code))
}

// RankPoint is a unit's place in one period.
type RankPoint struct {
	Period  Period
	HasData bool
	Rank    int // 0 without data
	RankOf  int
	Total   Cents
	Band    *Band
}

// RankHistory is a unit's rank among its peers in each period of the series
// (periods of the latest one's kind, oldest first). Periods where the unit
// is unknown are left out.
func RankHistory(series []*PeriodScores, code string) []RankPoint {
	return RankHistoryOf(pointsOf(series, code))
}

// Move is one unit's change between two periods of the same kind.
type Move struct {
	Unit             *UnitScore
	Rank, PrevRank   int
	Total, PrevTotal Cents
	Change           Cents // Total − PrevTotal
	RankChange       int   // positive = moved up
	Band, PrevBand   *Band
}

// BandUp reports whether the move changed the band upwards.
func (m Move) BandUp() bool { return m.Band != nil && m.PrevBand != nil && m.Band.Min > m.PrevBand.Min }

// Movers is the overview's summary of change since the previous period.
type Movers struct {
	Improved    []Move // largest rise first
	Declined    []Move // largest fall first
	BandChanged []Move // in ranking order, kind by kind
}

// FindMovers compares cur with prev (the previous period of the same kind)
// for the units of a kind ("" for agencies, districts and communes, each
// ranked among its own kind), limited to a province when province is not
// "". Only units ranked in both periods move. n limits Improved and Declined
// (n ≤ 0: no limit).
func FindMovers(cur, prev *PeriodScores, kind UnitKind, province string, n int) Movers {
	var out Movers
	if cur == nil || prev == nil || cur.e == nil || prev.e == nil {
		return out
	}
	kinds := []UnitKind{kind}
	if kind == "" {
		kinds = []UnitKind{KindAgency, KindDistrict, KindCommune}
	}
	var all []Move
	for _, k := range kinds {
		for _, r := range cur.Ranking(k, province, prev) {
			if r.Rank == 0 || r.TotalChange == nil {
				continue
			}
			before := prev.Unit(r.Unit.Code)
			mv := Move{Unit: r.UnitScore, Rank: r.Rank, PrevRank: r.Rank + *r.RankChange, Total: r.Total,
				PrevTotal: before.Total, Change: *r.TotalChange, RankChange: *r.RankChange, Band: r.Band, PrevBand: r.PrevBand}
			all = append(all, mv)
			if mv.Band != nil && mv.PrevBand != nil && mv.Band.Code != mv.PrevBand.Code {
				out.BandChanged = append(out.BandChanged, mv)
			}
		}
	}
	for _, mv := range all {
		switch {
		case mv.Change > 0:
			out.Improved = append(out.Improved, mv)
		case mv.Change < 0:
			out.Declined = append(out.Declined, mv)
		}
	}
	sort.SliceStable(out.Improved, func(i, j int) bool { return out.Improved[i].Change > out.Improved[j].Change })
	sort.SliceStable(out.Declined, func(i, j int) bool { return out.Declined[i].Change < out.Declined[j].Change })
	if n > 0 {
		if len(out.Improved) > n {
			out.Improved = out.Improved[:n]
		}
		if len(out.Declined) > n {
			out.Declined = out.Declined[:n]
		}
	}
	return out
}
