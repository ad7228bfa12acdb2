package handlers

import (
	"encoding/json"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"scorecard/charts"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// unitCompare fills the comparison of the unit with its peers (the ranked
// units of its kind in its province): per group and for the total, the
// unit, the average, the median and the best score, as ComparePeers
// computes them.
func unitCompare(v *unitPage, pe *scoring.Peers, ps *scoring.PeriodScores, p scoring.Period) error {
	us := pe.Unit
	l := v.lang
	v.Compare = compareView{KindLabel: present.Kind(l, us.Unit.Kind, p), Count: pe.Total.N}
	if pe.Total.N == 0 {
		return nil
	}
	if best := ps.Unit(pe.Total.BestUnit); best != nil {
		ref := newUnitRef(best.Unit, p)
		v.Compare.Best = &ref
	}
	n := len(pe.Groups)
	cats := make([]string, 0, n)
	unitVals := make([]charts.Value, 0, n)
	avgVals := make([]charts.Value, 0, n)
	medVals := make([]charts.Value, 0, n)
	topVals := make([]charts.Value, 0, n)
	for i, g := range pe.Groups {
		var max scoring.Cents
		if i < len(us.Groups) {
			max = us.Groups[i].Max
		}
		row := compareRow{Name: present.Name(l, g.Group.NameVI, g.Group.NameEN), Max: max, Unit: g.Unit, Avg: g.Average, Med: g.Median, Top: g.Best}
		v.Compare.Rows = append(v.Compare.Rows, row)
		cats = append(cats, row.Name)
		unitVals = append(unitVals, charts.Num(row.Unit.Float()))
		avgVals = append(avgVals, charts.Num(row.Avg.Float()))
		medVals = append(medVals, charts.Num(row.Med.Float()))
		topVals = append(topVals, charts.Num(row.Top.Float()))
	}
	v.Compare.Rows = append(v.Compare.Rows, compareRow{Name: l.T("col.total"), Max: us.MaxTotal, Unit: us.Total,
		Avg: pe.Total.Average, Med: pe.Total.Median, Top: pe.Total.Best, Total: true})
	kind := present.KindLower(l, us.Unit.Kind, p)
	series := []charts.Series{
		{Name: us.Unit.Name, Values: unitVals},
		{Name: l.T("compare.series.avg", kind), Values: avgVals},
		{Name: l.T("compare.series.median", kind), Values: medVals},
		{Name: l.T("compare.series.best"), Values: topVals},
	}
	label := l.TN(pe.Total.N, "chart.compare.desc", us.Unit.Name, pe.Total.N)
	var err error
	v.Compare.Chart, err = charts.Grouped("chart-compare", label, cats, series)
	return err
}

// peersView is the unit's place among its peers: the units just above and
// below it, the metrics compared one by one, and its streaks.
type peersView struct {
	Rank, RankOf int
	Above, Below *neighbourView
	Tied         []unitRef
	Metrics      []peerMetricRow
	Streak       streakView
}

type neighbourView struct {
	Unit unitRef
	Rank int
	Gap  scoring.Cents
}

type peerMetricRow struct {
	Code, Name           string
	Max                  scoring.Cents
	Scored               bool
	Unit, Avg, Med, Best scoring.Cents
	N                    int
	// Below marks the unit under the median of its peers.
	Below bool
}

// streakView says how long the unit has held its band and kept improving
// (or declining), in periods of the series' kind, in the page's language.
type streakView struct {
	Known     bool
	Band      bandView
	SameBand  int
	Improving int
	Declining int
	// The counts with their unit ("3 tháng", "3 months"), and the unit
	// alone ("tháng", "month").
	SameBandText, ImprovingText, DecliningText string
	Unit                                       string
}

func newPeersView(l i18n.Lang, pe *scoring.Peers, points []scoring.UnitPoint, p scoring.Period) peersView {
	v := peersView{Rank: pe.Rank, RankOf: pe.RankOf}
	if pe.Above != nil {
		v.Above = &neighbourView{Unit: newUnitRef(pe.Above.Unit.Unit, p), Rank: pe.Above.Rank, Gap: pe.Above.Gap}
	}
	if pe.Below != nil {
		v.Below = &neighbourView{Unit: newUnitRef(pe.Below.Unit.Unit, p), Rank: pe.Below.Rank, Gap: pe.Below.Gap}
	}
	for _, u := range pe.Tied {
		v.Tied = append(v.Tied, newUnitRef(u.Unit, p))
	}
	for _, m := range pe.Metrics {
		row := peerMetricRow{Code: m.Metric.Code, Name: present.Name(l, m.Metric.NameVI, m.Metric.NameEN), Max: m.Metric.Max, Scored: m.Scored,
			Unit: m.Unit, Avg: m.Average, Med: m.Median, Best: m.Best, N: m.N}
		if ms := pe.Unit.Metric(m.Metric.Code); ms != nil {
			row.Max = ms.Max
		}
		row.Below = m.Scored && m.N > 0 && m.Unit < m.Median
		v.Metrics = append(v.Metrics, row)
	}
	st := scoring.StreaksOf(points)
	if st.Band != nil {
		k := st.Period.Kind
		v.Streak = streakView{Known: true, Band: newBandView(l, pe.Unit.Scheme, st.Band), SameBand: st.SameBand,
			Improving: st.Improving, Declining: st.Declining, Unit: periodUnitL(l, k),
			SameBandText: periodCountL(l, k, st.SameBand), ImprovingText: periodCountL(l, k, st.Improving),
			DecliningText: periodCountL(l, k, st.Declining)}
	}
	return v
}

// periodUnitL names one period of a kind, for "so với tháng trước" /
// "since the previous month".
func periodUnitL(l i18n.Lang, k scoring.PeriodKind) string {
	switch k {
	case scoring.Quarter:
		return l.T("peers.unit.quarter")
	case scoring.Half:
		return l.T("peers.unit.half")
	case scoring.Year:
		return l.T("peers.unit.year")
	}
	return l.T("peers.unit.month")
}

// periodCountL is n periods of a kind, for "3 tháng liên tiếp" / "3 months
// in a row" (English has a singular: "1 month").
func periodCountL(l i18n.Lang, k scoring.PeriodKind, n int) string {
	one := n == 1
	switch {
	case k == scoring.Quarter && one:
		return l.T("peers.n.quarter.one")
	case k == scoring.Quarter:
		return l.T("peers.n.quarter", n)
	case k == scoring.Half && one:
		return l.T("peers.n.half.one")
	case k == scoring.Half:
		return l.T("peers.n.half", n)
	case k == scoring.Year && one:
		return l.T("peers.n.year.one")
	case k == scoring.Year:
		return l.T("peers.n.year", n)
	case one:
		return l.T("peers.n.month.one")
	}
	return l.T("peers.n.month", n)
}

// historyPoints is the unit's point in each period of the unit page's
// trend (the last 12 months with data, or the latest periods of the page's
// kind): what streaks and the rank history read. before is the unit's point
// in the period just before the oldest of them when that period has data
// (Known false otherwise): the oldest row of the rank history has a change
// like the others when there is a period to compare with, though it is not
// shown. It is asked in the same Points call as the others, so that the
// page reads one more kept point, not a whole period.
func (h *handler) historyPoints(c *fiber.Ctx, e *env, code string) (points []scoring.UnitPoint, before scoring.UnitPoint, err error) {
	periods := trendPeriods(e, e.period)
	ask := periods
	if len(periods) > 0 {
		if p := periods[0].Prev(); e.hasPeriod(p) {
			ask = append([]scoring.Period{p}, periods...)
		}
	}
	pts, err := h.Scores.Points(c.UserContext(), code, ask)
	if err != nil {
		return nil, before, fmt.Errorf("handlers: history of %s: %w", code, err)
	}
	if len(ask) > len(periods) {
		before, pts = pts[0], pts[1:]
	}
	return pts, before, nil
}

// rankHistoryView is the unit's rank among its peers over recent periods.
type rankHistoryView struct {
	Title string
	Rows  []rankHistoryRow
	Chart charts.Chart
	// Ranked is how many periods the unit was ranked in (no chart without).
	Ranked int
}

type rankHistoryRow struct {
	Label        string
	HasData      bool
	Rank, RankOf int
	Total        scoring.Cents
	Band         bandView
	Change       present.Change // rank against the row before
}

// newRankHistoryL is the unit's rank over the periods of its points, in
// language l; the oldest row's change is against before (historyPoints).
func newRankHistoryL(l i18n.Lang, u scoring.Unit, before scoring.UnitPoint, points []scoring.UnitPoint, schemes *scoring.Schemes) (rankHistoryView, error) {
	v := rankHistoryView{Title: l.T("ranks.title.months")}
	pts := scoring.RankHistoryOf(points)
	if len(pts) > 0 && pts[0].Period.Kind != scoring.Month {
		v.Title = l.T("ranks.title.periods")
	}
	cats := make([]string, len(pts))
	vals := make([]charts.Value, len(pts))
	maxOf := 1
	var prev *scoring.RankPoint
	if b := scoring.RankHistoryOf([]scoring.UnitPoint{before}); len(b) == 1 {
		prev = &b[0]
	}
	for i, pt := range pts {
		cats[i] = present.PeriodShort(pt.Period)
		row := rankHistoryRow{Label: present.Period(l, pt.Period), HasData: pt.Rank > 0, Rank: pt.Rank, RankOf: pt.RankOf,
			Total: pt.Total, Change: present.RankChange(l, nil)}
		if pt.Rank > 0 {
			v.Ranked++
			vals[i] = charts.Num(float64(pt.Rank))
			row.Band = newBandView(l, schemes.For(pt.Period), pt.Band)
			if prev != nil && prev.Rank > 0 && prev.Period == pt.Period.Prev() {
				d := prev.Rank - pt.Rank
				row.Change = present.RankChange(l, &d)
			}
		}
		if pt.RankOf > maxOf {
			maxOf = pt.RankOf
		}
		v.Rows = append(v.Rows, row)
		prev = &pts[i]
	}
	if v.Ranked == 0 {
		return v, nil
	}
	label := l.TN(len(pts), "chart.ranks.desc", u.Name, len(pts))
	ch, err := charts.Trend("chart-rank", label, cats, []charts.Series{{Name: l.T("unit.rank"), Values: vals}}, nil, float64(maxOf))
	if err != nil {
		return v, err
	}
	v.Chart, err = rankAxis(ch, maxOf)
	return v, err
}

// rankAxis turns a trend chart into a rank chart: rank 1 at the top, whole
// numbers only. charts.Trend draws scores from 0 upwards and go-echarts
// knows no inverse value axis there, so the option is adjusted here;
// "integers" tells charts.js to print ranks without decimals.
func rankAxis(ch charts.Chart, maxOf int) (charts.Chart, error) {
	var opt map[string]any
	if err := json.Unmarshal([]byte(ch.Option), &opt); err != nil {
		return ch, fmt.Errorf("handlers: rank chart option: %w", err)
	}
	// Ticks at 1, 1+step, 1+2·step…: ECharts' own ticks would start at
	// multiples of the step and crowd rank 1 (1, 3, 6, 9…).
	// The axis ends at the last rank there is (18 of 18 units, not 19).
	step := max(1, (maxOf-1+5)/6)
	top := max(maxOf, 2)
	axis := map[string]any{"type": "value", "inverse": true, "min": 1, "max": top, "interval": step}
	if list, ok := opt["yAxis"].([]any); ok && len(list) > 0 {
		if m, ok := list[0].(map[string]any); ok {
			for k, v := range axis {
				m[k] = v
			}
		}
	} else {
		opt["yAxis"] = []any{axis}
	}
	opt["integers"] = true
	b, err := json.Marshal(opt)
	if err != nil {
		return ch, fmt.Errorf("handlers: rank chart option: %w", err)
	}
	ch.Option = string(b)
	return ch, nil
}
