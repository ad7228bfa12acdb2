// Package report writes the monthly (quarterly, half-yearly, yearly) report
// on a province's service index: the facts, computed from the scoring
// engine's results, and a Vietnamese narrative written from them in the
// register of the provincial reports to the People's Committee. It is pure:
// no database, no web, no clock (the caller passes the report's date).
//
// Facts are typed so that pages, tests and exports use the same figures the
// prose states; Narrative only words them.
package report

import (
	"errors"
	"fmt"
	"sort"

	"scorecard/scoring"
)

// Metric and group codes of the qd766 scheme that the report speaks about by
// name. A scheme without one of them simply loses that sentence.
const (
	MetricPublish      = "PUBLISH_ON_TIME"
	MetricUpdate       = "PUBLIC_UPDATE_ON_TIME"
	MetricOnTime       = "ON_TIME_PROCESSING"
	MetricOnline       = "ONLINE_SUBMISSION"
	GroupSatisfaction  = "MDHL"
	GroupPublicity     = "CKMB"
	GroupProcessing    = "TDGQ"
	GroupOnline        = "DVCTT"
	GroupPayment       = "TTTT"
	GroupDigitisation  = "MDSH"
	defaultTop         = 3
	defaultRecommended = 3
)

// Errors of Build, for the handler to map to 404/400.
var (
	ErrNoProvince       = errors.New("report: no province in the data")
	ErrUnknownProvince  = errors.New("report: unknown province")
	ErrSeveralProvinces = errors.New("report: several provinces: choose one")
)

// OfficialResult is one row of the results the national portal publishes
// (`period,unit_code,total,rank,rank_of`), imported by an office so the
// report can state the province's national rank. Optional.
type OfficialResult struct {
	Period   scoring.Period
	UnitCode string
	Total    scoring.Cents
	Rank     int
	RankOf   int
}

// RanksOf are the published results of period p that rank a unit, by unit
// code: a row without a rank is no rank, as the pages show it.
func RanksOf(results []OfficialResult, p scoring.Period) map[string]OfficialResult {
	out := map[string]OfficialResult{}
	for _, r := range results {
		if r.Period == p && r.Rank > 0 && r.RankOf > 0 {
			out[r.UnitCode] = r
		}
	}
	return out
}

// Options are the report's optional inputs.
type Options struct {
	// Province is the code of the province reported on; "" picks the only
	// province of the data (several provinces make that an error).
	Province string
	// Official holds the portal's published results, if imported.
	Official []OfficialResult
	// Responsible names, per province-level metric code (PUBLISH_ON_TIME…),
	// the codes of the units answerable for its shortfall, e.g. the
	// agencies whose procedures were published late. This is a hook: no
	// import fills it yet; empty leaves the sentence out.
	Responsible map[string][]string
	// Top is how many best, worst and moving units the report names per
	// level (default 3); Recommendations how many metrics it recommends on
	// (default 3).
	Top, Recommendations int
}

// UnitRef names a unit.
type UnitRef struct {
	Code string
	Name string
	Kind scoring.UnitKind
}

func refOf(u scoring.Unit) UnitRef { return UnitRef{Code: u.Code, Name: u.Name, Kind: u.Kind} }

// BandRef is a band with its level: 1 for the scheme's highest band.
type BandRef struct {
	Code  string
	Name  string
	Level int
}

func bandOf(s *scoring.Scheme, b *scoring.Band) *BandRef {
	if b == nil {
		return nil
	}
	for i := range s.Bands {
		if s.Bands[i].Code == b.Code {
			return &BandRef{Code: b.Code, Name: b.NameVI, Level: i + 1}
		}
	}
	return &BandRef{Code: b.Code, Name: b.NameVI}
}

// MetricFact is one metric of the province.
type MetricFact struct {
	Code   string
	Name   string
	Counts scoring.Counts
	// Ratio is numerator ÷ denominator × 100 with two decimals; HasRatio is
	// false without counts or with a zero denominator.
	Ratio    scoring.Cents
	HasRatio bool
	Points   scoring.Cents
	Max      scoring.Cents
	Source   scoring.Source
}

