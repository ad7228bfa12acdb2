package importer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"scorecard/internal/tabular"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

// Units over time: the days a unit exists ([valid_from, valid_to) in a
// units file, ISO dates in Vietnam's time), how units became others (a unit
// changes file), and the rows of other files about a period or a day a unit
// does not exist in.

// span is the days a unit exists, [from, to); a zero time leaves that side
// open.
type span struct{ from, to time.Time }

// spanOf is a unit's days as the engine sees them: a district ends on
// 01/07/2025 whatever its own dates say.
func spanOf(u scoring.Unit) span { return span{u.ValidFrom, u.Until()} }

// covers reports whether s holds every day of o.
func (s span) covers(o span) bool {
	if !s.from.IsZero() && (o.from.IsZero() || o.from.Before(s.from)) {
		return false
	}
	if !s.to.IsZero() && (o.to.IsZero() || o.to.After(s.to)) {
		return false
	}
	return true
}

// on reports whether the unit exists on the day starting at d.
func (s span) on(d time.Time) bool {
	return (s.from.IsZero() || !d.Before(s.from)) && (s.to.IsZero() || d.Before(s.to))
}

// msg words the span in a sentence: "từ ngày 01/07/2025", "đến hết ngày
// 30/06/2025" (valid_to is the first day it no longer exists).
func (s span) msg() tabular.Msg {
	last := func() tabular.Date { return tabular.Date(s.to.AddDate(0, 0, -1)) }
	switch {
	case s.from.IsZero() && s.to.IsZero():
		return tabular.M("file.span.always")
	case s.to.IsZero():
		return tabular.M("file.span.from", tabular.Date(s.from))
	case s.from.IsZero():
		return tabular.M("file.span.until", last())
	}
	return tabular.M("file.span.between", tabular.Date(s.from), last())
}

// parseDay reads an ISO date ("2025-07-01") as the start of that day in
// Vietnam; strict, so that 2025-7-1 or 01/07/2025 are refused rather than
// guessed.
func parseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, s, scoring.Location)
	if err != nil || t.Format(time.DateOnly) != s {
		return time.Time{}, false
	}
	return t, true
}

// unitsOverTime loads every unit with its days as the engine sees them
// (ended by its first change), keyed by code, and the changes.
func (im *Importer) unitsOverTime(ctx context.Context) (map[string]scoring.Unit, []scoring.Change, error) {
	units, changes, err := im.st.UnitsOverTime(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("importer: %w", err)
	}
	out := make(map[string]scoring.Unit, len(units))
	for _, u := range units {
		out[u.Code] = u
	}
	return out, changes, nil
}

// outside is why a row about period p cannot name unit u (a zero Msg when
// it can): counts, results and catalogues are given only for a period the
// unit exists on some day of.
func outside(u scoring.Unit, p scoring.Period) tabular.Msg {
	if u.Overlaps(p) {
		return tabular.Msg{}
	}
	key := "file.unit.outside"
	if u.Kind == scoring.KindDistrict && !u.ValidTo.Equal(u.Until()) {
		key = "file.unit.outside.district"
	}
	return tabular.M(key, tabular.Quote(u.Code), p.String(), spanOf(u).msg())
}

// ownSpan is a unit's days from its own row: its dates, ended no later than
// the day the portal stopped naming it (as the engine ends it; its changes
// end it too, see changesCheck).
func ownSpan(m models.Unit) (scoring.Unit, error) {
	u := scoring.Unit{Code: m.Code, Kind: scoring.UnitKind(m.Kind)}
	if m.ValidFrom != nil {
		d, ok := parseDay(*m.ValidFrom)
		if !ok {
			return u, fmt.Errorf("importer: unit %s: valid_from %q", m.Code, *m.ValidFrom)
		}
		u.ValidFrom = d
	}
	if m.ValidTo != nil {
		d, ok := parseDay(*m.ValidTo)
		if !ok {
			return u, fmt.Errorf("importer: unit %s: valid_to %q", m.Code, *m.ValidTo)
		}
		u.ValidTo = d
	}
	if m.InactiveFrom != nil {
		lt := m.InactiveFrom.In(scoring.Location)
		if d := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, scoring.Location); u.ValidTo.IsZero() || d.Before(u.ValidTo) {
			u.ValidTo = d
		}
	}
	return u, nil
}

// endFirst records day as the end of code in end unless an earlier change
// ends it already: a unit ends at its first change, as the engine ends it
// (store.Dataset).
func endFirst(end map[string]time.Time, code string, day time.Time) {
	if e, seen := end[code]; !seen || day.Before(e) {
		end[code] = day
	}
}

// firstChanges is each unit's end by its first change among changes (a
// date the store did not write as an ISO day, which cannot happen, ends
// nothing).
func firstChanges(changes []store.UnitChangeRow) map[string]time.Time {
	end := map[string]time.Time{}
	for _, ch := range changes {
		if day, ok := parseDay(ch.Effective); ok {
			endFirst(end, ch.Code, day)
		}
	}
	return end
}

