package scoring

import (
	"sort"
)

// Points at stake: for each metric where a unit lost points, how many and
// what it would take, in counts, to win them back. The counts needed are
// found with the engine's own rule and rounding (metricPoints), never with
// a formula of our own, so "37 more dossiers" is exactly what the engine
// would need (3999/4000 already earns 20,00 on ON_TIME_PROCESSING, and the
// answer says so).

// StakeKind says what a unit can do about the points lost on a metric.
type StakeKind string

// The kinds of stake.
const (
	// StakeCounts: raising the numerator (the denominator kept) recovers
	// the points.
	StakeCounts StakeKind = "counts"
	// StakeNoCounts: no counts at all; the metric earns its no-data points
	// until someone enters them.
	StakeNoCounts StakeKind = "no_counts"
	// StakeZeroDen: counts 0/0 (nothing happened in the period) and the
	// scheme's no-data rule gives less than the maximum.
	StakeZeroDen StakeKind = "zero_denominator"
)

// Step is a partial recovery: adding Add to the numerator gives Points,
// Gain more than now.
type Step struct {
	Add    int64 `json:"add"`
	Points Cents `json:"points"`
	Gain   Cents `json:"gain"`
}

// Stake is the points lost on one metric and how to recover them.
type Stake struct {
	Metric *Metric
	Group  *Group
	Kind   StakeKind
	// Inherited marks a province-level metric carried from the province:
	// the province's responsibility, not the unit's.
	Inherited bool
	Source    Source
	Counts    Counts
	Ratio     Cents
	HasRatio  bool
	Points    Cents
	Max       Cents
	Lost      Cents
	// Target is the ratio (a percentage, two decimals) that earns full
	// points under the rule: the threshold, or 100,00 for linear rules.
	Target Cents
	// Need is the smallest number to add to the numerator, the denominator
	// kept, that recovers every point lost (StakeCounts only); NewRatio is
	// the ratio it gives, which may be below Target where rounding already
	// awards the maximum.
	Need     int64
	NewRatio Cents
	// Steps are partial recoveries (about a quarter, half and three
	// quarters of the points lost, then all), each with the smallest
	// addition that reaches it; repeated additions are dropped.
	Steps []Step
}

// StakeReport is every metric where a unit lost points.
type StakeReport struct {
	Unit *UnitScore
	Lost Cents // points lost over every scored metric
	// Actionable: the unit's own metrics that more counts would recover,
	// best points per added count first.
	Actionable []Stake
	// NoData: the unit's metrics without counts, or with 0/0 counts scored
	// below their maximum; most points first.
	NoData []Stake
	// Province: inherited province-level metrics (the province's
	// responsibility); most points first.
	Province []Stake
}

// PointsAtStake lists the points us lost and what would recover them.
func PointsAtStake(us *UnitScore) *StakeReport {
	// Counts recover recomputed points, not the portal's published ones.
	us = us.Recomputation()
	r := &StakeReport{Unit: us}
	if us == nil {
		return r
	}
	for gi := range us.Groups {
		g := &us.Groups[gi]
		if g.OfficialOnly {
			continue // published without counts: nothing to add to
		}
		for mi := range g.Metrics {
			ms := g.Metrics[mi]
			if !ms.Scored || ms.Lost() <= 0 {
				continue
			}
			r.Lost += ms.Lost()
			st := newStake(us, g.Group, ms)
			switch {
			case st.Inherited:
				r.Province = append(r.Province, st)
			case st.Kind == StakeCounts:
				r.Actionable = append(r.Actionable, st)
			default:
				r.NoData = append(r.NoData, st)
			}
		}
	}
	// Points per added count, compared as cross products to stay exact
	// (Lost ≤ 100,00 and Need ≤ 10⁹ keep them far inside int64); ties go to
	// the bigger recovery, then the scheme's order (stable sort).
	sort.SliceStable(r.Actionable, func(i, j int) bool {
		a, b := r.Actionable[i], r.Actionable[j]
		x, y := int64(a.Lost)*b.Need, int64(b.Lost)*a.Need
		if x != y {
			return x > y
		}
		return a.Lost > b.Lost
	})
	byLost := func(s []Stake) {
		sort.SliceStable(s, func(i, j int) bool { return s[i].Lost > s[j].Lost })
	}
	byLost(r.NoData)
	byLost(r.Province)
	return r
}