func metricFact(m *scoring.MetricScore) MetricFact {
	return MetricFact{Code: m.Metric.Code, Name: m.Metric.NameVI, Counts: m.Counts, Ratio: m.Ratio,
		HasRatio: m.HasRatio, Points: m.Points, Max: m.Max, Source: m.Source}
}

// Publication is a publication metric with what was late and who answers
// for it.
type Publication struct {
	MetricFact
	// Late is denominator − numerator: the procedures not published (or
	// updated) on time.
	Late        int64
	Responsible []UnitRef
}

// GroupFact is one group of the province, with its change.
type GroupFact struct {
	Code   string
	Name   string
	Score  scoring.Cents
	Max    scoring.Cents
	Change *scoring.Cents // nil without a previous period to compare
}

// KindUnits lists units of one kind that share a fact, by name; Of is how
// many units of the kind have data.
type KindUnits struct {
	Kind  scoring.UnitKind
	Units []UnitRef
	Of    int
}

// KindCount counts units of one kind that share a fact, out of Of.
type KindCount struct {
	Kind scoring.UnitKind
	N    int
	Of   int
}

// Satisfaction is the satisfaction group at the province.
type Satisfaction struct {
	Group GroupFact
	// Metrics are the group's scored metrics at the province (petitions on
	// time, petition satisfaction, dossier satisfaction).
	Metrics []MetricFact
	// FullAt counts, per level, the units at the group's maximum.
	FullAt []KindCount
}

// GroupDetail is one group at the province: its score, its scored
// metrics, and the units that lost most points on it (per-unit metrics;
// Of is how many units have data).
type GroupDetail struct {
	Group   GroupFact
	Metrics []MetricFact
	Worst   []UnitLoss
	Of      int
}

// BandCount is how many units of a level sit in one band.
type BandCount struct {
	BandRef
	N int
}

// LevelBands is the classification of one level (agencies, districts,
// communes): every band of the scheme in order, with its count.
type LevelBands struct {
	Kind     scoring.UnitKind
	Units    int // every unit of the kind in the province
	Ranked   int // those with data
	Unranked int // "chưa có dữ liệu"
	Bands    []BandCount
}

// Count returns the number of units in the band with the name (0 if none).
func (l LevelBands) Count(bandName string) int {
	for _, b := range l.Bands {
		if b.Name == bandName {
			return b.N
		}
	}
	return 0
}

// Standing is a unit's place in its ranking.
type Standing struct {
	UnitRef
	Rank        int
	RankOf      int
	Total       scoring.Cents
	MaxTotal    scoring.Cents
	Band        *BandRef
	TotalChange *scoring.Cents
	RankChange  *int // positive = moved up
}

// LevelStandings are the best, worst and moving units of one level.
type LevelStandings struct {
	Kind  scoring.UnitKind
	Best  []Standing // best first
	Worst []Standing // lowest first; never repeats a unit of Best
	Up    []Standing // biggest increase of total first
	Down  []Standing // biggest decrease first
}

// UnitLoss is the points a unit lost on one metric.
type UnitLoss struct {
	UnitRef
	Lost scoring.Cents
}

// Recommendation is a metric that cost the units many points, with advice.
type Recommendation struct {
	Metric string
	Name   string
	Group  string // the group's Vietnamese name
	// ProvinceLevel metrics are measured once for the province and carried
	// by every unit: PerUnit is what each unit lost.
	ProvinceLevel bool
	PerUnit       scoring.Cents
	// Lost is the points lost on the metric summed over the province's
	// units with data; Units of Of lost some.
	Lost  scoring.Cents
	Units int
	Of    int
	// Worst are the units that lost most (per-unit metrics only).
	Worst       []UnitLoss
	Responsible []UnitRef
	// Advice is a plain Vietnamese recommendation (a full sentence).
	Advice string
}

// National is the province's rank among provinces as the portal published
// it (from OfficialResult).
type National struct {
	Rank, RankOf int
	Total        scoring.Cents
	// PrevRank is the published rank of the previous period (0 if unknown).
	PrevRank, PrevRankOf int
}

