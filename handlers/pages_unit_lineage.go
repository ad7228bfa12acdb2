package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/charts"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// A unit's place in the history of mergers: the days it exists, what it
// became and what it came from (each linked), and its history across the
// change, where the former units' lines end and the new unit's begins at a
// marked break. Scores are never added up or averaged across a merger: each
// unit keeps its own line, and the page only puts them side by side.

// lineageView is the unit page's part about mergers; nil for a unit that
// always existed and has no recorded change.
type lineageView struct {
	Ended, Began string // the first day it no longer exists / exists, worded; "" if open
	// Outside is set when the period shown is outside the unit's days
	// (the sentence says which days those are).
	Outside  string
	Became   []lineageLink
	CameFrom []lineageLink
	// The history across the change: one column per unit, the former ones
	// first; empty without a month of data on either side.
	Break     string // "Sáp nhập 01/07/2025"
	Hint      string
	Units     []unitRef
	Rows      []lineageRow
	Chart     charts.Chart
	RankChart charts.Chart
}

// lineageLink is a unit linked by a change, with what the change was.
type lineageLink struct {
	unitRef
	Change string // "sáp nhập", in the page's language
	Date   string
}

// lineageRow is one month of the history across the change.
type lineageRow struct {
	Label string
	Break string // set on the first month after the change
	Cells []lineageCell
}

type lineageCell struct {
	HasData      bool
	Total        scoring.Cents
	Rank, RankOf int
}

// lineageMonths is how many months the history shows on either side of the
// change at most: a year before it, and up to two years and a half in all.
const (
	lineageBefore = 12
	lineageMonths = 36
)

// periodWhereExists is the newest period with data in which u exists,
// months first: the default period of a unit that no longer (or not yet)
// exists in the newest one, so that its page opens on figures of its own.
func periodWhereExists(e *env, u scoring.Unit) (scoring.Period, bool) {
	var other scoring.Period
	for _, p := range e.periods { // newest first
		if !u.ExistsIn(p) {
			continue
		}
		if p.Kind == scoring.Month {
			return p, true
		}
		if other.IsZero() {
			other = p
		}
	}
	return other, !other.IsZero()
}

// spanWords words the days a unit exists, as the import files' messages
// do ("từ ngày 01/07/2025", "đến hết ngày 30/06/2025").
func spanWords(l i18n.Lang, u scoring.Unit) string {
	from, to := u.ValidFrom, u.Until()
	last := func() string { return present.Date(l, to.AddDate(0, 0, -1)) }
	switch {
	case from.IsZero() && to.IsZero():
		return l.T("file.span.always")
	case to.IsZero():
		return l.T("file.span.from", present.Date(l, from))
	case from.IsZero():
		return l.T("file.span.until", last())
	}
	return l.T("file.span.between", present.Date(l, from), last())
}

// monthOf is the month containing day t (in Vietnam's time).
func monthOf(t time.Time) scoring.Period {
	t = t.In(scoring.Location)
	return scoring.Period{Kind: scoring.Month, Year: t.Year(), N: int(t.Month())}
}

