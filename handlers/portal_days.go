package handlers

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// A period still running when the portal was last captured (a month,
// quarter or year followed day by day) is shown "as of" its latest
// capture, with the changes since the day before and the week before
// (movers) and, on a unit's page, its day-by-day series.

// portalReader is what the day-by-day views need from the scores service
// (*scorecache.Service); nil when the service keeps no portal captures.
type portalReader interface {
	Moments(ctx context.Context, p scoring.Period, province string) ([]time.Time, error)
	DayAtCached(ctx context.Context, p scoring.Period, province string, at time.Time) (*scorecache.Day, error)
	DaysReady(ctx context.Context, p scoring.Period, province string) (*scorecache.Days, bool, error)
}

// asOfView is the notice of a running period's figures: "Số liệu tính đến
// 06:00 ngày 10/10/2026".
type asOfView struct {
	Text string
	Note string
}

// runningDays is a province's running period as the pages read it: the
// moments of its captures, the latest first known.
type runningDays struct {
	p        scoring.Period
	province string
	moments  []time.Time
}

// latest is the moment the figures are as of.
func (r *runningDays) latest() time.Time { return r.moments[len(r.moments)-1] }

// vnDate is a moment's Vietnam day.
func vnDate(t time.Time) time.Time {
	t = t.In(scoring.Location)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, scoring.Location)
}

// closing is the last moment of the Vietnam day on or before day (the
// capture that closes it), ok false when none.
func (r *runningDays) closing(day time.Time) (time.Time, bool) {
	end := day.AddDate(0, 0, 1)
	i := sort.Search(len(r.moments), func(i int) bool { return !r.moments[i].Before(end) })
	if i == 0 {
		return time.Time{}, false
	}
	return r.moments[i-1], true
}

// running reads the captures of a province's period: nil when the period
// was not captured from the portal or was closed at its latest capture
// (closed periods show no notice and no day-by-day figures).
func (h *handler) running(c *fiber.Ctx, p scoring.Period, province string) (*runningDays, error) {
	if h.portal == nil || p.IsZero() {
		return nil, nil
	}
	ms, err := h.portal.Moments(c.UserContext(), p, province)
	if err != nil {
		return nil, fmt.Errorf("handlers: captures: %w", err)
	}
	if len(ms) == 0 || !ms[len(ms)-1].Before(p.End()) {
		return nil, nil
	}
	return &runningDays{p: p, province: province, moments: ms}, nil
}

// asOfText is "06:00 ngày 10/10/2026" in the page's language.
func asOfText(l i18n.Lang, t time.Time) string {
	return present.Moment(l, t)
}

func newAsOf(l i18n.Lang, r *runningDays) *asOfView {
	if r == nil {
		return nil
	}
	return &asOfView{Text: l.T("days.asof", asOfText(l, r.latest())), Note: l.T("days.asof.note")}
}

// dayMoversView is the changes of a province's units since the day
// before and since the week before.
type dayMoversView struct {
	AsOf   string
	Tables []dayMoverTable
	// Official: the figures are the portal's published totals and ranks
	// (else ours, recomputed from the portal's counts).
	Official bool
	// WeekURL is the week report of the latest capture's week.
	WeekURL string
}

// dayMoverTable compares now with one earlier moment.
type dayMoverTable struct {
	ID, Title string
	Since     string // the earlier moment, "06:00 ngày 09/10/2026"
	Up, Down  []dayMoverRow
	// All is every unit of the kind, by rank (the rankings page).
	All []dayMoverRow
}

// dayMoverRow is one unit's move.
type dayMoverRow struct {
	Unit              unitRef
	Kind              string
	Rank, RankOf      int
	PrevRank          int
	Total, PrevTotal  scoring.Cents
	Change, RankMoved present.Change
	delta             scoring.Cents
	moved             int
}

// dayLimit is how many risers and fallers the overview lists per
// comparison.
const dayLimit = 5

// official reports whether every unit with data on the days has the
// portal's published total and rank: the movers then use them, else ours.
func official(days ...*scorecache.Day) bool {
	n := 0
	for _, d := range days {
		for _, u := range d.Units {
			if !u.HasData {
				continue
			}
			if u.OfficialTotal == nil || u.OfficialRank == 0 {
				return false
			}
			n++
		}
	}
	return n > 0
}

func dayFigures(u *scorecache.UnitDay, off bool) (scoring.Cents, int) {
	if off {
		return *u.OfficialTotal, u.OfficialRank
	}
	return u.Total, u.Rank
}

// comparison is an earlier moment to compare the latest with.
type comparison struct {
	id, title string
	at        time.Time
}

// comparisons are the earlier moments a running period is compared with:
// the close of the day before the latest capture's day and of the day a
// week before it, each when captured.
func (r *runningDays) comparisons(l i18n.Lang) []struct {
	id, title string
	at        time.Time
} {
	var out []struct {
		id, title string
		at        time.Time
	}
	today := vnDate(r.latest())
	if at, ok := r.closing(today.AddDate(0, 0, -1)); ok {
		out = append(out, comparison{"days-day", l.T("days.since.day", asOfText(l, at)), at})
	}
	if at, ok := r.closing(today.AddDate(0, 0, -7)); ok {
		out = append(out, comparison{"days-week", l.T("days.since.week", asOfText(l, at)), at})
	}
	return out
}

