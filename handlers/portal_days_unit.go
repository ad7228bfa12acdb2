package handlers

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/charts"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// unitDaysView is a unit's running period day by day: its total and rank
// as of each day's last capture, as a chart and as a table.
type unitDaysView struct {
	Hint string
	// Preparing: the series is being replayed in the background; the
	// page says so instead of waiting.
	Preparing bool
	Official  bool
	Caption   string
	Rows      []unitDayRow
	Chart     charts.Chart
}

type unitDayRow struct {
	Day          string
	HasData      bool
	Total        scoring.Cents
	Rank, RankOf int
}

// unitDays builds a unit's day-by-day view of the running period r; nil
// when the period is not running or the unit has no day with figures.
func (h *handler) unitDays(c *fiber.Ctx, e *env, r *runningDays, u scoring.Unit, maxTotal scoring.Cents) (*unitDaysView, error) {
	if r == nil {
		return nil, nil
	}
	// A province is ranked among the provinces, which one province's
	// captures do not give: its chart has no rank.
	ranked := u.Kind != scoring.KindProvince
	hint := e.lang.T("days.unit.hint.total", present.Lower(e.lang, present.Period(e.lang, r.p)))
	if ranked {
		hint = e.lang.T("days.unit.hint", present.Lower(e.lang, present.Period(e.lang, r.p)), present.KindLower(e.lang, u.Kind, e.period))
	}
	v := &unitDaysView{Hint: hint}
	days, ready, err := h.portal.DaysReady(c.UserContext(), r.p, r.province)
	if err != nil {
		return nil, fmt.Errorf("handlers: unit days: %w", err)
	}
	if !ready {
		// This answer is good for the next few seconds only: it must not
		// be kept as the page of the current data.
		c.Set(fiber.HeaderCacheControl, "no-store")
		v.Preparing = true
		return v, nil
	}
	var series []scorecache.UnitDay
	var dates []time.Time
	for _, d := range days.Days {
		if ud, ok := d.Units[u.Code]; ok {
			series, dates = append(series, *ud), append(dates, d.AsOf)
		}
	}
	if len(series) == 0 {
		return nil, nil
	}
	v.Official = true
	for _, d := range series {
		if d.HasData && (d.OfficialTotal == nil || d.OfficialRank == 0) {
			v.Official = false
		}
	}
	cats := make([]string, len(series))
	totals := charts.Series{Name: e.lang.T("days.series.total"), Values: make([]charts.Value, len(series))}
	ranks := charts.Series{Name: e.lang.T("days.series.rank"), Values: make([]charts.Value, len(series))}
	rankOf := 0
	for i, d := range series {
		row := unitDayRow{Day: present.Date(e.lang, dates[i]), HasData: d.HasData, RankOf: d.RankOf}
		if d.HasData {
			row.Total, row.Rank = unitDayFigures(&d, v.Official)
			totals.Values[i] = charts.Num(row.Total.Float())
			if ranked {
				ranks.Values[i] = charts.Num(float64(row.Rank))
				rankOf = max(rankOf, d.RankOf)
			} else {
				row.Rank = 0
			}
		}
		cats[i] = dates[i].In(scoring.Location).Format("02/01")
		v.Rows = append(v.Rows, row)
	}
	v.Caption = e.lang.T("days.unit.caption", u.Name, present.Lower(e.lang, present.Period(e.lang, r.p)))
	v.Chart, err = charts.DayByDay("chart-days", e.lang.TN(len(series), "days.unit.chart", u.Name, len(series)), cats, totals, ranks,
		maxTotal.Float(), rankOf)
	if err != nil {
		return nil, err
	}
	// Newest first in the table: the latest days are what a reader looks
	// for; the chart reads left to right.
	for i, j := 0, len(v.Rows)-1; i < j; i, j = i+1, j-1 {
		v.Rows[i], v.Rows[j] = v.Rows[j], v.Rows[i]
	}
	return v, nil
}

func unitDayFigures(d *scorecache.UnitDay, official bool) (scoring.Cents, int) {
	if official {
		return *d.OfficialTotal, d.OfficialRank
	}
	return d.Total, d.Rank
}