// Facts are everything the report states.
type Facts struct {
	Province UnitRef
	// Place is the place name of the date line ("Bắc Kạn").
	Place  string
	Period scoring.Period
	Prev   scoring.Period
	Scheme string // the scheme's id
	// HasData is false when the province has no counts in the period; the
	// other figures are then empty.
	HasData  bool
	Total    scoring.Cents
	MaxTotal scoring.Cents
	Band     *BandRef
	// PrevTotal, PrevBand and Change compare with the previous period of the
	// same kind; nil when it has no data.
	PrevTotal *scoring.Cents
	PrevBand  *BandRef
	Change    *scoring.Cents
	// Provisional marks a longer period derived from fewer months than it
	// has; MonthsCovered of MonthsOf.
	Provisional             bool
	MonthsCovered, MonthsOf int
	National                *National

	Groups      []GroupFact
	Publication []Publication
	// OnTime is the province's on-time processing ratio; OnTimeFull the
	// units at 100% (n = d > 0), per level, by name.
	OnTime     *MetricFact
	OnTimeFull []KindUnits
	// Online is the province's online submission ratio; NoOnline the units
	// with dossiers but none online (numerator 0, denominator > 0).
	Online       *MetricFact
	NoOnline     []KindUnits
	Satisfaction *Satisfaction
	// Payment and Digitisation are the online payment and digitisation
	// groups at the province: their metrics and the units that lost most
	// points on them (the groups provinces score lowest on).
	Payment, Digitisation *GroupDetail
	Bands                 []LevelBands
	Standings             []LevelStandings
	// Recommendations come from the metrics that cost the most points,
	// summed over the province's units.
	Recommendations []Recommendation
}

// Level returns the classification of one kind, or nil.
func (f *Facts) Level(k scoring.UnitKind) *LevelBands {
	for i := range f.Bands {
		if f.Bands[i].Kind == k {
			return &f.Bands[i]
		}
	}
	return nil
}

// FromEngine scores period p and the previous period of the same kind and
// builds the facts. Handlers that cache period scores use Build.
func FromEngine(e *scoring.Engine, p scoring.Period, opt Options) (*Facts, error) {
	if e == nil {
		return nil, errors.New("report: no engine")
	}
	return Build(e, e.Score(p), e.Score(p.Prev()), opt)
}

// levelKinds are the levels below a province, in display order.
var levelKinds = []scoring.UnitKind{scoring.KindAgency, scoring.KindDistrict, scoring.KindCommune}

