package scorecache

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"scorecard/scoring"
	"scorecard/store"
)

// The kept totals of a period (store.SaveScores, beside the kept scores):
// every unit's point (scoring.UnitPoint: total, band, group scores, rank
// among its peers), so that a unit's trend over a dozen periods reads a
// dozen small records and one unit's entry in each, instead of rebuilding
// every unit's metrics in every period (some 50 ms a period at national
// scale). They are the figures the pages show (the portal's published ones
// where it published them), at the period's score version, which moves
// with the portal's figures too.
//
//	"ST3" · scheme id · scheme fingerprint · unit count · per unit: code,
//	entry length, entry (flags, total, maximum, [band index], group count,
//	group scores, [published groups, published-only groups], missing,
//	months covered, rank, rank of)
//
// Totals, maxima and group scores are varints (signed), the rest uvarints
// (the published groups as bit masks, group i at bit i); the entry length
// lets a reader skip the units it does not want. The forms kept by earlier
// versions, "ST1" (flags, total, [band], groups, rank, rank of) and "ST2"
// (ST1 with the maximum after the total), are read for a unit's points (a
// trend shows none of the rest); their standings are not (a ranking shows
// it all).

const (
	totalsMagic = "ST3"
	// totalsVersion is the version of totalsMagic.
	totalsVersion = 3
)

const (
	totHasData     = 1 << 0
	totBand        = 1 << 1
	totProvisional = 1 << 2 // ST3
	totOfficial    = 1 << 3 // ST3: the unit shows published figures
	totGroups      = 1 << 4 // ST3: published groups follow the scores
)

// encodeTotals is ps's kept totals over e's units (those ps scores).
func encodeTotals(e *scoring.Engine, ps *scoring.PeriodScores) ([]byte, error) {
	s := ps.Scheme
	if s == nil {
		return nil, errCodec
	}
	points := ps.Points()
	units := e.Units()
	b := make([]byte, 0, 64+len(units)*32)
	b = append(b, totalsMagic...)
	b = appendString(b, s.ID)
	b = appendString(b, fingerprint(s))
	n := 0
	for _, u := range units {
		if _, ok := points[u.Code]; ok {
			n++
		}
	}
	b = binary.AppendUvarint(b, uint64(n))
	var entry []byte
	for _, u := range units {
		pt, ok := points[u.Code]
		if !ok {
			continue
		}
		entry = entry[:0]
		var flags byte
		if pt.HasData {
			flags |= totHasData
		}
		band := -1
		if pt.Band != nil {
			flags |= totBand
			for i := range s.Bands {
				if s.Bands[i].Code == pt.Band.Code {
					band = i
				}
			}
			if band < 0 {
				return nil, errCodec
			}
		}
		if pt.Rank < 0 || pt.RankOf < 0 || pt.Missing < 0 || pt.MonthsCovered < 0 || len(pt.Groups) > 64 {
			return nil, errCodec
		}
		if pt.Provisional {
			flags |= totProvisional
		}
		if pt.Official {
			flags |= totOfficial
		}
		if pt.GroupsOfficial != 0 || pt.GroupsOnly != 0 {
			flags |= totGroups
		}
		entry = append(entry, flags)
		entry = binary.AppendVarint(entry, int64(pt.Total))
		entry = binary.AppendVarint(entry, int64(pt.MaxTotal))
		if band >= 0 {
			entry = binary.AppendUvarint(entry, uint64(band))
		}
		entry = binary.AppendUvarint(entry, uint64(len(pt.Groups)))
		for _, g := range pt.Groups {
			entry = binary.AppendVarint(entry, int64(g))
		}
		if flags&totGroups != 0 {
			entry = binary.AppendUvarint(entry, pt.GroupsOfficial)
			entry = binary.AppendUvarint(entry, pt.GroupsOnly)
		}
		entry = binary.AppendUvarint(entry, uint64(pt.Missing))
		entry = binary.AppendUvarint(entry, uint64(pt.MonthsCovered))
		entry = binary.AppendUvarint(entry, uint64(pt.Rank))
		entry = binary.AppendUvarint(entry, uint64(pt.RankOf))
		b = appendString(b, u.Code)
		b = binary.AppendUvarint(b, uint64(len(entry)))
		b = append(b, entry...)
	}
	return b, nil
}

