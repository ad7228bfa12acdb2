package scoring

import "sort"

// An engine need not hold every count. A frame (NewFrame) indexes the units
// and knows which periods have data, and scores one period at a time from
// that period's counts alone (ScoreFrom): a period's scores read the counts
// of the period itself and of its months, nothing else, so a server can
// load those instead of the whole history. Restore rebuilds a period's
// scores from what an earlier Score resolved, without any counts.

// Fetch supplies the counts of period p and of its months (own and derived
// from dossiers), for a frame asked to Score directly.
type Fetch func(p Period) (*Dataset, error)

// NewFrame is an engine over the units and changes whose counts are read
// per period: periods lists the canonical periods that have counts (own or
// derived; the quarter, half-year and year of each month are added, as
// Periods says). Score fetches the period's counts through fetch; a nil
// fetch, or one that fails, scores the period over no counts, so callers
// that can report an error use ScoreFrom.
func NewFrame(schemes *Schemes, units []Unit, changes []Change, periods []string, fetch Fetch) *Engine {
	e := NewEngine(schemes, &Dataset{Units: units, Changes: changes})
	e.fetch = fetch
	e.periods = periodList(periods)
	return e
}

// WithPeriods is the same engine (its units indexed once) with another
// list of periods with data, as NewFrame takes it: for new counts over
// unchanged units.
func (e *Engine) WithPeriods(periods []string, fetch Fetch) *Engine {
	cp := *e
	cp.ds = &Dataset{Units: e.ds.Units, Changes: e.ds.Changes}
	cp.fetch = fetch
	cp.periods = periodList(periods)
	return &cp
}

// ScoreFrom scores p from ds's counts (ds.Own and ds.Dossier must hold at
// least those of p and of its months; ds.Units is not read: the engine's
// units are scored). The result ranks with the engine's units, as Score's.
func (e *Engine) ScoreFrom(p Period, ds *Dataset) *PeriodScores {
	cp := *e
	cp.ds = &Dataset{Units: e.ds.Units, Changes: e.ds.Changes, Own: ds.Own, Dossier: ds.Dossier}
	cp.fetch = nil
	ps := cp.Score(p)
	ps.e = e
	return ps
}

// Resolution is where one metric's counts came from in one period, as Score
// resolved them before applying the scheme: a MetricScore carries it
// (MetricScore.Resolution). Source SourceNone means none were found.
type Resolution struct {
	Counts           Counts
	Source           Source
	Derived          Derivation
	Months, MonthsOf int
}

// Resolution is how ms's counts were resolved.
func (ms MetricScore) Resolution() Resolution {
	return Resolution{Counts: ms.Counts, Source: ms.Source, Derived: ms.Derived, Months: ms.Months, MonthsOf: ms.MonthsOf}
}

// Restore rebuilds p's scores from the resolutions an earlier Score of p
// found: next is asked once per unit, in the order of Units, and metric,
// in the order of the period's scheme (group by group, as UnitScore.Groups
// lists them), and the scheme's arithmetic is applied again. The result
// equals Score's over the same counts. next answering false abandons the
// rebuild (ok false): what it was given does not fit these units or this
// scheme.
func (e *Engine) Restore(p Period, next func(u Unit, m *Metric) (Resolution, bool)) (ps *PeriodScores, ok bool) {
	s := e.schemes.For(p)
	ps = &PeriodScores{Period: p, Scheme: s, Units: make(map[string]*UnitScore, len(e.order)), e: e}
	ok = true
	sl := newSlab(s, len(e.order))
	for _, code := range e.order {
		u := e.units[code]
		us := sl.scoreUnit(s, u, p, restoring(&ok, func(m *Metric) (Resolution, bool) { return next(u, m) }))
		if !ok {
			return nil, false
		}
		us.Province = e.province[code]
		us.Exists = u.ExistsIn(p)
		ps.Units[code] = us
	}
	return ps, true
}

// restoring resolves a metric from next's answer; the first false sets
// *ok false, and every metric after it resolves to nothing (the rebuild is
// abandoned by the caller).
func restoring(ok *bool, next func(m *Metric) (Resolution, bool)) func(m *Metric) resolved {
	return func(m *Metric) resolved {
		if !*ok {
			return resolved{src: SourceNone}
		}
		r, found := next(m)
		if !found {
			*ok = false
			return resolved{src: SourceNone}
		}
		return resolved{c: r.Counts, src: r.Source, how: r.Derived, months: r.Months, monthsOf: r.MonthsOf, found: r.Source != SourceNone}
	}
}

// RestoreOne is Restore of one unit alone: p's scores holding the unit
// with the code only (nil, false for a code the engine does not know, or
// when next answers false), its metrics asked of next in the scheme's
// order. For a page that shows one unit's metrics among the other units'
// standings (Standings), without rebuilding every unit's.
func (e *Engine) RestoreOne(p Period, code string, next func(m *Metric) (Resolution, bool)) (*PeriodScores, bool) {
	u, known := e.units[code]
	if !known {
		return nil, false
	}
	s := e.schemes.For(p)
	ok := true
	us := scoreUnit(s, u, p, restoring(&ok, next))
	if !ok {
		return nil, false
	}
	us.Province = e.province[code]
	us.Exists = u.ExistsIn(p)
	return &PeriodScores{Period: p, Scheme: s, Units: map[string]*UnitScore{code: us}, e: e}, true
}

// periodList is the periods named (those that do not parse are left out),
// with the longer periods of each month, newest first as Periods lists
// them.
func periodList(names []string) []Period {
	seen := map[Period]bool{}
	for _, n := range names {
		p, err := ParsePeriod(n)
		if err != nil {
			continue
		}
		seen[p] = true
		if p.Kind == Month {
			for _, k := range PeriodKinds[1:] {
				seen[Containing(p, k)] = true
			}
		}
	}
	out := make([]Period, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start().Equal(out[j].Start()) {
			return out[i].Start().After(out[j].Start())
		}
		return out[i].Kind.months() < out[j].Kind.months()
	})
	return out
}