// Build computes the facts of cur for one province; prev, when not nil, is
// the previous period of the same kind (changes and movers).
func Build(e *scoring.Engine, cur, prev *scoring.PeriodScores, opt Options) (*Facts, error) {
	if e == nil || cur == nil {
		return nil, errors.New("report: no scores")
	}
	prov, err := pickProvince(e, cur.Period, opt.Province)
	if err != nil {
		return nil, err
	}
	if opt.Top <= 0 {
		opt.Top = defaultTop
	}
	if opt.Recommendations <= 0 {
		opt.Recommendations = defaultRecommended
	}
	p := cur.Period
	f := &Facts{Province: refOf(prov), Place: PlaceName(prov.Name), Period: p, Prev: p.Prev(),
		Scheme: cur.Scheme.ID, MonthsOf: len(p.Months())}
	f.National = national(opt.Official, prov.Code, p)

	us := cur.Unit(prov.Code)
	if us == nil || !us.HasData {
		return f, nil
	}
	var pus *scoring.UnitScore
	if prev != nil {
		if x := prev.Unit(prov.Code); x != nil && x.HasData {
			pus = x
		}
	}
	f.HasData = true
	f.Total, f.MaxTotal, f.Band = us.Total, us.MaxTotal, bandOf(us.Scheme, us.Band)
	f.Provisional, f.MonthsCovered = us.Provisional, us.MonthsCovered
	if pus != nil {
		pt, ch := pus.Total, us.Total-pus.Total
		f.PrevTotal, f.Change, f.PrevBand = &pt, &ch, bandOf(pus.Scheme, pus.Band)
	}
	for _, g := range us.Groups {
		gf := GroupFact{Code: g.Group.Code, Name: g.Group.NameVI, Score: g.Score, Max: g.Max}
		if pus != nil {
			if pg := pus.Group(g.Group.Code); pg != nil {
				ch := g.Score - pg.Score
				gf.Change = &ch
			}
		}
		f.Groups = append(f.Groups, gf)
	}

	for _, code := range []string{MetricPublish, MetricUpdate} {
		m := us.Metric(code)
		if m == nil {
			continue
		}
		resp := opt.Responsible[code]
		if len(resp) == 0 {
			resp = lateOwnRows(e, cur, prov.Code, code)
		}
		pub := Publication{MetricFact: metricFact(m), Responsible: refs(e, resp)}
		if m.Counts.Valid {
			pub.Late = m.Counts.Den - m.Counts.Num
		}
		f.Publication = append(f.Publication, pub)
	}

	members := membersByKind(e, cur, prov.Code)
	if m := us.Metric(MetricOnTime); m != nil {
		mf := metricFact(m)
		f.OnTime = &mf
		f.OnTimeFull = collect(members, func(u *scoring.UnitScore) bool {
			c := metricCounts(u, MetricOnTime)
			return c.Valid && c.Den > 0 && c.Num == c.Den
		})
	}
	if m := us.Metric(MetricOnline); m != nil {
		mf := metricFact(m)
		f.Online = &mf
		f.NoOnline = collect(members, func(u *scoring.UnitScore) bool {
			c := metricCounts(u, MetricOnline)
			return c.Valid && c.Den > 0 && c.Num == 0
		})
	}
	if g := us.Group(GroupSatisfaction); g != nil {
		s := &Satisfaction{Group: GroupFact{Code: g.Group.Code, Name: g.Group.NameVI, Score: g.Score, Max: g.Max}}
		for _, gf := range f.Groups {
			if gf.Code == g.Group.Code {
				s.Group.Change = gf.Change
			}
		}
		for i := range g.Metrics {
			if g.Metrics[i].Metric.Scored() {
				s.Metrics = append(s.Metrics, metricFact(&g.Metrics[i]))
			}
		}
		for _, k := range levelKinds {
			if len(members[k]) == 0 {
				continue
			}
			kc := KindCount{Kind: k, Of: len(members[k])}
			for _, u := range members[k] {
				if ug := u.Group(GroupSatisfaction); ug != nil && ug.Max > 0 && ug.Score == ug.Max {
					kc.N++
				}
			}
			s.FullAt = append(s.FullAt, kc)
		}
		f.Satisfaction = s
	}

	f.Payment = groupDetail(f, us, members, GroupPayment, opt.Top)
	f.Digitisation = groupDetail(f, us, members, GroupDigitisation, opt.Top)

	for _, k := range levelKinds {
		rk := cur.Ranking(k, prov.Code, prev)
		if len(rk) == 0 {
			continue
		}
		f.Bands = append(f.Bands, levelBands(cur.Scheme, k, rk))
		f.Standings = append(f.Standings, standings(k, rk, opt.Top))
	}
	f.Recommendations = recommend(e, cur.Scheme, members, us, opt)
	return f, nil
}

// groupDetail is the group with the code at the province (nil when the
// scheme has no such group), with the top units that lost most on it.
func groupDetail(f *Facts, us *scoring.UnitScore, members map[scoring.UnitKind][]*scoring.UnitScore, code string, top int) *GroupDetail {
	g := us.Group(code)
	if g == nil {
		return nil
	}
	d := &GroupDetail{Group: GroupFact{Code: g.Group.Code, Name: g.Group.NameVI, Score: g.Score, Max: g.Max}}
	for _, gf := range f.Groups {
		if gf.Code == code {
			d.Group.Change = gf.Change
		}
	}
	for i := range g.Metrics {
		if g.Metrics[i].Metric.Scored() {
			d.Metrics = append(d.Metrics, metricFact(&g.Metrics[i]))
		}
	}
	var losses []UnitLoss
	for _, k := range levelKinds {
		for _, u := range members[k] {
			ug := u.Group(code)
			if ug == nil {
				continue
			}
			d.Of++
			if lost := ug.Max - ug.Score; lost > 0 {
				losses = append(losses, UnitLoss{UnitRef: refOf(u.Unit), Lost: lost})
			}
		}
	}
	sort.SliceStable(losses, func(i, j int) bool { return losses[i].Lost > losses[j].Lost })
	d.Worst = losses[:min(top, len(losses))]
	return d
}