// readPoint is code's point in p from kept totals b; ok false when b is
// not kept totals of p's scheme (the unit is then unknown to the caller).
// A unit the totals do not list is not among the period's units (Known
// false), as in the scores they were kept from.
func readPoint(schemes *scoring.Schemes, p scoring.Period, b []byte, code string) (scoring.UnitPoint, bool) {
	s := schemes.For(p)
	r := reader{b: b}
	version := r.totalsMagic()
	if version == 0 || r.str() != s.ID || r.str() != fingerprint(s) {
		return scoring.UnitPoint{}, false
	}
	n := r.uint()
	for i := uint64(0); i < n && !r.bad; i++ {
		c := r.raw()
		entry := r.raw()
		if r.bad {
			break
		}
		if string(c) != code {
			continue
		}
		return decodePointIn(s, p, entry, version, nil)
	}
	if r.bad {
		return scoring.UnitPoint{}, false
	}
	return scoring.UnitPoint{Period: p}, true
}

// totalsMagic reads the kept totals' magic: the version of their form, 0
// when it is none.
func (r *reader) totalsMagic() int {
	switch string(r.bytes(len(totalsMagic))) {
	case totalsMagic:
		return totalsVersion
	case "ST2":
		return 2
	case "ST1":
		return 1
	}
	return 0
}

// decodePointIn is a unit's point from its entry in kept totals of form
// version, the group scores in buf's memory when it is large enough (they
// are then overwritten by the next call).
func decodePointIn(s *scoring.Scheme, p scoring.Period, entry []byte, version int, buf []scoring.Cents) (scoring.UnitPoint, bool) {
	r := reader{b: entry}
	pt := scoring.UnitPoint{Period: p, Known: true}
	flags := r.byte()
	pt.HasData = flags&totHasData != 0
	pt.Total = scoring.Cents(r.int())
	if version >= 2 {
		pt.MaxTotal = scoring.Cents(r.int())
	}
	if flags&totBand != 0 {
		i := r.uint()
		if i >= uint64(len(s.Bands)) {
			return scoring.UnitPoint{}, false
		}
		pt.Band = &s.Bands[i]
	}
	if g := r.uint(); g > 0 && g <= uint64(len(entry)) {
		if g <= uint64(cap(buf)) {
			pt.Groups = buf[:g]
		} else {
			pt.Groups = make([]scoring.Cents, g)
		}
		for i := range pt.Groups {
			pt.Groups[i] = scoring.Cents(r.int())
		}
	}
	if version >= 3 {
		pt.Provisional, pt.Official = flags&totProvisional != 0, flags&totOfficial != 0
		if flags&totGroups != 0 {
			pt.GroupsOfficial, pt.GroupsOnly = r.uint(), r.uint()
		}
		pt.Missing, pt.MonthsCovered = int(r.uint()), int(r.uint())
	}
	pt.Rank, pt.RankOf = int(r.uint()), int(r.uint())
	if r.bad || len(r.b) != 0 {
		return scoring.UnitPoint{}, false
	}
	return pt, true
}

