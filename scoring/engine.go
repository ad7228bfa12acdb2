package scoring

import (
	"bytes"
	"cmp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Engine scores a Dataset with a set of schemes. It indexes the units once;
// it is immutable after NewEngine and safe for concurrent use.
type Engine struct {
	schemes *Schemes
	ds      *Dataset

	units    map[string]Unit
	order    []string            // every unit code, by kind then name
	sortKey  map[string][]byte   // Vietnamese collation key of each unit's name
	children map[string][]string // parent code → child codes, by name
	province map[string]string   // unit code → its province's code
	members  map[string][]string // province code → every unit below it
	periods  []Period            // periods with data, newest first
	next     map[string][]Change // unit code → how it ended (its successors)
	prev     map[string][]Change // unit code → how it began (its predecessors)
	// search is unit code → its search tokens (searchTokens), folded on
	// the first search: most processes never search, and folding every
	// unit's name was a fifth of what a new process does before its first
	// page at national scale. Shared by the engine's copies.
	search *searchIndex
	// fetch, for a frame, reads a period's counts (NewFrame).
	fetch Fetch
}

// NewEngine indexes the dataset. The dataset must not change afterwards.
func NewEngine(schemes *Schemes, ds *Dataset) *Engine {
	if ds == nil {
		ds = &Dataset{}
	}
	// Sized once: a national engine indexes some 4 000 units, in a new
	// process before its first page.
	n := len(ds.Units)
	e := &Engine{schemes: schemes, ds: ds, search: &searchIndex{},
		units: make(map[string]Unit, n), sortKey: make(map[string][]byte, n), children: map[string][]string{},
		province: make(map[string]string, n), members: map[string][]string{},
		next: map[string][]Change{}, prev: map[string][]Change{}}
	kindIdx := map[UnitKind]int{}
	for i, k := range UnitKinds {
		kindIdx[k] = i
	}
	// A collator is not safe for concurrent use, so the keys are computed
	// once here and compared as bytes afterwards; they share one block.
	col := collate.New(language.Vietnamese)
	var buf collate.Buffer
	type entry struct {
		code string
		kind int
		key  []byte
	}
	entries := make([]entry, 0, n)
	var keys []byte
	for _, u := range ds.Units {
		e.units[u.Code] = u
		k := col.KeyFromString(&buf, u.Name)
		if cap(keys)-len(keys) < len(k) {
			keys = make([]byte, 0, max(64<<10, len(k)))
		}
		start := len(keys)
		keys = append(keys, k...)
		buf.Reset()
		key := keys[start:len(keys):len(keys)]
		e.sortKey[u.Code] = key
		entries = append(entries, entry{u.Code, kindIdx[u.Kind], key})
	}
	// By kind, then name (nameLess), sorted on the keys at hand rather than
	// looked up in the maps at each comparison.
	slices.SortFunc(entries, func(a, b entry) int {
		if a.kind != b.kind {
			return cmp.Compare(a.kind, b.kind)
		}
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.code, b.code)
	})
	e.order = make([]string, len(entries))
	for i, en := range entries {
		e.order[i] = en.code
	}
	for _, code := range e.order {
		u := e.units[code]
		if u.ParentCode != "" {
			e.children[u.ParentCode] = append(e.children[u.ParentCode], code)
		}
		if p := e.findProvince(code); p != "" {
			e.province[code] = p
			if p != code {
				e.members[p] = append(e.members[p], code)
			}
		}
	}
	for _, c := range ds.Changes {
		e.next[c.From] = append(e.next[c.From], c)
		e.prev[c.To] = append(e.prev[c.To], c)
	}
	for _, m := range []map[string][]Change{e.next, e.prev} {
		for code, list := range m {
			sort.Slice(list, func(i, j int) bool {
				if !list[i].Effective.Equal(list[j].Effective) {
					return list[i].Effective.Before(list[j].Effective)
				}
				a, b := list[i].To, list[j].To
				if code == list[i].To {
					a, b = list[i].From, list[j].From
				}
				return e.nameLess(a, b)
			})
		}
	}
	e.periods = e.listPeriods()
	return e
}

// findProvince walks up the parents; the depth guard keeps a malformed
// dataset (a cycle) from hanging the server.
func (e *Engine) findProvince(code string) string {
	for i := 0; i < 16; i++ {
		u, ok := e.units[code]
		if !ok {
			return ""
		}
		if u.Kind == KindProvince {
			return u.Code
		}
		code = u.ParentCode
	}
	return ""
}