func newStake(us *UnitScore, g *Group, ms MetricScore) Stake {
	m := ms.Metric
	st := Stake{Metric: m, Group: g, Source: ms.Source, Counts: ms.Counts, Ratio: ms.Ratio, HasRatio: ms.HasRatio,
		Points: ms.Points, Max: ms.Max, Lost: ms.Lost(), Target: 10000}
	if m.Rule == RuleThreshold {
		st.Target = m.Threshold
	}
	st.Inherited = m.Level == LevelProvince && us.Unit.Kind != KindProvince &&
		ms.Source != SourceOwn && ms.Source != SourceDerived
	switch {
	case !ms.Counts.Valid:
		st.Kind = StakeNoCounts
	case ms.Counts.Den <= 0:
		st.Kind = StakeZeroDen
	default:
		st.Kind = StakeCounts
		n, d := clampCounts(ms.Counts)
		st.Need = minAdd(m, n, d, st.Max)
		st.NewRatio, _ = Ratio(n+st.Need, d)
		seen := map[int64]bool{}
		for q := int64(1); q <= 4; q++ {
			// the gain at a quarter of the loss, rounded up to a cent
			gain := Cents((int64(st.Lost)*q + 3) / 4)
			k := minAdd(m, n, d, st.Points+gain)
			if seen[k] {
				continue
			}
			seen[k] = true
			p, _, _, _ := metricPoints(m, C(n+k, d))
			st.Steps = append(st.Steps, Step{Add: k, Points: p, Gain: p - st.Points})
		}
	}
	return st
}

// clampCounts applies metricPoints's own clamping so the search starts
// where the engine scored.
func clampCounts(c Counts) (n, d int64) {
	n, d = c.Num, c.Den
	if n < 0 {
		n = 0
	}
	if n > d {
		n = d
	}
	return n, d
}

// minAdd is the smallest k in [0, d−n] such that n+k out of d earns at
// least want points. Points never fall as the numerator grows (every rule
// and both roundings are monotonic; TestStakeNeedIsMinimal checks it), so
// a binary search finds it; n = d earns the maximum, so want ≤ Max is
// always reached.
func minAdd(m *Metric, n, d int64, want Cents) int64 {
	lo, hi := int64(0), d-n
	for lo < hi {
		mid := lo + (hi-lo)/2
		if p, _, _, _ := metricPoints(m, C(n+mid, d)); p >= want {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// Recovery is the score a unit would reach by recovering some stakes.
type Recovery struct {
	Applied    []Stake
	Score      *UnitScore
	Gain       Cents // Score.Total − the real total
	BandBefore *Band
	Band       *Band
	// Rank among the unit's current peers with the recovered score, and
	// the real rank, for "from 7th to 2nd".
	Rank, RankOf         int
	BaseRank, BaseRankOf int
}

// BandUp reports whether the recovery lifts the unit into a higher band.
func (r *Recovery) BandUp() bool {
	return r != nil && r.Band != nil && (r.BandBefore == nil || r.Band.Min > r.BandBefore.Min)
}

// RecoverTop recovers the first n actionable stakes (the best points per
// added count) and ranks the result among ps's peers; nil when the unit
// has nothing actionable.
func (r *StakeReport) RecoverTop(ps *PeriodScores, n int) *Recovery {
	if r == nil || r.Unit == nil || len(r.Actionable) == 0 || n <= 0 {
		return nil
	}
	if n > len(r.Actionable) {
		n = len(r.Actionable)
	}
	return Recover(ps, r.Unit, r.Actionable[:n])
}

// ToNextBand finds the fewest actionable stakes whose recovery lifts the
// unit into the band above its own: the largest recoveries first (a unit's
// total is the sum of its rounded metric points, so recovering a stake adds
// exactly its Lost and taking the largest first needs the fewest changes);
// ties go to the better points per added count. It returns nil when the
// unit has no band or is already in the top band, and a Recovery with
// BandUp() false when even every actionable stake falls short (then every
// one is applied, to show how close the unit can get).
func (r *StakeReport) ToNextBand(ps *PeriodScores) *Recovery {
	if r == nil || r.Unit == nil || r.Unit.Band == nil || r.Unit.Scheme == nil {
		return nil
	}
	bands := r.Unit.Scheme.Bands
	if len(bands) == 0 || r.Unit.Band.Code == bands[0].Code {
		return nil
	}
	order := append([]Stake(nil), r.Actionable...)
	sort.SliceStable(order, func(i, j int) bool { return order[i].Lost > order[j].Lost })
	var rec *Recovery
	for k := 1; k <= len(order); k++ {
		rec = Recover(ps, r.Unit, order[:k])
		if rec.BandUp() {
			return rec
		}
	}
	if rec == nil {
		rec = Recover(ps, r.Unit, nil)
	}
	return rec
}

// Recover rescores us with each StakeCounts stake's numerator raised by its
// Need (other stakes are skipped: counts cannot recover them) and ranks the
// result among ps's peers.
func Recover(ps *PeriodScores, us *UnitScore, stakes []Stake) *Recovery {
	ps, us = ps.Recomputed(), us.Recomputation()
	in := BaseInputs(us)
	rec := &Recovery{BandBefore: us.Band}
	for _, st := range stakes {
		if st.Kind != StakeCounts {
			continue
		}
		n, d := clampCounts(st.Counts)
		in[st.Metric.Code] = Input{Counts: C(n+st.Need, d), Source: st.Source}
		rec.Applied = append(rec.Applied, st)
	}
	rec.Score = Rescore(us, in)
	rec.Gain = rec.Score.Total - us.Total
	rec.Band = rec.Score.Band
	rec.Rank, rec.RankOf = RankAmong(ps, rec.Score)
	rec.BaseRank, rec.BaseRankOf = RankAmong(ps, us)
	return rec
}