// periodsOutside lists the periods of held, as the store names them, that
// none of u's days fall in.
func periodsOutside(u scoring.Unit, held []string) []string {
	var out []string
	for _, q := range held {
		if p, err := scoring.ParsePeriod(q); err == nil && !u.Overlaps(p) {
			out = append(out, q)
		}
	}
	return out
}

// endBy ends u no later than day.
func endBy(u *scoring.Unit, day time.Time) {
	if u.ValidTo.IsZero() || day.Before(u.ValidTo) {
		u.ValidTo = day
	}
}

// changesCheck validates a unit changes file
// (code,successor_code,change,effective_from) against itself and the
// database: both units known and of the same kind, the old one existing
// the day before the change and the new one on its day (each unit ending
// at its first change, the file's with the database's), and no unit
// becoming itself again through a chain of changes.
type changesCheck struct {
	im     *Importer
	ps     *tabular.Problems
	db     map[string]models.Unit
	dbCh   []store.UnitChangeRow
	folded map[string]string // lower-case code → code, built on first miss
	seen   map[[2]string]int
	rows   []changeRow
	// ctx is the import's, for the data finish reads; err a database
	// failure while reading it, returned by store.
	ctx context.Context
	err error
}

// changeRow is a row of the file that passed the checks of its own cells.
type changeRow struct {
	store.UnitChangeRow
	n    int
	day  time.Time
	from models.Unit
	to   models.Unit
}