func (e *Engine) nameLess(a, b string) bool {
	if c := bytes.Compare(e.sortKey[a], e.sortKey[b]); c != 0 {
		return c < 0
	}
	return a < b
}

func (e *Engine) listPeriods() []Period {
	// A period's name repeats across thousands of counts: each is parsed
	// once.
	names := map[string]bool{}
	for k := range e.ds.Own {
		names[k.Period] = true
	}
	for k := range e.ds.Dossier {
		names[k.Period] = true
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	return periodList(list)
}

// Schemes returns the engine's schemes.
func (e *Engine) Schemes() *Schemes { return e.schemes }

// Periods lists the periods with data, newest first (start descending, then
// shorter first): every month with counts, and the quarter, half-year and
// year containing it, plus longer periods with counts of their own.
func (e *Engine) Periods() []Period { return append([]Period(nil), e.periods...) }

// Unit returns the unit with the code.
func (e *Engine) Unit(code string) (Unit, bool) {
	u, ok := e.units[code]
	return u, ok
}

// Units lists every unit, ordered by kind then name.
func (e *Engine) Units() []Unit {
	out := make([]Unit, 0, len(e.order))
	for _, c := range e.order {
		out = append(out, e.units[c])
	}
	return out
}

// Children lists the units whose parent is code, by name.
func (e *Engine) Children(code string) []Unit {
	out := make([]Unit, 0, len(e.children[code]))
	for _, c := range e.children[code] {
		out = append(out, e.units[c])
	}
	return out
}

// Successors lists how the unit ended: the units it merged into, split into
// or was renamed to, by date then name; empty while it exists.
func (e *Engine) Successors(code string) []Change { return append([]Change(nil), e.next[code]...) }

// Predecessors lists the units the unit came from, by date then name.
func (e *Engine) Predecessors(code string) []Change { return append([]Change(nil), e.prev[code]...) }

// ProvincesIn lists the provinces that exist in period p, by name: the
// field a national rank is "of" (63 before the 2025 merger, 34 after).
func (e *Engine) ProvincesIn(p Period) []Unit {
	var out []Unit
	for _, u := range e.Provinces() {
		if u.ExistsIn(p) {
			out = append(out, u)
		}
	}
	return out
}

// Provinces lists the province units, by name.
func (e *Engine) Provinces() []Unit {
	var out []Unit
	for _, c := range e.order {
		if u := e.units[c]; u.Kind == KindProvince {
			out = append(out, u)
		}
	}
	return out
}

// ProvinceOf returns the code of the unit's province ("" if none; a province
// is its own province).
func (e *Engine) ProvinceOf(code string) string { return e.province[code] }

// rankScope is the province a unit is ranked within: its own for agencies,
// districts and communes; none for a province, ranked among the provinces.
func rankScope(kind UnitKind, province string) string {
	if kind == KindProvince {
		return ""
	}
	return province
}

// RankScope is the province the unit is ranked within ("" for a province,
// ranked among all), as the rankings, the unit page and the API rank it.
func (e *Engine) RankScope(code string) string {
	return rankScope(e.units[code].Kind, e.province[code])
}

// PeriodScores is every unit's score in one period.
type PeriodScores struct {
	Period Period
	Scheme *Scheme
	Units  map[string]*UnitScore
	e      *Engine
	// recomputed is the engine's own scores when these carry published
	// figures (WithPublished).
	recomputed *PeriodScores
}

// Unit returns one unit's score, or nil for an unknown code.
func (ps *PeriodScores) Unit(code string) *UnitScore { return ps.Units[code] }

// resolved is the counts one metric uses, and where they came from.
type resolved struct {
	c        Counts
	src      Source
	how      Derivation
	months   int
	monthsOf int
	found    bool
}

type memoKey struct {
	unit, metric string
	p            Period
}

// scorer holds one Score call's memo: a province's pool and a longer
// period's months reuse the members' and months' resolutions.
type scorer struct {
	e    *Engine
	memo map[memoKey]resolved
	// names are the periods' canonical forms, the keys of the counts:
	// formatted once per Score call instead of once per lookup.
	names map[Period]string
}

// name is p.String(), remembered.
func (sc *scorer) name(p Period) string {
	s, ok := sc.names[p]
	if !ok {
		s = p.String()
		sc.names[p] = s
	}
	return s
}

// Score computes every unit's score in period p.
func (e *Engine) Score(p Period) *PeriodScores {
	if e.fetch != nil {
		ds, err := e.fetch(p)
		if err != nil {
			ds = &Dataset{}
		}
		return e.ScoreFrom(p, ds)
	}
	s := e.schemes.For(p)
	ps := &PeriodScores{Period: p, Scheme: s, Units: make(map[string]*UnitScore, len(e.order)), e: e}
	// One resolution per unit, metric and month of the period (and the
	// period itself): sized once rather than grown a dozen times.
	sc := &scorer{e: e, memo: make(map[memoKey]resolved, len(e.order)*len(s.Metrics)*(1+len(p.Months()))), names: map[Period]string{}}
	sl := newSlab(s, len(e.order))
	for _, code := range e.order {
		u := e.units[code]
		us := sl.scoreUnit(s, u, p, func(m *Metric) resolved { return sc.resolve(u, m, p) })
		us.Province = e.province[code]
		us.Exists = u.ExistsIn(p)
		ps.Units[code] = us
	}
	return ps
}

// resolve picks the counts a metric uses (scoring.md §4): the unit's own or
// derived counts; for a province-level metric, else the province's value.
func (sc *scorer) resolve(u Unit, m *Metric, p Period) resolved {
	if r := sc.value(u, m, p); r.found {
		return r
	}
	if m.Level == LevelProvince && u.Kind != KindProvince {
		if prov, ok := sc.e.units[sc.e.province[u.Code]]; ok {
			r := sc.value(prov, m, p)
			if r.found {
				r.src, r.how = SourceProvince, DerivedNone
				return r
			}
		}
	}
	return resolved{src: SourceNone}
}

// value is the counts of the unit itself, first that exists: supplied for
// the period; derived from dossiers over the period; for a longer period,
// derived from its months; for a province and a per-unit metric, pooled from
// its units. Inherited values never enter it, so pools and sums stay clean.
func (sc *scorer) value(u Unit, m *Metric, p Period) resolved {
	k := memoKey{u.Code, m.Code, p}
	if r, ok := sc.memo[k]; ok {
		return r
	}
	r := sc.compute(u, m, p)
	sc.memo[k] = r
	return r
}

func (sc *scorer) compute(u Unit, m *Metric, p Period) resolved {
	key := Key{Period: sc.name(p), Unit: u.Code, Metric: m.Code}
	if c, ok := sc.e.ds.Own[key]; ok {
		return resolved{c: c, src: SourceOwn, found: true}
	}
	if u.Kind == KindProvince && m.Level == LevelUnit {
		return sc.pool(u, m, p)
	}
	if c, ok := sc.e.ds.Dossier[key]; ok {
		return resolved{c: c, src: SourceDerived, how: DerivedDossier, found: true}
	}
	if p.Kind != Month {
		return sc.months(u, m, p, sc.value)
	}
	return resolved{src: SourceNone}
}

// months derives a longer period from its months, as get resolves each:
// flow metrics sum them, snapshot metrics take the latest with counts.
func (sc *scorer) months(u Unit, m *Metric, p Period, get func(Unit, *Metric, Period) resolved) resolved {
	months := p.Months()
	var sum Counts
	covered, rows := 0, 0
	for _, mo := range months {
		r := get(u, m, mo)
		if r.found {
			rows++
		}
		if !r.found || !r.c.Valid {
			continue
		}
		covered++
		if m.Aggregation == Snapshot {
			sum = r.c // months are in order: the latest with counts wins
		} else {
			sum = Counts{Num: sum.Num + r.c.Num, Den: sum.Den + r.c.Den, Valid: true}
		}
	}
	if covered == 0 {
		if rows > 0 {
			// Every month that has the metric says "no counts" (an empty
			// row): so does the longer period, as each of its months does
			// (the no-data rule), rather than counting it as missing.
			return resolved{src: SourceDerived, how: DerivedMonths, monthsOf: len(months), found: true}
		}
		return resolved{src: SourceNone}
	}
	return resolved{c: sum, src: SourceDerived, how: DerivedMonths, months: covered, monthsOf: len(months), found: true}
}

// pool gives a province's counts of a per-unit metric where none were
// supplied for the period. Months the province supplied itself are summed
// as for any unit. Otherwise its counts are the pool of its own dossiers and
// its units' counts for the very same period: summing the province's months
// instead would count a dossier handled in two months twice, and a unit's
// procedures once per month.
func (sc *scorer) pool(u Unit, m *Metric, p Period) resolved {
	if p.Kind != Month {
		supplied := func(u Unit, m *Metric, mo Period) resolved {
			if c, ok := sc.e.ds.Own[Key{Period: sc.name(mo), Unit: u.Code, Metric: m.Code}]; ok {
				return resolved{c: c, src: SourceOwn, found: true}
			}
			return resolved{src: SourceNone}
		}
		if r := sc.months(u, m, p, supplied); r.found {
			return r
		}
	}
	var sum Counts
	if c, ok := sc.e.ds.Dossier[Key{Period: sc.name(p), Unit: u.Code, Metric: m.Code}]; ok && c.Valid {
		sum = c
	}
	months, monthsOf := 0, 0
	for _, code := range sc.e.members[u.Code] {
		mu := sc.e.units[code]
		if !mu.ExistsIn(p) {
			continue // its counts belong to the province it was part of
		}
		r := sc.value(mu, m, p)
		if !r.found || !r.c.Valid {
			continue
		}
		sum = Counts{Num: sum.Num + r.c.Num, Den: sum.Den + r.c.Den, Valid: true}
		// A member derived from some of the period's months makes the
		// pool provisional too; it covers as many months as its best.
		if r.monthsOf > 0 && r.months > months {
			months, monthsOf = r.months, r.monthsOf
		}
	}
	if !sum.Valid {
		return resolved{src: SourceNone}
	}
	return resolved{c: sum, src: SourceDerived, how: DerivedPool, months: months, monthsOf: monthsOf, found: true}
}

// scoreUnit applies the scheme to one unit's resolved counts.
func scoreUnit(s *Scheme, u Unit, p Period, get func(*Metric) resolved) *UnitScore {
	return (*slab)(nil).scoreUnit(s, u, p, get)
}

// slab is the memory of a period's unit scores, taken in three blocks
// instead of some eight small ones per unit: a period of the whole country
// is some 4 000 units, and its scores are read back whole (Restore) when a
// process starts. The scores of a period live and die together, so one
// block for all of them keeps nothing alive for longer.
type slab struct {
	units   []UnitScore
	groups  []GroupScore
	metrics []MetricScore
}

// newSlab is the memory of n units' scores under s.
func newSlab(s *Scheme, n int) *slab {
	return &slab{units: make([]UnitScore, n), groups: make([]GroupScore, n*len(s.Groups)), metrics: make([]MetricScore, n*len(s.Metrics))}
}

func (a *slab) unit() *UnitScore {
	if a == nil || len(a.units) == 0 {
		return &UnitScore{}
	}
	us := &a.units[0]
	a.units = a.units[1:]
	return us
}

// take is an empty slice of capacity n from the block, or a new one when
// the block is spent; nil when n is 0 (as append leaves them).
func take[T any](block *[]T, n int) []T {
	if n == 0 {
		return nil
	}
	if len(*block) < n {
		return make([]T, 0, n)
	}
	out := (*block)[:0:n]
	*block = (*block)[n:]
	return out
}

func (a *slab) scoreUnit(s *Scheme, u Unit, p Period, get func(*Metric) resolved) *UnitScore {
	us := a.unit()
	*us = UnitScore{Unit: u, Period: p, Scheme: s}
	groupBlock, metricBlock := new([]GroupScore), new([]MetricScore)
	if a != nil {
		groupBlock, metricBlock = &a.groups, &a.metrics
	}
	// Sized once (as append leaves them: nil when empty).
	us.Groups = take(groupBlock, len(s.Groups))
	for gi := range s.Groups {
		g := &s.Groups[gi]
		metrics := s.GroupMetrics(g.Code)
		gs := GroupScore{Group: g}
		gs.Metrics = take(metricBlock, len(metrics))
		for _, m := range metrics {
			r := get(m)
			// Filled in place: a score built apart and appended is copied
			// whole, with the garbage collector's barriers when it runs.
			gs.Metrics = append(gs.Metrics, MetricScore{})
			ms := &gs.Metrics[len(gs.Metrics)-1]
			ms.Metric, ms.Counts, ms.Source, ms.Derived, ms.Months, ms.MonthsOf = m, r.c, r.src, r.how, r.months, r.monthsOf
			if !r.found {
				ms.Source = SourceNone
			}
			ms.Ratio, ms.HasRatio = Ratio(r.c.Num, r.c.Den)
			if !r.c.Valid {
				ms.HasRatio = false
			}
			ms.Points, ms.Max, ms.Scored, ms.NoData = metricPoints(m, r.c)
			if (ms.Source == SourceOwn || ms.Source == SourceDerived) && r.c.Valid {
				us.HasData = true
			}
			if ms.Source == SourceNone && m.Scored() {
				us.Missing++
			}
			if r.monthsOf > 0 && r.months > us.MonthsCovered {
				us.MonthsCovered = r.months
				us.Provisional = r.months < r.monthsOf
			}
			gs.Score += ms.Points
			gs.Max += ms.Max
		}
		us.Total += gs.Score
		us.MaxTotal += gs.Max
		us.Groups = append(us.Groups, gs)
	}
	if us.HasData {
		us.Band = s.Band(us.Total, us.MaxTotal)
	}
	return us
}

// ScoreInputs scores one unit from explicit counts per metric code, with no
// derivation: metrics absent from in have no counts. It is the engine's own
// arithmetic, for the what-if panel and for tests.
func ScoreInputs(s *Scheme, u Unit, p Period, in map[string]Input) *UnitScore {
	return scoreUnit(s, u, p, func(m *Metric) resolved {
		i, ok := in[m.Code]
		if !ok {
			return resolved{src: SourceNone}
		}
		src := i.Source
		if src == "" {
			src = SourceOwn
		}
		return resolved{c: i.Counts, src: src, found: true}
	})
}

// tieKey is the total at the scheme's tie precision (2 decimals by default:
// totals equal at 2 decimals tie).
func tieKey(total Cents, precision int) int64 {
	switch precision {
	case 0:
		return (int64(total) + 50) / 100
	case 1:
		return (int64(total) + 5) / 10
	}
	return int64(total)
}

// RankOf is the unit's row in its ranking (its kind, within its province;
// provinces among all), with its changes against prev when prev is not
// nil; nil when ps has no such unit.
func (ps *PeriodScores) RankOf(code string, prev *PeriodScores) *Ranked {
	us := ps.Units[code]
	if us == nil || ps.e == nil {
		return nil
	}
	ranking := ps.Ranking(us.Unit.Kind, ps.e.RankScope(code), prev)
	for i := range ranking {
		if ranking[i].Unit.Code == code {
			return &ranking[i]
		}
	}
	return nil
}

// Ranking ranks the units of one kind (limited to one province's units when
// province is not ""), best first with standard competition ranking (ties at
// the scheme's tie precision share a rank and are listed by name), then the
// units without data, by name, with Rank 0. prev, when not nil, is the
// previous period's scores, for TotalChange and RankChange.
func (ps *PeriodScores) Ranking(kind UnitKind, province string, prev *PeriodScores) []Ranked {
	e := ps.e
	var ranked, unranked []Ranked
	// A province's units are listed apart, in the engine's order: ranking
	// a hundred communes need not look at the country's 4 000 units (the
	// province itself is not among them, nor ranked below a province).
	codes := e.order
	if province != "" && kind != KindProvince {
		codes = e.members[province]
	}
	for _, code := range codes {
		u := e.units[code]
		if u.Kind != kind || (province != "" && e.province[code] != province) {
			continue
		}
		us := ps.Units[code]
		if us == nil || !us.Exists {
			continue
		}
		if us.HasData {
			ranked = append(ranked, Ranked{UnitScore: us})
		} else {
			unranked = append(unranked, Ranked{UnitScore: us})
		}
	}
	prec := ps.Scheme.TiePrecision
	sort.SliceStable(ranked, func(i, j int) bool {
		a, b := tieKey(ranked[i].Total, prec), tieKey(ranked[j].Total, prec)
		if a != b {
			return a > b
		}
		return e.nameLess(ranked[i].Unit.Code, ranked[j].Unit.Code)
	})
	for i := range ranked {
		if i > 0 && tieKey(ranked[i].Total, prec) == tieKey(ranked[i-1].Total, prec) {
			ranked[i].Rank = ranked[i-1].Rank
		} else {
			ranked[i].Rank = i + 1
		}
		ranked[i].RankOf = len(ranked)
	}
	if prev != nil {
		before := map[string]Ranked{}
		for _, r := range prev.Ranking(kind, province, nil) {
			if r.Rank > 0 {
				before[r.Unit.Code] = r
			}
		}
		for i := range ranked {
			if b, ok := before[ranked[i].Unit.Code]; ok {
				tc := ranked[i].Total - b.Total
				rc := b.Rank - ranked[i].Rank
				ranked[i].TotalChange, ranked[i].RankChange, ranked[i].PrevBand = &tc, &rc, b.Band
			}
		}
	}
	for i := range unranked {
		unranked[i].RankOf = len(ranked)
	}
	return append(ranked, unranked...)
}

// Input is a hypothetical metric value for ScoreInputs (what-if): counts and
// the source to report.
type Input struct {
	Counts Counts
	Source Source
}