func (r *reader) int() int64 {
	if r.bad {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

// totalsSource is a periodSource that keeps totals apart (the store).
type totalsSource interface {
	SavedTotals(ctx context.Context, versions map[string]int64) (map[string][]byte, error)
}

// Points is the unit's point in each of periods (in their order), as the
// pages show it (Period's figures). A period whose scores this process
// holds reads them; the others read the totals a process kept for the
// period's score version (one query for them all) and only the unit's entry
// in each; a period without kept totals is scored (Period).
func (s *Service) Points(ctx context.Context, code string, periods []scoring.Period) ([]scoring.UnitPoint, error) {
	g, err := s.gen(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]scoring.UnitPoint, len(periods))
	done := make([]bool, len(periods))
	missing := map[string]int64{}
	for i, p := range periods {
		if ps := g.ready(p); ps != nil {
			out[i], done[i] = ps.Point(code), true
			continue
		}
		if b := g.keptTotals(p, g.versionOf(p)); b != nil {
			if pt, ok := readPoint(s.schemes, p, b, code); ok {
				out[i], done[i] = pt, true
				continue
			}
		}
		if g.versions != nil {
			missing[p.String()] = g.versions.Of(p.String())
		}
	}
	if ts, ok := s.src.(totalsSource); ok && len(missing) > 0 {
		kept, err := ts.SavedTotals(ctx, missing)
		if err != nil {
			return nil, fmt.Errorf("scorecache: %w", err)
		}
		for i, p := range periods {
			b := kept[p.String()]
			if done[i] || b == nil {
				continue
			}
			if pt, ok := readPoint(s.schemes, p, b, code); ok {
				g.keepTotals(p, missing[p.String()], b)
				out[i], done[i] = pt, true
			}
		}
	}
	for i, p := range periods {
		if done[i] {
			continue
		}
		ps, err := s.Period(ctx, p)
		if err != nil {
			return nil, err
		}
		out[i] = ps.Point(code)
	}
	return out, nil
}

// ready is p's scores as the pages show them if this generation holds them
// (nil while they are being computed: the caller reads kept totals rather
// than wait).
func (g *generation) ready(p scoring.Period) *scoring.PeriodScores {
	g.mu.Lock()
	defer g.mu.Unlock()
	sc, ok := g.periods[p]
	if !ok {
		return nil
	}
	select {
	case <-sc.done:
		return sc.ps
	default:
		return nil
	}
}

// versionOf is p's score version in g (g's data version without a
// periodSource).
func (g *generation) versionOf(p scoring.Period) int64 {
	if g.versions == nil {
		return g.version
	}
	return g.versions.Of(p.String())
}

// keptTotals is the kept totals of p at score version v this generation
// read, or nil.
func (g *generation) keptTotals(p scoring.Period, v int64) []byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t, ok := g.totals[p]; ok && t.version == v {
		return t.body
	}
	return nil
}

// keptStandings is the standings of p at score version v this generation
// read, or nil.
func (g *generation) keptStandings(p scoring.Period, v int64) *scoring.PeriodScores {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t, ok := g.totals[p]; ok && t.version == v {
		return t.standings
	}
	return nil
}

// keepStandings remembers the standings read from p's kept totals at v.
func (g *generation) keepStandings(p scoring.Period, v int64, ps *scoring.PeriodScores) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t, ok := g.totals[p]; ok && t.version == v {
		t.standings = ps
		g.totals[p] = t
	}
}

// keptScores is the kept whole scores of p at score version v this
// generation read for a few units' scores, or nil.
func (g *generation) keptScores(p scoring.Period, v int64) []byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t, ok := g.totals[p]; ok && t.version == v {
		return t.scores
	}
	return nil
}

// keepScores remembers the kept whole scores of p at v beside its kept
// totals, so that each page asking for a few units' scores of p does not
// read them from the database again.
func (g *generation) keepScores(p scoring.Period, v int64, b []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t, ok := g.totals[p]; ok && t.version == v {
		t.scores = b
		g.totals[p] = t
	}
}

// keepTotals remembers p's kept totals at score version v, at most
// maxPeriods of them.
func (g *generation) keepTotals(p scoring.Period, v int64, b []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.totals[p]; !ok && len(g.totals) >= maxPeriods {
		for q := range g.totals {
			delete(g.totals, q)
			break
		}
	}
	g.totals[p] = keptTotals{version: v, body: b}
}