// pickProvince is the province asked for, or else the only one that exists
// in period p (a province merged into another is not "the province" of
// the periods after it).
func pickProvince(e *scoring.Engine, p scoring.Period, code string) (scoring.Unit, error) {
	if code == "" {
		ps := e.ProvincesIn(p)
		switch len(ps) {
		case 0:
			return scoring.Unit{}, ErrNoProvince
		case 1:
			return ps[0], nil
		}
		return scoring.Unit{}, ErrSeveralProvinces
	}
	u, ok := e.Unit(code)
	if !ok || u.Kind != scoring.KindProvince {
		return scoring.Unit{}, fmt.Errorf("%w %q", ErrUnknownProvince, code)
	}
	return u, nil
}

func national(all []OfficialResult, code string, p scoring.Period) *National {
	var n *National
	for _, r := range all {
		if r.UnitCode == code && r.Period == p && r.Rank > 0 {
			n = &National{Rank: r.Rank, RankOf: r.RankOf, Total: r.Total}
		}
	}
	if n == nil {
		return nil
	}
	for _, r := range all {
		if r.UnitCode == code && r.Period == p.Prev() && r.Rank > 0 {
			n.PrevRank, n.PrevRankOf = r.Rank, r.RankOf
		}
	}
	return n
}

// refs resolves unit codes; codes the engine does not know are dropped
// rather than printed raw in a report to the People's Committee.
// lateOwnRows names the units of the province that were given their own
// counts of a province-level metric (docs/import-files.md allows it) with items
// published late: that is where the office knows who is answerable. With
// only the province's row nobody is named.
func lateOwnRows(e *scoring.Engine, cur *scoring.PeriodScores, prov, code string) []string {
	var out []string
	for _, u := range e.Units() {
		if u.Kind == scoring.KindProvince || e.ProvinceOf(u.Code) != prov {
			continue
		}
		us := cur.Unit(u.Code)
		if us == nil {
			continue
		}
		if m := us.Metric(code); m != nil && m.Source == scoring.SourceOwn && m.Counts.Valid && m.Counts.Num < m.Counts.Den {
			out = append(out, u.Code)
		}
	}
	return out
}

func refs(e *scoring.Engine, codes []string) []UnitRef {
	var out []UnitRef
	for _, c := range codes {
		if u, ok := e.Unit(c); ok {
			out = append(out, refOf(u))
		}
	}
	return out
}

// membersByKind lists the province's units with data in the period, per
// kind, in the engine's name order.
func membersByKind(e *scoring.Engine, cur *scoring.PeriodScores, prov string) map[scoring.UnitKind][]*scoring.UnitScore {
	out := map[scoring.UnitKind][]*scoring.UnitScore{}
	for _, u := range e.Units() {
		if u.Kind == scoring.KindProvince || e.ProvinceOf(u.Code) != prov {
			continue
		}
		if us := cur.Unit(u.Code); us != nil && us.HasData {
			out[u.Kind] = append(out[u.Kind], us)
		}
	}
	return out
}

// metricCounts is the counts of a metric the unit has of its own (own or
// derived): inherited values say nothing about the unit.
func metricCounts(u *scoring.UnitScore, code string) scoring.Counts {
	m := u.Metric(code)
	if m == nil || (m.Source != scoring.SourceOwn && m.Source != scoring.SourceDerived) {
		return scoring.Counts{}
	}
	return m.Counts
}

func collect(members map[scoring.UnitKind][]*scoring.UnitScore, keep func(*scoring.UnitScore) bool) []KindUnits {
	var out []KindUnits
	for _, k := range levelKinds {
		if len(members[k]) == 0 {
			continue
		}
		ku := KindUnits{Kind: k, Of: len(members[k])}
		for _, u := range members[k] {
			if keep(u) {
				ku.Units = append(ku.Units, refOf(u.Unit))
			}
		}
		out = append(out, ku)
	}
	return out
}

func levelBands(s *scoring.Scheme, k scoring.UnitKind, rk []scoring.Ranked) LevelBands {
	lb := LevelBands{Kind: k, Units: len(rk)}
	idx := map[string]int{}
	for i, b := range s.Bands {
		idx[b.Code] = i
		lb.Bands = append(lb.Bands, BandCount{BandRef: BandRef{Code: b.Code, Name: b.NameVI, Level: i + 1}})
	}
	for _, r := range rk {
		if r.Rank == 0 || r.Band == nil {
			lb.Unranked++
			continue
		}
		lb.Ranked++
		if i, ok := idx[r.Band.Code]; ok {
			lb.Bands[i].N++
		}
	}
	return lb
}