func (im *Importer) newChangesCheck(ctx context.Context, ps *tabular.Problems) (*changesCheck, error) {
	db, err := im.st.UnitCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	changes, err := im.st.UnitChanges(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	return &changesCheck{im: im, ps: ps, db: db, dbCh: changes, seen: map[[2]string]int{}, ctx: ctx}, nil
}

// known checks a unit code of the file's column col.
func (c *changesCheck) known(n int, col, code, emptyKey string) (models.Unit, bool) {
	why, valid := tabular.CodeProblem(code)
	switch {
	case code == "":
		c.ps.Add(n, col, emptyKey)
		return models.Unit{}, false
	case !valid:
		c.ps.Add(n, col, "file.unit_code.bad", tabular.Quote(code), why)
		return models.Unit{}, false
	}
	u, ok := c.db[code]
	if ok {
		return u, true
	}
	if c.folded == nil {
		c.folded = make(map[string]string, len(c.db))
		for k := range c.db {
			c.folded[strings.ToLower(k)] = k
		}
	}
	if other, ok := c.folded[strings.ToLower(code)]; ok {
		c.ps.Add(n, col, "file.unit.unknown.case", tabular.Quote(code), tabular.Quote(other))
	} else {
		c.ps.Add(n, col, "file.unit.unknown", tabular.Quote(code))
	}
	return models.Unit{}, false
}

func (c *changesCheck) row(r fields) {
	from, fromOK := c.known(r.n, "code", r.get("code"), "file.changes.code.empty")
	to, toOK := c.known(r.n, "successor_code", r.get("successor_code"), "file.changes.successor.empty")
	ok := fromOK && toOK
	if ok && from.Code == to.Code {
		c.ps.Add(r.n, "successor_code", "file.changes.self")
		ok = false
	}

	change := r.get("change")
	switch low := strings.ToLower(change); {
	case scoring.ChangeKind(change).Valid():
	case change == "":
		c.ps.Add(r.n, "change", "file.changes.change.empty")
		ok = false
	case scoring.ChangeKind(low).Valid():
		c.ps.Add(r.n, "change", "file.changes.change.case", tabular.Quote(change), low)
		ok = false
	default:
		c.ps.Add(r.n, "change", "file.changes.change.bad", tabular.Quote(change))
		ok = false
	}

	eff := r.get("effective_from")
	day, dayOK := parseDay(eff)
	switch {
	case eff == "":
		c.ps.Add(r.n, "effective_from", "file.changes.date.empty")
		ok = false
	case !dayOK:
		c.ps.Add(r.n, "effective_from", "file.changes.date.bad", tabular.Quote(eff))
		ok = false
	}
	if !ok {
		return
	}
	k := [2]string{from.Code, to.Code}
	if first, dup := c.seen[k]; dup {
		c.ps.Add(r.n, "", "file.changes.twice", first, tabular.Quote(from.Code), tabular.Quote(to.Code))
		return
	}
	c.seen[k] = r.n
	if from.Kind != to.Kind {
		c.ps.Add(r.n, "successor_code", "file.changes.kind", tabular.Quote(from.Code), kindMsg(from.Kind),
			tabular.Quote(to.Code), kindMsg(to.Kind))
		return
	}
	c.rows = append(c.rows, changeRow{UnitChangeRow: store.UnitChangeRow{Code: from.Code, Successor: to.Code, Change: change, Effective: eff},
		n: r.n, day: day, from: from, to: to})
}

// finish checks the dates of the changes as they will be after the import
// (the file's rows replacing the database's for the same pair), then looks
// for chains of changes leading a unit back to itself.
func (c *changesCheck) finish() {
	if len(c.rows) == 0 {
		return
	}
	// The first change of each unit ends it.
	end := map[string]time.Time{}
	next := map[string][]string{}
	for _, ch := range c.dbCh {
		if _, again := c.seen[[2]string{ch.Code, ch.Successor}]; again {
			continue
		}
		if day, ok := parseDay(ch.Effective); ok {
			endFirst(end, ch.Code, day)
		}
		next[ch.Code] = append(next[ch.Code], ch.Successor)
	}
	for _, r := range c.rows {
		endFirst(end, r.Code, r.day)
		next[r.Code] = append(next[r.Code], r.Successor)
	}
	spanOfUnit := func(m models.Unit) (span, bool) {
		u, err := ownSpan(m)
		if err != nil {
			return span{}, false // a date the store wrote: cannot happen
		}
		if e, ok := end[m.Code]; ok {
			endBy(&u, e)
		}
		return spanOf(u), true
	}
	c.checkData(end)
	for _, r := range c.rows {
		before := r.day.AddDate(0, 0, -1)
		if s, ok := spanOfUnit(r.from); ok && !s.on(before) {
			c.ps.Add(r.n, "code", "file.changes.before", tabular.Quote(r.Code), tabular.Date(before), s.msg())
		}
		if s, ok := spanOfUnit(r.to); ok && !s.on(r.day) {
			c.ps.Add(r.n, "successor_code", "file.changes.after", tabular.Quote(r.Successor), tabular.Date(r.day), s.msg())
		}
	}
	reported := map[string]bool{}
	for _, r := range c.rows {
		if reported[r.Code] {
			continue
		}
		// A path from the successor back to the old unit closes a cycle.
		path := findPath(next, r.Successor, r.Code)
		if path == nil {
			continue
		}
		cycle := append([]string{r.Code}, path...)
		for _, code := range cycle {
			reported[code] = true
		}
		c.ps.Add(r.n, "successor_code", "file.changes.cycle", strings.Join(cycle, " → "))
	}
}

// checkData: a change that ends a unit earlier than it ended before may
// not leave out what the database holds of it after the new end: counts
// or published results of a later period, dossier records received or
// decided from that day on. end is each unit's first change after the
// import.
func (c *changesCheck) checkData(end map[string]time.Time) {
	// The database's own ends, before the import.
	was := firstChanges(c.dbCh)
	row := map[string]changeRow{} // the row that ends each unit
	var codes []string
	units := map[string]scoring.Unit{}
	spans := map[string]store.DaySpan{}
	for _, r := range c.rows {
		if _, done := row[r.Code]; done || !end[r.Code].Equal(r.day) {
			continue
		}
		u, err := ownSpan(r.from)
		if err != nil {
			continue
		}
		old := u
		if e, ok := was[r.Code]; ok {
			endBy(&old, e)
		}
		endBy(&u, r.day)
		if spanOf(u).covers(spanOf(old)) {
			continue // no day taken away
		}
		row[r.Code] = r
		codes = append(codes, r.Code)
		units[r.Code] = u
		spans[r.Code] = store.DaySpan{From: u.ValidFrom, To: spanOf(u).to}
	}
	if len(codes) == 0 {
		return
	}
	held, err := c.im.st.PeriodsWithData(c.ctx, codes)
	if err != nil {
		c.err = fmt.Errorf("importer: %w", err)
		return
	}
	out, err := c.im.st.DossiersOutside(c.ctx, spans)
	if err != nil {
		c.err = fmt.Errorf("importer: %w", err)
		return
	}
	for _, code := range codes {
		r, u := row[code], units[code]
		if bad := periodsOutside(u, held[code]); len(bad) > 0 {
			c.ps.Add(r.n, "effective_from", "file.changes.data", tabular.Quote(code), tabular.Date(r.day), tabular.Int(len(bad)), bad[0])
		}
		if o := out[code]; o.After > 0 {
			c.ps.Add(r.n, "effective_from", "file.changes.dossiers", tabular.Quote(code), tabular.Date(r.day), tabular.Int(o.After))
		}
	}
}

// findPath is a shortest path of codes from a to b in the graph (a and b
// included), or nil.
func findPath(next map[string][]string, a, b string) []string {
	prev := map[string]string{a: ""}
	queue := []string{a}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == b {
			var path []string
			for at := b; at != ""; at = prev[at] {
				path = append([]string{at}, path...)
			}
			return path
		}
		for _, n := range next[cur] {
			if _, seen := prev[n]; !seen {
				prev[n] = cur
				queue = append(queue, n)
			}
		}
	}
	return nil
}

func (c *changesCheck) store(ctx context.Context, imp *models.Import) (store.Result, error) {
	if c.err != nil {
		return store.Result{}, c.err
	}
	out := make([]store.UnitChangeRow, len(c.rows))
	for i, r := range c.rows {
		out[i] = r.UnitChangeRow
	}
	return c.im.st.ImportUnitChanges(ctx, imp, out)
}