// dayMovers compares the latest capture of a running period with the day
// before and the week before, for the units of kind (every kind but the
// province when kind is ""). Nil when there is nothing to compare with.
func (h *handler) dayMovers(c *fiber.Ctx, e *env, r *runningDays, kind scoring.UnitKind) (*dayMoversView, error) {
	if r == nil {
		return nil, nil
	}
	cmp := r.comparisons(e.lang)
	if len(cmp) == 0 {
		return nil, nil
	}
	ctx := c.UserContext()
	now, err := h.portal.DayAtCached(ctx, r.p, r.province, r.latest())
	if err != nil {
		return nil, fmt.Errorf("handlers: day movers: %w", err)
	}
	then := make([]*scorecache.Day, len(cmp))
	for i, x := range cmp {
		if then[i], err = h.portal.DayAtCached(ctx, r.p, r.province, x.at); err != nil {
			return nil, fmt.Errorf("handlers: day movers: %w", err)
		}
	}
	off := official(append([]*scorecache.Day{now}, then...)...)
	v := &dayMoversView{AsOf: asOfText(e.lang, r.latest()), Official: off,
		WeekURL: weekURL(r.latest(), r.province, len(e.eng.ProvincesIn(r.p)) > 1)}
	for i, x := range cmp {
		t := dayMoverTable{ID: x.id, Title: x.title, Since: asOfText(e.lang, x.at)}
		rows := compareDays(e, r.p, now, then[i], off, kind)
		if kind != "" {
			t.All = rows
		} else {
			t.Up, t.Down = topMoves(rows)
		}
		v.Tables = append(v.Tables, t)
	}
	return v, nil
}

// compareDays is the move of every unit of kind (every kind but the
// province when "") with figures on both days, by rank now.
func compareDays(e *env, p scoring.Period, now, then *scorecache.Day, off bool, kind scoring.UnitKind) []dayMoverRow {
	var rows []dayMoverRow
	for code, b := range now.Units {
		a, ok := then.Units[code]
		u, known := e.eng.Unit(code)
		if !ok || !known || !a.HasData || !b.HasData || u.Kind == scoring.KindProvince || (kind != "" && u.Kind != kind) {
			continue
		}
		if off && (a.OfficialTotal == nil || b.OfficialTotal == nil) {
			continue
		}
		total, rank := dayFigures(b, off)
		prevTotal, prevRank := dayFigures(a, off)
		d, moved := total-prevTotal, prevRank-rank
		rows = append(rows, dayMoverRow{Unit: newUnitRef(u, p), Kind: present.KindOne(e.lang, u.Kind, p),
			Rank: rank, RankOf: b.RankOf, PrevRank: prevRank, Total: total, PrevTotal: prevTotal,
			Change:    dayChange(e.lang, present.ScoreChange(e.lang, &d), "days.change.points", d != 0),
			RankMoved: dayChange(e.lang, present.RankChange(e.lang, &moved), "days.change.rank", moved != 0),
			delta:     d, moved: moved})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Rank != rows[j].Rank {
			return rows[i].Rank < rows[j].Rank
		}
		return rows[i].Unit.Code < rows[j].Unit.Code
	})
	return rows
}

// topMoves are the units that gained the most points (then places) and
// those that lost the most, dayLimit of each.
func topMoves(rows []dayMoverRow) (up, down []dayMoverRow) {
	for _, r := range rows {
		switch {
		case r.delta > 0 || (r.delta == 0 && r.moved > 0):
			up = append(up, r)
		case r.delta < 0 || (r.delta == 0 && r.moved < 0):
			down = append(down, r)
		}
	}
	sort.SliceStable(up, func(i, j int) bool {
		if up[i].delta != up[j].delta {
			return up[i].delta > up[j].delta
		}
		return up[i].moved > up[j].moved
	})
	sort.SliceStable(down, func(i, j int) bool {
		if down[i].delta != down[j].delta {
			return down[i].delta < down[j].delta
		}
		return down[i].moved < down[j].moved
	})
	return up[:min(len(up), dayLimit)], down[:min(len(down), dayLimit)]
}

// dayChange words a change for a table whose caption names the moment
// compared with ("tăng 0,27 điểm", "giảm 1 bậc", "không đổi"), instead of
// the period comparison's "so với kỳ trước".
func dayChange(l i18n.Lang, c present.Change, key string, moved bool) present.Change {
	switch {
	case !moved:
		c.Label = l.T(key + ".same")
	case c.Class == "up":
		c.Label = l.TN(one(c.Text), key+".up", c.Text)
	default:
		c.Label = l.TN(one(c.Text), key+".down", c.Text)
	}
	return c
}

// one is 1 for a change of one ("1": one place), 0 otherwise, for the
// wording's singular ("up 1 place"); a change of points ("1,00") is
// worded in the plural.
func one(text string) int {
	if text == "1" {
		return 1
	}
	return 0
}