// standingsOf is p's standings (scoring.Engine.Standings) from kept totals
// b; ok false when b is not kept totals of p's scheme.
func standingsOf(e *scoring.Engine, p scoring.Period, b []byte) (*scoring.PeriodScores, bool) {
	s := e.Schemes().For(p)
	r := reader{b: b}
	// Standings carry a ranking's whole row: the older forms without it
	// are not read.
	if r.totalsMagic() != totalsVersion || r.str() != s.ID || r.str() != fingerprint(s) {
		return nil, false
	}
	type kept struct{ code, entry []byte }
	n := r.uint()
	list := make([]kept, 0, min(n, uint64(len(b))))
	for i := uint64(0); i < n && !r.bad; i++ {
		c := r.raw()
		entry := r.raw()
		list = append(list, kept{c, entry})
	}
	if r.bad || len(r.b) != 0 {
		return nil, false
	}
	// The totals list the units in the engine's order (encodeTotals): they
	// are read in step, and a unit out of step (kept by a process that
	// ordered them otherwise) is looked up among them all.
	var byCode map[string]int
	next, ok := 0, true
	buf := make([]scoring.Cents, len(s.Groups))
	ps := e.Standings(p, func(code string) (scoring.UnitPoint, bool) {
		i := next
		if i >= len(list) || string(list[i].code) != code {
			if byCode == nil {
				byCode = make(map[string]int, len(list))
				for j, k := range list {
					byCode[string(k.code)] = j
				}
			}
			var found bool
			if i, found = byCode[code]; !found {
				return scoring.UnitPoint{}, false
			}
		}
		next = i + 1
		pt, good := decodePointIn(s, p, list[i].entry, totalsVersion, buf)
		ok = ok && good
		return pt, good
	})
	return ps, ok
}

// Standings is p's figures as Period gives them, reduced to each unit's
// point (scoring.Engine.Standings: totals, bands, group scores; no
// metrics): what a page needs of the period before the one it shows. The
// scores this process holds are given whole; otherwise the totals a process
// kept for p's score version are read (a few milliseconds at national
// scale, where reading the whole period back takes some twenty); without
// them, Period.
func (s *Service) Standings(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error) {
	g, err := s.gen(ctx)
	if err != nil {
		return nil, err
	}
	ps, _, err := s.standings(ctx, g, p)
	return ps, err
}

// standings is Standings in g; kept says they were read from kept totals
// (not the whole scores).
func (s *Service) standings(ctx context.Context, g *generation, p scoring.Period) (ps *scoring.PeriodScores, kept bool, err error) {
	if ps := g.ready(p); ps != nil {
		return ps, false, nil
	}
	if ts, ok := s.src.(totalsSource); ok && g.versions != nil {
		v := g.versions.Of(p.String())
		if ps := g.keptStandings(p, v); ps != nil {
			return ps, true, nil
		}
		b := g.keptTotals(p, v)
		if b == nil {
			kept, err := ts.SavedTotals(ctx, map[string]int64{p.String(): v})
			if err != nil {
				return nil, false, fmt.Errorf("scorecache: %w", err)
			}
			if b = kept[p.String()]; b != nil {
				g.keepTotals(p, v, b)
			}
		}
		if b != nil {
			if ps, ok := standingsOf(g.engine, p, b); ok {
				g.keepStandings(p, v, ps)
				return ps, true, nil
			}
		}
	}
	ps, err = s.Period(ctx, p)
	return ps, false, err
}

// StandingsWith is Standings with the whole scores of the units with the
// codes among them (their metrics, as Period gives them, and their
// recomputation): a province's overview shows the province's metrics and
// its units' rows, a unit's page compares its metrics with its peers'. Read
// from kept totals, those units' scores are read back alone from the
// period's kept scores, the other units' stepped over.
func (s *Service) StandingsWith(ctx context.Context, p scoring.Period, codes ...string) (*scoring.PeriodScores, error) {
	g, err := s.gen(ctx)
	if err != nil {
		return nil, err
	}
	st, kept, err := s.standings(ctx, g, p)
	if err != nil || !kept {
		return st, err
	}
	src, ok := s.src.(periodSource)
	if !ok {
		return s.Period(ctx, p)
	}
	v := g.versions.Of(p.String())
	body := g.keptScores(p, v)
	if body == nil {
		body, err = src.SavedScores(ctx, p.String(), v)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return s.Period(ctx, p)
		case err != nil:
			return nil, fmt.Errorf("scorecache: kept scores of %s: %w", p, err)
		}
		g.keepScores(p, v, body)
	}
	some, ok := decodeUnits(g.engine, p, body, codes)
	if !ok {
		return s.Period(ctx, p)
	}
	// Only these units' published scores: the others' are in the kept
	// standings already.
	pub, err := s.published(ctx, p, codes...)
	if err != nil {
		return nil, err
	}
	return st.With(some.WithPublished(pub)), nil
}