func standingOf(r scoring.Ranked) Standing {
	return Standing{UnitRef: refOf(r.Unit), Rank: r.Rank, RankOf: r.RankOf, Total: r.Total,
		MaxTotal: r.MaxTotal, Band: bandOf(r.Scheme, r.Band), TotalChange: r.TotalChange, RankChange: r.RankChange}
}

func standings(k scoring.UnitKind, rk []scoring.Ranked, top int) LevelStandings {
	ls := LevelStandings{Kind: k}
	var ranked []scoring.Ranked
	for _, r := range rk {
		if r.Rank > 0 {
			ranked = append(ranked, r)
		}
	}
	for i := 0; i < len(ranked) && i < top; i++ {
		ls.Best = append(ls.Best, standingOf(ranked[i]))
	}
	// The worst are taken from the units not already named as the best, so
	// a level of four units does not name the same unit twice.
	worst := len(ranked) - len(ls.Best)
	if worst > top {
		worst = top
	}
	for i := 0; i < worst; i++ {
		ls.Worst = append(ls.Worst, standingOf(ranked[len(ranked)-1-i]))
	}
	var up, down []scoring.Ranked
	for _, r := range ranked {
		switch {
		case r.TotalChange != nil && *r.TotalChange > 0:
			up = append(up, r)
		case r.TotalChange != nil && *r.TotalChange < 0:
			down = append(down, r)
		}
	}
	// Stable sorts keep the ranking's order (rank, then name) among ties.
	sort.SliceStable(up, func(i, j int) bool { return *up[i].TotalChange > *up[j].TotalChange })
	sort.SliceStable(down, func(i, j int) bool { return *down[i].TotalChange < *down[j].TotalChange })
	for i := 0; i < len(up) && i < top; i++ {
		ls.Up = append(ls.Up, standingOf(up[i]))
	}
	for i := 0; i < len(down) && i < top; i++ {
		ls.Down = append(ls.Down, standingOf(down[i]))
	}
	return ls
}

// recommend sums, per scored metric, the points the province's units with
// data lost (max − points), and words advice for the costliest ones. A
// province-level metric is carried by every unit, so its loss counts once
// per unit: fixing it at the province raises every unit's total.
func recommend(e *scoring.Engine, s *scoring.Scheme, members map[scoring.UnitKind][]*scoring.UnitScore,
	prov *scoring.UnitScore, opt Options) []Recommendation {
	var all []*scoring.UnitScore
	for _, k := range levelKinds {
		all = append(all, members[k]...)
	}
	if len(all) == 0 {
		return nil
	}
	var recs []Recommendation
	for i := range s.Metrics {
		m := &s.Metrics[i]
		if !m.Scored() {
			continue
		}
		r := Recommendation{Metric: m.Code, Name: m.NameVI, ProvinceLevel: m.Level == scoring.LevelProvince, Of: len(all)}
		if g := s.Group(m.Group); g != nil {
			r.Group = g.NameVI
		}
		var losses []UnitLoss
		for _, u := range all {
			ms := u.Metric(m.Code)
			if ms == nil || !ms.Scored {
				continue
			}
			if l := ms.Lost(); l > 0 {
				r.Lost += l
				r.Units++
				losses = append(losses, UnitLoss{UnitRef: refOf(u.Unit), Lost: l})
			}
		}
		if r.Lost <= 0 {
			continue
		}
		if r.ProvinceLevel {
			if pm := prov.Metric(m.Code); pm != nil {
				r.PerUnit = pm.Lost()
			}
			r.Responsible = refs(e, opt.Responsible[m.Code])
		} else {
			sort.SliceStable(losses, func(i, j int) bool { return losses[i].Lost > losses[j].Lost })
			if len(losses) > opt.Top {
				losses = losses[:opt.Top]
			}
			r.Worst = losses
		}
		r.Advice = advice(m.Code, m.NameVI)
		recs = append(recs, r)
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].Lost > recs[j].Lost })
	if len(recs) > opt.Recommendations {
		recs = recs[:opt.Recommendations]
	}
	return recs
}