// unitLineage builds the lineage of unit u for the page in period e.period.
func (h *handler) unitLineage(c *fiber.Ctx, e *env, u scoring.Unit) (*lineageView, error) {
	l := e.lang
	next, prev := e.eng.Successors(u.Code), e.eng.Predecessors(u.Code)
	v := &lineageView{}
	if !e.period.IsZero() && !u.ExistsIn(e.period) {
		v.Outside = l.T("lineage.outside", present.Period(l, e.period), spanWords(l, u))
	}
	if t := u.Until(); !t.IsZero() {
		v.Ended = l.T("lineage.ended", present.Date(l, t))
	}
	if !u.ValidFrom.IsZero() {
		v.Began = l.T("lineage.began", present.Date(l, u.ValidFrom))
	}
	link := func(code string, ch scoring.Change) (lineageLink, bool) {
		o, ok := e.eng.Unit(code)
		if !ok {
			return lineageLink{}, false
		}
		// Linked without a period: each unit's page opens on a period
		// it exists in.
		return lineageLink{unitRef: unitRef{Code: o.Code, Name: o.Name, URL: site.UnitURL(o.Code, scoring.Period{})},
			Change: l.T("lineage.change." + string(ch.Kind)), Date: present.Date(l, ch.Effective)}, true
	}
	for _, ch := range next {
		if k, ok := link(ch.To, ch); ok {
			v.Became = append(v.Became, k)
		}
	}
	for _, ch := range prev {
		if k, ok := link(ch.From, ch); ok {
			v.CameFrom = append(v.CameFrom, k)
		}
	}
	if len(next) == 0 && len(prev) == 0 {
		if v.Outside == "" && v.Ended == "" && v.Began == "" {
			return nil, nil
		}
		return v, nil
	}

	// The change the history is drawn around: how the unit began when it
	// has predecessors, else how it ended.
	var change scoring.Change
	if len(prev) > 0 {
		change = prev[0]
	} else {
		change = next[0]
	}
	units := []scoring.Unit{}
	seen := map[string]bool{}
	add := func(code string) {
		if o, ok := e.eng.Unit(code); ok && !seen[code] {
			seen[code] = true
			units = append(units, o)
		}
	}
	for _, ch := range prev {
		add(ch.From)
	}
	add(u.Code)
	for _, ch := range next {
		add(ch.To)
	}
	breakMonth := monthOf(change.Effective)
	v.Break = l.T("lineage.break."+string(change.Kind), present.Date(l, change.Effective))
	v.Hint = l.T("lineage.hint", v.Break)

	// The months: a year before the change, then up to the period shown
	// (or a year after the change when the page shows a month before it).
	start := breakMonth
	for i := 0; i < lineageBefore; i++ {
		start = start.Prev()
	}
	end := breakMonth
	if !e.period.IsZero() {
		ms := e.period.Months()
		end = ms[len(ms)-1]
	}
	if !periodBefore(breakMonth, end) {
		end = breakMonth
		for i := 0; i < lineageBefore-1; i++ {
			end = end.Next()
		}
	}
	var months []scoring.Period
	for m := start; !periodBefore(end, m) && len(months) < lineageMonths; m = m.Next() {
		if e.hasPeriod(m) {
			months = append(months, m)
		}
	}
	if len(months) == 0 {
		return v, nil
	}
	// A merger often joins units of the same name (a province's agencies
	// into the new province's): their columns and lines then carry the
	// code too, or the table has two identical headings and the chart
	// two lines told apart by colour only (ECharts even merges their
	// legend entries).
	names := map[string]int{}
	for _, o := range units {
		names[o.Name]++
	}
	label := func(o scoring.Unit) string {
		if names[o.Name] > 1 {
			return o.Name + " (" + o.Code + ")"
		}
		return o.Name
	}
	for _, o := range units {
		r := newUnitRef(o, scoring.Period{})
		r.Name = label(o)
		v.Units = append(v.Units, r)
	}
	cats := make([]string, len(months))
	scores := make([]charts.Series, len(units))
	ranks := make([]charts.Series, len(units))
	for i, o := range units {
		scores[i] = charts.Series{Name: label(o), Values: make([]charts.Value, len(months))}
		ranks[i] = charts.Series{Name: label(o), Values: make([]charts.Value, len(months))}
	}
	breakAt, maxOf, drawn := "", 1, false
	for mi, m := range months {
		cats[mi] = present.PeriodShort(m)
		ps, err := h.Scores.Period(c.UserContext(), m)
		if err != nil {
			return nil, err
		}
		row := lineageRow{Label: present.Period(l, m), Cells: make([]lineageCell, len(units))}
		if breakAt == "" && !periodBefore(m, breakMonth) {
			breakAt, row.Break = cats[mi], v.Break
		}
		for ui, o := range units {
			us := ps.Unit(o.Code)
			// Only a unit existing in the month has a figure in it: a
			// former unit's line stops at the change, the new one's
			// starts there.
			if us == nil || !us.HasData || !us.Exists {
				continue
			}
			cell := lineageCell{HasData: true, Total: us.Total}
			scores[ui].Values[mi] = charts.Num(us.Total.Float())
			drawn = true
			if r := ps.RankOf(o.Code, nil); r != nil && r.Rank > 0 {
				cell.Rank, cell.RankOf = r.Rank, r.RankOf
				ranks[ui].Values[mi] = charts.Num(float64(r.Rank))
				maxOf = max(maxOf, r.RankOf)
			}
			row.Cells[ui] = cell
		}
		v.Rows = append(v.Rows, row)
	}
	if !drawn {
		v.Rows = nil
		return v, nil
	}
	ch, err := charts.Trend("chart-lineage", l.T("chart.lineage.desc", len(units), len(months), v.Break), cats, scores, nil, 100)
	if err != nil {
		return nil, err
	}
	if breakAt != "" {
		if ch, err = charts.WithBreak(ch, breakAt, v.Break); err != nil {
			return nil, err
		}
	}
	v.Chart = ch
	rc, err := charts.Trend("chart-lineage-rank", l.T("chart.lineage.ranks", len(units), len(months), v.Break), cats, ranks, nil, float64(maxOf))
	if err != nil {
		return nil, err
	}
	if rc, err = rankAxis(rc, maxOf); err != nil {
		return nil, err
	}
	if breakAt != "" {
		if rc, err = charts.WithBreak(rc, breakAt, v.Break); err != nil {
			return nil, err
		}
	}
	v.RankChart = rc
	return v, nil
}
